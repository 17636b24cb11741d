package io.execra.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Progress;
import io.execra.interpret.Interpreter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ExecraEventBridge}: what is published, and how a lagging or failing listener is handled.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExecraEventBridgeTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class))
		.withUserConfiguration(ListenerConfiguration.class);

	@Test
	void outputEventsAreLeftOutWhenSwitchedOff() {
		this.contextRunner.withPropertyValues("execra.events.include-output=false").run((context) -> {
			JobHandle handle = context.getBean(ExecraRuntime.class).spawn(Command.of("echo", "hello"));
			handle.await();
			Listener listener = context.getBean(Listener.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> listener.kinds().contains("finalized"));
			assertThat(listener.kinds()).containsExactly("job_created", "job_started", "exited", "finalized");
		});
	}

	@Test
	void withoutOutputAChattyJobsLinesNeitherReachListenersNorMakeTheBridgeFallBehind(CapturedOutput output) {
		this.contextRunner.withPropertyValues("execra.events.include-output=false", "execra.subscriber-buffer-size=16")
			.withUserConfiguration(BlockingListenerConfiguration.class)
			.run((context) -> {
				// the bridge is held at job_created until the job is over: its buffer alone keeps what comes meanwhile,
				// room for the job's 13 other events and not for its lines
				JobHandle handle = context.getBean(ExecraRuntime.class)
					.spawn(Command.of("seq", "6000").interpreter(roundsOf(2000)));
				handle.await();
				context.getBean(BlockingListenerConfiguration.class).release.countDown();
				Listener listener = context.getBean(Listener.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> listener.kinds().contains("finalized"));
				assertThat(listener.kinds()).containsExactly("job_created", "job_started", "phase_entered",
						"progress_updated", "phase_exited", "phase_entered", "progress_updated", "phase_exited",
						"phase_entered", "progress_updated", "phase_exited", "exited", "finalized");
				assertThat(output).doesNotContain("fell behind");
			});
	}

	/** Each round of lines of {@code seq} in a phase of its own, with its progress at its end. */
	private static Interpreter roundsOf(int round) {
		return (line, context) -> {
			int n = Integer.parseInt(line.text());
			if (n % round == 1) {
				context.enterPhase("round " + (n / round), null);
			}
			else if (n % round == 0) {
				context.progress(Progress.count(n, 3L * round));
				context.exitPhase();
			}
		};
	}

	@Test
	void nothingIsPublishedWhenPublicationIsSwitchedOff() {
		this.contextRunner.withPropertyValues("execra.events.publish=false").run((context) -> {
			context.getBean(ExecraRuntime.class).spawn(Command.of("echo", "hello")).await();
			Listener listener = context.getBean(Listener.class);
			// a bridge would have published everything by the time the context is closed
			context.close();
			assertThat(listener.events).isEmpty();
		});
	}

	@Test
	void failingListenerDoesNotStopPublication(CapturedOutput output) {
		this.contextRunner.withPropertyValues("execra.events.include-output=false")
			.withUserConfiguration(FailingListenerConfiguration.class)
			.run((context) -> {
				context.getBean(ExecraRuntime.class).spawn(Command.of("echo", "hello")).await();
				Listener listener = context.getBean(Listener.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> listener.kinds().contains("finalized"));
				assertThat(output).contains("An application event listener failed on execra event job_started");
			});
	}

	@Test
	void lagIsLoggedAndPublished(CapturedOutput output) {
		this.contextRunner.withPropertyValues("execra.subscriber-buffer-size=2")
			.withUserConfiguration(BlockingListenerConfiguration.class)
			.run((context) -> {
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				JobHandle handle = runtime.spawn(Command.of("seq", "1", "50"));
				handle.await();
				context.getBean(BlockingListenerConfiguration.class).release.countDown();
				Listener listener = context.getBean(Listener.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> listener.kinds().contains("lagged"));
				Event.Lagged lagged = (Event.Lagged) listener.events.stream()
					.filter(Event.Lagged.class::isInstance)
					.findFirst()
					.orElseThrow();
				assertThat(lagged.jobId()).isEqualTo(handle.id());
				assertThat(output).contains("Application events of execra runtime 'default' fell behind: events of job "
						+ handle.id() + " from seq " + lagged.seq());
			});
	}

	static class Listener {

		final List<Event> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(Event event) {
			this.events.add(event);
		}

		List<String> kinds() {
			return this.events.stream().map(Event::kind).toList();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		@Bean
		Listener listener() {
			return new Listener();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingListenerConfiguration {

		@EventListener
		void on(Event.JobStarted started) {
			throw new IllegalStateException("listener failure");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingListenerConfiguration {

		final CountDownLatch release = new CountDownLatch(1);

		@EventListener
		void on(Event.JobCreated created) throws InterruptedException {
			this.release.await(10, TimeUnit.SECONDS);
		}

	}

}
