package io.execra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

	@Test
	void echoSucceeds() throws Exception {
		try (ExecraRuntime rt = ExecraRuntime.inMemory()) {
			JobHandle h = rt.spawn(Command.of("echo", "hello"));
			Outcome outcome = h.await();
			assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
			List<Event> events = new ArrayList<>();
			try (EventStream stream = h.events()) {
				Event e;
				while ((e = stream.next(Duration.ofSeconds(1))) != null) {
					events.add(e);
				}
			}
			System.out.println(events);
			assertThat(events).extracting(Event::kind).containsExactly("job_created", "job_started", "output_appended",
					"exited", "finalized");
		}
	}

}
