package io.execra.sample.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.execra.Event;
import io.execra.EventStream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Relays an execra {@link EventStream} to a browser as Server-Sent Events: one event per execra event, with the
 * event's {@code seq} as SSE {@code id}, its {@code kind} as SSE {@code event} and its JSON as data. Each
 * connection has a relay thread that pulls from the stream, so a slow browser never slows a job down; a stream
 * that falls behind delivers {@link Event.Lagged}, sent on as a {@code lagged} event. A comment every
 * {@value #HEARTBEAT_SECONDS} s finds closed connections.
 * <p>
 * Open connections are completed when the application stops, before the web server's graceful shutdown would
 * wait for them.
 */
@Component
public class SseEventRelay implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SseEventRelay.class);

	private static final int HEARTBEAT_SECONDS = 15;

	private static final Duration HEARTBEAT = Duration.ofSeconds(HEARTBEAT_SECONDS);

	/** Browsers reconnect (with {@code Last-Event-ID}) when a connection times out. */
	private static final long CONNECTION_TIMEOUT_MILLIS = Duration.ofMinutes(30).toMillis();

	private final ExecutorService relays = Executors.newCachedThreadPool(new RelayThreads());

	private final Set<Relay> open = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	/**
	 * Starts relaying a stream to a new SSE connection; the stream is closed when the connection ends.
	 * @param events the stream, replaying or live
	 * @param view what to send for each event: the event, another one in its place (such as a corrected
	 * {@link Event.Lagged}), or {@code null} to skip it
	 * @return the connection, to return from a controller method
	 */
	public SseEmitter relay(EventStream events, Function<Event, @Nullable Event> view) {
		SseEmitter emitter = new SseEmitter(CONNECTION_TIMEOUT_MILLIS);
		Relay relay = new Relay(events, emitter, view);
		emitter.onCompletion(relay::stop);
		emitter.onTimeout(relay::stop);
		emitter.onError((ex) -> relay.stop());
		if (!this.running) {
			events.close();
			emitter.complete();
			return emitter;
		}
		this.open.add(relay);
		this.relays.execute(relay);
		return emitter;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.open.forEach(Relay::finish);
		this.relays.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops before the web server's graceful shutdown, which would otherwise wait for open streams. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	/** A lagged signal carries no id: it must not move the browser's {@code Last-Event-ID}. */
	private static SseEmitter.SseEventBuilder sseEvent(Event event) {
		SseEmitter.SseEventBuilder sse = SseEmitter.event().name(event.kind());
		if (!(event instanceof Event.Lagged)) {
			sse.id(Long.toString(event.seq()));
		}
		return sse.data(event, MediaType.APPLICATION_JSON);
	}

	/** One connection: pulls events and sends them until the stream is complete or the connection ends. */
	private final class Relay implements Runnable {

		private final EventStream events;

		private final SseEmitter emitter;

		private final Function<Event, @Nullable Event> view;

		Relay(EventStream events, SseEmitter emitter, Function<Event, @Nullable Event> view) {
			this.events = events;
			this.emitter = emitter;
			this.view = view;
		}

		@Override
		public void run() {
			try {
				// SseEmitter writes nothing before a send: without this, the browser's EventSource opens only at the
				// first heartbeat when no event is due
				this.emitter.send(SseEmitter.event().comment("connected"));
				while (true) {
					Event received = this.events.next(HEARTBEAT);
					if (received == null) {
						if (this.events.isComplete()) {
							break;
						}
						this.emitter.send(SseEmitter.event().comment("heartbeat"));
						continue;
					}
					Event event = this.view.apply(received);
					if (event != null) {
						this.emitter.send(sseEvent(event));
					}
				}
				this.emitter.complete();
			}
			catch (IOException | IllegalStateException ex) {
				// the browser went away, or the connection was completed meanwhile
				logger.debug("Event stream connection ended: " + ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.emitter.complete();
			}
			finally {
				stop();
			}
		}

		void stop() {
			this.events.close();
			SseEventRelay.this.open.remove(this);
		}

		void finish() {
			stop();
			this.emitter.complete();
		}

	}

	private static final class RelayThreads implements ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "sse-relay-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
