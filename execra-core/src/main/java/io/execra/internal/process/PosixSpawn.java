package io.execra.internal.process;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.execra.Stdin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a process with one {@code posix_spawn} call, as the leader of a new session and process group
 * ({@code POSIX_SPAWN_SETSID}): one exec per job, where {@link ProcessBuilder} needs two (its spawn helper, then
 * the program) and a {@code setsid} wrapper a third.
 * <p>
 * The child gets the given environment and directory, stdin from {@code /dev/null}, a file or a pipe, stdout and
 * stderr on pipes, default signal dispositions and an empty signal mask, and no other descriptor of the JVM. The
 * parent's ends of the pipes are reopened through {@code /proc/self/fd} as ordinary Java streams; or, for the
 * {@link EventLoop}, stdout's and stderr's are kept as raw descriptors, made non-blocking (the child's ends stay
 * blocking: they are other open files of the same pipes).
 */
final class PosixSpawn {

	private static final Logger logger = LoggerFactory.getLogger(PosixSpawn.class);

	private static final Charset ENCODING = encoding();

	private static final int FILE_ACTIONS = 0;

	private static final int PID = FILE_ACTIONS + Libc.FILE_ACTIONS_SIZE;

	/** Three pairs of pipe descriptors: stdin, stdout, stderr. */
	private static final int PIPES = PID + 8;

	private static final int ARRAYS = PIPES + 24;

	/** Where the shared attributes lie in {@link #attributes}: the {@code posix_spawnattr_t}, then its two sets. */
	private static final int ATTR = 0;

	private static final int SIGMASK = ATTR + Libc.SPAWNATTR_SIZE;

	private static final int SIGDEFAULT = SIGMASK + Libc.SIGSET_SIZE;

	private final Libc libc;

	/**
	 * The spawn attributes, the same for every process (new session, empty mask, every signal at its default): made
	 * once, as {@code posix_spawn} only reads them, so that a spawn makes six C calls fewer. Never destroyed: glibc's
	 * {@code posix_spawnattr_destroy} frees nothing, and the memory lives as long as this launcher.
	 */
	private @Nullable ByteBuffer attributes;

	private long attributesAddress;

	PosixSpawn(Libc libc) {
		this.libc = libc;
	}

	/** @return the address of the shared spawn attributes, made on the first call */
	private synchronized long attributes(String cannotRun) throws Throwable {
		if (this.attributes != null) {
			return this.attributesAddress;
		}
		ByteBuffer memory = ByteBuffer.allocateDirect(SIGDEFAULT + Libc.SIGSET_SIZE).order(ByteOrder.nativeOrder());
		long base = this.libc.address(memory);
		long attr = base + ATTR;
		check((int) this.libc.spawnattrInit.invokeExact(attr), "posix_spawnattr_init", cannotRun);
		check((int) this.libc.sigemptyset.invokeExact(base + SIGMASK), "sigemptyset", cannotRun);
		// every signal back to its default, including the two glibc reserves (sigfillset leaves them out and
		// posix_spawn would otherwise leave them ignored)
		for (int i = 0; i < Libc.SIGSET_SIZE; i++) {
			memory.put(SIGDEFAULT + i, (byte) 0xff);
		}
		check((int) this.libc.spawnattrSetsigmask.invokeExact(attr, base + SIGMASK), "posix_spawnattr_setsigmask",
				cannotRun);
		check((int) this.libc.spawnattrSetsigdefault.invokeExact(attr, base + SIGDEFAULT),
				"posix_spawnattr_setsigdefault", cannotRun);
		short flags = (short) (Libc.POSIX_SPAWN_SETSID | Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF);
		check((int) this.libc.spawnattrSetflags.invokeExact(attr, flags), "posix_spawnattr_setflags", cannotRun);
		this.attributes = memory;
		this.attributesAddress = attr;
		return attr;
	}

	/** Starts the process with its output on streams and a reaper thread; see the other {@code start}. */
	Process start(Path executable, List<String> argv, Map<String, String> environment, @Nullable Path cwd,
			Stdin stdin) throws IOException {
		return start(executable, argv, environment, cwd, stdin, null);
	}

