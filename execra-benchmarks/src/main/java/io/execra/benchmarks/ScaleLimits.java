package io.execra.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * What this machine lets the scale benchmark start, read from {@code /proc} and the pids cgroup (Linux): threads
 * count as pids, so N jobs with T threads each need N × (1 + T) of them, within {@code kernel.pid_max},
 * {@code kernel.threads-max} and the cgroup's {@code pids.max}, beside everything else that runs; and each job holds
 * some pipes of this JVM, within its open-files limit. A size that does not fit, with room left for the other users
 * of the machine, is not started: running into the limit would make fork fail for every process on the machine.
 */
final class ScaleLimits {

	/** Pids left free for the rest of the machine: at least this many, and at least a tenth of the limit. */
	private static final int SPARE_TASKS = 2000;

	/** File descriptors left free for the JVM's own use (jars, sockets, the compiler). */
	private static final int SPARE_FILES = 1000;

	private ScaleLimits() {
	}

	/**
	 * Why a number of jobs cannot run here, or {@code null} if they can.
	 * @param jobs the jobs to hold at once
	 * @param threadsPerJob threads this JVM holds per running job
	 * @param filesPerJob file descriptors this JVM holds per running job
	 * @return the reason, or {@code null}
	 */
	static @Nullable String refusal(int jobs, double threadsPerJob, double filesPerJob) {
		List<String> reasons = new ArrayList<>();
		long tasksNeeded = Math.round(jobs * (1 + threadsPerJob));
		long inUse = tasksInUse();
		for (Limit limit : taskLimits()) {
			long spare = Math.max(SPARE_TASKS, limit.value() / 10);
			long used = (limit.used() >= 0) ? limit.used() : inUse;
			if (used + tasksNeeded + spare > limit.value()) {
				reasons.add(String.format(Locale.ROOT,
						"it needs ~%,d pids (%,d processes + %.2f threads per job) and %s is %,d with %,d in use,"
								+ " keeping %,d free for the rest of the machine",
						tasksNeeded, jobs, threadsPerJob, limit.name(), limit.value(), used, spare));
			}
		}
		long filesNeeded = Math.round(jobs * filesPerJob);
		long openFiles = openFiles();
		long maxFiles = maxOpenFiles();
		if (maxFiles > 0 && openFiles + filesNeeded + SPARE_FILES > maxFiles) {
			reasons.add(String.format(Locale.ROOT,
					"it needs ~%,d file descriptors (%.2f per job) and this JVM may open %,d with %,d open", filesNeeded,
					filesPerJob, maxFiles, openFiles));
		}
		return reasons.isEmpty() ? null : String.join("; ", reasons);
	}

	/**
	 * A line describing the limits, for the output.
	 * @return the description
	 */
	static String describe() {
		StringBuilder line = new StringBuilder();
		for (Limit limit : taskLimits()) {
			line.append(String.format(Locale.ROOT, "%s %,d, ", limit.name(), limit.value()));
		}
		return line.append(String.format(Locale.ROOT, "%,d tasks in use on the machine; open files %,d of %,d",
				tasksInUse(), openFiles(), maxOpenFiles()))
			.toString();
	}

	private record Limit(String name, long value, long used) {
	}

	private static List<Limit> taskLimits() {
		List<Limit> limits = new ArrayList<>();
		long pidMax = number(Path.of("/proc/sys/kernel/pid_max"));
		if (pidMax > 0) {
			limits.add(new Limit("kernel.pid_max", pidMax, -1));
		}
		long threadsMax = number(Path.of("/proc/sys/kernel/threads-max"));
		if (threadsMax > 0) {
			limits.add(new Limit("kernel.threads-max", threadsMax, -1));
		}
		Path cgroup = pidsCgroup();
		if (cgroup != null) {
			long max = number(cgroup.resolve("pids.max"));
			if (max > 0) {
				limits.add(new Limit("the cgroup's pids.max", max, number(cgroup.resolve("pids.current"))));
			}
		}
		return limits;
	}

	/** The pids cgroup of this process: cgroup v2 (line {@code 0::/path}) or v1 (controller {@code pids}). */
	private static @Nullable Path pidsCgroup() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
				String[] fields = line.split(":", 3);
				if (fields.length == 3 && fields[0].equals("0") && fields[1].isEmpty()) {
					return Path.of("/sys/fs/cgroup" + fields[2]);
				}
				if (fields.length == 3 && List.of(fields[1].split(",")).contains("pids")) {
					return Path.of("/sys/fs/cgroup/pids" + fields[2]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: no cgroup limit known
		}
		return null;
	}

	/** Kernel scheduling entities (processes and threads) on the machine: the second figure of /proc/loadavg's 4th field. */
	private static long tasksInUse() {
		try {
			String field = Files.readAllLines(Path.of("/proc/loadavg")).get(0).split(" ")[3];
			return Long.parseLong(field.substring(field.indexOf('/') + 1));
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	static long openFiles() {
		try (Stream<Path> files = Files.list(Path.of("/proc/self/fd"))) {
			return files.count();
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	/** The soft limit the JVM runs with (it raises it to the hard limit at start-up on Linux). */
	private static long maxOpenFiles() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
				if (line.startsWith("Max open files")) {
					String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
					return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return -1;
	}

	private static long number(Path file) {
		try {
			// not Files.readString: on /proc files (size 0) it read "3" of "32768" here
			String text = String.join("", Files.readAllLines(file)).strip();
			return text.equals("max") ? -1 : Long.parseLong(text);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

}
