package io.execra.interpret;

import io.execra.StdStream;

/**
 * An optional side of an {@link Interpreter}: it can tell that it would do nothing with a line before the line is
 * decoded for it. The runtime then neither decodes the line for the interpreter nor calls
 * {@link Interpreter#onLine} with it; a line that nobody else reads is then never decoded at all. Most lines of a
 * chatty tool match no rule: the sessions of a {@link RuleInterpreter} answer from their rules' literal prefilters.
 * <p>
 * Asked serially, like {@link Interpreter#onLine}, and only about lines whose bytes are all ASCII, so that each byte
 * is one character of the text. An exception thrown here is handled as one thrown by {@code onLine}.
 */
public interface LinePrefilter {

	/**
	 * Whether {@link Interpreter#onLine} would neither emit anything for this line nor change the interpreter's
	 * state, so that the line may be skipped. Answering {@code false} is always safe.
	 * @param stream the line's stream
	 * @param text the line's text: a view valid only during this call (copy it to keep it)
	 * @return {@code true} to skip the line
	 */
	boolean ignores(StdStream stream, CharSequence text);

}
