package io.execra.internal.process;

import java.util.List;

/**
 * A process's stdout and stderr as the {@link EventLoop} reads them, until each ends.
 */
public final class PumpedOutput {

	private final List<EventLoop.OutputWatch> streams;

	PumpedOutput(List<EventLoop.OutputWatch> streams) {
		this.streams = streams;
	}

	/**
	 * Gives up on the streams not ended yet: a process execra cannot kill holds their pipes open. Each is closed
	 * and its sink told it {@linkplain OutputSink#ended() ended}, on this thread, after a read in progress.
	 */
	public void release() {
		for (EventLoop.OutputWatch stream : this.streams) {
			stream.release();
		}
	}

}
