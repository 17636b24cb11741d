package io.execra.sample.web;

import java.time.Clock;
import java.time.Instant;

import io.execra.Event;
import io.execra.JobId;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Resuming a job's event stream after a {@code Last-Event-ID}.
 */
class ResumeAfterTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	private static final Instant AT = Instant.now();

	@Test
	void eventsUpToTheLastEventIdAreSkippedAndLaterOnesSent() {
		ResumeAfter resume = new ResumeAfter(5);

		assertThat(resume.apply(line(5))).isNull();
		assertThat(resume.apply(line(6))).isEqualTo(line(6));
	}

	@Test
	void aLagOverEventsTheClientAlreadyHasIsDropped() {
		assertThat(new ResumeAfter(40).apply(new Event.Lagged(JOB, 1, AT, 41))).isNull();
	}

	@Test
	void aLagOverEventsTheClientNeedsNamesTheFirstOfThem() {
		Event sent = new ResumeAfter(40).apply(new Event.Lagged(JOB, 1, AT, 60));

		assertThat(sent).isEqualTo(new Event.Lagged(JOB, 41, AT, 60));
	}

	@Test
	void aLagWithUnknownResumeIsAlwaysSent() {
		assertThat(new ResumeAfter(40).apply(new Event.Lagged(JOB, 50, AT, 0))).isEqualTo(new Event.Lagged(JOB, 50, AT, 0));
	}

	@Test
	void missingLastEventIdResumesFromTheStartAndAMalformedOneIsRejected() {
		assertThat(ResumeAfter.lastEventId(null)).isEqualTo(new ResumeAfter(0));
		assertThat(ResumeAfter.lastEventId(" 17 ")).isEqualTo(new ResumeAfter(17));
		assertThatIllegalArgumentException().isThrownBy(() -> ResumeAfter.lastEventId("abc"))
			.withMessageContaining("'Last-Event-ID' must be the seq of an event, not 'abc'");
	}

	private static Event line(long seq) {
		return new Event.OutputAppended(JOB, seq, AT, StdStream.STDOUT, "line " + seq, false);
	}

}
