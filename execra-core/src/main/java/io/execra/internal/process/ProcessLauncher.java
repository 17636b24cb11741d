package io.execra.internal.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.execra.Command;
import io.execra.Pump;
import io.execra.Stdin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a command's process in a process group of its own, so the whole tree can be signalled with one
 * {@code kill -- -pgid}. On Linux with JDK 22+ and native access enabled the process is started by one
 * {@code posix_spawn} with {@code POSIX_SPAWN_SETSID} ({@link PosixSpawn}); otherwise, on Unix, the program runs
 * under {@code setsid}, which makes it the leader of a new session and group with the same pid (setsid does not
 * fork when its caller is not a group leader, and a process the JVM spawns never is), at the cost of one more
 * exec per job. Where {@code setsid} is missing the process tree is found through
 * {@link ProcessHandle#descendants()} instead.
 * <p>
 * The system property {@value #MECHANISM_PROPERTY} chooses: {@code auto} (the default), {@code posix_spawn}
 * (fails where it cannot be used, saying why) or {@code jdk} ({@link ProcessBuilder} under {@code setsid}).
 * <p>
 * Output is pumped by the JVM's {@link EventLoop} (a few threads for any number of processes) where processes
 * start through {@code posix_spawn} and the kernel has {@code pidfd_open} (Linux 5.3+); otherwise by threads of
 * each job ({@link #pumpsOnEventLoop()} is then {@code false}). The runtime's {@link Pump} chooses; where it is
 * {@link Pump#AUTO}, the system property {@value #PUMP_PROPERTY} does when set: {@code auto} (the default),
 * {@code event_loop} (fails where it cannot run, saying why) or {@code threads}. The property only fills in for a
 * runtime that left the choice open, so that operators and test runs can pick the pump without code, while a
 * runtime that chose keeps its choice.
 * <p>
 * The program and working directory are checked before the process starts, so a missing program, a program that
 * is not executable or a bad directory is a spawn failure naming it, with the operating system's wording.
 */
public final class ProcessLauncher {

	private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase().startsWith("windows");

	private static final boolean LINUX = System.getProperty("os.name", "").equals("Linux");

	/** The system property that chooses how processes are started. */
	static final String MECHANISM_PROPERTY = "io.execra.launchMechanism";

	/** The system property that chooses how output is pumped. */
	static final String PUMP_PROPERTY = "io.execra.pump";

	private static final Logger logger = LoggerFactory.getLogger(ProcessLauncher.class);

	private static final AtomicBoolean fallbackLogged = new AtomicBoolean();

	private static final AtomicBoolean threadsLogged = new AtomicBoolean();

	private final @Nullable PosixSpawn posixSpawn;

	private final @Nullable String setsid;

	private final @Nullable EventLoop eventLoop;

	private final AtomicBoolean closed = new AtomicBoolean();

	public ProcessLauncher() {
		this(System.getProperty(MECHANISM_PROPERTY, "auto"));
	}

	/**
	 * Creates a launcher whose mechanism the system property {@value #MECHANISM_PROPERTY} chooses.
	 * @param pump how output is read; {@link Pump#AUTO} lets the system property {@value #PUMP_PROPERTY} choose
	 * @throws IllegalStateException if {@link Pump#EVENT_LOOP} (or a mechanism) is asked for but cannot be used
	 */
	public ProcessLauncher(Pump pump) {
		this(System.getProperty(MECHANISM_PROPERTY, "auto"), switch (pump) {
			case AUTO -> System.getProperty(PUMP_PROPERTY, "auto");
			case EVENT_LOOP -> "event_loop";
			case THREADS -> "threads";
		});
	}

	/**
	 * Creates a launcher whose pump the system property {@value #PUMP_PROPERTY} chooses.
	 * @param mechanism {@code auto}, {@code posix_spawn} or {@code jdk}
	 * @throws IllegalStateException if {@code posix_spawn} is asked for but cannot be used, or the name is unknown
	 */
	public ProcessLauncher(String mechanism) {
		this(mechanism, System.getProperty(PUMP_PROPERTY, "auto"));
	}

	/**
	 * Creates a launcher.
	 * @param mechanism {@code auto}, {@code posix_spawn} or {@code jdk}
	 * @param pump {@code auto}, {@code event_loop} or {@code threads}
	 * @throws IllegalStateException if {@code posix_spawn} or {@code event_loop} is asked for but cannot be used,
	 * or a name is unknown
	 */
	public ProcessLauncher(String mechanism, String pump) {
		Libc libc = Libc.get();
		switch (mechanism.toLowerCase(java.util.Locale.ROOT)) {
			case "auto" -> {
				this.posixSpawn = (libc != null) ? new PosixSpawn(libc) : null;
				if (libc == null && LINUX && fallbackLogged.compareAndSet(false, true)) {
					logger.info("execra starts processes under setsid, one exec more per job than posix_spawn, because"
							+ " {}", Libc.unavailableReason());
				}
			}
			case "posix_spawn" -> {
				if (libc == null) {
					throw new IllegalStateException(MECHANISM_PROPERTY + "=posix_spawn cannot be used: "
							+ Libc.unavailableReason());
				}
				this.posixSpawn = new PosixSpawn(libc);
			}
			case "jdk" -> this.posixSpawn = null;
			default -> throw new IllegalStateException("Unknown " + MECHANISM_PROPERTY + " '" + mechanism
					+ "': use auto, posix_spawn or jdk");
		}
		this.setsid = (WINDOWS || this.posixSpawn != null) ? null
				: findExecutable("setsid", "/usr/bin:/bin:/usr/sbin:/sbin");
		this.eventLoop = eventLoop(pump, this.posixSpawn != null);
		if (this.eventLoop != null) {
			this.eventLoop.acquire();
		}
		logger.debug("execra starts processes through {} and pumps their output on {}", mechanism(), pump());
	}

	/**
	 * Tells the event loop this launcher starts no more processes, so that its idle workers may end now when no
	 * other launcher uses it. Processes already started are still watched. Idempotent.
	 */
	public void close() {
		if (this.eventLoop != null && this.closed.compareAndSet(false, true)) {
			this.eventLoop.release();
		}
	}

	private static @Nullable EventLoop eventLoop(String pump, boolean posixSpawn) {
		switch (pump.toLowerCase(java.util.Locale.ROOT)) {
			case "auto" -> {
				EventLoop loop = posixSpawn ? EventLoop.shared() : null;
				if (loop == null && posixSpawn && threadsLogged.compareAndSet(false, true)) {
					logger.info("execra pumps output on two threads per job rather than an event loop, because {}",
							EventLoop.unavailableReason());
				}
				return loop;
			}
			case "event_loop" -> {
				if (!posixSpawn) {
					throw new IllegalStateException(PUMP_PROPERTY + "=event_loop cannot be used: processes do not"
							+ " start through posix_spawn (" + Libc.unavailableReason() + ")");
				}
				EventLoop loop = EventLoop.shared();
				if (loop == null) {
					throw new IllegalStateException(PUMP_PROPERTY + "=event_loop cannot be used: "
							+ EventLoop.unavailableReason());
				}
				return loop;
			}
			case "threads" -> {
				return null;
			}
			default -> throw new IllegalStateException("Unknown " + PUMP_PROPERTY + " '" + pump
					+ "': use auto, event_loop or threads");
		}
	}

	/**
	 * Whether the output of the processes this launcher starts is pumped by the event loop
	 * ({@link #pumpOnEventLoop}), rather than by threads reading their streams.
	 * @return whether the event loop pumps
	 */
	public boolean pumpsOnEventLoop() {
		return this.eventLoop != null;
	}

	/**
	 * Whether the caller is a thread of the event loop, handling a process's output or exit: a job that ends there
	 * may start the next queued one on the same thread, rather than wake another for it.
	 * @return whether the caller is an event loop thread
	 */
	public static boolean onEventLoopThread() {
		return IoThreads.current();
	}

	/**
	 * How output is pumped, for logs, diagnostics and benchmarks.
	 * @return {@code event_loop} or {@code threads}
	 */
	public String pump() {
		return (this.eventLoop != null) ? "event_loop" : "threads";
	}

	/**
	 * Hands a process's stdout and stderr to the event loop.
	 * @param process a process this launcher started
	 * @param out takes stdout's bytes
	 * @param err takes stderr's bytes
	 * @return the streams, or {@code null} if the process's streams are to be read by threads
	 */
	public @Nullable PumpedOutput pumpOnEventLoop(Process process, OutputSink out, OutputSink err) {
		return (process instanceof NativeProcess started) ? started.pumpOutput(out, err) : null;
	}

	/** Whether processes run in groups of their own. */
	public boolean usesProcessGroups() {
		return this.posixSpawn != null || this.setsid != null;
	}

	/**
	 * How processes are started, for logs and diagnostics.
	 * @return {@code posix_spawn}, {@code setsid} or {@code jdk}
	 */
	public String mechanism() {
		return (this.posixSpawn != null) ? "posix_spawn" : (this.setsid != null) ? "setsid" : "jdk";
	}

	/**
	 * Resolves the program the way {@code execvp} will.
	 * @param command the command
	 * @param environment the process environment
	 * @return the executable's absolute path
	 * @throws SpawnException naming the program and the error
	 */
	public Path resolve(Command command, Map<String, String> environment) throws SpawnException {
		String program = command.program();
		Path cwd = command.cwd();
		String cannotRun = cannotRun(program, cwd);
		// the usual case first, in one system call; which error it is only when it fails
		if (cwd != null && !Files.isDirectory(cwd)) {
			if (!Files.exists(cwd)) {
				throw new SpawnException(
						cannotRun + ": error=2, No such file or directory");
			}
			throw new SpawnException(cannotRun + ": error=20, Not a directory");
		}
		if (program.contains("/") || (WINDOWS && program.contains("\\"))) {
			Path path = Path.of(program);
			if (!path.isAbsolute()) {
				path = ((cwd != null) ? cwd : Path.of("")).toAbsolutePath().resolve(path);
			}
			return checkExecutable(cannotRun, path.normalize());
		}
		if (WINDOWS) {
			return Path.of(program);
		}
		String searchPath = environment.getOrDefault("PATH", "/bin:/usr/bin");
		String found = findExecutable(program, searchPath);
		if (found == null) {
			throw new SpawnException(cannotRun
					+ ": error=2, No such file or directory (searched PATH " + searchPath + ")");
		}
		return Path.of(found);
	}

	/**
	 * How a spawn failure starts, as the JDK words it: {@code Cannot run program "x" (in directory "d")}.
	 * @param program the program as given
	 * @param cwd the working directory, or {@code null}
	 * @return the start of the message
	 */
	static String cannotRun(String program, @Nullable Path cwd) {
		return "Cannot run program \"" + program + "\"" + ((cwd != null) ? " (in directory \"" + cwd + "\")" : "");
	}

	private static Path checkExecutable(String cannotRun, Path path) throws SpawnException {
		// the usual case first, in two system calls (a directory is "executable" too); which error it is only after
		if (Files.isExecutable(path) && Files.isRegularFile(path)) {
			return path;
		}
		if (!Files.exists(path)) {
			throw new SpawnException(cannotRun + ": error=2, No such file or directory");
		}
		if (Files.isDirectory(path)) {
			throw new SpawnException(cannotRun
					+ ": error=13, Permission denied (it is a directory)");
		}
		if (!Files.isExecutable(path)) {
			throw new SpawnException(cannotRun
					+ ": error=13, Permission denied (not executable)");
		}
		return path;
	}

	private static @Nullable String findExecutable(String name, String searchPath) {
		for (String dir : searchPath.split(File.pathSeparator)) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate.toAbsolutePath().toString();
			}
		}
		return null;
	}

	/**
	 * Makes a process's start ready ahead of it, so that {@link #start(PreparedStart)} does little more than the
	 * spawn: where processes start through {@code posix_spawn}, the program resolved and the arguments and
	 * environment laid out in native memory. Under {@code setsid} nothing is prepared: the program is checked at the
	 * start, where a program that cannot run would otherwise be setsid's exit status, not a spawn failure.
	 * @param command the command
	 * @param environment the exact environment
	 * @return the start, for one {@link #start(PreparedStart)}
	 * @throws SpawnException naming the program and the error
	 * @throws IOException if stdin's file cannot be read, or a string holds a null character
	 */
	public PreparedStart prepare(Command command, Map<String, String> environment) throws SpawnException, IOException {
		PosixSpawn spawn = this.posixSpawn;
		PosixSpawn.Layout layout = (spawn != null) ? spawn.layOut(resolve(command, environment), command.argv(),
				environment, command.cwd(), command.stdin()) : null;
		return new PreparedStart(command, environment, layout);
	}

	/**
	 * Starts a prepared process. What was checked when it was prepared is checked again if the operating system
	 * refuses (through {@code posix_spawn}; before the start otherwise), so that a program or directory changed
	 * since is named as a start that was not prepared ahead would name it.
	 * @param prepared the start, prepared by this launcher and not started yet
	 * @return the process
	 * @throws SpawnException naming the program and the error
	 * @throws IOException if the operating system refuses
	 */
	public Process start(PreparedStart prepared) throws SpawnException, IOException {
		PosixSpawn spawn = this.posixSpawn;
		if (spawn == null || prepared.layout == null) {
			// nothing was prepared: the program is checked now (see prepare)
			resolve(prepared.command, prepared.environment);
			return startUnderSetsid(prepared.command, prepared.environment);
		}
		try {
			return spawn.start(prepared.layout, this.eventLoop);
		}
		catch (IOException ex) {
			prepare(prepared.command, prepared.environment);
			throw ex;
		}
	}

	/**
	 * Starts the process through {@link ProcessBuilder}, under {@code setsid} where there is one.
	 * @param command the command, its program checked by {@link #resolve}
	 * @param environment the exact environment
	 * @return the process
	 * @throws IOException if the operating system refuses
	 */
	private Process startUnderSetsid(Command command, Map<String, String> environment) throws IOException {
		List<String> argv = new ArrayList<>(command.args().size() + 2);
		if (this.setsid != null) {
			argv.add(this.setsid);
		}
		argv.addAll(command.argv());
		ProcessBuilder builder = new ProcessBuilder(argv);
		builder.environment().clear();
		builder.environment().putAll(environment);
		if (command.cwd() != null) {
			builder.directory(command.cwd().toFile());
		}
		Stdin stdin = command.stdin();
		if (stdin instanceof Stdin.None) {
			builder.redirectInput(ProcessBuilder.Redirect.from(new File(WINDOWS ? "NUL" : "/dev/null")));
		}
		else if (stdin instanceof Stdin.File file) {
			builder.redirectInput(ProcessBuilder.Redirect.from(file.path().toFile()));
		}
		try {
			return builder.start();
		}
		catch (IOException ex) {
			throw namingTheProgram(ex, command);
		}
	}

	/**
	 * The JDK names the program it executed, which is {@code setsid} when groups are used: name the command's
	 * program instead, as a spawn failure promises (e.g. {@code error=7, Argument list too long}).
	 */
	private IOException namingTheProgram(IOException ex, Command command) {
		String message = ex.getMessage();
		String quoted = "\"" + this.setsid + "\"";
		if (this.setsid == null || message == null || !message.contains(quoted)) {
			return ex;
		}
		return new IOException(message.replace(quoted, "\"" + command.program() + "\""), ex);
	}

	/** A process's start, {@linkplain #prepare prepared} ahead of it. */
	public static final class PreparedStart {

		private final Command command;

		private final Map<String, String> environment;

		/** The spawn's memory, or {@code null} where processes do not start through {@code posix_spawn}. */
		private final PosixSpawn.@Nullable Layout layout;

		PreparedStart(Command command, Map<String, String> environment, PosixSpawn.@Nullable Layout layout) {
			this.command = command;
			this.environment = environment;
			this.layout = layout;
		}

	}

	/** A process could not be started. */
	public static final class SpawnException extends Exception {

		private static final long serialVersionUID = 1L;

		SpawnException(String message) {
			super(message, null, false, false);
		}

	}

}
