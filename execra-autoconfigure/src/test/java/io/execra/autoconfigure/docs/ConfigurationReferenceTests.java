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
		String metadata = metadata();
		String expected = render(properties(metadata), JsonPath.read(metadata, "$.hints[*]"));
		if (Boolean.getBoolean("execra.docs.update")) {
			Files.writeString(REFERENCE, expected);
		}
		assertThat(REFERENCE).as("docs/configuration.md; regenerate with -Dexecra.docs.update=true").exists();
		assertThat(Files.readString(REFERENCE)).as("docs/configuration.md is stale; regenerate it with "
				+ "./mvnw -pl execra-autoconfigure -am test -Dtest=ConfigurationReferenceTests -Dexecra.docs.update=true "
				+ "-Dsurefire.failIfNoSpecifiedTests=false")
			.isEqualTo(expected);
	}

	/**
	 * Whether a property is execra's: under {@code execra.*}, or the {@code management.*.execra.*} switches of its
	 * health indicator and endpoint.
	 * @param name the property's name
	 * @return whether it is execra's
	 */
	static boolean isExecra(String name) {
		return name.startsWith("execra.") || (name.startsWith("management.") && name.contains(".execra."));
	}

	private static List<Map<String, Object>> properties(String metadata) {
		List<Map<String, Object>> properties = JsonPath.read(metadata, "$.properties[*]");
		return properties.stream()
			.filter((property) -> isExecra(String.valueOf(property.get("name"))))
			.sorted(Comparator.comparing((property) -> String.valueOf(property.get("name"))))
			.toList();
	}

	/**
	 * The configuration metadata the build generated.
	 * @return its JSON
	 * @throws IOException if it cannot be read
	 */
	static String metadata() throws IOException {
		try (InputStream in = ConfigurationReferenceTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("configuration metadata on the classpath").isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	static String render(List<Map<String, Object>> properties, List<Map<String, Object>> hints) {
		StringBuilder md = new StringBuilder();
		md.append("# Configuration reference\n\n");
		md.append("Every `execra.*` property and the `management.*` switches of execra's health indicator and ")
			.append("endpoint, generated from the configuration metadata of `execra-autoconfigure` ")
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
			md.append((description != null) ? cell(String.valueOf(description)) : "");
			md.append(cell(hintedValues(String.valueOf(property.get("name")), hints))).append(" |\n");
		}
		return md.toString();
	}

	/** The values the metadata hints for a property (or its map's keys), as a sentence; empty if none. */
	@SuppressWarnings("unchecked")
	private static String hintedValues(String name, List<Map<String, Object>> hints) {
		for (Map<String, Object> hint : hints) {
			String hinted = String.valueOf(hint.get("name"));
			if (hinted.equals(name) || hinted.equals(name + ".keys")) {
				List<Map<String, Object>> values = (List<Map<String, Object>>) hint.get("values");
				return (hinted.endsWith(".keys") ? " Built-in names: " : " Values: ") + values.stream()
					.map((value) -> "`" + value.get("value") + "`")
					.collect(java.util.stream.Collectors.joining(", ")) + ".";
			}
		}
		return "";
	}

	private static String shortType(String type) {
		return cell(type.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z])", "$1").replace('$', '.'));
	}

	private static String cell(String text) {
		return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
	}

}
