package io.execra.internal.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	@Test
	void pausesDoubleFromTheFirstUpToTheLongestAndStayThere() {
		Backoff backoff = new Backoff();
		List<Long> pauses = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			pauses.add(backoff.next().toMillis());
		}
		assertThat(pauses).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L);
	}

	@Test
	void isExhaustedOnceTheNextPauseIsTheLongest() {
		Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(4));
		assertThat(backoff.exhausted()).isFalse();
		backoff.next();
		backoff.next();
		assertThat(backoff.exhausted()).isTrue();
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(4));
	}

}
