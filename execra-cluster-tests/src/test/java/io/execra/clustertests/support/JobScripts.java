package io.execra.clustertests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The programs the test jobs run: small {@code sh} scripts written into a test's work directory, run as programs by
 * path (with {@code execra.security.allow-shell} left {@code false}, a script path is an ordinary program, see
 * docs/security.md), and the preset properties that run them. Each script leaves a trace in files the test reads:
 * which ids ran, when, and with which process group.
 */
public final class JobScripts {

	/** {@code append.sh ID FILE}: appends ID to FILE. */
	public static final String APPEND = "append";

	/** {@code capped.sh ID FILE PAUSE}: sleeps PAUSE seconds, then appends {@code ID START_NS END_NS} to FILE. */
	public static final String CAPPED = "capped";

	/** {@code capped.sh ID FILE PAUSE} without a tag, so without a limit. */
	public static final String PACED = "paced";

	/** {@code /bin/true}: the job of the throughput benchmark. */
	public static final String NOOP = "noop";

	/** The tag of {@link #CAPPED} jobs, whose cluster-wide limit is {@link #CAP}. */
	public static final String CAPPED_TAG = "capped";

	/** The cluster-wide limit of {@link #CAPPED_TAG}. */
	public static final int CAP = 2;

	private final Path directory;

	/**
	 * Writes the scripts.
	 * @param directory the test's work directory (the scripts go to its {@code bin})
	 */
	public JobScripts(Path directory) {
		this.directory = directory;
		write("append.sh", """
				#!/bin/sh
				echo "$1" >> "$2"
				""");
		write("capped.sh", """
				#!/bin/sh
				start=$(date +%s%N)
				sleep "$3"
				echo "$1 $start $(date +%s%N)" >> "$2"
				""");
		// runs: "ID GROUP START_NS" per run (the script leads the job's process group); done: ID when it ended
		write("sleeper.sh", """
				#!/bin/sh
				echo "$1 $$ $(date +%s%N)" >> "$2/runs"
				sleep "$3"
				echo "$1" >> "$2/done"
				""");
		// a second first, so that a subscriber on another node is there before the lines come
		write("progress.sh", """
				#!/bin/sh
				sleep 1
				i=1
				while [ "$i" -le "$1" ]; do
				  echo "$i%"
				  sleep "$2"
				  i=$((i + 1))
				done
				""");
	}

	/**
	 * The presets every node of the shared queue has: {@code append}, {@code capped} (tag {@code capped}, limited
	 * to {@link #CAP} at once across the cluster), {@code paced} and {@code noop}.
	 * @return the properties
	 */
	public Map<String, String> sharedPresets() {
		Map<String, String> properties = new LinkedHashMap<>();
		preset(properties, APPEND, "append.sh", "{id}", "{file}");
		preset(properties, CAPPED, "capped.sh", "{id}", "{file}", "{pause}");
		properties.put("execra.commands." + CAPPED + ".tags[0]", CAPPED_TAG);
		properties.put("execra.limits." + CAPPED_TAG + ".max-concurrent", Integer.toString(CAP));
		preset(properties, PACED, "capped.sh", "{id}", "{file}", "{pause}");
		properties.put("execra.commands." + NOOP + ".program", "/bin/true");
		return properties;
	}

	/**
	 * Presets only one node has, so that only it claims their jobs: {@code sleep-on-<node>} and
	 * {@code rsleep-on-<node>} ({@code sleeper.sh ID DIR SECONDS}, the second restartable), and
	 * {@code progress-on-<node>} ({@code progress.sh COUNT PAUSE}, each line {@code N%} a progress event).
	 * @param node the node's name
	 * @return the properties
	 */
	public Map<String, String> presetsOnlyOn(String node) {
		Map<String, String> properties = new LinkedHashMap<>();
		preset(properties, sleep(node), "sleeper.sh", "{id}", "{dir}", "{seconds}");
		preset(properties, restartableSleep(node), "sleeper.sh", "{id}", "{dir}", "{seconds}");
		properties.put("execra.commands." + restartableSleep(node) + ".restartable", "true");
		preset(properties, progress(node), "progress.sh", "{count}", "{pause}");
		properties.put("execra.commands." + progress(node) + ".interpreter", "percent");
		properties.put("execra.interpreters.percent.rules[0].type", "percent");
		properties.put("execra.interpreters.percent.rules[0].pattern", "^(\\d+)%$");
		return properties;
	}

	/** @param node a node's name @return its sleep preset */
	public static String sleep(String node) {
		return "sleep-on-" + node;
	}

	/** @param node a node's name @return its restartable sleep preset */
	public static String restartableSleep(String node) {
		return "rsleep-on-" + node;
	}

	/** @param node a node's name @return its progress preset */
	public static String progress(String node) {
		return "progress-on-" + node;
	}

	/** @return the directory the scripts are in */
	public Path bin() {
		return this.directory.resolve("bin");
	}

	private void preset(Map<String, String> properties, String name, String script, String... args) {
		properties.put("execra.commands." + name + ".program", bin().resolve(script).toString());
		for (int i = 0; i < args.length; i++) {
			properties.put("execra.commands." + name + ".args[" + i + "]", args[i]);
		}
	}

	private void write(String name, String content) {
		try {
			Files.createDirectories(bin());
			Path script = bin().resolve(name);
			Files.writeString(script, content);
			Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
