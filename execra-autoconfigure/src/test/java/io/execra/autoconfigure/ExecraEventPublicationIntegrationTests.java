package io.execra.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import io.execra.Command;
import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.Outcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application receives the events of a real job at its {@code @EventListener} methods: all of them, in order,
 * typed by their record, on the bridge thread of their runtime rather than on a process pump.
 */
@SpringBootTest(properties = "execra.runtimes.media.max-concurrent=1")
class ExecraEventPublicationIntegrationTests {

	@Autowired
	private ExecraRuntime runtime;

	@Autowired
	@Qualifier("media")
	private ExecraRuntime media;

	@Autowired
	private Listener listener;

	@Test
	void listenersReceiveEveryEventOfAJobInOrder() throws Exception {
		JobHandle handle = this.runtime.spawn(Command.of("printf", "one\\ntwo\\nthree\\n"));
		assertThat(handle.await()).isInstanceOf(Outcome.Succeeded.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.listener.finalizedJobs.contains(handle.id()));
		List<Received> received = this.listener.receivedFor(handle.id());
		List<Event> events = received.stream().map(Received::event).toList();
		assertThat(events).extracting(Event::seq)
			.containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
		assertThat(events).extracting(Event::kind)
			.containsExactly("job_created", "job_started", "output_appended", "output_appended", "output_appended",
					"exited", "finalized");
		assertThat(events).filteredOn(Event.OutputAppended.class::isInstance)
			.extracting((event) -> ((Event.OutputAppended) event).line())
			.containsExactly("one", "two", "three");
		assertThat(received).extracting(Received::thread).containsOnly("execra-events-default");
	}

	@Test
	void listenersOfOneEventTypeReceiveOnlyThatType() throws Exception {
		JobHandle handle = this.runtime.spawn(Command.of("true"));
		handle.await();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.listener.finalizedJobs.contains(handle.id()));
		// a listener of one type sees only that type: one finalized, one created
		assertThat(this.listener.finalizedJobs).containsOnlyOnce(handle.id());
		assertThat(this.listener.createdOn).containsOnlyOnce("default:" + handle.id());
	}

	@Test
	void eventsOfANamedRuntimeCarryItsName() throws Exception {
		JobHandle handle = this.media.spawn(Command.of("true"));
		handle.await();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.listener.finalizedJobs.contains(handle.id()));
		assertThat(this.listener.createdOn).contains("media:" + handle.id());
		assertThat(this.listener.receivedFor(handle.id())).extracting(Received::thread)
			.containsOnly("execra-events-media");
	}

	record Received(Event event, String thread) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Listener.class)
	static class TestApplication {

	}

	@Component
	static class Listener {

		final List<Received> received = new CopyOnWriteArrayList<>();

		final List<JobId> finalizedJobs = new CopyOnWriteArrayList<>();

		final List<String> createdOn = new CopyOnWriteArrayList<>();

		@EventListener
		void on(Event event) {
			this.received.add(new Received(event, Thread.currentThread().getName()));
		}

		@EventListener
		void on(Event.Finalized event) {
			this.finalizedJobs.add(event.jobId());
		}

		@EventListener
		void on(ExecraApplicationEvent<Event.JobCreated> event) {
			this.createdOn.add(event.getRuntimeName() + ":" + event.getPayload().jobId());
		}

		List<Received> receivedFor(JobId id) {
			return this.received.stream().filter((received) -> received.event().jobId().equals(id)).toList();
		}

	}

}
