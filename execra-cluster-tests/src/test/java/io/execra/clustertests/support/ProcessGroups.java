package io.execra.clustertests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Process groups as Linux shows them in {@code /proc}: which are alive, and signals to groups and processes. A job
 * leads its own group, so its pid is its group's id; a group is dead when no process but zombies has that id.
 */
public final class ProcessGroups {

	private ProcessGroups() {
	}

	/**
	 * @param groups group ids
	 * @return those that still have a live (not zombie) process
	 */
	public static Set<Long> alive(Collection<Long> groups) {
		Set<Long> wanted = Set.copyOf(groups);
		Set<Long> alive = new HashSet<>();
		forEachProcess((pid, state, group) -> {
			if (state != 'Z' && wanted.contains(group)) {
				alive.add(group);
			}
		});
		return alive;
	}

	/**
	 * @param group a group id
	 * @return whether a live process is in it
	 */
	public static boolean isAlive(long group) {
		return !alive(Set.of(group)).isEmpty();
	}

	/**
	 * @param group a group id
	 * @return the live processes in it now
	 */
	public static Set<Long> members(long group) {
		Set<Long> members = new HashSet<>();
		forEachProcess((pid, state, in) -> {
			if (state != 'Z' && in == group) {
				members.add(pid);
			}
		});
		return members;
	}

	/**
	 * Whether any of these processes is alive, reading only their own {@code /proc} entries: cheap enough to ask
	 * every millisecond while the tests measure how fast a group dies.
	 * @param pids process ids
	 * @return whether one still exists and is not a zombie
	 */
	public static boolean anyAlive(Collection<Long> pids) {
		for (long pid : pids) {
			try {
				String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
				if (stat.charAt(stat.lastIndexOf(')') + 2) != 'Z') {
					return true;
				}
			}
			catch (IOException | RuntimeException ex) {
				// gone
			}
		}
		return false;
	}

	/**
	 * The groups of every live process whose command line contains {@code text}.
	 * @param text e.g. a test's work directory, which its job scripts' paths contain
	 * @return their group ids
	 */
	public static Set<Long> groupsOfCommandLinesContaining(String text) {
		Set<Long> groups = new HashSet<>();
		forEachProcess((pid, state, group) -> {
			if (state != 'Z') {
				try {
					String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
					if (commandLine.contains(text)) {
						groups.add(group);
					}
				}
				catch (IOException ex) {
					// it exited meanwhile
				}
			}
		});
		return groups;
	}

	/**
	 * The groups of this JVM and of every process above it (Maven, the shell, CI), which no clean-up may signal.
	 * @return their group ids
	 */
	public static Set<Long> groupsOfThisProcessAndAncestors() {
		Set<Long> pids = new HashSet<>();
		for (Optional<ProcessHandle> each = Optional.of(ProcessHandle.current()); each.isPresent();
				each = each.get().parent()) {
			pids.add(each.get().pid());
		}
		Set<Long> groups = new HashSet<>();
		forEachProcess((pid, state, group) -> {
			if (pids.contains(pid)) {
				groups.add(group);
			}
		});
		return groups;
	}

	/**
	 * Sends {@code SIGKILL} to each group.
	 * @param groups group ids
	 */
	public static void killGroups(Collection<Long> groups) {
		for (long group : groups) {
			if (group > 1) {
				signal("KILL", "-" + group);
			}
		}
	}

	/**
	 * Sends a signal with {@code kill}.
	 * @param signal e.g. {@code STOP}
	 * @param target a pid, or {@code -}group
	 */
	public static void signal(String signal, String target) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, "--", target).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!kill.waitFor(10, TimeUnit.SECONDS)) {
				kill.destroyForcibly();
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run kill -" + signal + " " + target, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void forEachProcess(ProcessVisitor visitor) {
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			entries.forEach((entry) -> {
				String name = entry.getFileName().toString();
				if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
					return;
				}
				try {
					String stat = Files.readString(entry.resolve("stat"));
					// pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so parse after the last ')'
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
					visitor.visit(Long.parseLong(name), fields[0].charAt(0), Long.parseLong(fields[2]));
				}
				catch (IOException | RuntimeException ex) {
					// it exited meanwhile
				}
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot list /proc (these tests need Linux)", ex);
		}
	}

	@FunctionalInterface
	private interface ProcessVisitor {

		void visit(long pid, char state, long group);

	}

}
