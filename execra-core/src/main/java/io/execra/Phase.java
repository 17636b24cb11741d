package io.execra;

import java.io.Serializable;

import org.jspecify.annotations.Nullable;

/**
 * A named stage of a job ("download", "compile", "upload"), entered and exited by an interpreter.
 *
 * @param id number of the phase, unique within its job, from 1
 * @param name the phase's stable name
 * @param label optional text for UIs
 */
public record Phase(int id, String name, @Nullable String label) implements Serializable {

	public Phase {
		Checks.notEmpty(name, "name");
	}

}
