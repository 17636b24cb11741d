package io.execra.cluster;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a node needs, beside the job's stored snapshot, to run a queued job: either a preset of its own and the
 * placeholder values ({@code preset} set), or nothing at all because only the node that spawned the job may run it
 * ({@code pinnedNode} set: a command built in code carries Java objects, such as interpreters, that no other node
 * has). Exactly one of the two is set.
 *
 * @param preset the preset's name, or {@code null} for a pinned job
 * @param parameters the placeholder values (empty for a pinned job)
 * @param pinnedNode the only node that may claim the job, or {@code null}
 * @param restartable whether the command is safe to run again after its node died (queued again once)
 * @param priority higher is claimed first; FIFO within a priority
 */
public record JobRecipe(@Nullable String preset, Map<String, String> parameters, @Nullable String pinnedNode,
		boolean restartable, int priority) {

	public JobRecipe {
		parameters = Map.copyOf(parameters);
		if ((preset == null) == (pinnedNode == null)) {
			throw new IllegalArgumentException("A recipe names either a preset or a pinned node, not "
					+ ((preset == null) ? "neither" : "both"));
		}
		if (preset != null && preset.isEmpty()) {
			throw new IllegalArgumentException("preset must not be empty");
		}
	}

	/**
	 * @param preset the preset
	 * @param parameters its placeholder values
	 * @param restartable whether it is safe to run again
	 * @param priority the priority
	 * @return a recipe any node with that preset may run
	 */
	public static JobRecipe preset(String preset, Map<String, String> parameters, boolean restartable,
			int priority) {
		return new JobRecipe(preset, parameters, null, restartable, priority);
	}

	/**
	 * @param node the node that spawned the job
	 * @param restartable whether it is safe to run again
	 * @param priority the priority
	 * @return a recipe only that node may run
	 */
	public static JobRecipe pinned(String node, boolean restartable, int priority) {
		return new JobRecipe(null, Map.of(), node, restartable, priority);
	}

}
