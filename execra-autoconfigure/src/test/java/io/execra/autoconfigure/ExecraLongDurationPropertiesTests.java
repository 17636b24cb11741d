package io.execra.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durations in {@code application.yml} far longer than a {@code long} of nanoseconds holds: a timeout works (it
 * means none), a grace period or interval fails startup naming its property.
 */
class ExecraLongDurationPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class));

	@ParameterizedTest
	@ValueSource(strings = { "execra.max-timeout=1000000d", "execra.default-timeout=1000000d",
			"execra.max-timeout=9223372036854775807s" })
	void aTimeoutTooLongForNanosecondsMeansNoneAndJobsFinalize(String property) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasNotFailed();
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			List<JobHandle> jobs = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				jobs.add(runtime.spawn(Command.of("true")));
			}
			for (JobHandle job : jobs) {
				assertThat(job.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
			}
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "execra.cancel-grace-period", "execra.drain-grace-period", "execra.partial-line-timeout",
			"execra.store.write-timeout", "execra.heartbeat-interval", "execra.stale-node-timeout",
			"execra.runtimes.media.cancel-grace-period" })
	void aPeriodPastItsBoundFailsStartupNamingTheProperty(String property) {
		this.contextRunner.withPropertyValues(property + "=1000000d").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidExecraPropertyFailureAnalyzer(null)
				.analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains("'" + property + "'").contains("must be at most PT24H");
		});
	}

}
