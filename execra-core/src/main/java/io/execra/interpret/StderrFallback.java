package io.execra.interpret;

import io.execra.ExitStatus;
import io.execra.StdStream;
import org.jspecify.annotations.Nullable;

/**
 * The fallback the built-in interpreters share: when the process exits with a failing code and the tool's output
 * named no known error, its last stderr line becomes the known error {@code <tool>_error}. A process ended by a
 * signal gets no fallback: the signal, not its last line, is why it ended. One per interpreter instance.
 */
final class StderrFallback {

	private final String code;

	private boolean reported;

	private @Nullable String lastLine;

	StderrFallback(String tool) {
		this.code = tool + "_error";
	}

	/**
	 * Remembers a line's text if the line is on stderr.
	 * @param line the line
	 * @param text its text, trimmed as the tool needs
	 */
	void remember(Line line, String text) {
		if (line.stream() == StdStream.STDERR) {
			this.lastLine = text;
		}
	}

	/**
	 * Reports a known error the interpreter recognised, so the fallback stays silent.
	 * @param context the job
	 * @param code the code
	 * @param message the message
	 */
	void knownError(InterpreterContext context, String code, String message) {
		this.reported = true;
		context.knownError(code, message);
	}

	/** @return whether a known error was reported */
	boolean reported() {
		return this.reported;
	}

	/**
	 * At exit: reports the last stderr line if the process exited with a failing code and nothing else was reported.
	 * @param exit how the process ended
	 * @param context the job
	 */
	void onExit(ExitStatus exit, InterpreterContext context) {
		if (appliesTo(exit, context) && !this.reported && this.lastLine != null) {
			context.knownError(this.code, this.lastLine);
		}
	}

	/**
	 * Whether an exit calls for a fallback error: the process failed by its exit code. A process ended by a signal
	 * failed because of the signal, not because of its last line.
	 * @param exit how the process ended
	 * @param context the job
	 * @return whether to report a fallback error (unless a known error was reported)
	 */
	static boolean appliesTo(ExitStatus exit, InterpreterContext context) {
		return exit.signal() == null && !context.isSuccess(exit);
	}

}
