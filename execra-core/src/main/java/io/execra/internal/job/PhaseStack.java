package io.execra.internal.job;

import java.util.ArrayList;
import java.util.List;

import io.execra.Phase;
import org.jspecify.annotations.Nullable;

/**
 * A job's open phases, innermost last, with ids unique within the job. Not thread-safe: guarded by the job's
 * lock.
 */
final class PhaseStack {

	private final List<Phase> open = new ArrayList<>();

	private int nextId = 1;

	Phase push(String name, @Nullable String label) {
		Phase phase = new Phase(this.nextId++, name, label);
		this.open.add(phase);
		return phase;
	}

	Phase pop() {
		return this.open.remove(this.open.size() - 1);
	}

	Phase relabel(String label) {
		Phase top = pop();
		Phase relabelled = new Phase(top.id(), top.name(), label);
		this.open.add(relabelled);
		return relabelled;
	}

	@Nullable Phase current() {
		return this.open.isEmpty() ? null : this.open.get(this.open.size() - 1);
	}

	List<Phase> all() {
		return List.copyOf(this.open);
	}

}
