package io.execra.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.execra.Event;
import io.execra.EventStream;
import io.execra.JobHandle;

/**
 * Helpers for tests that run real processes.
 */
public final class TestJobs {

	private TestJobs() {
	}

	/**
	 * Every event of a job, read from its stream until Finalized.
	 * @param handle the job
	 * @return the events in order
	 */
	public static List<Event> allEvents(JobHandle handle) throws InterruptedException {
		List<Event> events = new ArrayList<>();
		try (EventStream stream = handle.events()) {
			while (true) {
				Event event = stream.next(Duration.ofSeconds(30));
				if (event == null) {
					throw new AssertionError("No Finalized event within 30 s for job " + handle.id() + "; got " + events);
				}
				events.add(event);
				if (event instanceof Event.Finalized) {
					return events;
				}
			}
		}
	}

	/**
	 * The output lines of a job's events.
	 * @param events the events
	 * @return the lines in order
	 */
	public static List<String> lines(List<Event> events) {
		return events.stream()
			.filter(Event.OutputAppended.class::isInstance)
			.map((e) -> ((Event.OutputAppended) e).line())
			.toList();
	}

	/**
	 * The kinds of the events.
	 * @param events the events
	 * @return the kinds
	 */
	public static List<String> kinds(List<Event> events) {
		return events.stream().map(Event::kind).toList();
	}

	/**
	 * Pids of live (not zombie) processes in a process group, read from /proc (Linux).
	 * @param pgid the group id
	 * @return the pids
	 */
	public static List<Long> liveProcessesInGroup(long pgid) {
		List<Long> pids = new ArrayList<>();
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			for (Path entry : (Iterable<Path>) entries::iterator) {
				String name = entry.getFileName().toString();
				if (!name.chars().allMatch(Character::isDigit)) {
					continue;
				}
				try {
					String stat = Files.readString(entry.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					// fields[0] = state, fields[2] = pgrp
					if (!fields[0].equals("Z") && Long.parseLong(fields[2]) == pgid) {
						pids.add(Long.parseLong(name));
					}
				}
				catch (IOException | RuntimeException ex) {
					// the process ended while we looked
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return pids;
	}

	/**
	 * Whether this machine can be inspected through /proc.
	 * @return true on Linux
	 */
	public static boolean hasProcFs() {
		return Files.isDirectory(Path.of("/proc/self"));
	}

}
