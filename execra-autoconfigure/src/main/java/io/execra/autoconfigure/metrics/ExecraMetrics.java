package io.execra.autoconfigure.metrics;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;
import org.jspecify.annotations.Nullable;

/**
 * The meters of execra: {@link #JOB} and {@link #JOB_ACTIVE} derive from the job's observation, the others are
 * recorded by the {@link ExecraMetricsListener}, the {@link ExecraRuntimeMeterBinder} and the
 * {@link ExecraRetentionMetrics}. Every tag is low-cardinality: never a job id, label, program or argument, and
 * every value is lower-case.
 */
public enum ExecraMetrics implements MeterDocumentation {

	/**
	 * Jobs finalized, and how long they took from their start (or creation, if they never started): the timer Boot's
	 * meter handler derives from the job's observation ({@link ExecraObservationDocumentation#JOB}).
	 */
	JOB("execra.job", Meter.Type.TIMER, Tags.RUNTIME, Tags.OUTCOME, Tags.REASON, Tags.ERROR),

	/** Jobs running now, and for how long: the long task timer derived from the job's observation. */
	JOB_ACTIVE("execra.job.active", Meter.Type.LONG_TASK_TIMER, Tags.RUNTIME),

	/** Time jobs waited in the queue for a concurrency permit. */
	JOB_QUEUE_WAIT("execra.job.queue.wait", Meter.Type.TIMER, Tags.RUNTIME),

	/** Jobs waiting for a concurrency permit now. */
	JOB_QUEUED("execra.job.queued", Meter.Type.GAUGE, Tags.RUNTIME),

	/** Output lines read. */
	OUTPUT_LINES("execra.output.lines", Meter.Type.COUNTER, Tags.RUNTIME, Tags.STREAM),

	/** Output bytes read (line terminators excluded). */
	OUTPUT_BYTES("execra.output.bytes", Meter.Type.COUNTER, "bytes", Tags.RUNTIME, Tags.STREAM),

	/** Findings emitted by interpreters. */
	FINDINGS("execra.findings", Meter.Type.COUNTER, Tags.RUNTIME, Tags.SEVERITY),

	/** Signals execra sent to process groups (cancellation, timeouts). */
	PROCESS_KILLS("execra.process.kills", Meter.Type.COUNTER, Tags.RUNTIME, Tags.SIGNAL),

	/** Events not delivered to subscribers that fell behind. */
	EVENTS_LAGGED("execra.events.lagged", Meter.Type.COUNTER, Tags.RUNTIME),

	/** Batches written to the job store, by result. */
	STORE_WRITE("execra.store.write", Meter.Type.TIMER, Tags.RUNTIME, Tags.RESULT),

	/** Events dropped because the store was unreachable and the buffer full. */
	STORE_EVENTS_DROPPED("execra.store.events.dropped", Meter.Type.COUNTER, Tags.RUNTIME),

	/** Jobs and raw-output files deleted by retention sweeps. */
	RETENTION_DELETED("execra.retention.deleted", Meter.Type.COUNTER, Tags.KIND);

	private final String name;

	private final Meter.Type type;

	private final String baseUnit;

	private final KeyName[] keyNames;

	ExecraMetrics(String name, Meter.Type type, Tags... keyNames) {
		this(name, type, "", keyNames);
	}

	ExecraMetrics(String name, Meter.Type type, String baseUnit, Tags... keyNames) {
		this.name = name;
		this.type = type;
		this.baseUnit = baseUnit;
		this.keyNames = keyNames;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Meter.Type getType() {
		return this.type;
	}

	@Override
	public @Nullable String getBaseUnit() {
		return this.baseUnit.isEmpty() ? null : this.baseUnit;
	}

	@Override
	public KeyName[] getKeyNames() {
		return this.keyNames.clone();
	}

	/**
	 * The tags of execra's meters.
	 */
	public enum Tags implements KeyName {

		/** The runtime: {@code default} or the name under {@code execra.runtimes}. */
		RUNTIME("runtime"),

		/** {@code succeeded}, {@code failed} or {@code cancelled}. */
		OUTCOME("outcome"),

		/** The failure reason's kind ({@code non_zero_exit}, {@code timed_out}...), {@code none} otherwise. */
		REASON("reason"),

		/** {@code stdout} or {@code stderr}. */
		STREAM("stream"),

		/** {@code info}, {@code recommendation}, {@code warning} or {@code error}. */
		SEVERITY("severity"),

		/** {@code term} or {@code kill}. */
		SIGNAL("signal"),

		/** {@code success} or {@code failure}. */
		RESULT("result"),

		/** {@code jobs} or {@code output_files}. */
		KIND("kind"),

		/**
		 * Added by Boot's meter handler to the observation's timer: {@code none}, or {@code JobFailedException} for
		 * a failed job.
		 */
		ERROR("error");

		private final String key;

		Tags(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
