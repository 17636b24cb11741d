package io.execra.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Spring Boot module whose classes the main code imports is a dependency of this module's pom, not one that
 * happens to arrive through another: Boot splits its modules finely, and a transitive one may go away.
 */
class DeclaredDependenciesTests {

	private static final Pattern BOOT_IMPORT = Pattern.compile("^import (org\\.springframework\\.boot\\.[\\w.]+);",
			Pattern.MULTILINE);

	private static final Pattern JAR = Pattern.compile("([a-z0-9-]+?)-\\d[^/]*\\.jar$");

	@Test
	void everySpringBootModuleTheMainCodeUsesIsDeclared() throws Exception {
		Set<String> used = new TreeSet<>();
		for (String className : bootImports()) {
			String location = Class.forName(className, false, getClass().getClassLoader())
				.getProtectionDomain()
				.getCodeSource()
				.getLocation()
				.getPath();
			Matcher jar = JAR.matcher(location);
			assertThat(jar.find()).as("%s comes from a jar (%s)", className, location).isTrue();
			used.add(jar.group(1));
		}
		assertThat(used).as("Spring Boot modules the main code imports").contains("spring-boot-jdbc");
		assertThat(declaredDependencies()).containsAll(used);
	}

	private static Set<String> bootImports() throws IOException {
		Set<String> imports = new TreeSet<>();
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).toList()) {
				Matcher matcher = BOOT_IMPORT.matcher(Files.readString(source));
				while (matcher.find()) {
					imports.add(matcher.group(1));
				}
			}
		}
		return imports;
	}

	/** The artifact ids of the pom's dependencies that are not test-scoped. */
	private static List<String> declaredDependencies() throws Exception {
		Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
		Element dependencies = (Element) pom.getDocumentElement().getElementsByTagName("dependencies").item(0);
		NodeList nodes = dependencies.getElementsByTagName("dependency");
		List<String> declared = new ArrayList<>();
		for (int i = 0; i < nodes.getLength(); i++) {
			Element dependency = (Element) nodes.item(i);
			NodeList scope = dependency.getElementsByTagName("scope");
			if (scope.getLength() == 0 || !"test".equals(scope.item(0).getTextContent())) {
				declared.add(dependency.getElementsByTagName("artifactId").item(0).getTextContent());
			}
		}
		return declared;
	}

}
