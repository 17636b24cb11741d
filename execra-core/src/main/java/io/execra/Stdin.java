package io.execra;

import java.nio.file.Path;

/**
 * What a job's process reads on standard input. Sealed: {@link #none()}, {@link #bytes(byte[])},
 * {@link #file(Path)} or {@link #pipe()}. Stdin contents never appear in a {@link CommandSpec}, an event or a
 * store.
 */
public sealed interface Stdin {

	/**
	 * No input: the process reads end-of-file at once (the default).
	 * @return the mode
	 */
	static Stdin none() {
		return None.INSTANCE;
	}

	/**
	 * Write these bytes, then close stdin.
	 * @param bytes the input
	 * @return the mode
	 */
	static Stdin bytes(byte[] bytes) {
		return new Bytes(bytes.clone());
	}

	/**
	 * Read stdin from a file.
	 * @param file the file
	 * @return the mode
	 */
	static Stdin file(Path file) {
		return new File(file);
	}

	/**
	 * Keep stdin open for {@link JobHandle#write(byte[])} until {@link JobHandle#closeStdin()}.
	 * @return the mode
	 */
	static Stdin pipe() {
		return Pipe.INSTANCE;
	}

	/**
	 * The short name of the mode for {@link CommandSpec}: {@code none}, {@code bytes}, {@code file}, {@code pipe}.
	 * @return the name
	 */
	String mode();

	/** No input. */
	final class None implements Stdin {

		static final None INSTANCE = new None();

		@Override
		public String mode() {
			return "none";
		}

	}

	/** Fixed bytes. */
	final class Bytes implements Stdin {

		private final byte[] bytes;

		Bytes(byte[] bytes) {
			this.bytes = bytes;
		}

		/**
		 * A copy of the input.
		 * @return the bytes
		 */
		public byte[] bytes() {
			return this.bytes.clone();
		}

		@Override
		public String mode() {
			return "bytes";
		}

	}

	/**
	 * Input from a file.
	 * @param path the file
	 */
	record File(Path path) implements Stdin {

		@Override
		public String mode() {
			return "file";
		}

	}

	/** Interactive input. */
	final class Pipe implements Stdin {

		static final Pipe INSTANCE = new Pipe();

		@Override
		public String mode() {
			return "pipe";
		}

	}

}
