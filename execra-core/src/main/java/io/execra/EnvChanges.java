package io.execra;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A {@link Command}'s environment changes, in order: each sets a variable or removes an inherited one, and a later
 * change of a name wins. Immutable.
 */
final class EnvChanges {

	static final EnvChanges NONE = new EnvChanges(List.of());

	private final List<Change> changes;

	private EnvChanges(List<Change> changes) {
		this.changes = changes;
	}

	/**
	 * @param name the variable's name
	 * @param value its value, or {@code null} to remove it
	 * @return these changes followed by one more
	 */
	EnvChanges with(String name, @Nullable String value) {
		List<Change> all = new ArrayList<>(this.changes.size() + 1);
		all.addAll(this.changes);
		all.add(new Change(name, value));
		return new EnvChanges(List.copyOf(all));
	}

	/** @return name/value pairs in order, a {@code null} value removing the variable */
	List<Map.Entry<String, @Nullable String>> entries() {
		List<Map.Entry<String, @Nullable String>> entries = new ArrayList<>(this.changes.size());
		for (Change change : this.changes) {
			entries.add(new AbstractMap.SimpleImmutableEntry<>(change.name(), change.value()));
		}
		return entries;
	}

	/**
	 * @param inherited the environment the process would inherit
	 * @param clear whether to start from an empty environment instead
	 * @return the process's environment
	 */
	Map<String, String> applyTo(Map<String, String> inherited, boolean clear) {
		Map<String, String> result = clear ? new LinkedHashMap<>() : new LinkedHashMap<>(inherited);
		for (Change change : this.changes) {
			if (change.value() == null) {
				result.remove(change.name());
			}
			else {
				result.put(change.name(), change.value());
			}
		}
		return result;
	}

	/** @return the names of the variables set, not removed by a later change */
	List<String> setNames() {
		return namesWhoseLastChange(true);
	}

	/** @return the names of the variables removed, not set by a later change */
	List<String> removedNames() {
		return namesWhoseLastChange(false);
	}

	private List<String> namesWhoseLastChange(boolean sets) {
		Set<String> names = new LinkedHashSet<>();
		for (Change change : this.changes) {
			if ((change.value() != null) == sets) {
				names.add(change.name());
			}
			else {
				names.remove(change.name());
			}
		}
		return List.copyOf(names);
	}

	private record Change(String name, @Nullable String value) {
	}

}
