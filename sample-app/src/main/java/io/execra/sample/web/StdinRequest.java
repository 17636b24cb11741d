package io.execra.sample.web;

/**
 * The body of {@code POST /api/jobs/{id}/stdin}.
 *
 * @param text the line to write (a newline is added)
 */
public record StdinRequest(String text) {

}
