package io.execra.internal.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jspecify.annotations.Nullable;

/**
 * The readers of one job's event log, counted so that they share the lines they decode while the job's lines have
 * several readers ({@link DecodedLines}). The job's runs of lines left undecoded name it, so that an all-jobs
 * subscription taking a queued line knows about the job's other readers without holding on to its log. Any thread.
 */
final class LineReaders {

	private static final VarHandle COUNT;

	static {
		try {
			COUNT = MethodHandles.lookup().findVarHandle(LineReaders.class, "count", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** The log's readers open, accessed through {@link #COUNT}: the job's writer never touches it. */
	@SuppressWarnings("unused")
	private int count;

	private final DecodedLines decoded;

	/**
	 * @param decoded where the readers share the lines they decode with the runtime's other readers of them
	 */
	LineReaders(DecodedLines decoded) {
		this.decoded = decoded;
	}

	/** A reader of the log was opened. */
	void opened() {
		COUNT.getAndAdd(this, 1);
	}

	/** A reader of the log was closed. */
	void closed() {
		COUNT.getAndAdd(this, -1);
	}

	/**
	 * Where a reader shares the lines it decodes, while the job's lines have several readers.
	 * @return the shared lines, or {@code null} while one reader at most reads the job's lines
	 */
	@Nullable DecodedLines sharing() {
		return this.decoded.sharedBy((int) COUNT.getAcquire(this)) ? this.decoded : null;
	}

}
