package io.execra.internal.process;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.execra.internal.Threads;

/**
 * The threads that serve the {@link EventLoop}: how many there are, and when they start and end. The first,
 * {@code execra-event-loop}, lives as long as the JVM; up to {@code max(4, 2 × cores)} in all start when descriptors
 * are registered or when one finds more ready than it takes at once, and those but the first end once idle for
 * {@value #IDLE_SECONDS} s while a launcher uses the loop, within a second when none does.
 */
final class IoThreads {

	private static final int IDLE_SECONDS = 10;

	/** How long a thread waits for work once no launcher uses the loop. */
	private static final long IDLE_NANOS_UNUSED = TimeUnit.SECONDS.toNanos(1);

	/** How long a thread but the first waits in one {@code epoll_wait}, to see whether it was idle long enough. */
	static final int POLL_MILLIS = 1000;

	/** Marks the loop's threads, on which a finished job may start the next one. */
	private static final ThreadLocal<Boolean> CURRENT = ThreadLocal.withInitial(() -> Boolean.FALSE);

	private final int limit = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

	private final ThreadFactory factory = Threads.factory("execra-io-", false);

	/** What each thread runs, told whether it is the first (which never ends). */
	private final Consumer<Boolean> serve;

	/** Launchers using the loop, which are not closed; guarded by this. */
	private int users;

	/** Threads alive, the first included; guarded by this. */
	private int alive;

	/** How long a thread but the first waits for work before it ends. */
	private volatile long idleNanos = TimeUnit.SECONDS.toNanos(IDLE_SECONDS);

	/**
	 * Starts the first thread.
	 * @param serve what each thread runs, told whether it is the first
	 */
	IoThreads(Consumer<Boolean> serve) {
		this.serve = serve;
		Thread first = Threads.factory("execra-event-loop", false).newThread(() -> run(true));
		first.setName("execra-event-loop");
		this.alive = 1;
		first.start();
	}

	/** @return whether the caller is one of the loop's threads */
	static boolean current() {
		return CURRENT.get();
	}

	/**
	 * @param idleSince when a thread but the first last had work ({@link System#nanoTime()})
	 * @return whether it was idle long enough to end
	 */
	boolean idleLongEnough(long idleSince) {
		return System.nanoTime() - idleSince >= this.idleNanos;
	}

	/** A launcher uses the loop, until it {@linkplain #release() releases} it. */
	synchronized void acquire() {
		if (this.users++ == 0) {
			this.idleNanos = TimeUnit.SECONDS.toNanos(IDLE_SECONDS);
		}
	}

	/** A launcher is closed: when none uses the loop any more, idle threads end within a second. */
	synchronized void release() {
		if (--this.users == 0) {
			this.idleNanos = IDLE_NANOS_UNUSED;
		}
	}

	/** Starts threads up to the limit: descriptors were registered, or more are ready than one thread takes. */
	synchronized void ensureAll() {
		while (this.alive < this.limit) {
			Thread thread = this.factory.newThread(() -> run(false));
			this.alive++;
			thread.start();
		}
	}

	private void run(boolean first) {
		CURRENT.set(Boolean.TRUE);
		try {
			this.serve.accept(first);
		}
		finally {
			synchronized (this) {
				this.alive--;
			}
		}
	}

}
