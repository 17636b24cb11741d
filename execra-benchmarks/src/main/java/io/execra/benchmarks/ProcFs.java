package io.execra.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * Process liveness read from {@code /proc} (Linux), the same way for execra and the baselines: a zombie counts as
 * dead, since it no longer runs and only waits to be reaped.
 */
final class ProcFs {

	private ProcFs() {
	}

	/**
	 * Pids of the live processes in a process group.
	 * @param pgid the group
	 * @return the pids
	 */
	static List<Long> group(long pgid) {
		List<Long> pids = new ArrayList<>();
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			for (Path entry : (Iterable<Path>) entries::iterator) {
				String name = entry.getFileName().toString();
				if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
					continue;
				}
				String[] fields = stat(entry);
				if (fields != null && !fields[0].equals("Z") && Long.parseLong(fields[2]) == pgid) {
					pids.add(Long.parseLong(name));
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return pids;
	}

	/**
	 * How many of the processes still run.
	 * @param pids the pids
	 * @return the live ones (not gone, not zombies)
	 */
	static int alive(Collection<Long> pids) {
		int alive = 0;
		for (long pid : pids) {
			String[] fields = stat(Path.of("/proc", Long.toString(pid)));
			if (fields != null && !fields[0].equals("Z")) {
				alive++;
			}
		}
		return alive;
	}

	/** The fields of /proc/pid/stat after the command name: [0] state, [1] ppid, [2] pgrp; null when gone. */
	private static String[] stat(Path process) {
		try {
			String stat = Files.readString(process.resolve("stat"));
			return stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Waits, polling every 100 µs, until none of the processes runs.
	 * @param pids the pids
	 * @param timeoutNanos how long at most
	 * @return the time it took in nanoseconds, measured from {@code startNanos}, or -1 on timeout
	 */
	static long awaitDead(Collection<Long> pids, long startNanos, long timeoutNanos) {
		while (alive(pids) > 0) {
			if (System.nanoTime() - startNanos > timeoutNanos) {
				return -1;
			}
			java.util.concurrent.locks.LockSupport.parkNanos(100_000);
		}
		return System.nanoTime() - startNanos;
	}

}
