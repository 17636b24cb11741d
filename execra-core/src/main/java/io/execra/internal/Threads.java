package io.execra.internal;

import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Thread factories: named daemon platform threads, or virtual threads where the JDK has them (21+) and they are
 * asked for. Found by reflection so the code compiles for Java 17.
 */
public final class Threads {

	private Threads() {
	}

	public static ThreadFactory factory(String prefix, boolean virtual) {
		if (virtual) {
			ThreadFactory factory = virtualFactory(prefix);
			if (factory != null) {
				return factory;
			}
		}
		AtomicLong counter = new AtomicLong();
		return (runnable) -> {
			Thread thread = new Thread(null, runnable, prefix + counter.incrementAndGet(), 256 * 1024);
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Runs tasks on threads of their own: a new virtual thread per task, or a platform thread reused from a pool
	 * (idle ones end after 30 s), since creating a platform thread per stream and job is a measurable part of a
	 * short job's cost.
	 * @param prefix the thread name prefix
	 * @param virtual whether to use virtual threads where the JDK has them
	 * @return the executor; it never queues a task behind another
	 */
	public static Executor executor(String prefix, boolean virtual) {
		ThreadFactory factory = factory(prefix, virtual);
		if (virtual && virtualFactory(prefix) != null) {
			return (task) -> factory.newThread(task).start();
		}
		ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
				new SynchronousQueue<>(), factory);
		return pool;
	}

	/**
	 * Runs tasks on at most {@code threads} platform threads, queueing the rest in order; idle threads end after
	 * 30 s. For short tasks that never wait long.
	 * @param prefix the thread name prefix
	 * @param threads the most threads
	 * @return the executor
	 */
	public static Executor boundedExecutor(String prefix, int threads) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), factory(prefix, false));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/**
	 * Lets the idle threads of an {@link #executor} end now rather than after their 30 s, once its owner is closed.
	 * The executor still runs tasks handed to it later (a job finishing after the close), on new threads.
	 * @param executor an executor made by {@link #executor} or {@link #boundedExecutor}
	 */
	public static void endIdleThreads(Executor executor) {
		if (executor instanceof ThreadPoolExecutor pool) {
			pool.setKeepAliveTime(1, TimeUnit.MILLISECONDS);
		}
	}

	private static @Nullable ThreadFactory virtualFactory(String prefix) {
		try {
			Method ofVirtual = Thread.class.getMethod("ofVirtual");
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			Object builder = ofVirtual.invoke(null);
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
			return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
