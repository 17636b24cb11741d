package io.execra.internal.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import io.execra.JobId;
import org.jspecify.annotations.Nullable;

/**
 * Finds every process of a job, including those that left its process group and session ({@code setsid}, a
 * daemon's double fork) and those whose parent died: each job's process gets {@value #VARIABLE}{@code =<job id>} in
 * its environment, which its descendants inherit whatever their parent, session or group, and which
 * {@code /proc/<pid>/environ} shows to the same user (and to root). Linux only; a descendant that replaces its
 * environment ({@code env -i}) or runs as another user is not found.
 * <p>
 * A cluster node marks its processes with its identity too, {@value #NODE_VARIABLE}{@code =<node id>} and
 * {@value #EPOCH_VARIABLE}{@code =<lease epoch>}: several nodes may share a host and run attempts of the same job,
 * so a node only ever looks for processes that carry its own node id, and a node that restarts finds what its
 * earlier run left by the node id alone.
 */
public final class MarkedProcesses {

	/** The environment variable that marks a job's processes; its value is the job's id. */
	static final String VARIABLE = "EXECRA_JOB_ID";

	/** The environment variable that marks a cluster node's processes; its value is the node's id. */
	static final String NODE_VARIABLE = "EXECRA_NODE_ID";

	/** The environment variable that marks a cluster node's processes with the epoch of the lease they ran under. */
	static final String EPOCH_VARIABLE = "EXECRA_NODE_EPOCH";

	/** A process that forks while being killed may leave a child the scan missed; scan until none is left. */
	private static final int KILL_ROUNDS = 10;

	private static final Path PROC = Path.of("/proc");

	private static final boolean SUPPORTED = System.getProperty("os.name", "").equals("Linux")
			&& Files.isReadable(PROC.resolve("self/environ"));

	private MarkedProcesses() {
	}

	/**
	 * Whether marked processes can be found here.
	 * @return {@code true} on Linux with {@code /proc}
	 */
	static boolean supported() {
		return SUPPORTED;
	}

	/**
	 * The environment a job's process starts with: the given one and the job's mark.
	 * @param environment the job's environment
	 * @param id the job
	 * @return a new map
	 */
	public static Map<String, String> mark(Map<String, String> environment, JobId id) {
		Map<String, String> marked = new LinkedHashMap<>(environment);
		marked.put(VARIABLE, id.toString());
		return marked;
	}

	/**
	 * The environment a cluster node's job's process starts with: the given one and the node's identity.
	 * @param environment the job's environment
	 * @param nodeId the node
	 * @param epoch the epoch of the lease the node claimed the job under
	 * @return a new map
	 */
	public static Map<String, String> markNode(Map<String, String> environment, String nodeId, long epoch) {
		Map<String, String> marked = new LinkedHashMap<>(environment);
		marked.put(NODE_VARIABLE, nodeId);
		marked.put(EPOCH_VARIABLE, Long.toString(epoch));
		return marked;
	}

	/**
	 * Processes marked with one of these jobs' ids and, when a node id is given, with that node's id too.
	 * @param jobIds the jobs
	 * @param nodeId the cluster node that started them, or {@code null} outside cluster mode
	 * @return what to look for
	 */
	static Marks ofJobs(Collection<String> jobIds, @Nullable String nodeId) {
		List<List<byte[]>> alternatives = new ArrayList<>(jobIds.size());
		for (String id : jobIds) {
			alternatives.add((nodeId != null) ? List.of(entry(VARIABLE, id), entry(NODE_VARIABLE, nodeId))
					: List.of(entry(VARIABLE, id)));
		}
		return new Marks(alternatives);
	}

	/**
	 * Processes marked with this cluster node's id and, when an epoch is given, with that epoch too.
	 * @param nodeId the node
	 * @param epoch the epoch of one of its leases, or {@code null} for all of them
	 * @return what to look for
	 */
	static Marks ofNode(String nodeId, @Nullable Long epoch) {
		return new Marks(List.of((epoch != null)
				? List.of(entry(NODE_VARIABLE, nodeId), entry(EPOCH_VARIABLE, epoch.toString()))
				: List.of(entry(NODE_VARIABLE, nodeId))));
	}

