package io.execra.internal.process;

/**
 * Takes the bytes of one output stream read by the {@link EventLoop}. Its methods are called one at a time, never
 * concurrently, on an I/O worker rather than the loop's thread: they may take locks and decode.
 */
public interface OutputSink {

	/**
	 * Takes the bytes of one read.
	 * @param bytes the buffer, reused once this returns: copy what is kept
	 * @param length how many bytes from its start were read
	 */
	void bytes(byte[] bytes, int length);

	/** The stream ended, or was given up on ({@link PumpedOutput#release()}): no more bytes come. */
	void ended();

}
