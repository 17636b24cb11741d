package io.execra.clustertests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the job scripts left in their files, and measures overlaps of intervals.
 */
public final class Traces {

	private Traces() {
	}

	/**
	 * Counts each id (the first field of each line) of a file.
	 * @param file e.g. the file {@code append.sh} appends to
	 * @return how often each id appears, in order of first appearance; empty if there is no file
	 */
	public static Map<String, Integer> idCounts(Path file) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (String line : lines(file)) {
			if (!line.isBlank()) {
				counts.merge(line.split(" ")[0], 1, Integer::sum);
			}
		}
		return counts;
	}

	/**
	 * The runs the sleeper script recorded: per id, the process groups of its runs, in order.
	 * @param directory the directory given to it
	 * @return the groups by job id
	 */
	public static Map<String, List<Long>> runs(Path directory) {
		Map<String, List<Long>> runs = new LinkedHashMap<>();
		for (String line : lines(directory.resolve("runs"))) {
			String[] fields = line.split(" ");
			if (fields.length >= 2) {
				runs.computeIfAbsent(fields[0], (id) -> new ArrayList<>()).add(Long.parseLong(fields[1]));
			}
		}
		return runs;
	}

	/**
	 * The intervals {@code capped.sh} recorded ({@code ID START_NS END_NS}).
	 * @param file its file
	 * @return the intervals
	 */
	public static List<Interval> cappedIntervals(Path file) {
		List<Interval> intervals = new ArrayList<>();
		for (String line : lines(file)) {
			String[] fields = line.split(" ");
			if (fields.length == 3) {
				intervals.add(new Interval(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2])));
			}
		}
		return intervals;
	}

	/**
	 * The most intervals that overlap at one instant; intervals that only touch (one ends where the next starts) do
	 * not overlap.
	 * @param intervals the intervals
	 * @return the maximum overlap, and an instant where it is reached
	 */
	public static Overlap maxOverlap(List<Interval> intervals) {
		record Edge(long at, int delta) {
		}
		List<Edge> edges = new ArrayList<>();
		for (Interval interval : intervals) {
			edges.add(new Edge(interval.start(), 1));
			edges.add(new Edge(interval.end(), -1));
		}
		// at equal times ends come first
		edges.sort(Comparator.comparingLong(Edge::at).thenComparingInt(Edge::delta));
		int current = 0;
		int max = 0;
		long at = 0;
		for (Edge edge : edges) {
			current += edge.delta();
			if (current > max) {
				max = current;
				at = edge.at();
			}
		}
		return new Overlap(max, at);
	}

	/**
	 * Reads a file's lines.
	 * @param file the file
	 * @return its lines, none if it does not exist
	 */
	public static List<String> lines(Path file) {
		try {
			return Files.exists(file) ? Files.readAllLines(file) : List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A time interval of a job.
	 * @param id the job
	 * @param start its start
	 * @param end its end
	 */
	public record Interval(String id, long start, long end) {
	}

	/**
	 * @param max the most intervals overlapping
	 * @param at where
	 */
	public record Overlap(int max, long at) {
	}

}
