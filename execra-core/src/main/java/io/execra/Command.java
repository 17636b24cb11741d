package io.execra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.execra.interpret.Interpreter;
import org.jspecify.annotations.Nullable;

/**
 * What to run: a program and its arguments (never parsed by a shell), its environment, working directory,
 * stdin, and job attributes (label, tags, timeout, owner, metadata, interpreter).
 * <p>
 * Instances are immutable and thread-safe; every method that changes something returns a new command, so one
 * command can be reused as a template for many spawns.
 *
 * <pre>{@code
 * Command.of("ffmpeg", "-i", in, out).label("Transcode").tags("media").timeout(Duration.ofMinutes(10));
 * Command.shell("ls | wc -l");
 * Command.script(Path.of("job.py"), "python3");
 * }</pre>
 */
public final class Command {

	/** How the command line is formed. */
	public enum Kind {
		/** A program and its argv, no shell. */
		EXEC,
		/** A command line handed to {@code sh -c} (or {@code cmd /C} on Windows). */
		SHELL,
		/** A script file run by an interpreter program. */
		SCRIPT
	}

	private final Kind kind;

	private final String program;

	private final List<String> args;

	private final EnvChanges env;

	private final boolean envClear;

	private final @Nullable Path cwd;

	private final Stdin stdin;

	private final @Nullable String label;

	private final Set<String> tags;

	private final @Nullable Duration timeout;

	private final @Nullable String owner;

	private final Map<String, String> metadata;

	private final @Nullable Supplier<? extends Interpreter> interpreter;

	private final Set<Integer> successExitCodes;

	private final Scheduling scheduling;

	private Command(Kind kind, String program, List<String> args, EnvChanges env, boolean envClear,
			@Nullable Path cwd, Stdin stdin, @Nullable String label, Set<String> tags, @Nullable Duration timeout,
			@Nullable String owner, Map<String, String> metadata, @Nullable Supplier<? extends Interpreter> interpreter,
			Set<Integer> successExitCodes, Scheduling scheduling) {
		this.kind = kind;
		this.program = program;
		this.args = args;
		this.env = env;
		this.envClear = envClear;
		this.cwd = cwd;
		this.stdin = stdin;
		this.label = label;
		this.tags = tags;
		this.timeout = timeout;
		this.owner = owner;
		this.metadata = metadata;
		this.interpreter = interpreter;
		this.successExitCodes = successExitCodes;
		this.scheduling = scheduling;
	}

	/**
	 * A program with arguments. The arguments reach the program exactly as given: no shell, no splitting, no
	 * globbing.
	 * @param program the program name (looked up on {@code PATH}) or path
	 * @param args the arguments
	 * @return the command
	 */
	public static Command of(String program, String... args) {
		return of(program, Arrays.asList(args));
	}

	/**
	 * A program with arguments.
	 * @param program the program name (looked up on {@code PATH}) or path
	 * @param args the arguments
	 * @return the command
	 */
	public static Command of(String program, List<String> args) {
		Checks.noNul(Checks.notEmpty(program, "program"), "program");
		return new Command(Kind.EXEC, program, Checks.args(args), EnvChanges.NONE, false, null, Stdin.none(), null,
				Set.of(), null, null, Map.of(), null, Set.of(0), Scheduling.DEFAULT);
	}

	/**
	 * A command line run by the system shell: {@code sh -c} on Unix, {@code cmd /C} on Windows. Use it only for
	 * pipes and redirects; runtimes reject shell commands unless their security policy allows them.
	 * @param commandLine the command line
	 * @return the command
	 */
	public static Command shell(String commandLine) {
		Checks.noNul(Checks.notEmpty(commandLine, "commandLine"), "commandLine");
		boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
		return new Command(Kind.SHELL, windows ? "cmd" : "sh", List.of(windows ? "/C" : "-c", commandLine),
				EnvChanges.NONE, false, null, Stdin.none(), null, Set.of(), null, null, Map.of(), null, Set.of(0), Scheduling.DEFAULT);
	}

