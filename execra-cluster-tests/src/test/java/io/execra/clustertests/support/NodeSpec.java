package io.execra.clustertests.support;

import java.util.Map;

/**
 * A node to start.
 *
 * @param name its short name (its node id is {@code node-<name>})
 * @param sharedQueue whether it has the shared presets ({@link JobScripts#sharedPresets()}) and so claims their jobs;
 * every node has the presets only it runs ({@link JobScripts#presetsOnlyOn(String)})
 * @param properties more properties of this node only
 */
public record NodeSpec(String name, boolean sharedQueue, Map<String, String> properties) {

	public NodeSpec {
		properties = Map.copyOf(properties);
	}

	/**
	 * @param name the node's name
	 * @return a node of the shared queue with the cluster's properties
	 */
	public static NodeSpec of(String name) {
		return new NodeSpec(name, true, Map.of());
	}

}
