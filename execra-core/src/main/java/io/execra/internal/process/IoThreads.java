package io.execra.internal.process;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.execra.internal.Threads;

/**
 * The threads that serve the {@link EventLoop}: how many there are, when they start and end, and when those but the
 * first wait for descriptors. The first, {@code execra-event-loop}, lives as long as the JVM and is the only one in
 * {@code epoll_wait} while it keeps up: each ready descriptor wakes one waiting thread, so with several waiting a
 * process's end (its two pipes and its {@code pidfd}) would wake up to three, which would run beside the next job's
 * {@code posix_spawn} and slow it. The others, up to {@code max(4, 2 × cores)} in all, park and join the
 * wait when the loop falls behind: a wait that returns as many descriptors as a thread takes at once lets them in
 * for {@value #BACKLOG_MILLIS} ms (and starts them), and so does a turn of the first thread that lasts over
 * {@value #STALL_MILLIS} ms (something it called is slow), which a parked thread sees within {@value #LOOK_MILLIS}
 * ms. One of them is started as soon as descriptors are registered, to look out for such a turn; they end once
 * idle for {@value #IDLE_SECONDS} s while a launcher uses the loop, within a second when none does.
 */
final class IoThreads {

	private static final int IDLE_SECONDS = 10;

	/** How long a thread waits for work once no launcher uses the loop. */
	private static final long IDLE_NANOS_UNUSED = TimeUnit.SECONDS.toNanos(1);

	/** How long a thread but the first waits in one {@code epoll_wait}, to see whether it is still wanted. */
	static final int POLL_MILLIS = 10;

	/** How long a full wait lets the threads but the first in. */
	private static final long BACKLOG_MILLIS = 100;

	/** A turn of the first thread longer than this lets the others in. */
	private static final long STALL_MILLIS = 10;

	/** How long a parked thread sleeps between looks at whether it is wanted. */
	private static final long LOOK_MILLIS = 50;

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

	/** Until when ({@link System#nanoTime()}) the threads but the first are wanted in the wait, after a full one. */
	private volatile long backlogUntil = System.nanoTime();

	/** When the first thread's turn started, or 0 while it waits. */
	private volatile long turnStarted;

	/** Set if the first thread ended (it never should): the others then wait in its place. */
	private volatile boolean firstEnded;

	/** Where the threads but the first park; guarded by itself. */
	private final Object parked = new Object();

	/** Threads parked; guarded by {@link #parked}. */
	private int parkedCount;

	/**
	 * @param serve what each thread runs, told whether it is the first
	 */
	IoThreads(Consumer<Boolean> serve) {
		this.serve = serve;
	}

	/** Starts the first thread; called once, after its owner is built, as the thread uses it at once. */
	synchronized void startFirst() {
		Thread first = Threads.factory("execra-event-loop", false).newThread(() -> run(true));
		first.setName("execra-event-loop");
		this.alive++;
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

	/** The first thread has descriptors to handle. */
	void turnStarted() {
		this.turnStarted = System.nanoTime() | 1;
	}

	/** The first thread goes back to the wait. */
	void turnEnded() {
		this.turnStarted = 0;
	}

	/** A wait returned as many descriptors as a thread takes: more threads join the wait for a while. */
	void backlog() {
		this.backlogUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKLOG_MILLIS);
		ensureAll();
		synchronized (this.parked) {
			if (this.parkedCount > 0) {
				this.parked.notifyAll();
			}
		}
	}

	/** Descriptors were registered: one thread besides the first looks out for a turn that takes too long. */
	synchronized void ensureLookout() {
		if (this.alive < 2) {
			startOne();
		}
	}

	/**
	 * Parks a thread but the first until it is wanted in the wait.
	 * @param idleSince when it last had work ({@link System#nanoTime()})
	 * @return {@code true} once it is wanted, {@code false} once it was idle long enough to end
	 */
	boolean awaitWanted(long idleSince) {
		while (true) {
			long now = System.nanoTime();
			long started = this.turnStarted;
			if (this.firstEnded || now - this.backlogUntil < 0
					|| (started != 0 && now - started > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS))) {
				return true;
			}
			if (idleLongEnough(idleSince)) {
				return false;
			}
			synchronized (this.parked) {
				this.parkedCount++;
				try {
					this.parked.wait(LOOK_MILLIS);
				}
				catch (InterruptedException ex) {
					// the loop's threads are never interrupted on purpose: look again
				}
				finally {
					this.parkedCount--;
				}
			}
		}
	}

	/** Starts threads up to the limit: more are ready than one thread takes. */
	synchronized void ensureAll() {
		while (this.alive < this.limit) {
			startOne();
		}
	}

	/** Call holding this. */
	private void startOne() {
		Thread thread = this.factory.newThread(() -> run(false));
		this.alive++;
		thread.start();
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
			if (first) {
				this.firstEnded = true;
				ensureAll();
			}
		}
	}

}