	/**
	 * A script file run by an interpreter program, such as {@code python3 job.py arg...}.
	 * @param script the script file
	 * @param interpreterProgram the program that runs it
	 * @param args arguments after the script
	 * @return the command
	 */
	public static Command script(Path script, String interpreterProgram, String... args) {
		Checks.notNull(script, "script");
		Checks.noNul(Checks.notEmpty(interpreterProgram, "interpreterProgram"), "interpreterProgram");
		List<String> all = new ArrayList<>();
		all.add(script.toString());
		all.addAll(Arrays.asList(args));
		return new Command(Kind.SCRIPT, interpreterProgram, Checks.args(all), EnvChanges.NONE, false, null, Stdin.none(),
				null, Set.of(), null, null, Map.of(), null, Set.of(0), Scheduling.DEFAULT);
	}

	private Command copy(List<String> args, EnvChanges env, boolean envClear, @Nullable Path cwd, Stdin stdin,
			@Nullable String label, Set<String> tags, @Nullable Duration timeout, @Nullable String owner,
			Map<String, String> metadata, @Nullable Supplier<? extends Interpreter> interpreter,
			Set<Integer> successExitCodes) {
		return new Command(this.kind, this.program, args, env, envClear, cwd, stdin, label, tags, timeout, owner,
				metadata, interpreter, successExitCodes, this.scheduling);
	}

	/**
	 * Appends arguments.
	 * @param more the arguments
	 * @return a new command
	 */
	public Command args(String... more) {
		return args(Arrays.asList(more));
	}

	/**
	 * Appends arguments.
	 * @param more the arguments
	 * @return a new command
	 */
	public Command args(Collection<String> more) {
		List<String> all = new ArrayList<>(this.args);
		all.addAll(more);
		return copy(Checks.args(all), this.env, this.envClear, this.cwd, this.stdin, this.label, this.tags,
				this.timeout, this.owner, this.metadata, this.interpreter, this.successExitCodes);
	}

	/**
	 * Sets an environment variable; a later setting of the same name wins.
	 * @param name the name
	 * @param value the value
	 * @return a new command
	 */
	public Command env(String name, String value) {
		Checks.noNul(Checks.notNull(value, "env value"), "env value of " + Checks.envName(name));
		return withEnv(name, value);
	}

	/**
	 * Sets several environment variables.
	 * @param variables names and values
	 * @return a new command
	 */
	public Command env(Map<String, String> variables) {
		Command result = this;
		for (Map.Entry<String, String> entry : variables.entrySet()) {
			result = result.env(entry.getKey(), entry.getValue());
		}
		return result;
	}

	/**
	 * Removes an inherited environment variable.
	 * @param name the name
	 * @return a new command
	 */
	public Command envRemove(String name) {
		return withEnv(Checks.notEmpty(name, "env name"), null);
	}

	private Command withEnv(String name, @Nullable String value) {
		return copy(this.args, this.env.with(name, value), this.envClear, this.cwd, this.stdin, this.label,
				this.tags, this.timeout, this.owner, this.metadata, this.interpreter, this.successExitCodes);
	}

	/**
	 * Starts from an empty environment instead of the inherited one; variables set with {@link #env} still apply.
	 * @return a new command
	 */
	public Command envClear() {
		return copy(this.args, this.env, true, this.cwd, this.stdin, this.label, this.tags, this.timeout,
				this.owner, this.metadata, this.interpreter, this.successExitCodes);
	}

	/**
	 * Sets the working directory.
	 * @param directory the directory; it must exist when the job starts
	 * @return a new command
	 */
	public Command cwd(Path directory) {
		return copy(this.args, this.env, this.envClear, Checks.notNull(directory, "cwd"), this.stdin, this.label,
				this.tags, this.timeout, this.owner, this.metadata, this.interpreter, this.successExitCodes);
	}

	/**
	 * Sets what the process reads on stdin.
	 * @param stdin the input mode
	 * @return a new command
	 */
	public Command stdin(Stdin stdin) {
		return copy(this.args, this.env, this.envClear, this.cwd, Checks.notNull(stdin, "stdin"), this.label,
				this.tags, this.timeout, this.owner, this.metadata, this.interpreter, this.successExitCodes);
	}

