package io.execra.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationUnit;

/**
 * A command preset: a program with {@code {placeholder}} arguments, bound at {@code execra.commands.<name>.*} and
 * mapped to an {@link io.execra.CommandTemplate}. A placeholder is replaced by its value and an argument always stays
 * exactly one argument; write "{{" and "}}" for literal braces. Every value is checked first: by default it may not
 * start with a dash or contain NUL, line breaks or control characters, and {@link #getPlaceholders() placeholders}
 * add rules per placeholder.
 */
public class ExecraCommandProperties {

	/**
	 * Program to run, by name (looked up on the PATH) or path. Never parsed by a shell.
	 */
	private @Nullable String program;

	/**
	 * Arguments, each of which may contain {placeholders}.
	 */
	private List<String> args = new ArrayList<>();

	/**
	 * Environment variables to set; values may contain {placeholders}.
	 */
	private Map<String, String> env = new LinkedHashMap<>();

	/**
	 * Working directory; may contain {placeholders}.
	 */
	private @Nullable String cwd;

	/**
	 * Initial label of the job; may contain {placeholders}. Defaults to the preset's name.
	 */
	private @Nullable String label;

	/**
	 * Timeout counted from the moment the process starts. If a duration suffix is not specified, seconds will be
	 * used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration timeout;

	/**
	 * Comma-separated list of tags added to the job.
	 */
	private Set<String> tags = new LinkedHashSet<>();

	/**
	 * Comma-separated list of exit codes that count as success. Defaults to 0 only.
	 */
	private Set<Integer> successExitCodes = new LinkedHashSet<>();

	/**
	 * What the job reads on stdin: nothing, or a pipe kept open so that its prompts can be answered.
	 */
	private StdinMode stdin = StdinMode.NONE;

	/**
	 * Name of the runtime that gets the preset. Defaults to the default runtime.
	 */
	private @Nullable String runtime;

	/**
	 * Name of the interpreter that turns output into typed events: a built-in one (such as "ffmpeg", "git" or
	 * "rsync") or one defined under "execra.interpreters".
	 */
	private @Nullable String interpreter;

	/**
	 * Rules for the values of placeholders, by placeholder name: kind (text, path or url), pattern, allowed
	 * values, max length, whether options are allowed, base directories, schemes and hosts.
	 */
	private Map<String, ExecraPlaceholderProperties> placeholders = new LinkedHashMap<>();

	/**
	 * Whether the command is safe to run again from the start (cluster mode): when the node running it dies, its
	 * job is queued again once, with attempt 2, instead of failing as host-exited.
	 */
	private boolean restartable;

	/**
	 * Priority of the preset's jobs in the cluster's queue (cluster mode): higher is claimed first, first in first
	 * out within a priority.
	 */
	private int priority;

	public @Nullable String getProgram() {
		return this.program;
	}

	public void setProgram(@Nullable String program) {
		this.program = program;
	}

	public List<String> getArgs() {
		return this.args;
	}

	public void setArgs(List<String> args) {
		this.args = args;
	}

	public Map<String, String> getEnv() {
		return this.env;
	}

	public void setEnv(Map<String, String> env) {
		this.env = env;
	}

	public @Nullable String getCwd() {
		return this.cwd;
	}

	public void setCwd(@Nullable String cwd) {
		this.cwd = cwd;
	}

	public @Nullable String getLabel() {
		return this.label;
	}

	public void setLabel(@Nullable String label) {
		this.label = label;
	}

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	public Set<String> getTags() {
		return this.tags;
	}

	public void setTags(Set<String> tags) {
		this.tags = tags;
	}

	public Set<Integer> getSuccessExitCodes() {
		return this.successExitCodes;
	}

	public void setSuccessExitCodes(Set<Integer> successExitCodes) {
		this.successExitCodes = successExitCodes;
	}

	public StdinMode getStdin() {
		return this.stdin;
	}

	public void setStdin(StdinMode stdin) {
		this.stdin = stdin;
	}

	public @Nullable String getRuntime() {
		return this.runtime;
	}

	public void setRuntime(@Nullable String runtime) {
		this.runtime = runtime;
	}

	public @Nullable String getInterpreter() {
		return this.interpreter;
	}

	public void setInterpreter(@Nullable String interpreter) {
		this.interpreter = interpreter;
	}

	public Map<String, ExecraPlaceholderProperties> getPlaceholders() {
		return this.placeholders;
	}

	public void setPlaceholders(Map<String, ExecraPlaceholderProperties> placeholders) {
		this.placeholders = placeholders;
	}

	public boolean isRestartable() {
		return this.restartable;
	}

	public void setRestartable(boolean restartable) {
		this.restartable = restartable;
	}

	public int getPriority() {
		return this.priority;
	}

	public void setPriority(int priority) {
		this.priority = priority;
	}

	/**
	 * What a preset's job reads on stdin.
	 */
	public enum StdinMode {

		/** Nothing: the job reads end-of-file at once. */
		NONE,

		/** A pipe kept open for answers written through the job's handle. */
		PIPE

	}

}