	/**
	 * Starts the process.
	 * @param executable the program's resolved path
	 * @param argv the arguments, the program as given first
	 * @param environment the exact environment
	 * @param cwd the working directory, or {@code null} for the JVM's
	 * @param stdin where stdin comes from
	 * @param loop the event loop to watch the output and exit, or {@code null} for streams and a reaper thread
	 * @return the running process
	 * @throws IOException naming the program and the operating system's error, as the JDK does
	 */
	Process start(Path executable, List<String> argv, Map<String, String> environment, @Nullable Path cwd,
			Stdin stdin, @Nullable EventLoop loop) throws IOException {
		return start(layOut(executable, argv, environment, cwd, stdin), loop);
	}

	/**
	 * Lays out what a spawn passes to the C library: the {@code argv} and {@code envp} arrays and the strings they
	 * point to, in memory of its own, which one {@link #start(Layout, EventLoop)} uses; the parameters are those of
	 * {@link #start(Path, List, Map, Path, Stdin, EventLoop)}.
	 * @return the layout
	 * @throws IOException if stdin's file cannot be read, or a string holds a null character
	 */
	Layout layOut(Path executable, List<String> argv, Map<String, String> environment, @Nullable Path cwd,
			Stdin stdin) throws IOException {
		String cannotRun = ProcessLauncher.cannotRun(argv.get(0), cwd);
		byte[] stdinPath = stdinPath(stdin);
		List<byte[]> args = new ArrayList<>(argv.size());
		for (String arg : argv) {
			args.add(cString(arg));
		}
		List<byte[]> variables = new ArrayList<>(environment.size());
		for (Map.Entry<String, String> variable : environment.entrySet()) {
			variables.add(cString(variable.getKey() + "=" + variable.getValue()));
		}
		byte[] path = cString(executable.toString());
		byte[] directory = (cwd != null) ? cString(cwd.toAbsolutePath().toString()) : null;
		int envpOffset = ARRAYS + 8 * (args.size() + 1);
		int stringsOffset = envpOffset + 8 * (variables.size() + 1);
		int size = stringsOffset + totalLength(args) + totalLength(variables) + path.length
				+ ((directory != null) ? directory.length : 0) + ((stdinPath != null) ? stdinPath.length : 0);
		ByteBuffer memory = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
		long base = this.libc.address(memory);
		// the NULL-terminated argv and envp arrays, then the strings they point to
		int next = putArray(memory, base, ARRAYS, stringsOffset, args);
		next = putArray(memory, base, envpOffset, next, variables);
		long pathAddress = base + next;
		next = put(memory, next, path);
		long directoryAddress = 0;
		if (directory != null) {
			directoryAddress = base + next;
			next = put(memory, next, directory);
		}
		long stdinPathAddress = 0;
		if (stdinPath != null) {
			stdinPathAddress = base + next;
			put(memory, next, stdinPath);
		}
		return new Layout(memory, base, cannotRun, base + ARRAYS, base + envpOffset, pathAddress, directoryAddress,
				stdinPathAddress);
	}

