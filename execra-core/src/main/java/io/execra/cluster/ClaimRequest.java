package io.execra.cluster;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a node may claim in one {@link ClusterStore#claim} call.
 *
 * @param max the most jobs to claim (this node's free capacity, capped by the claim batch)
 * @param presets the presets this node has: it claims preset jobs of these only, and pinned jobs of its own
 * @param limits cluster-wide concurrency limits by group: a group is a preset name or a tag, and a job belongs to
 * its preset's group and to each of its tags' groups. A claim never makes the number of running jobs (claimed and
 * not yet finalized, on any node) of a group exceed its limit, however many nodes claim at once.
 * @param id this claim's own id, stored with the jobs it takes: if the call fails without telling whether it
 * committed, {@link ClusterStore#claimed(NodeLease, UUID)} finds what it took
 */
public record ClaimRequest(int max, Set<String> presets, Map<String, Integer> limits, UUID id) {

	public ClaimRequest {
		presets = Set.copyOf(presets);
		limits = Map.copyOf(limits);
	}

	/**
	 * A request with an id of its own.
	 * @param max the most jobs to claim
	 * @param presets the presets this node has
	 * @param limits cluster-wide concurrency limits by group
	 */
	public ClaimRequest(int max, Set<String> presets, Map<String, Integer> limits) {
		this(max, presets, limits, UUID.randomUUID());
	}

}
