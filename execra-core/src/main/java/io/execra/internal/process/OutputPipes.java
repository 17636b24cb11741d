package io.execra.internal.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jspecify.annotations.Nullable;

/**
 * A job's stdout and stderr pipes, known by their inodes, so that pumps blocked on them can be woken: a process the
 * runtime cannot kill (another user's, or one that cleared its environment and left the job's group) may hold a
 * pipe's write end open forever, and a pump blocked reading it would never end. Closing the read end does not wake
 * a blocked {@code read}; a byte written into the pipe does. On Linux a pipe's read end reopened through
 * {@code /proc/self/fd} for writing is a write end of the same pipe. Elsewhere nothing is known and nothing is woken.
 */
public final class OutputPipes {

	private static final boolean LINUX = System.getProperty("os.name", "").equals("Linux");

	private static final OutputPipes UNKNOWN = new OutputPipes(new String[0]);

	/** {@code pipe:[inode]}, as {@code /proc/<pid>/fd} links name pipes. */
	private final String[] links;

	private OutputPipes(String[] links) {
		this.links = links;
	}

	/**
	 * No pipes: nothing to wake.
	 * @return the empty set of pipes
	 */
	public static OutputPipes none() {
		return UNKNOWN;
	}

	/**
	 * The pipes a process just started writes its stdout and stderr into.
	 * @param process the process, before it can have been reaped
	 * @return its pipes; none where they cannot be seen
	 */
	public static OutputPipes of(Process process) {
		if (!LINUX) {
			return UNKNOWN;
		}
		String stdout = pipeLink(Path.of("/proc/" + process.pid() + "/fd/1"));
		String stderr = pipeLink(Path.of("/proc/" + process.pid() + "/fd/2"));
		if (stdout == null && stderr == null) {
			return UNKNOWN;
		}
		return new OutputPipes((stdout == null) ? new String[] { stderr }
				: (stderr == null || stderr.equals(stdout)) ? new String[] { stdout } : new String[] { stdout, stderr });
	}

	/**
	 * Writes a newline into each pipe whose read end the JVM still holds, so that a pump blocked reading it
	 * returns. The pump must then stop reading by itself.
	 * @return how many pipes were written to
	 */
	public int wake() {
		if (this.links.length == 0) {
			return 0;
		}
		int woken = 0;
		try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
			for (Path fd : fds) {
				String link = pipeLink(fd);
				for (String pipe : this.links) {
					if (pipe.equals(link) && write(fd, pipe)) {
						woken++;
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// /proc/self/fd cannot be listed: nothing to wake
		}
		return woken;
	}

	/**
	 * Writes one byte into the pipe through its read end's descriptor; the descriptor is checked again once opened,
	 * since a pump may have closed it and the number been reused for another file in between.
	 */
	private static boolean write(Path fd, String pipe) {
		try (FileChannel channel = FileChannel.open(fd, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
			if (!pipe.equals(pipeLink(fd))) {
				return false;
			}
			return channel.write(ByteBuffer.wrap(new byte[] { '\n' })) == 1;
		}
		catch (IOException | RuntimeException ex) {
			// the pump closed it meanwhile, or it cannot be opened: nothing to wake
			return false;
		}
	}

	private static @Nullable String pipeLink(Path link) {
		try {
			String target = Files.readSymbolicLink(link).toString();
			return target.startsWith("pipe:[") ? target : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}