	private static byte[] entry(String name, String value) {
		return (name + "=" + value).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * What a process must carry to be found: every {@code NAME=value} entry of one of the alternatives.
	 * @param alternatives the alternatives, each a list of entries
	 */
	record Marks(List<List<byte[]>> alternatives) {

		boolean isEmpty() {
			return this.alternatives.isEmpty();
		}

	}

	/**
	 * The live processes that carry these marks (zombies have no environment left and are not found).
	 * @param marks what they carry
	 * @return the processes, empty where {@link #supported()} is {@code false}
	 */
	static List<ProcessHandle> find(Marks marks) {
		if (!SUPPORTED || marks.isEmpty()) {
			return new ArrayList<>();
		}
		long self = ProcessHandle.current().pid();
		List<ProcessHandle> found = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
			for (Path entry : entries) {
				long pid = pid(entry.getFileName().toString());
				if (pid <= 0 || pid == self || !marked(entry, marks)) {
					continue;
				}
				// the handle pins the process (pid and start time); checking the mark again after taking it means
				// that a pid reused in between is never signalled unless the new process is marked too
				Optional<ProcessHandle> handle = ProcessHandle.of(pid);
				if (handle.isPresent() && marked(entry, marks)) {
					found.add(handle.get());
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// /proc cannot be listed: nothing found
		}
		return found;
	}

	/**
	 * Sends TERM or KILL to every process that carries these marks outside the given process groups (which the
	 * caller signals as a whole, so that no process gets the signal twice); KILL is repeated until a scan finds
	 * none, so that a child forked while its parent was being killed dies too.
	 * @param marks what the processes carry
	 * @param kill {@code true} for KILL, {@code false} for TERM
	 * @param signalledGroups the process groups the caller signals
	 * @return how many processes were signalled
	 */
	static int signal(Marks marks, boolean kill, Set<Long> signalledGroups) {
		int signalled = 0;
		if (marks.isEmpty()) {
			return signalled;
		}
		for (int round = 0; round < (kill ? KILL_ROUNDS : 1); round++) {
			List<ProcessHandle> found = find(marks);
			found.removeIf((process) -> signalledGroups.contains(processGroup(process.pid())));
			if (found.isEmpty()) {
				break;
			}
			for (ProcessHandle process : found) {
				if (kill) {
					process.destroyForcibly();
				}
				else {
					process.destroy();
				}
			}
			signalled += found.size();
			if (kill) {
				// let the KILLs land before looking again, or the dying processes are found and counted again
				awaitDeath(found);
			}
		}
		return signalled;
	}

	private static void awaitDeath(List<ProcessHandle> processes) {
		long deadline = System.nanoTime() + 50_000_000L;
		for (ProcessHandle process : processes) {
			while (isRunning(process) && System.nanoTime() < deadline) {
				LockSupport.parkNanos(1_000_000L);
			}
		}
	}

	/** Alive and not a zombie (a killed process whose parent does not reap it stays a zombie). */
	private static boolean isRunning(ProcessHandle process) {
		String[] stat = process.isAlive() ? stat(process.pid()) : null;
		return stat != null && !stat[0].equals("Z");
	}

	/** The process's group, or -1 if it is gone. */
	private static long processGroup(long pid) {
		String[] stat = stat(pid);
		return (stat != null) ? Long.parseLong(stat[2]) : -1;
	}

	/** The fields of {@code /proc/<pid>/stat} after the command name: state, ppid, pgrp, session, ... */
	private static String @Nullable [] stat(long pid) {
		try {
			String stat = Files.readString(PROC.resolve(pid + "/stat"));
			return stat.substring(stat.lastIndexOf(')') + 2).split(" ", 6);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static boolean marked(Path entry, Marks marks) {
		byte[] environ;
		try {
			environ = Files.readAllBytes(entry.resolve("environ"));
		}
		catch (IOException | RuntimeException ex) {
			// gone, or another user's
			return false;
		}
		for (List<byte[]> alternative : marks.alternatives()) {
			if (alternative.stream().allMatch((mark) -> containsEntry(environ, mark))) {
				return true;
			}
		}
		return false;
	}

	/** Whether the NUL-separated environment block holds exactly this {@code NAME=value} entry. */
	static boolean containsEntry(byte[] environ, byte[] entry) {
		int last = environ.length - entry.length;
		for (int start = 0; start <= last; start++) {
			if ((start == 0 || environ[start - 1] == 0) && regionMatches(environ, start, entry)
					&& (start + entry.length == environ.length || environ[start + entry.length] == 0)) {
				return true;
			}
		}
		return false;
	}

	private static boolean regionMatches(byte[] bytes, int offset, byte[] expected) {
		for (int i = 0; i < expected.length; i++) {
			if (bytes[offset + i] != expected[i]) {
				return false;
			}
		}
		return true;
	}

	private static long pid(String name) {
		if (name.isEmpty() || name.length() > 10) {
			return -1;
		}
		for (int i = 0; i < name.length(); i++) {
			if (name.charAt(i) < '0' || name.charAt(i) > '9') {
				return -1;
			}
		}
		return Long.parseLong(name);
	}

}
