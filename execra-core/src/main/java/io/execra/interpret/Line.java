package io.execra.interpret;

import java.time.Instant;

import io.execra.StdStream;

/**
 * A line of output handed to an {@link Interpreter}.
 *
 * @param stream stdout or stderr
 * @param text the decoded text, without its line terminator
 * @param at when it was read
 * @param seq the seq of its {@code output_appended} event
 */
public record Line(StdStream stream, String text, Instant at, long seq) {
}
