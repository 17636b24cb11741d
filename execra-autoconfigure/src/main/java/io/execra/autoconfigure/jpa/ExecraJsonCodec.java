package io.execra.autoconfigure.jpa;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.execra.Action;
import io.execra.Event;
import io.execra.FailureReason;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.Progress;
import io.execra.store.StoreException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.NamedType;
import tools.jackson.databind.module.SimpleModule;

/**
 * The JSON form of execra's value types as stored in the database: events, outcomes, progress, phases, findings and
 * command specs. Sealed hierarchies carry a snake_case discriminator: {@code kind} for events, outcomes, failure
 * reasons and actions, {@code unit} for progress. Job ids are UUID strings (an event's id is its {@code job}
 * property), instants and durations ISO-8601, enums lower-case, and {@code null} properties are left out. Unknown
 * properties are ignored when reading, so rows written by a newer version stay readable. Thread-safe.
 */
public final class ExecraJsonCodec {

	private final JsonMapper mapper;

	/**
	 * Creates the codec with its own, private mapper (the application's {@code JsonMapper} is left alone).
	 */
	public ExecraJsonCodec() {
		this.mapper = JsonMapper.builder()
			.addModule(jobIdModule())
			.addMixIn(Event.class, EventMixin.class)
			.addMixIn(Outcome.class, KindMixin.class)
			.addMixIn(FailureReason.class, KindMixin.class)
			.addMixIn(Action.class, KindMixin.class)
			.addMixIn(Progress.class, UnitMixin.class)
			.registerSubtypes(eventKinds())
			.registerSubtypes(new NamedType(Outcome.Succeeded.class, "succeeded"),
					new NamedType(Outcome.Failed.class, "failed"), new NamedType(Outcome.Cancelled.class, "cancelled"))
			.registerSubtypes(new NamedType(FailureReason.NonZeroExit.class, "non_zero_exit"),
					new NamedType(FailureReason.Signaled.class, "signaled"),
					new NamedType(FailureReason.KnownError.class, "known_error"),
					new NamedType(FailureReason.SpawnFailed.class, "spawn_failed"),
					new NamedType(FailureReason.TimedOut.class, "timed_out"),
					new NamedType(FailureReason.OutputLimitExceeded.class, "output_limit_exceeded"),
					new NamedType(FailureReason.HostExited.class, "host_exited"))
			.registerSubtypes(new NamedType(Action.RunCommand.class, "command"),
					new NamedType(Action.Link.class, "link"), new NamedType(Action.Instruction.class, "instruction"))
			.registerSubtypes(new NamedType(Progress.Unknown.class, "unknown"),
					new NamedType(Progress.Indeterminate.class, "indeterminate"),
					new NamedType(Progress.Fraction.class, "fraction"), new NamedType(Progress.Count.class, "count"),
					new NamedType(Progress.Bytes.class, "bytes"))
			// isTerminal(), isSuccess()... are derived, not state
			.changeDefaultVisibility((checker) -> checker.withIsGetterVisibility(Visibility.NONE))
			.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
			.enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
			.enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
			.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS, DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build();
	}

	private static NamedType[] eventKinds() {
		Class<?>[] types = { Event.JobCreated.class, Event.JobStarted.class, Event.PhaseEntered.class,
				Event.PhaseUpdated.class, Event.PhaseExited.class, Event.ProgressUpdated.class, Event.LabelUpdated.class,
				Event.OutputAppended.class, Event.WarningDetected.class, Event.KnownErrorDetected.class,
				Event.FindingEmitted.class, Event.PromptDetected.class, Event.InterpreterError.class,
				Event.Exited.class, Event.Cancelled.class, Event.Finalized.class, Event.Lagged.class };
		NamedType[] named = new NamedType[types.length];
		for (int i = 0; i < types.length; i++) {
			named[i] = new NamedType(types[i], kindOf(types[i]));
		}
		return named;
	}

	/** {@code Event.JobCreated} → {@code job_created}, matching {@link Event#kind()}. */
	private static String kindOf(Class<?> type) {
		return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
	}

	private static SimpleModule jobIdModule() {
		SimpleModule module = new SimpleModule("execra-job-id");
		module.addSerializer(JobId.class, new ValueSerializer<JobId>() {

			@Override
			public void serialize(JobId value, JsonGenerator generator, SerializationContext context) {
				generator.writeString(value.toString());
			}

		});
		module.addDeserializer(JobId.class, new ValueDeserializer<JobId>() {

			@Override
			public JobId deserialize(JsonParser parser, DeserializationContext context) {
				return JobId.parse(parser.getValueAsString());
			}

		});
		return module;
	}

	/**
	 * Writes a value as JSON, with the discriminator of its declared type.
	 * @param <T> the declared type
	 * @param type the declared type, e.g. {@code Event.class}
	 * @param value the value
	 * @return the JSON text
	 * @throws StoreException if the value cannot be written
	 */
	public <T> String write(Class<T> type, T value) {
		try {
			return this.mapper.writerFor(type).writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new StoreException("Could not write " + type.getSimpleName() + " as JSON: " + value, ex);
		}
	}

	/**
	 * Reads a value from JSON.
	 * @param <T> the type
	 * @param type the declared type, e.g. {@code Event.class}
	 * @param json the JSON text
	 * @return the value
	 * @throws StoreException if the text is not a valid {@code type}
	 */
	public <T> T read(Class<T> type, String json) {
		try {
			return this.mapper.readValue(json, type);
		}
		catch (JacksonException ex) {
			throw new StoreException("Could not read " + type.getSimpleName() + " from JSON: " + json, ex);
		}
	}

	@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
	private interface EventMixin {

		@JsonProperty("job")
		JobId jobId();

	}

	@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
	private interface KindMixin {

	}

	@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "unit")
	private interface UnitMixin {

	}

}
