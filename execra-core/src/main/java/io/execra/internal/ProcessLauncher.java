package io.execra.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.execra.Command;
import io.execra.Stdin;
import org.jspecify.annotations.Nullable;

/**
 * Starts a command's process in a process group of its own. On Unix the program runs under {@code setsid}, which
 * makes it the leader of a new session and group with the same pid (setsid does not fork when its caller is not
 * a group leader, and a process the JVM spawns never is), so the whole tree can be signalled with one
 * {@code kill -- -pgid}. Where {@code setsid} is missing the process tree is found through
 * {@link ProcessHandle#descendants()} instead.
 * <p>
 * The program and working directory are checked before the process starts, so a missing program, a program that
 * is not executable or a bad directory is a spawn failure naming it, with the operating system's wording.
 */
final class ProcessLauncher {

	private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase().startsWith("windows");

	private final @Nullable String setsid;

	ProcessLauncher() {
		this.setsid = WINDOWS ? null : findExecutable("setsid", "/usr/bin:/bin:/usr/sbin:/sbin");
	}

	/** Whether processes run in groups of their own. */
	boolean usesProcessGroups() {
		return this.setsid != null;
	}

	/**
	 * Resolves the program the way {@code execvp} will.
	 * @param command the command
	 * @param environment the process environment
	 * @return the executable's absolute path
	 * @throws SpawnException naming the program and the error
	 */
	Path resolve(Command command, Map<String, String> environment) throws SpawnException {
		String program = command.program();
		Path cwd = command.cwd();
		String where = (cwd != null) ? " (in directory \"" + cwd + "\")" : "";
		if (cwd != null) {
			if (!Files.exists(cwd)) {
				throw new SpawnException(
						"Cannot run program \"" + program + "\"" + where + ": error=2, No such file or directory");
			}
			if (!Files.isDirectory(cwd)) {
				throw new SpawnException("Cannot run program \"" + program + "\"" + where + ": error=20, Not a directory");
			}
		}
		if (program.contains("/") || (WINDOWS && program.contains("\\"))) {
			Path path = Path.of(program);
			if (!path.isAbsolute()) {
				path = ((cwd != null) ? cwd : Path.of("")).toAbsolutePath().resolve(path);
			}
			return checkExecutable(program, where, path.normalize());
		}
		if (WINDOWS) {
			return Path.of(program);
		}
		String searchPath = environment.getOrDefault("PATH", "/bin:/usr/bin");
		String found = findExecutable(program, searchPath);
		if (found == null) {
			throw new SpawnException("Cannot run program \"" + program + "\"" + where
					+ ": error=2, No such file or directory (searched PATH " + searchPath + ")");
		}
		return Path.of(found);
	}

	private static Path checkExecutable(String program, String where, Path path) throws SpawnException {
		if (!Files.exists(path)) {
			throw new SpawnException("Cannot run program \"" + program + "\"" + where + ": error=2, No such file or directory");
		}
		if (Files.isDirectory(path)) {
			throw new SpawnException("Cannot run program \"" + program + "\"" + where
					+ ": error=13, Permission denied (it is a directory)");
		}
		if (!Files.isExecutable(path)) {
			throw new SpawnException("Cannot run program \"" + program + "\"" + where
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
	 * Starts the process.
	 * @param command the command
	 * @param environment the exact environment
	 * @return the process
	 * @throws IOException if the operating system refuses
	 */
	Process start(Command command, Map<String, String> environment) throws IOException {
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

	/** A process could not be started. */
	static final class SpawnException extends Exception {

		private static final long serialVersionUID = 1L;

		SpawnException(String message) {
			super(message, null, false, false);
		}

	}

}
