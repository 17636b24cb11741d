package io.execra.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes every event of every runtime as an {@link ExecraApplicationEvent}. Each runtime has one bridge thread
 * that reads a {@link ExecraRuntime#subscribe() subscription} and publishes its events one by one, so listeners see
 * each job's events in order and never run on, nor slow down, a job's process pumps. Without output
 * ({@code execra.events.include-output=false}) it reads {@link ExecraRuntime#subscribeWithoutOutput()}, so that
 * output lines are not even queued for it.
 * <p>
 * Runtimes built by execra are subscribed to as soon as they exist; other {@link ExecraRuntime} beans when the
 * bridge starts. Publication starts with the context and stops after the runtimes were shut down (a later phase
 * than {@link ExecraRuntimeLifecycle}), once their last events were published.
 */
final class ExecraEventBridge implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ExecraEventBridge.class);

	private static final Duration POLL = Duration.ofMillis(200);

	private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

	private final ApplicationEventPublisher publisher;

	private final ListableBeanFactory beanFactory;

	private final boolean includeOutput;

	private final Map<ExecraRuntime, Pump> pumps = new IdentityHashMap<>();

	private boolean running;

	/**
	 * Creates the bridge.
	 * @param publisher where events are published
	 * @param beanFactory where other runtime beans are found
	 * @param includeOutput whether output line events are published
	 */
	ExecraEventBridge(ApplicationEventPublisher publisher, ListableBeanFactory beanFactory, boolean includeOutput) {
		this.publisher = publisher;
		this.beanFactory = beanFactory;
		this.includeOutput = includeOutput;
	}

	/**
	 * Subscribes to a runtime's events; they are published once the bridge runs.
	 * @param runtimeName the name events carry
	 * @param runtime the runtime
	 */
	synchronized void attach(String runtimeName, ExecraRuntime runtime) {
		if (!this.pumps.containsKey(runtime)) {
			// without output, lines are left out by the runtime: never queued nor decoded only to be dropped here
			@Nullable EventStream events = this.includeOutput ? runtime.subscribe() : runtime.subscribeWithoutOutput();
			if (events == null) {
				// a mocked runtime (@MockitoBean in a test) has no events to publish
				return;
			}
			Pump pump = new Pump(runtimeName, runtime, events);
			this.pumps.put(runtime, pump);
			if (this.running) {
				pump.start();
			}
		}
	}

	@Override
	public void start() {
		this.beanFactory.getBeansOfType(ExecraRuntime.class).forEach((beanName, runtime) -> attach(beanName, runtime));
		synchronized (this) {
			this.running = true;
			this.pumps.values().forEach(Pump::start);
		}
	}

	@Override
	public void stop() {
		List<Pump> stopping;
		synchronized (this) {
			this.running = false;
			stopping = new ArrayList<>(this.pumps.values());
			this.pumps.clear();
		}
		stopping.forEach(Pump::drainAndStop);
		for (Pump pump : stopping) {
			pump.join();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ExecraRuntimeLifecycle.PHASE - 1;
	}

	private void publish(Pump pump, Event event) {
		if (event instanceof Event.Lagged lagged) {
			logger.warn("Application events of execra runtime '" + pump.runtimeName + "' fell behind: events of job "
					+ lagged.jobId() + " from seq " + lagged.seq() + " on were not published (see "
					+ "execra.subscriber-buffer-size and execra.subscriber-buffer-max-size); read them from the runtime or its store");
		}
		try {
			this.publisher.publishEvent(new ExecraApplicationEvent<>(pump.runtime, pump.runtimeName, event));
		}
		catch (RuntimeException ex) {
			logger.warn("An application event listener failed on execra event " + event.kind() + " #" + event.seq()
					+ " of job " + event.jobId() + "; publication goes on", ex);
		}
	}

	/** Reads one runtime's subscription on a thread of its own. */
	private final class Pump implements Runnable {

		private final String runtimeName;

		private final ExecraRuntime runtime;

		private final EventStream events;

		private @Nullable Thread thread;

		private volatile boolean draining;

		Pump(String runtimeName, ExecraRuntime runtime, EventStream events) {
			this.runtimeName = runtimeName;
			this.runtime = runtime;
			this.events = events;
		}

		void start() {
			if (this.thread == null) {
				Thread thread = new Thread(this, "execra-events-" + this.runtimeName);
				thread.setDaemon(true);
				this.thread = thread;
				thread.start();
			}
		}

		@Override
		public void run() {
			try {
				while (true) {
					boolean last = this.draining;
					Event event = this.events.next(last ? Duration.ZERO : POLL);
					if (event != null) {
						publish(this, event);
					}
					else if (last || this.events.isComplete()) {
						return;
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.events.close();
			}
		}

		/** Publishes what was already received, then stops. */
		void drainAndStop() {
			this.draining = true;
			if (this.thread == null) {
				this.events.close();
			}
		}

		void join() {
			Thread thread = this.thread;
			if (thread == null) {
				return;
			}
			try {
				thread.join(JOIN_TIMEOUT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (thread.isAlive()) {
				logger.warn("execra events of runtime '" + this.runtimeName + "' were still being published after "
						+ JOIN_TIMEOUT.toSeconds() + "s; stopping");
				this.events.close();
			}
		}

	}

}
