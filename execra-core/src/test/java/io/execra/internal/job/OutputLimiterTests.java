package io.execra.internal.job;

import io.execra.OutputLimitStrategy;
import io.execra.internal.job.OutputLimiter.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutputLimiter}: each strategy at its bound and across it. A line counts its bytes and one more
 * for its terminator, so two lines of 4 bytes fill a limit of 10 exactly.
 */
class OutputLimiterTests {

	@Test
	void linesUpToTheLimitArePublishedWhateverTheStrategy() {
		for (OutputLimitStrategy strategy : OutputLimitStrategy.values()) {
			OutputLimiter limiter = new OutputLimiter(10, strategy);
			assertThat(limiter.count(4)).as("%s, 5 of 10 bytes", strategy).isEqualTo(Verdict.PUBLISH);
			assertThat(limiter.count(4)).as("%s, 10 of 10 bytes", strategy).isEqualTo(Verdict.PUBLISH);
			assertThat(limiter.failedJob()).as("%s failed the job", strategy).isFalse();
		}
	}

	@Test
	void truncateWarnsOnceAcrossTheLimitThenDrops() {
		OutputLimiter limiter = new OutputLimiter(10, OutputLimitStrategy.TRUNCATE);
		limiter.count(9);
		assertThat(limiter.count(0)).isEqualTo(Verdict.TRUNCATE_NOW);
		assertThat(limiter.count(0)).isEqualTo(Verdict.DROP);
		assertThat(limiter.count(100)).isEqualTo(Verdict.DROP);
		assertThat(limiter.failedJob()).isFalse();
	}

	@Test
	void failKillsOnceAcrossTheLimitThenDropsAndFailsTheJob() {
		OutputLimiter limiter = new OutputLimiter(10, OutputLimitStrategy.FAIL);
		limiter.count(9);
		assertThat(limiter.failedJob()).isFalse();
		assertThat(limiter.count(0)).isEqualTo(Verdict.FAIL_NOW);
		assertThat(limiter.count(0)).isEqualTo(Verdict.DROP);
		assertThat(limiter.failedJob()).isTrue();
		assertThat(limiter.limit()).isEqualTo(10);
	}

	@Test
	void spillStartsSpillingOnceAcrossTheLimitThenKeepsPublishing() {
		OutputLimiter limiter = new OutputLimiter(10, OutputLimitStrategy.SPILL_TO_FILE);
		limiter.count(9);
		assertThat(limiter.count(0)).isEqualTo(Verdict.SPILL_NOW);
		assertThat(limiter.count(0)).isEqualTo(Verdict.SPILLED);
		assertThat(limiter.count(1000)).isEqualTo(Verdict.SPILLED);
		assertThat(limiter.failedJob()).isFalse();
	}

	@Test
	void aLineCrossingTheLimitIsBeyondItEvenIfItStartedWithin() {
		OutputLimiter limiter = new OutputLimiter(10, OutputLimitStrategy.TRUNCATE);
		assertThat(limiter.count(5)).isEqualTo(Verdict.PUBLISH);
		assertThat(limiter.count(4)).isEqualTo(Verdict.TRUNCATE_NOW);
	}

	@Test
	void noLimitPublishesEverything() {
		OutputLimiter limiter = new OutputLimiter(0, OutputLimitStrategy.FAIL);
		assertThat(limiter.count(Integer.MAX_VALUE)).isEqualTo(Verdict.PUBLISH);
		assertThat(limiter.countAll(Long.MAX_VALUE / 2, 1000)).isTrue();
		assertThat(limiter.failedJob()).isFalse();
	}

	@Test
	void linesCountedTogetherUpToTheLimitAreCountedAsOneByOne() {
		OutputLimiter limiter = new OutputLimiter(10, OutputLimitStrategy.TRUNCATE);
		// two lines of 4 bytes and their terminators: exactly the limit
		assertThat(limiter.countAll(8, 2)).isTrue();
		assertThat(limiter.count(0)).isEqualTo(Verdict.TRUNCATE_NOW);
	}

	@Test
	void linesCountedTogetherAcrossTheLimitAreNotCountedAtAll() {
		OutputLimiter limiter = new OutputLimiter(10, OutputLimitStrategy.TRUNCATE);
		assertThat(limiter.countAll(9, 2)).isFalse();
		// nothing was counted: the caller counts them one by one
		assertThat(limiter.count(4)).isEqualTo(Verdict.PUBLISH);
		assertThat(limiter.count(4)).isEqualTo(Verdict.PUBLISH);
		assertThat(limiter.count(0)).isEqualTo(Verdict.TRUNCATE_NOW);
	}

}
