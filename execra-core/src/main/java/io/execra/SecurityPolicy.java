package io.execra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Which commands a runtime may run and what it may reveal about them. Immutable and thread-safe.
 *
 * @param allowedPrograms programs that may run: bare names (matched against a program given by name) or absolute
 * paths (matched against the resolved executable). Empty: any program.
 * @param allowShell whether {@link Command#shell(String)} commands may run; when {@code false}, also whether a
 * command may run a shell as its program ({@code bash script.sh}) or give a script interpreter code in an argument
 * ({@code python3 -c ...}, {@code perl -e ...}, {@code node --eval ...}, an awk program), directly or through
 * {@code env}, {@code nice}, {@code nohup}, {@code timeout}, {@code stdbuf}, {@code setsid}, {@code ionice} or
 * {@code time} — unless that program is listed in {@code allowedPrograms}
 * @param envInheritance which of the application's environment variables a process inherits
 * @param envAllowList variable names inherited under {@link EnvInheritance#ALLOW_LIST}
 * @param redactPatterns patterns whose matches in arguments, labels and metadata are replaced by
 * {@value #MASK} before they reach events, logs or a store; values of arguments that match are also masked in
 * output lines
 */
public record SecurityPolicy(Set<String> allowedPrograms, boolean allowShell, EnvInheritance envInheritance,
		Set<String> envAllowList, List<Pattern> redactPatterns) {

	/** What redacted text is replaced with. */
	public static final String MASK = "******";

	/** Which inherited environment variables a process gets. */
	public enum EnvInheritance {

		/** All of the application's variables. */
		INHERIT,

		/** None: only what the command sets. */
		NONE,

		/** Only the variables named in the allow-list. */
		ALLOW_LIST

	}

	public SecurityPolicy {
		allowedPrograms = Set.copyOf(allowedPrograms);
		Checks.notNull(envInheritance, "envInheritance");
		envAllowList = Set.copyOf(envAllowList);
		redactPatterns = List.copyOf(redactPatterns);
	}

	/**
	 * Any program, shell allowed, environment inherited, nothing redacted: the policy of a plain
	 * {@link ExecraRuntime#inMemory()}.
	 * @return the policy
	 */
	public static SecurityPolicy permissive() {
		return new SecurityPolicy(Set.of(), true, EnvInheritance.INHERIT, Set.of(), List.of());
	}

	/**
	 * Checks whether a command may run.
	 * @param command the command
	 * @param resolvedProgram the absolute path the program resolved to, or {@code null} if it did not resolve
	 * @return {@code null} if allowed, else the reason it is not
	 */
	public @Nullable String rejectionReason(Command command, @Nullable Path resolvedProgram) {
		if (command.kind() == Command.Kind.SHELL && !this.allowShell) {
			return "shell commands are not allowed by the security policy (allow-shell is false): "
					+ redact(command.args().get(command.args().size() - 1));
		}
		if (!this.allowShell) {
			CodeRunningPrograms.Finding code = CodeRunningPrograms.find(command.program(), command.args());
			boolean listed = code != null && (code.program().equals(command.program())
					? isListed(code.program(), resolvedProgram) : isListed(code.program(), absolute(code.program())));
			if (code != null && !listed) {
				return code.reason() + ", which the security policy does not allow (allow-shell is false) unless "
						+ "allowed-programs lists it: " + redact(command.spec().commandLine());
			}
		}
		if (this.allowedPrograms.isEmpty() || isListed(command.program(), resolvedProgram)) {
			return null;
		}
		return "program '" + command.program() + "' is not in the allowed programs "
				+ new java.util.TreeSet<>(this.allowedPrograms);
	}

	private boolean isListed(String program, @Nullable Path resolvedProgram) {
		boolean byPath = program.contains("/") || program.contains("\\");
		for (String allowed : this.allowedPrograms) {
			boolean allowedIsPath = allowed.contains("/") || allowed.contains("\\");
			if (!allowedIsPath && !byPath && allowed.equals(program)) {
				return true;
			}
			if (allowedIsPath && resolvedProgram != null
					&& Path.of(allowed).toAbsolutePath().normalize().equals(resolvedProgram)) {
				return true;
			}
		}
		return false;
	}

	/** A program a wrapper runs is not resolved on the PATH: only an absolute path can match a path entry. */
	private static @Nullable Path absolute(String program) {
		Path path = Path.of(program);
		return path.isAbsolute() ? path.normalize() : null;
	}

	/**
	 * The environment a process starts from, before the command's own changes.
	 * @param application the application's environment
	 * @return the inherited variables
	 */
	public Map<String, String> inheritedEnvironment(Map<String, String> application) {
		switch (this.envInheritance) {
			case NONE:
				return Map.of();
			case ALLOW_LIST:
				Map<String, String> allowed = new java.util.LinkedHashMap<>();
				for (String name : this.envAllowList) {
					String value = application.get(name);
					if (value != null) {
						allowed.put(name, value);
					}
				}
				return allowed;
			default:
				return application;
		}
	}

	/**
	 * Masks every match of the redaction patterns.
	 * @param text the text
	 * @return the text with matches replaced by {@value #MASK}
	 */
	public String redact(String text) {
		String result = text;
		for (Pattern pattern : this.redactPatterns) {
			Matcher matcher = pattern.matcher(result);
			if (matcher.find()) {
				result = matcher.replaceAll(MASK);
			}
		}
		return result;
	}

	/**
	 * The literal secrets found in a command's arguments: each substring a redaction pattern matches. Output lines
	 * are masked for these.
	 * @param args the arguments
	 * @return the secrets, longest first
	 */
	public List<String> secretsIn(List<String> args) {
		Set<String> secrets = new LinkedHashSet<>();
		for (String arg : args) {
			for (Pattern pattern : this.redactPatterns) {
				Matcher matcher = pattern.matcher(arg);
				while (matcher.find()) {
					if (!matcher.group().isEmpty()) {
						secrets.add(matcher.group());
					}
				}
			}
		}
		List<String> sorted = new ArrayList<>(secrets);
		sorted.sort((a, b) -> Integer.compare(b.length(), a.length()));
		return sorted;
	}

	/**
	 * The command's spec with arguments, label and metadata values redacted.
	 * @param command the command
	 * @return the spec safe to publish
	 */
	public CommandSpec redactedSpec(Command command) {
		CommandSpec spec = command.spec();
		if (this.redactPatterns.isEmpty()) {
			return spec;
		}
		List<String> args = new ArrayList<>(spec.args().size());
		for (String arg : spec.args()) {
			args.add(redact(arg));
		}
		Map<String, String> metadata = new java.util.LinkedHashMap<>();
		spec.metadata().forEach((k, v) -> metadata.put(k, redact(v)));
		return spec.redacted(args, (spec.label() != null) ? redact(spec.label()) : null, metadata);
	}

}
