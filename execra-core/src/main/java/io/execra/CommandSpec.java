package io.execra;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The immutable, serializable view of a {@link Command}: what was run, as stored and shown in events.
 * It never holds stdin contents, the interpreter or environment values — only the names of the variables that
 * were set.
 *
 * @param kind how the command line is formed: {@code exec}, {@code shell} or {@code script}
 * @param program the program (for a shell command, the shell)
 * @param args the arguments, after redaction
 * @param envKeys names of environment variables set or overridden
 * @param envRemoved names of environment variables removed
 * @param envClear whether the inherited environment was cleared
 * @param cwd working directory, or {@code null} for the application's
 * @param stdin stdin mode ({@code none}, {@code bytes}, {@code file}, {@code pipe})
 * @param label initial label
 * @param tags tags
 * @param timeout timeout, or {@code null} for none
 * @param owner owner, or {@code null}
 * @param metadata free-form metadata
 */
public record CommandSpec(String kind, String program, List<String> args, List<String> envKeys,
		List<String> envRemoved, boolean envClear, @Nullable String cwd, String stdin, @Nullable String label,
		Set<String> tags, @Nullable Duration timeout, @Nullable String owner, Map<String, String> metadata)
		implements Serializable {

	public CommandSpec {
		Checks.notEmpty(kind, "kind");
		Checks.notEmpty(program, "program");
		args = List.copyOf(args);
		envKeys = List.copyOf(envKeys);
		envRemoved = List.copyOf(envRemoved);
		tags = Set.copyOf(tags);
		metadata = Map.copyOf(metadata);
		Checks.notEmpty(stdin, "stdin");
	}

	/**
	 * The command line for display: program and arguments joined by spaces.
	 * @return the command line
	 */
	public String commandLine() {
		StringBuilder sb = new StringBuilder(this.program);
		for (String arg : this.args) {
			sb.append(' ').append(arg);
		}
		return sb.toString();
	}

	/**
	 * A copy with redacted arguments and label.
	 * @param args the arguments to show
	 * @param label the label to show
	 * @param metadata the metadata to show
	 * @return the copy
	 */
	public CommandSpec redacted(List<String> args, @Nullable String label, Map<String, String> metadata) {
		return new CommandSpec(this.kind, this.program, args, this.envKeys, this.envRemoved, this.envClear, this.cwd,
				this.stdin, label, this.tags, this.timeout, this.owner, metadata);
	}

}
