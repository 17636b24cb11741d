package io.execra.autoconfigure.metrics;

import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Makes the timers of the given names publish a percentile histogram ({@code execra.metrics.percentile-histogram}).
 */
final class PercentileHistogramMeterFilter implements MeterFilter {

	private static final DistributionStatisticConfig HISTOGRAM = DistributionStatisticConfig.builder()
		.percentilesHistogram(true)
		.build();

	private final Set<String> names;

	PercentileHistogramMeterFilter(Set<String> names) {
		this.names = names;
	}

	@Override
	public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
		return this.names.contains(id.getName()) ? HISTOGRAM.merge(config) : config;
	}

}
