package io.execra.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only execra-core refers to the core's {@code internal} package: the other modules of the build (this one,
 * execra-test, the sample and the benchmarks), main and test sources alike, use the core's public API, so the core's
 * inside can change without them. Reads the sources, since no module depends on all the others.
 */
class CoreInternalsBoundaryTests {

	/** The package name, written so that this file does not match it. */
	private static final Pattern INTERNAL = Pattern.compile("\\bio\\.execra\\.internal\\b");

	private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

	@Test
	void noModuleButTheCoreRefersToTheCoresInternalPackage() throws IOException {
		Path root = Path.of("..").toAbsolutePath().normalize();
		List<String> modules = modules(root);
		assertThat(modules).as("modules of %s", root)
			.contains("execra-core", "execra-autoconfigure", "execra-test", "sample-app", "execra-benchmarks");
		List<String> references = new ArrayList<>();
		int scanned = 0;
		for (String module : modules) {
			Path sources = root.resolve(module).resolve("src");
			if (module.equals("execra-core") || !Files.isDirectory(sources)) {
				continue;
			}
			try (Stream<Path> files = Files.walk(sources)) {
				for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
					scanned++;
					List<String> lines = Files.readAllLines(file);
					for (int i = 0; i < lines.size(); i++) {
						if (INTERNAL.matcher(lines.get(i)).find()) {
							references.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
						}
					}
				}
			}
		}
		assertThat(scanned).as("Java sources read outside execra-core").isGreaterThan(100);
		assertThat(references).as("references to the core's internal package outside execra-core").isEmpty();
	}

	private static List<String> modules(Path root) throws IOException {
		Matcher matcher = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
		List<String> modules = new ArrayList<>();
		while (matcher.find()) {
			modules.add(matcher.group(1).strip());
		}
		return modules;
	}

}
