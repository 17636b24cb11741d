package io.execra.autoconfigure.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configuration.md} is generated from the configuration metadata the build produces, so the property
 * reference cannot drift from the code. Run with {@code -Dexecra.docs.update=true} to rewrite it.
 */
class ConfigurationReferenceTests {

	private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

	@Test
	void configurationReferenceMatchesTheMetadata() throws IOException {
		String expected = render(metadataProperties());
		if (Boolean.getBoolean("execra.docs.update")) {
			Files.writeString(REFERENCE, expected);
		}
		assertThat(REFERENCE).as("docs/configuration.md; regenerate with -Dexecra.docs.update=true").exists();
		assertThat(Files.readString(REFERENCE)).as("docs/configuration.md is stale; regenerate it with "
				+ "./mvnw -pl execra-autoconfigure -am test -Dtest=ConfigurationReferenceTests -Dexecra.docs.update=true "
				+ "-Dsurefire.failIfNoSpecifiedTests=false")
			.isEqualTo(expected);
	}

	private static List<Map<String, Object>> metadataProperties() throws IOException {
		try (InputStream in = ConfigurationReferenceTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("configuration metadata on the classpath").isNotNull();
			String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			List<Map<String, Object>> properties = JsonPath.read(json, "$.properties[*]");
			return properties.stream()
				.filter((property) -> String.valueOf(property.get("name")).startsWith("execra."))
				.sorted(Comparator.comparing((property) -> String.valueOf(property.get("name"))))
				.toList();
		}
	}

	static String render(List<Map<String, Object>> properties) {
		StringBuilder md = new StringBuilder();
		md.append("# Configuration reference\n\n");
		md.append("Every `execra.*` property, generated from the configuration metadata of `execra-autoconfigure` ")
			.append("(do not edit by hand: `ConfigurationReferenceTests` fails when this page is stale).\n\n");
		md.append("Settings of the default runtime can be overridden per named runtime under ")
			.append("`execra.runtimes.<name>.*` (same names, without the `execra.` prefix); presets live under ")
			.append("`execra.commands.<name>.*` and rule interpreters under `execra.interpreters.<name>.*` — see ")
			.append("[interpreters](interpreters.md) and [getting started](getting-started.md).\n\n");
		md.append("| Property | Type | Default | Description |\n");
		md.append("|---|---|---|---|\n");
		for (Map<String, Object> property : properties) {
			md.append("| `").append(property.get("name")).append("` | ");
			md.append(shortType(String.valueOf(property.get("type")))).append(" | ");
			Object value = property.get("defaultValue");
			md.append((value != null) ? "`" + cell(String.valueOf(value)) + "`" : "").append(" | ");
			Object description = property.get("description");
			md.append((description != null) ? cell(String.valueOf(description)) : "").append(" |\n");
		}
		return md.toString();
	}

	private static String shortType(String type) {
		return cell(type.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z])", "$1").replace('$', '.'));
	}

	private static String cell(String text) {
		return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
	}

}
