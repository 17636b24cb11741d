package io.execra;

import java.io.Serializable;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Something a user can do about a {@link Finding}. Sealed: a command to run, a link to open, or an
 * instruction to follow.
 */
public sealed interface Action extends Serializable {

	/**
	 * The text of a button or link for this action.
	 * @return the label
	 */
	String label();

	/**
	 * Run a program.
	 * @param label button text
	 * @param program the program
	 * @param args its arguments
	 * @param cwd optional working directory
	 */
	record RunCommand(String label, String program, List<String> args, @Nullable String cwd) implements Action {

		public RunCommand {
			Checks.notEmpty(label, "label");
			Checks.notEmpty(program, "program");
			args = List.copyOf(args);
		}

	}

	/**
	 * Open a link.
	 * @param label link text
	 * @param url the address
	 */
	record Link(String label, String url) implements Action {

		public Link {
			Checks.notEmpty(label, "label");
			Checks.notEmpty(url, "url");
		}

	}

	/**
	 * Follow an instruction.
	 * @param label short title
	 * @param text what to do
	 */
	record Instruction(String label, String text) implements Action {

		public Instruction {
			Checks.notEmpty(label, "label");
			Checks.notEmpty(text, "text");
		}

	}

}
