package io.execra.sample.web;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/jobs}.
 *
 * @param preset the preset's name in {@code execra.commands}
 * @param parameters a value for each of its placeholders
 * @param owner who starts the job, or {@code null}
 */
public record LaunchRequest(String preset, @Nullable Map<String, String> parameters, @Nullable String owner) {

}