	/**
	 * Sets the job's initial label, shown in UIs until an interpreter changes it.
	 * @param label the label
	 * @return a new command
	 */
	public Command label(String label) {
		return copy(this.args, this.env, this.envClear, this.cwd, this.stdin, Checks.notNull(label, "label"),
				this.tags, this.timeout, this.owner, this.metadata, this.interpreter, this.successExitCodes);
	}

	/**
	 * Adds tags, used to filter jobs.
	 * @param more the tags
	 * @return a new command
	 */
	public Command tags(String... more) {
		return tags(Arrays.asList(more));
	}

	/**
	 * Adds tags, used to filter jobs.
	 * @param more the tags
	 * @return a new command
	 */
	public Command tags(Collection<String> more) {
		Set<String> all = new LinkedHashSet<>(this.tags);
		for (String tag : more) {
			all.add(Checks.notEmpty(tag, "tag"));
		}
		return copy(this.args, this.env, this.envClear, this.cwd, this.stdin, this.label,
				Collections.unmodifiableSet(all), this.timeout, this.owner, this.metadata, this.interpreter,
				this.successExitCodes);
	}

	/**
	 * Sets the timeout, counted from the moment the process starts (time in the queue does not count). On expiry
	 * the whole process group is killed at once and the job fails with {@link FailureReason.TimedOut}.
	 * @param timeout a positive duration
	 * @return a new command
	 */
	public Command timeout(Duration timeout) {
		return copy(this.args, this.env, this.envClear, this.cwd, this.stdin, this.label, this.tags,
				Checks.positive(timeout, "timeout"), this.owner, this.metadata, this.interpreter,
				this.successExitCodes);
	}

	/**
	 * Sets who the job belongs to (a user, a tenant, a plugin), used to filter jobs.
	 * @param owner the owner
	 * @return a new command
	 */
	public Command owner(String owner) {
		return copy(this.args, this.env, this.envClear, this.cwd, this.stdin, this.label, this.tags, this.timeout,
				Checks.notEmpty(owner, "owner"), this.metadata, this.interpreter, this.successExitCodes);
	}

	/**
	 * Adds free-form metadata, kept with the job.
	 * @param key the key
	 * @param value the value
	 * @return a new command
	 */
	public Command metadata(String key, String value) {
		Map<String, String> all = new LinkedHashMap<>(this.metadata);
		all.put(Checks.notEmpty(key, "metadata key"), Checks.notNull(value, "metadata value"));
		return copy(this.args, this.env, this.envClear, this.cwd, this.stdin, this.label, this.tags, this.timeout,
				this.owner, Collections.unmodifiableMap(all), this.interpreter, this.successExitCodes);
	}

	/**
	 * Sets the interpreter that turns output lines into typed events. The same instance serves every spawn of this
	 * command; for a stateful interpreter reused across spawns, use {@link #interpreter(Supplier)}.
	 * @param interpreter the interpreter
	 * @return a new command
	 */
	public Command interpreter(Interpreter interpreter) {
		Checks.notNull(interpreter, "interpreter");
		return interpreter(() -> interpreter);
	}

	/**
	 * Sets a factory called once per spawn for a fresh interpreter.
	 * @param interpreter the factory
	 * @return a new command
	 */
	public Command interpreter(Supplier<? extends Interpreter> interpreter) {
		return copy(this.args, this.env, this.envClear, this.cwd, this.stdin, this.label, this.tags, this.timeout,
				this.owner, this.metadata, Checks.notNull(interpreter, "interpreter"), this.successExitCodes);
	}

	/**
	 * Sets the exit codes that count as success (default {@code 0} only), e.g. {@code 0, 1} for a linter whose
	 * exit code 1 means "findings reported".
	 * @param codes the codes
	 * @return a new command
	 */
	public Command successExitCodes(int... codes) {
		if (codes.length == 0) {
			throw new IllegalArgumentException("'successExitCodes' must not be empty");
		}
		Set<Integer> all = new TreeSet<>(Arrays.stream(codes).boxed().toList());
		return copy(this.args, this.env, this.envClear, this.cwd, this.stdin, this.label, this.tags, this.timeout,
				this.owner, this.metadata, this.interpreter, Collections.unmodifiableSet(all));
	}

