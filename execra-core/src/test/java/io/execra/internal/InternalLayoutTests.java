package io.execra.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout of {@code io.execra.internal} that docs/architecture.md describes, read from the sources: which
 * internal package may use which, and no class over 500 lines. (That no other module uses the internals is
 * {@code CoreInternalsBoundaryTests} in execra-autoconfigure.)
 */
class InternalLayoutTests {

	private static final Path MAIN = Path.of("src/main/java");

	private static final Path INTERNAL = MAIN.resolve("io/execra/internal");

	/** Each internal package and the internal packages it may use; "" is the root of shared utilities. */
	private static final Map<String, Set<String>> ALLOWED = Map.of(
			"", Set.of(),
			"process", Set.of(""),
			"log", Set.of(""),
			"store", Set.of(""),
			"delivery", Set.of("", "log"),
			"cluster", Set.of("", "store"),
			"job", Set.of("", "process", "log", "delivery", "store", "cluster"));

	private static final Pattern REFERENCE = Pattern.compile("io\\.execra\\.internal((?:\\.[a-z]+)?)\\.[A-Z]");

	@Test
	void internalPackagesUseOnlyThoseBelowThem() throws IOException {
		Map<String, Set<String>> uses = usesByPackage();
		assertThat(uses.keySet()).isSubsetOf(ALLOWED.keySet());
		List<String> violations = new ArrayList<>();
		uses.forEach((from, targets) -> {
			for (String to : targets) {
				if (!to.equals(from) && !ALLOWED.get(from).contains(to)) {
					violations.add("internal." + from + " -> internal." + to);
				}
			}
		});
		assertThat(violations).isEmpty();
	}

	@Test
	void allowedUsesHaveNoCycle() {
		// a topological order exists: repeatedly remove a package that uses no package left
		Map<String, Set<String>> left = new TreeMap<>();
		ALLOWED.forEach((from, to) -> left.put(from, new TreeSet<>(to)));
		left.values().forEach((to) -> to.removeIf((p) -> p.isEmpty()));
		left.remove("");
		while (!left.isEmpty()) {
			String leaf = left.entrySet().stream().filter((e) -> e.getValue().isEmpty()).map(Map.Entry::getKey)
				.findFirst().orElse(null);
			assertThat(leaf).as("a cycle among %s", left).isNotNull();
			left.remove(leaf);
			left.values().forEach((to) -> to.remove(leaf));
		}
	}

	@Test
	void noClassIsOver500Lines() throws IOException {
		List<String> long_ = new ArrayList<>();
		try (Stream<Path> files = Files.walk(MAIN)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
				long lines = Files.readAllLines(file).size();
				if (lines > 500) {
					long_.add(MAIN.relativize(file) + " (" + lines + " lines)");
				}
			}
		}
		assertThat(long_).isEmpty();
	}

	private static Map<String, Set<String>> usesByPackage() throws IOException {
		Map<String, Set<String>> uses = new TreeMap<>();
		try (Stream<Path> files = Files.walk(INTERNAL)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
				Path dir = INTERNAL.relativize(file).getParent();
				String from = (dir != null) ? dir.toString().replace('/', '.') : "";
				Set<String> targets = uses.computeIfAbsent(from, (k) -> new TreeSet<>());
				Matcher matcher = REFERENCE.matcher(Files.readString(file));
				while (matcher.find()) {
					targets.add(matcher.group(1).isEmpty() ? "" : matcher.group(1).substring(1));
				}
			}
		}
		return uses;
	}

}
