package io.execra.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.execra.ExecraRuntime;
import io.execra.ExecraSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Shuts the {@link ExecraRuntime} beans down gracefully when the context closes: they stop accepting jobs, running
 * jobs may finish within the shutdown phase's timeout ({@code spring.lifecycle.timeout-per-shutdown-phase}), less
 * the time cancelling needs, and the rest are cancelled and finalized, so no job is left running in any store.
 * <p>
 * Runs in a phase after the web server's graceful shutdown and stop, so requests in flight can still spawn jobs; a
 * stopped runtime cannot be started again.
 */
final class ExecraRuntimeLifecycle implements SmartLifecycle {

	/** The phase of the runtimes: after the web server (which stops at DEFAULT_PHASE - 2048). */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(ExecraRuntimeLifecycle.class);

	private final ListableBeanFactory beanFactory;

	private final Duration phaseTimeout;

	private volatile boolean running;

	/**
	 * Creates the lifecycle.
	 * @param beanFactory where the runtime beans are found
	 * @param phaseTimeout the time the shutdown phase may take
	 */
	ExecraRuntimeLifecycle(ListableBeanFactory beanFactory, Duration phaseTimeout) {
		this.beanFactory = beanFactory;
		this.phaseTimeout = phaseTimeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		shutdownAll();
	}

	@Override
	public void stop(Runnable callback) {
		Thread thread = new Thread(() -> {
			try {
				shutdownAll();
			}
			finally {
				callback.run();
			}
		}, "execra-shutdown");
		thread.setDaemon(true);
		thread.start();
	}

	private void shutdownAll() {
		this.running = false;
		Map<String, ExecraRuntime> runtimes = this.beanFactory.getBeansOfType(ExecraRuntime.class);
		List<Thread> threads = new ArrayList<>();
		runtimes.forEach((beanName, runtime) -> {
			Thread thread = new Thread(() -> shutdown(beanName, runtime), "execra-shutdown-" + beanName);
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		});
		for (Thread thread : threads) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void shutdown(String beanName, ExecraRuntime runtime) {
		Duration timeout = drainTimeout(runtime.settings());
		int active = runtime.running().size();
		if (active > 0) {
			logger.info("Shutting down execra runtime '" + beanName + "': " + active
					+ " active jobs may finish within " + timeout + ", then they are cancelled");
		}
		try {
			runtime.shutdown(timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.warn("Shutdown of execra runtime '" + beanName + "' failed", ex);
		}
	}

	/** The phase timeout, less what cancelling the remaining jobs may take. */
	Duration drainTimeout(ExecraSettings settings) {
		Duration cancelling = settings.shutdownAllowance();
		Duration timeout = this.phaseTimeout.minus(cancelling);
		return timeout.isNegative() ? Duration.ZERO : timeout;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
