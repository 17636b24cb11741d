package io.execra.autoconfigure.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.execra.autoconfigure.ExecraProperties;
import io.execra.autoconfigure.jpa.ExecraJdbcProperties;
import io.execra.autoconfigure.metrics.ExecraMetricsProperties;
import io.execra.autoconfigure.retention.ExecraRetentionProperties;
import io.execra.interpret.Interpreters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata the build generates, which IDEs and {@code docs/configuration.md} read: every execra
 * property is described, declares its default where it has one, and the value hints match the code.
 */
class ConfigurationMetadataTests {

	@Test
	void everyExecraPropertyHasADescription() throws IOException {
		assertThat(execraProperties()).isNotEmpty()
			.allSatisfy((property) -> assertThat((String) property.get("description")).as("%s", property.get("name"))
				.isNotBlank());
	}

	@Test
	void everyExecraPropertyWithADefaultDeclaresIt() throws IOException {
		assertThat(execraProperties()).filteredOn((property) -> hasDefault((String) property.get("name")))
			.isNotEmpty()
			.allSatisfy((property) -> assertThat(property.get("defaultValue")).as("default of %s", property.get("name"))
				.isNotNull());
	}

	@Test
	void theInheritedSchemaInitializationPropertiesAreDescribedWithTheirDefaults() throws IOException {
		assertThat(property("execra.jdbc.initialize-schema")).containsEntry("defaultValue", "embedded")
			.containsKey("description");
		assertThat(property("execra.jdbc.continue-on-error"))
			.containsEntry("defaultValue", new ExecraJdbcProperties().isContinueOnError())
			.containsKey("description");
		assertThat(property("execra.jdbc.schema"))
			.containsEntry("defaultValue", new ExecraJdbcProperties().getDefaultSchemaLocation())
			.containsKey("description");
		assertThat(property("execra.jdbc.platform")).containsKey("description");
	}

	@Test
	void theHealthIndicatorSwitchIsDeclared() throws IOException {
		assertThat(property("management.health.execra.enabled")).containsEntry("type", "java.lang.Boolean")
			.containsEntry("defaultValue", true)
			.containsKey("description");
	}

	@Test
	void theMasterSwitchIsDeclared() throws IOException {
		assertThat(property("execra.enabled")).containsEntry("defaultValue", true).containsKey("description");
	}

	@Test
	void interpreterNameHintsAreTheBuiltInInterpreters() throws IOException {
		assertThat(hintValues("execra.interpreters.keys")).containsExactlyInAnyOrderElementsOf(Interpreters.names());
	}

	@Test
	void platformHintsAreThePlatformsOfTheShippedSchemaScripts() throws IOException {
		try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/io/execra/autoconfigure/jpa"))) {
			List<String> platforms = scripts.map((script) -> script.getFileName().toString())
				.filter((name) -> name.startsWith("schema-") && name.endsWith(".sql"))
				.map((name) -> name.substring("schema-".length(), name.length() - ".sql".length()))
				.toList();
			assertThat(hintValues("execra.jdbc.platform")).containsExactlyInAnyOrderElementsOf(platforms);
		}
	}

	/** Whether the property, bound to nothing, has a value: a default the metadata should show. */
	private static boolean hasDefault(String name) {
		if (!name.startsWith("execra.")) {
			return false;
		}
		String[] roots = { "execra.jdbc.", "execra.metrics.", "execra.retention.", "execra." };
		Object[] instances = { new ExecraJdbcProperties(), new ExecraMetricsProperties(),
				new ExecraRetentionProperties(), new ExecraProperties() };
		for (int i = 0; i < roots.length; i++) {
			if (name.startsWith(roots[i])) {
				BeanWrapper wrapper = new BeanWrapperImpl(instances[i]);
				String path = camelCase(name.substring(roots[i].length()));
				if (!wrapper.isReadableProperty(path)) {
					return false;
				}
				Object value = wrapper.getPropertyValue(path);
				return value != null && !(value instanceof Collection<?> c && c.isEmpty())
						&& !(value instanceof Map<?, ?> m && m.isEmpty());
			}
		}
		return false;
	}

	private static String camelCase(String kebab) {
		StringBuilder camel = new StringBuilder();
		boolean upper = false;
		for (char c : kebab.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				camel.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return camel.toString();
	}

	private static List<Map<String, Object>> execraProperties() throws IOException {
		List<Map<String, Object>> properties = JsonPath.read(ConfigurationReferenceTests.metadata(), "$.properties[*]");
		return properties.stream()
			.filter((property) -> ConfigurationReferenceTests.isExecra((String) property.get("name")))
			.toList();
	}

	private static Map<String, Object> property(String name) throws IOException {
		return execraProperties().stream()
			.filter((property) -> name.equals(property.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no property " + name + " in the metadata"));
	}

	private static List<String> hintValues(String name) throws IOException {
		return JsonPath.read(ConfigurationReferenceTests.metadata(), "$.hints[?(@.name == '" + name + "')].values[*].value");
	}

}