	/**
	 * Starts a process laid out by {@link #layOut}.
	 * @param layout the layout, used by this call only
	 * @param loop the event loop to watch the output and exit, or {@code null} for streams and a reaper thread
	 * @return the running process
	 * @throws IOException naming the program and the operating system's error, as the JDK does
	 */
	Process start(Layout layout, @Nullable EventLoop loop) throws IOException {
		ByteBuffer memory = layout.memory();
		long base = layout.base();
		String cannotRun = layout.cannotRun();
		boolean stdinPipe = layout.stdinPathAddress() == 0;
		Descriptors fds = new Descriptors();
		try {
			if (stdinPipe) {
				fds.stdin = pipe(memory, base, PIPES, cannotRun);
			}
			fds.stdout = pipe(memory, base, PIPES + 8, cannotRun);
			fds.stderr = pipe(memory, base, PIPES + 16, cannotRun);
			// the parent's ends as Java streams, opened while both ends exist so that opening never waits
			// buffered as the JDK's process streams are (FileInputStream.readAllBytes of JDK 17 seeks, which a pipe
			// refuses; BufferedInputStream reads a large request straight into the caller's array)
			if (loop == null) {
				fds.out = new BufferedInputStream(new FileInputStream("/proc/self/fd/" + fds.stdout[0]));
				fds.err = new BufferedInputStream(new FileInputStream("/proc/self/fd/" + fds.stderr[0]));
			}
			if (stdinPipe) {
				fds.in = new FileOutputStream("/proc/self/fd/" + fds.stdin[1]);
			}

			long attr = attributes(cannotRun);
			long actions = base + FILE_ACTIONS;
			check((int) this.libc.fileActionsInit.invokeExact(actions), "posix_spawn_file_actions_init", cannotRun);
			try {
				if (stdinPipe) {
					check((int) this.libc.fileActionsAdddup2.invokeExact(actions, fds.stdin[0], 0),
							"posix_spawn_file_actions_adddup2", cannotRun);
				}
				else {
					check((int) this.libc.fileActionsAddopen.invokeExact(actions, 0, layout.stdinPathAddress(),
							Libc.O_RDONLY, 0), "posix_spawn_file_actions_addopen", cannotRun);
				}
				check((int) this.libc.fileActionsAdddup2.invokeExact(actions, fds.stdout[1], 1),
						"posix_spawn_file_actions_adddup2", cannotRun);
				check((int) this.libc.fileActionsAdddup2.invokeExact(actions, fds.stderr[1], 2),
						"posix_spawn_file_actions_adddup2", cannotRun);
				if (layout.directoryAddress() != 0) {
					check((int) this.libc.fileActionsAddchdir.invokeExact(actions, layout.directoryAddress()),
							"posix_spawn_file_actions_addchdir_np", cannotRun);
				}
				check((int) this.libc.fileActionsAddclosefrom.invokeExact(actions, 3),
						"posix_spawn_file_actions_addclosefrom_np", cannotRun);
				int error = (int) this.libc.posixSpawn.invokeExact(base + PID, layout.pathAddress(), actions, attr,
						layout.argvAddress(), layout.envpAddress());
				if (error != 0) {
					throw failure(cannotRun, error);
				}
			}
			finally {
				int ignored = (int) this.libc.fileActionsDestroy.invokeExact(actions);
			}
			int pid = memory.getInt(PID);
			Process process;
			if (loop != null) {
				int stdout = handOver(fds.stdout, loop, cannotRun);
				int stderr = handOver(fds.stderr, loop, cannotRun);
				process = new NativeProcess(this.libc, pid, fds.in, stdout, stderr, loop);
			}
			else {
				process = new NativeProcess(this.libc, pid, fds.in, fds.out, fds.err);
			}
			fds.in = null;
			fds.out = null;
			fds.err = null;
			return process;
		}
		catch (IOException | RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IOException(cannotRun + ": " + ex, ex);
		}
		finally {
			fds.close(this.libc);
			Reference.reachabilityFence(memory);
		}
	}

	/**
	 * Writes a NULL-terminated array of pointers at {@code slot} and the strings it points to from {@code next}.
	 * @return the offset after the strings
	 */
	private static int putArray(ByteBuffer memory, long base, int slot, int next, List<byte[]> strings) {
		for (byte[] string : strings) {
			memory.putLong(slot, base + next);
			slot += 8;
			next = put(memory, next, string);
		}
		memory.putLong(slot, 0L);
		return next;
	}

	/** @return the offset after the bytes */
	private static int put(ByteBuffer memory, int offset, byte[] bytes) {
		memory.put(offset, bytes);
		return offset + bytes.length;
	}

	private static int totalLength(List<byte[]> strings) {
		int length = 0;
		for (byte[] string : strings) {
			length += string.length;
		}
		return length;
	}

	private int[] pipe(ByteBuffer memory, long base, int offset, String cannotRun) throws Throwable {
		int result = (int) this.libc.pipe2.invokeExact(this.libc.callState(), base + offset, Libc.O_CLOEXEC);
		if (result != 0) {
			throw failure(cannotRun, this.libc.errno());
		}
		return new int[] { memory.getInt(offset), memory.getInt(offset + 4) };
	}

