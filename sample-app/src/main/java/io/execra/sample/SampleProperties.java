package io.execra.sample;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the sample at {@code sample.*}.
 *
 * @param workDir directory where the sample creates its test clip, demo repository, build script, transcoded
 * files and clones; relative paths are resolved against the working directory
 * @param maxJobsPerClient how many jobs one client (remote address) may have queued or running at a time; more are
 * refused with 429
 * @param maxRequestSize largest request body the API reads; larger ones are refused with 413 before they are read
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("data/work") Path workDir, @DefaultValue("4") int maxJobsPerClient,
		@DefaultValue("64KB") DataSize maxRequestSize) {

	public SampleProperties {
		if (maxJobsPerClient < 1) {
			throw new IllegalArgumentException("'sample.max-jobs-per-client' must be at least 1");
		}
		if (maxRequestSize.toBytes() < 1) {
			throw new IllegalArgumentException("'sample.max-request-size' must be positive");
		}
	}

}
