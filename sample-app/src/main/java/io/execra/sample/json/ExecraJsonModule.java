package io.execra.sample.json;

import java.util.OptionalDouble;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import io.execra.CommandSpec;
import io.execra.Event;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.Progress;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.stereotype.Component;

/**
 * JSON for execra's types, as a Jackson module Spring Boot adds to its {@code JsonMapper}. execra's records
 * serialize as they are; the mix-ins only add what a client needs to tell the members of a sealed type apart and
 * what is computed rather than stored:
 * <ul>
 * <li>every {@link Event} carries its {@code kind} ({@code "progress_updated"}...), first;</li>
 * <li>{@link Progress} carries its {@code type} ({@code "Fraction"}, {@code "Count"}...) and its
 * {@code fraction} (0 to 1, or null when unknown);</li>
 * <li>{@link Outcome} and {@link FailureReason} carry their {@code kind} and {@code message};</li>
 * <li>a {@link JobId} is its UUID string; a {@link Job} shows its {@code owner}; a {@link CommandSpec} its
 * {@code commandLine}.</li>
 * </ul>
 */
@Component
public class ExecraJsonModule extends SimpleModule {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the module.
	 */
	public ExecraJsonModule() {
		super("execra-sample");
		setMixInAnnotation(Event.class, EventMixin.class);
		setMixInAnnotation(Progress.class, ProgressMixin.class);
		setMixInAnnotation(Outcome.class, OutcomeMixin.class);
		setMixInAnnotation(FailureReason.class, FailureReasonMixin.class);
		setMixInAnnotation(JobId.class, JobIdMixin.class);
		setMixInAnnotation(Job.class, JobMixin.class);
		setMixInAnnotation(CommandSpec.class, CommandSpecMixin.class);
	}

	@JsonPropertyOrder({ "kind", "jobId", "seq", "at" })
	interface EventMixin {

		@JsonProperty("kind")
		String kind();

		@JsonIgnore
		boolean isTerminal();

	}

	@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
	interface ProgressMixin {

		@JsonProperty("fraction")
		OptionalDouble asFraction();

	}

	@JsonPropertyOrder({ "kind", "message" })
	interface OutcomeMixin {

		@JsonProperty("kind")
		String kind();

		@JsonProperty("message")
		String message();

		@JsonIgnore
		boolean isSuccess();

	}

	@JsonPropertyOrder({ "kind", "message" })
	interface FailureReasonMixin {

		@JsonProperty("kind")
		String kind();

		@JsonProperty("message")
		String describe();

	}

	interface JobIdMixin {

		@JsonValue
		String toString();

	}

	interface JobMixin {

		@JsonProperty("owner")
		String owner();

		@JsonProperty("finalized")
		boolean isFinalized();

	}

	interface CommandSpecMixin {

		@JsonProperty("commandLine")
		String commandLine();

	}

}
