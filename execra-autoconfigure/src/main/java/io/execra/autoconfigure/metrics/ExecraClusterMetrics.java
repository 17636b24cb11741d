package io.execra.autoconfigure.metrics;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * The meters of a runtime in cluster mode, bound by the {@link ExecraRuntimeMeterBinder} from the node's own counters
 * ({@code ExecraRuntime.cluster()}), never from the database. Apart from {@link ExecraMetrics} because they exist only
 * in cluster mode. Each is tagged with the runtime's name and the node's id ({@link Tags#NODE}).
 */
public enum ExecraClusterMetrics implements MeterDocumentation {

	/** Queued jobs this node claimed from the cluster's shared table. */
	CLAIMS("execra.cluster.claims", Meter.Type.COUNTER),

	/** Time from queued to claimed of the jobs this node claimed, on the database's clock: count and total only. */
	CLAIM_LATENCY("execra.cluster.claim.latency", Meter.Type.TIMER),

	/** Jobs of dead nodes this node rescued: finalized as host-exited, or queued again. */
	RESCUES("execra.cluster.rescues", Meter.Type.COUNTER),

	/** Records the store refused from this node because its lease had lapsed or another node owned the job. */
	FENCED_WRITES("execra.cluster.fenced.writes", Meter.Type.COUNTER),

	/** Times this node lost its lease. */
	LEASES_LOST("execra.cluster.leases.lost", Meter.Type.COUNTER),

	/** 1 while this node holds its lease, 0 after it lost it until it joined again. */
	LEASE_HELD("execra.cluster.lease.held", Meter.Type.GAUGE);

	private final String name;

	private final Meter.Type type;

	ExecraClusterMetrics(String name, Meter.Type type) {
		this.name = name;
		this.type = type;
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
	public KeyName[] getKeyNames() {
		return new KeyName[] { ExecraMetrics.Tags.RUNTIME, Tags.NODE };
	}

	/**
	 * The tag the cluster meters add to {@link ExecraMetrics.Tags#RUNTIME}.
	 */
	public enum Tags implements KeyName {

		/**
		 * This node's id ({@code execra.node-id}): one value per instance, which the instance's own series carry
		 * anyway, and stable across its restarts (host name and port by default). Never on the job meters, where it
		 * would multiply their series by the nodes. Not lower-cased: it is an id.
		 */
		NODE("node");

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
