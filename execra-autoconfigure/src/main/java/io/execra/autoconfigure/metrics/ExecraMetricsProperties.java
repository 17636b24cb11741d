package io.execra.autoconfigure.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of execra's meters ({@code execra.metrics.*}). Boot's
 * {@code management.metrics.distribution.*} properties apply to them as well.
 */
@ConfigurationProperties("execra.metrics")
public class ExecraMetricsProperties {

	/**
	 * Whether the job timer ("execra.job") and the queue wait timer publish a percentile histogram, for percentiles
	 * aggregated across instances (Prometheus histogram_quantile, for example).
	 */
	private boolean percentileHistogram;

	public boolean isPercentileHistogram() {
		return this.percentileHistogram;
	}

	public void setPercentileHistogram(boolean percentileHistogram) {
		this.percentileHistogram = percentileHistogram;
	}

}
