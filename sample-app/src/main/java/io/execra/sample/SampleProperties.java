package io.execra.sample;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sample at {@code sample.*}.
 *
 * @param workDir directory where the sample creates its test clip, demo repository, build script, transcoded
 * files and clones; relative paths are resolved against the working directory
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("data/work") Path workDir) {

}
