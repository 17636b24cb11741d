package io.execra.autoconfigure.retention;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties for the retention of job history ({@code execra.retention.*}). A zero duration or count
 * switches its rule off; when every rule is off no sweep is scheduled.
 */
@ConfigurationProperties("execra.retention")
public class ExecraRetentionProperties {

	/**
	 * Whether finalized jobs and their raw-output files are deleted periodically.
	 */
	private boolean enabled = true;

	/**
	 * Age, since they finished, past which succeeded and cancelled jobs are deleted with their events and findings.
	 * Zero keeps them regardless of age. If a duration suffix is not specified, days will be used.
	 */
	@DurationUnit(ChronoUnit.DAYS)
	private Duration maxAge = Duration.ofDays(7);

	/**
	 * Age, since they finished, past which failed jobs are deleted. Defaults to max-age; zero keeps them regardless
	 * of age. If a duration suffix is not specified, days will be used.
	 */
	@DurationUnit(ChronoUnit.DAYS)
	private @Nullable Duration failedMaxAge;

	/**
	 * Maximum number of finalized jobs kept per store, the oldest deleted first. Zero for no limit.
	 */
	private long maxJobs;

	/**
	 * Tag that pins a job: jobs carrying it are never deleted. Empty to pin none.
	 */
	private String keepTag = "pinned";

	/**
	 * Age, since last written, past which raw-output files (<job-id>.log and .log.gz) are deleted even if their job
	 * is kept. Defaults to max-age; zero keeps them as long as their job. If a duration suffix is not specified, days
	 * will be used.
	 */
	@DurationUnit(ChronoUnit.DAYS)
	private @Nullable Duration outputFilesMaxAge;

	/**
	 * Time between the end of a sweep and the start of the next. If a duration suffix is not specified, seconds will
	 * be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration interval = Duration.ofHours(1);

	/**
	 * Maximum number of jobs deleted per store transaction.
	 */
	private int batchSize = 500;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getMaxAge() {
		return this.maxAge;
	}

	public void setMaxAge(Duration maxAge) {
		this.maxAge = maxAge;
	}

	public @Nullable Duration getFailedMaxAge() {
		return this.failedMaxAge;
	}

	public void setFailedMaxAge(@Nullable Duration failedMaxAge) {
		this.failedMaxAge = failedMaxAge;
	}

	public long getMaxJobs() {
		return this.maxJobs;
	}

	public void setMaxJobs(long maxJobs) {
		this.maxJobs = maxJobs;
	}

	public String getKeepTag() {
		return this.keepTag;
	}

	public void setKeepTag(String keepTag) {
		this.keepTag = keepTag;
	}

	public @Nullable Duration getOutputFilesMaxAge() {
		return this.outputFilesMaxAge;
	}

	public void setOutputFilesMaxAge(@Nullable Duration outputFilesMaxAge) {
		this.outputFilesMaxAge = outputFilesMaxAge;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		this.interval = interval;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

}
