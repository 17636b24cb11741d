package io.execra.interpret;

import java.time.Duration;
import java.util.List;

import io.execra.CommandSpec;
import io.execra.Finding;
import io.execra.JobId;
import io.execra.Phase;
import io.execra.Progress;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link Interpreter} sees of its job, and how it emits events. Each emitting method appends one event to
 * the job (and updates the job's snapshot) before it returns. Not thread-safe: use it only from within
 * {@code onLine}/{@code onExit}.
 */
public interface InterpreterContext {

	/** @return the job's id */
	JobId jobId();

	/** @return what the job runs */
	CommandSpec command();

	/**
	 * Whether the job's command counts this exit as success: exit code 0, or one of its success exit codes (e.g.
	 * {@code 1} for a linter that reports findings). Interpreters should ask this rather than
	 * {@link io.execra.ExitStatus#isSuccess()} before reporting a failure at exit.
	 * @param exit the exit
	 * @return whether the job succeeds with it
	 */
	boolean isSuccess(io.execra.ExitStatus exit);

	/** @return time since the process started */
	Duration elapsed();

	/** @return the innermost open phase, or {@code null} */
	@Nullable Phase currentPhase();

	/** @return the open phases, outermost first */
	List<Phase> phases();

	/**
	 * Enters a phase (pushed on top of the open phases).
	 * @param name stable name
	 * @param label optional text
	 * @return the new phase
	 */
	Phase enterPhase(String name, @Nullable String label);

	/**
	 * Changes the label of the innermost phase; an {@code interpreter_error} event if none is open.
	 * @param label the label
	 */
	void updatePhase(String label);

	/**
	 * Exits the innermost phase; an {@code interpreter_error} event if none is open.
	 */
	void exitPhase();

	/**
	 * Reports progress.
	 * @param progress the progress
	 */
	void progress(Progress progress);

	/**
	 * Changes the job's label.
	 * @param label the label
	 */
	void label(String label);

	/**
	 * Reports a warning.
	 * @param code optional code
	 * @param message the text
	 */
	void warning(@Nullable String code, String message);

	/**
	 * Reports an error the tool printed. If the process then fails, the last known error becomes the failure
	 * reason; with a successful exit it is ignored.
	 * @param code the code
	 * @param message the text
	 */
	void knownError(String code, String message);

	/**
	 * Emits a finding; it also goes into the outcome.
	 * @param finding the finding
	 */
	void finding(Finding finding);

	/**
	 * Reports that the tool asks a question; answer through the job's stdin.
	 * @param prompt the question
	 */
	void prompt(String prompt);

	/**
	 * Sets the summary that becomes the outcome's message (last one wins; not emitted as an event).
	 * @param summary the summary
	 */
	void summary(String summary);

	/**
	 * Writes to the job's stdin, e.g. to answer a prompt; requires {@code Stdin.pipe()}.
	 * @param text the text (UTF-8)
	 */
	void answer(String text);

}
