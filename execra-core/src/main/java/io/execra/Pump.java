package io.execra;

/**
 * How a runtime reads its processes' stdout and stderr ({@link ExecraRuntimeBuilder#pump(Pump)}).
 */
public enum Pump {

	/**
	 * The event loop where it can run, threads elsewhere (the default). The system property {@code io.execra.pump}
	 * ({@code auto}, {@code event_loop} or {@code threads}) chooses instead when set, for runtimes that leave this
	 * default.
	 */
	AUTO,

	/**
	 * One {@code epoll} set and a few I/O threads for every process of the JVM (Linux 5.3+ with {@code posix_spawn}):
	 * a few threads for any number of running jobs. Building a runtime fails, saying why, where it cannot run.
	 */
	EVENT_LOOP,

	/** Two threads per running job reading its stdout and stderr, and a reaper per process; runs everywhere. */
	THREADS

}