	/**
	 * Marks the command safe to run again: in cluster mode a job whose node died is then queued once more (attempt
	 * 2) rather than failed with {@link FailureReason.HostExited}. Default {@code false}.
	 * @param restartable whether a second run after a node's death does no harm
	 * @return a new command
	 */
	public Command restartable(boolean restartable) {
		return with(new Scheduling(restartable, this.scheduling.priority()));
	}

	/**
	 * Sets the priority among queued jobs in cluster mode: higher is claimed first, FIFO within one. Default 0.
	 * @param priority the priority
	 * @return a new command
	 */
	public Command priority(int priority) {
		return with(new Scheduling(this.scheduling.restartable(), priority));
	}

	private Command with(Scheduling scheduling) {
		return new Command(this.kind, this.program, this.args, this.env, this.envClear, this.cwd, this.stdin,
				this.label, this.tags, this.timeout, this.owner, this.metadata, this.interpreter,
				this.successExitCodes, scheduling);
	}

	/** @return how the command line is formed */
	public Kind kind() {
		return this.kind;
	}

	/** @return the program */
	public String program() {
		return this.program;
	}

	/** @return the arguments */
	public List<String> args() {
		return this.args;
	}

	/** @return the program followed by the arguments */
	public List<String> argv() {
		List<String> argv = new ArrayList<>(this.args.size() + 1);
		argv.add(this.program);
		argv.addAll(this.args);
		return argv;
	}

	/** @return the working directory, or {@code null} */
	public @Nullable Path cwd() {
		return this.cwd;
	}

	/** @return the stdin mode */
	public Stdin stdin() {
		return this.stdin;
	}

	/** @return the initial label, or {@code null} */
	public @Nullable String label() {
		return this.label;
	}

	/** @return the tags */
	public Set<String> tags() {
		return this.tags;
	}

	/** @return the timeout, or {@code null} */
	public @Nullable Duration timeout() {
		return this.timeout;
	}

	/** @return the owner, or {@code null} */
	public @Nullable String owner() {
		return this.owner;
	}

	/** @return the metadata */
	public Map<String, String> metadata() {
		return this.metadata;
	}

	/** @return whether the inherited environment is cleared */
	public boolean isEnvClear() {
		return this.envClear;
	}

	/** @return the interpreter factory, or {@code null} */
	public @Nullable Supplier<? extends Interpreter> interpreter() {
		return this.interpreter;
	}

	/** @return exit codes that count as success */
	public Set<Integer> successExitCodes() {
		return this.successExitCodes;
	}

	/** @return whether the command is safe to run again after its node died (cluster mode) */
	public boolean restartable() {
		return this.scheduling.restartable();
	}

	/** @return the priority among queued jobs (cluster mode) */
	public int priority() {
		return this.scheduling.priority();
	}

	/**
	 * The environment changes in order: a {@code null} value removes the variable.
	 * @return name/value pairs, later ones winning
	 */
	public List<Map.Entry<String, @Nullable String>> envChanges() {
		return this.env.entries();
	}

	/**
	 * Applies this command's environment changes to a base environment.
	 * @param inherited the environment the process would inherit
	 * @return the process's environment
	 */
	public Map<String, String> environment(Map<String, String> inherited) {
		return this.env.applyTo(inherited, this.envClear);
	}

	/**
	 * The serializable view of this command, without stdin contents, environment values or the interpreter.
	 * @return the spec
	 */
	public CommandSpec spec() {
		return new CommandSpec(this.kind.name().toLowerCase(), this.program, this.args, this.env.setNames(),
				this.env.removedNames(), this.envClear, (this.cwd != null) ? this.cwd.toString() : null,
				this.stdin.mode(), this.label, this.tags, this.timeout, this.owner, this.metadata);
	}

	/**
	 * The program and the number of arguments, never the arguments or the label: they may hold secrets, and a
	 * command does not know the redaction patterns of the runtime that will run it.
	 * {@code policy.redactedSpec(command).commandLine()} gives the command line as a runtime with that
	 * {@link SecurityPolicy} publishes it.
	 * @return a description without arguments
	 */
	@Override
	public String toString() {
		int count = this.args.size();
		return "Command[" + this.program + ", " + count + ((count == 1) ? " argument]" : " arguments]");
	}

}
