package io.execra.internal.process;

/**
 * Takes the bytes of one output stream read by the {@link EventLoop}. Its methods are called one at a time, never
 * concurrently, on an I/O thread of the loop: they may take locks and decode.
 */
public interface OutputSink {

	/**
	 * Takes the bytes of one read.
	 * @param bytes the buffer, reused once this returns: copy what is kept
	 * @param length how many bytes from its start were read
	 */
	void bytes(byte[] bytes, int length);

	/**
	 * Asked before each read: whether the stream is to be left unread for now (its readers are behind). If so, the
	 * event loop leaves its descriptor unarmed, so no worker waits for the readers, and the process, its pipe full,
	 * waits in {@code write(2)}; the sink then runs {@code resume} once, on any thread, when reading may go on.
	 * @param resume arms the descriptor again; cheap, it hands the work to a worker
	 * @return whether the stream is held back
	 */
	default boolean holdBack(Runnable resume) {
		return false;
	}

	/** The stream ended, or was given up on ({@link PumpedOutput#release()}): no more bytes come. */
	void ended();

}
