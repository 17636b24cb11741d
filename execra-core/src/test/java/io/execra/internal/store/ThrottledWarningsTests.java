package io.execra.internal.store;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static io.execra.store.JobStoreFixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;

class ThrottledWarningsTests {

	@Test
	void unconfirmedTerminalStatesAreWarnedOfAtMostEveryTenSeconds() {
		AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1));
		ThrottledWarnings warnings = new ThrottledWarnings(now::get);
		Duration wait = Duration.ofSeconds(1);
		assertThat(warnings.unconfirmed(newId(), wait, 3)).isTrue();
		now.addAndGet(TimeUnit.SECONDS.toNanos(9));
		assertThat(warnings.unconfirmed(newId(), wait, 3)).isFalse();
		now.addAndGet(TimeUnit.SECONDS.toNanos(1));
		assertThat(warnings.unconfirmed(newId(), wait, 3)).isTrue();
		assertThat(warnings.unconfirmed(newId(), wait, 3)).isFalse();
	}

	@Test
	void droppedEventsAreWarnedOfAtTheFirstAndEveryTenThousandth() {
		ThrottledWarnings warnings = new ThrottledWarnings();
		assertThat(warnings.eventDropped(1, 10)).isTrue();
		assertThat(warnings.eventDropped(2, 10)).isFalse();
		assertThat(warnings.eventDropped(9_999, 10)).isFalse();
		assertThat(warnings.eventDropped(10_000, 10)).isTrue();
		assertThat(warnings.eventDropped(20_000, 10)).isTrue();
	}

}
