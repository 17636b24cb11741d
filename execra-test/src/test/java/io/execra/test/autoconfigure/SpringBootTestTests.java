package io.execra.test.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.Outcome;
import io.execra.test.ExecraTestRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@AutoConfigureExecraTestRuntime
class SpringBootTestTests {

	@Autowired
	private ExecraRuntime execra;

	@Autowired
	@Qualifier("batch")
	private ExecraRuntime batch;

	@Autowired
	private FinalizedEvents finalized;

	@Test
	void everyRuntimeBeanIsATestRuntime() {
		assertThat(this.execra).isInstanceOf(ExecraTestRuntime.class);
		assertThat(this.batch).isInstanceOf(ExecraTestRuntime.class).isNotSameAs(this.execra);
		assertThat(this.execra.presets()).containsOnlyKeys("transcode");
		assertThat(this.batch.presets()).containsOnlyKeys("rebuild");
	}

	@Test
	void scriptedEventsReachApplicationEventListeners() throws Exception {
		((ExecraTestRuntime) this.execra).whenPreset("transcode").progress(0.5).succeeds();
		var job = this.execra.spawn("transcode", Map.of("input", "a.mp4", "output", "b.webm"));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		await().untilAsserted(() -> assertThat(this.finalized.events).extracting(Event::jobId).contains(job.id()));
	}

	@TestConfiguration
	static class Listeners {

		@Bean
		FinalizedEvents finalizedEvents() {
			return new FinalizedEvents();
		}

	}

	static class FinalizedEvents {

		final List<Event.Finalized> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(Event.Finalized event) {
			this.events.add(event);
		}

	}

}