	/** Takes a pipe's read end from the descriptors closed after the spawn, made non-blocking for the loop. */
	private static int handOver(int[] pipe, EventLoop loop, String cannotRun) throws Throwable {
		int fd = pipe[0];
		if (loop.epoll().nonBlocking(fd) != 0) {
			// a pipe's flags can always be set: reads still never block, one per readiness
			logger.debug("{}: O_NONBLOCK not set on pipe {}: error={}", cannotRun, fd,
					loop.epoll().libc().errno());
		}
		pipe[0] = -1;
		return fd;
	}

	private void check(int result, String function, String cannotRun) throws IOException {
		if (result != 0) {
			throw new IOException(cannotRun + ": " + function + " failed: error="
					+ result + ", " + this.libc.describe(result));
		}
	}

	private IOException failure(String cannotRun, int error) {
		return new IOException(cannotRun + ": error=" + error + ", " + this.libc.describe(error));
	}

	/**
	 * The file stdin is read from, checked here so that a missing or unreadable file is named as the JDK names it
	 * (a spawn's own error could not tell it from a missing program); {@code null} for a pipe.
	 */
	private static byte @Nullable [] stdinPath(Stdin stdin) throws IOException {
		if (stdin instanceof Stdin.None) {
			return cString("/dev/null");
		}
		if (stdin instanceof Stdin.File file) {
			Path path = file.path().toAbsolutePath();
			if (!Files.exists(path)) {
				throw new IOException(file.path() + " (No such file or directory)");
			}
			if (Files.isDirectory(path)) {
				throw new IOException(file.path() + " (Is a directory)");
			}
			if (!Files.isReadable(path)) {
				throw new IOException(file.path() + " (Permission denied)");
			}
			return cString(path.toString());
		}
		return null;
	}

	private static byte[] cString(String value) throws IOException {
		byte[] bytes = value.getBytes(ENCODING);
		for (byte b : bytes) {
			if (b == 0) {
				throw new IOException("invalid null character in command");
			}
		}
		byte[] terminated = new byte[bytes.length + 1];
		System.arraycopy(bytes, 0, terminated, 0, bytes.length);
		return terminated;
	}

	/** Arguments and environment are encoded as the JDK encodes them. */
	private static Charset encoding() {
		try {
			return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
		}
		catch (RuntimeException ex) {
			return StandardCharsets.UTF_8;
		}
	}

	/**
	 * The memory of one spawn, laid out by {@link #layOut}: the spawn's own slots (file actions, pid, pipes), then
	 * {@code argv}, {@code envp} and their strings; addresses within it, 0 for a path not given.
	 */
	record Layout(ByteBuffer memory, long base, String cannotRun, long argvAddress, long envpAddress,
			long pathAddress, long directoryAddress, long stdinPathAddress) {
	}

	/** The descriptors of one spawn: the raw pipes are always closed, the streams unless handed over. */
	private static final class Descriptors {

		int @Nullable [] stdin;

		int @Nullable [] stdout;

		int @Nullable [] stderr;

		@Nullable OutputStream in;

		@Nullable InputStream out;

		@Nullable InputStream err;

		void close(Libc libc) {
			closeRaw(libc, this.stdin);
			closeRaw(libc, this.stdout);
			closeRaw(libc, this.stderr);
			closeQuietly(this.in);
			closeQuietly(this.out);
			closeQuietly(this.err);
		}

		private static void closeRaw(Libc libc, int @Nullable [] pair) {
			if (pair == null) {
				return;
			}
			for (int fd : pair) {
				if (fd < 0) {
					continue;
				}
				try {
					int ignored = (int) libc.close.invokeExact(fd);
				}
				catch (Throwable ex) {
					// nothing more to do
				}
			}
		}

		private static void closeQuietly(@Nullable AutoCloseable closeable) {
			if (closeable == null) {
				return;
			}
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// nothing more to do
			}
		}

	}

}
