package io.execra.interpret;

/**
 * A notes block: a line whose trimmed text equals the trigger opens it; the lines that follow (except lines
 * starting with {@code ---}) are collected until a blank line or the process exit, and then emitted as one
 * {@link io.execra.Finding#info informational finding} with the given code and the lines joined by {@code \n}.
 * Notes are looked for before any rule is matched, and the lines they take are not matched by rules.
 *
 * @param trigger the text that opens a block, compared with the trimmed line
 * @param code the code of the emitted finding
 */
public record NotesDefinition(String trigger, String code) {

	public NotesDefinition {
		if (trigger == null || trigger.isBlank()) {
			throw new IllegalArgumentException("'trigger' must not be empty");
		}
		if (code == null || code.isEmpty()) {
			throw new IllegalArgumentException("'code' must not be empty");
		}
		trigger = trigger.trim();
	}

}
