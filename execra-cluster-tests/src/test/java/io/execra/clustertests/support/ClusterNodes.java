package io.execra.clustertests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Starts the nodes of a test cluster as child JVMs of the test JVM, on this module's test class path, each running
 * {@code io.execra.clustertests.node.ClusterNodeApplication} on one database with cluster mode on; waits until each
 * answers and holds its lease; restarts them. {@link #close()} kills every node JVM and every process the jobs left
 * (a node killed with {@code -9} leaves its jobs' processes running), also when a test failed, and a shutdown hook
 * does the same if the test JVM is stopped first. Node logs go to {@code target/cluster-it/<run>/}.
 */
public final class ClusterNodes implements AutoCloseable {

	/**
	 * Short enough for fast tests (a dead node is rescued about 9 s after it died), long enough that a node's
	 * heartbeat survives the CPU starvation of thousands of short jobs on two cores shared with other builds: with
	 * 3 s, and once with 5 s, a loaded machine made nodes lose their leases (and kill their jobs).
	 */
	public static final Duration LEASE = Duration.ofSeconds(8);

	/** The heartbeat interval of the tests' nodes. */
	public static final Duration HEARTBEAT = Duration.ofSeconds(1);

	/** How often nodes poll for queued jobs and cancel requests where signals are off. */
	public static final Duration POLL_INTERVAL = Duration.ofMillis(500);

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

	private static final Set<ClusterNodes> open = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> open.forEach(ClusterNodes::close), "cluster-nodes-cleanup"));
	}

	private static final String GC_LOG_PREFIX = "gc-";

	private static final Pattern GC_PAUSE = Pattern.compile("Pause .* (\\d+(?:\\.\\d+)?)ms$");

	private final Path workDirectory;

	private final Map<String, Node> nodes = new LinkedHashMap<>();

	private ClusterNodes(Path workDirectory) {
		this.workDirectory = workDirectory;
	}

	/**
	 * Starts the nodes at once and waits until all are ready.
	 * @param database the database they share
	 * @param workDirectory the test's work directory (scripts, the jobs' files, node logs)
	 * @param scripts the job scripts
	 * @param cluster properties of every node (beside the database, cluster mode and presets), such as
	 * {@code execra.max-concurrent}
	 * @param specs the nodes
	 * @return the running cluster; close it
	 */
	public static ClusterNodes start(ClusterDatabase database, Path workDirectory, JobScripts scripts,
			Map<String, String> cluster, List<NodeSpec> specs) {
		ClusterNodes started = new ClusterNodes(workDirectory);
		open.add(started);
		try {
			long begin = System.nanoTime();
			for (NodeSpec spec : specs) {
				Map<String, String> properties = new LinkedHashMap<>();
				properties.put("spring.datasource.url", database.url());
				properties.put("spring.datasource.username", database.username());
				properties.put("spring.datasource.password", database.password());
				properties.put("execra.cluster.enabled", "true");
				properties.put("execra.cluster.lease", LEASE.toMillis() + "ms");
				properties.put("execra.cluster.heartbeat-interval", HEARTBEAT.toMillis() + "ms");
				properties.put("execra.cluster.poll-interval", POLL_INTERVAL.toMillis() + "ms");
				properties.put("execra.node-id", Node.nodeId(spec.name()));
				properties.put("server.port", Integer.toString(freePort()));
				properties.putAll(cluster);
				if (spec.sharedQueue()) {
					properties.putAll(scripts.sharedPresets());
				}
				properties.putAll(scripts.presetsOnlyOn(spec.name()));
				properties.putAll(spec.properties());
				Node node = new Node(spec.name(), Integer.parseInt(properties.get("server.port")),
						command(workDirectory, properties), workDirectory.resolve("logs/node-" + spec.name() + ".log"));
				started.nodes.put(spec.name(), node);
				node.start();
			}
			for (Node node : started.nodes.values()) {
				awaitReady(node);
			}
			System.out.printf("Started %d nodes in %d ms: %s%n", specs.size(),
					Duration.ofNanos(System.nanoTime() - begin).toMillis(), started.nodes.values());
			return started;
		}
		catch (IOException | RuntimeException | Error ex) {
			started.close();
			throw (ex instanceof IOException io) ? new UncheckedIOException(io) : sneaky(ex);
		}
	}

	private static RuntimeException sneaky(Throwable ex) {
		if (ex instanceof Error error) {
			throw error;
		}
		return (RuntimeException) ex;
	}

	/**
	 * @param name a node's name
	 * @return the node
	 */
	public Node node(String name) {
		Node node = this.nodes.get(name);
		if (node == null) {
			throw new IllegalArgumentException("No node " + name + " in " + this.nodes.keySet());
		}
		return node;
	}

	/** @return the nodes, in the order they were given */
	public List<Node> nodes() {
		return List.copyOf(this.nodes.values());
	}

	/**
	 * Starts a node again (killing it first if it still runs) with the same arguments and port, and waits until it is
	 * ready.
	 * @param node the node
	 */
	public void restart(Node node) {
		if (node.isAlive()) {
			node.kill();
		}
		try {
			long begin = System.nanoTime();
			node.start();
			awaitReady(node);
			System.out.printf("Restarted %s in %d ms%n", node, Duration.ofNanos(System.nanoTime() - begin).toMillis());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Waits until the node answers and, in cluster mode, holds its lease.
	 * @param node the node
	 */
	public static void awaitReady(Node node) {
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (true) {
			if (!node.process().isAlive()) {
				throw new AssertionError("Node " + node + " exited with " + node.process().exitValue()
						+ " before it was ready; its log ends with:\n" + node.logTail(60));
			}
			try {
				JsonNode description = node.describe();
				if (!description.path("cluster").asBoolean() || description.path("leaseHeld").asBoolean()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// not listening yet
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Node " + node + " was not ready within " + READY_TIMEOUT
						+ "; its log ends with:\n" + node.logTail(60));
			}
			sleep(200);
		}
	}

	/** Kills every node JVM, then every process group the jobs left behind. */
	@Override
	public void close() {
		for (Node node : this.nodes.values()) {
			try {
				if (node.isAlive()) {
					Set<ProcessHandle> descendants = new HashSet<>();
					node.process().toHandle().descendants().forEach(descendants::add);
					node.process().destroyForcibly();
					descendants.forEach(ProcessHandle::destroyForcibly);
					node.process().waitFor();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (RuntimeException ex) {
				// never started: nothing to kill
			}
		}
		Set<Long> leftovers = new HashSet<>(ProcessGroups.groupsOfCommandLinesContaining(this.workDirectory.toString()));
		leftovers.addAll(ProcessGroups.alive(recordedGroups()));
		// other children of the test JVM (a benchmark's baseline JVMs) name the work directory too, but share the
		// test JVM's group, and so may Maven: killing that group would kill the test run itself
		leftovers.removeAll(ProcessGroups.groupsOfThisProcessAndAncestors());
		if (!leftovers.isEmpty()) {
			ProcessGroups.killGroups(leftovers);
			System.out.println("Killed process groups the jobs left behind: " + leftovers);
		}
		open.remove(this);
	}

	/** The process groups the sleeper scripts recorded, in every {@code runs} file under the work directory. */
	private List<Long> recordedGroups() {
		List<Long> groups = new ArrayList<>();
		try (var files = Files.walk(this.workDirectory)) {
			for (Path runs : files.filter((file) -> file.getFileName().toString().equals("runs")).toList()) {
				for (String line : Files.readAllLines(runs)) {
					String[] fields = line.split(" ");
					if (fields.length >= 2) {
						groups.add(Long.parseLong(fields[1]));
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			System.out.println("Could not read the recorded process groups: " + ex);
		}
		return groups;
	}

	private static List<String> command(Path workDirectory, Map<String, String> properties) throws IOException {
		List<String> command = javaCommand(workDirectory, "io.execra.clustertests.node.ClusterNodeApplication");
		properties.forEach((name, value) -> command.add("--" + name + "=" + value));
		return command;
	}

	/**
	 * The command that runs a main class of this module's test class path in a child JVM, as the nodes run.
	 * @param workDirectory where the class path argument file goes
	 * @param mainClass the main class
	 * @return the command, to which arguments may be added
	 * @throws IOException if the argument file cannot be written
	 */
	public static List<String> javaCommand(Path workDirectory, String mainClass) throws IOException {
		Files.createDirectories(workDirectory.resolve("logs"));
		Path classPath = workDirectory.resolve("node-classpath.args");
		if (!Files.exists(classPath)) {
			Files.writeString(classPath, "-cp\n" + System.getProperty("java.class.path") + "\n");
		}
		return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				// small and quick to start: four JVMs share two cores with the tests. Heap and metaspace start at their
				// working size, as containers run them: grown from 64 MB under a test's load, the heap stopped nodes
				// for full collections of 100-230 ms
				"-Xms384m", "-Xmx384m", "-XX:MetaspaceSize=128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
				"-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED",
				"-Xlog:gc:file=" + workDirectory.resolve("logs").resolve(GC_LOG_PREFIX + "%p.log"), "@" + classPath,
				mainClass));
	}

	/**
	 * The garbage collection pauses of the child JVMs of this work directory that lasted at least this long, for
	 * failure messages about latency.
	 * @param atLeast the shortest pause to list
	 * @return each such pause, with its log file's name
	 */
	public List<String> gcPausesOver(Duration atLeast) {
		List<String> pauses = new ArrayList<>();
		try (var files = Files.list(this.workDirectory.resolve("logs"))) {
			for (Path log : files.filter((file) -> file.getFileName().toString().startsWith(GC_LOG_PREFIX)).toList()) {
				for (String line : Files.readAllLines(log)) {
					Matcher pause = GC_PAUSE.matcher(line);
					if (pause.find() && Double.parseDouble(pause.group(1)) >= atLeast.toMillis()) {
						pauses.add(log.getFileName() + ": " + line);
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			pauses.add("(could not read the GC logs: " + ex + ")");
		}
		return pauses;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
