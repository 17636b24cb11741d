package io.execra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.execra.interpret.Interpreter;
import org.jspecify.annotations.Nullable;

/**
 * A named command with {@code {placeholders}} in its arguments, environment values and working directory: a
 * preset, spawned with {@code runtime.spawn("transcode", Map.of("input", in, "output", out))}.
 * <p>
 * A placeholder is replaced by its value, and an argument always stays exactly one argument: no shell, no
 * splitting, no globbing, whatever the value contains. Write {@code {{} and {@code }}} for literal braces.
 * Rendering with a missing or an unknown parameter fails with an error naming it. Every value is checked before
 * the command is built: by default it may not be {@code null}, start with a dash, contain NUL, line breaks or other
 * control characters, or exceed {@value PlaceholderRule#DEFAULT_MAX_LENGTH} characters; a {@link PlaceholderRule}
 * per placeholder ({@link #withRule(String, PlaceholderRule)}) adds patterns, allowed values and typed paths and
 * URLs. A rejected value throws {@link InvalidPlaceholderException}. Immutable and thread-safe.
 *
 * @param name the preset's name
 * @param program the program (no placeholders)
 * @param args the argument templates
 * @param env environment variable templates
 * @param cwd working directory template, or {@code null}
 * @param label label template, or {@code null}
 * @param tags tags
 * @param timeout timeout, or {@code null}
 * @param successExitCodes exit codes that count as success (empty: 0)
 * @param interpreter interpreter factory, or {@code null}
 * @param stdin what the process reads on stdin: {@link Stdin#none()} (also for {@code null}) or {@link Stdin#pipe()}
 * for a job whose prompts are answered through {@link JobHandle#write(byte[])}
 * @param placeholderRules the rules of placeholders whose values need more than the default checks, by
 * placeholder name; each must be a placeholder the template uses
 * @param restartable whether its jobs are safe to run again after their node died in cluster mode (see
 * {@link Command#restartable(boolean)})
 * @param priority the priority of its jobs among queued jobs in cluster mode (see {@link Command#priority(int)})
 */
public record CommandTemplate(String name, String program, List<String> args, Map<String, String> env,
		@Nullable String cwd, @Nullable String label, Set<String> tags, @Nullable Duration timeout,
		Set<Integer> successExitCodes, @Nullable Supplier<? extends Interpreter> interpreter, Stdin stdin,
		Map<String, PlaceholderRule> placeholderRules, boolean restartable, int priority) {

	/**
	 * A template whose jobs are not restartable and have the default priority.
	 * @param name the preset's name
	 * @param program the program
	 * @param args the argument templates
	 * @param env environment variable templates
	 * @param cwd working directory template, or {@code null}
	 * @param label label template, or {@code null}
	 * @param tags tags
	 * @param timeout timeout, or {@code null}
	 * @param successExitCodes exit codes that count as success (empty: 0)
	 * @param interpreter interpreter factory, or {@code null}
	 * @param stdin {@link Stdin#none()} or {@link Stdin#pipe()}
	 * @param placeholderRules the rules of placeholders, by placeholder name
	 */
	public CommandTemplate(String name, String program, List<String> args, Map<String, String> env,
			@Nullable String cwd, @Nullable String label, Set<String> tags, @Nullable Duration timeout,
			Set<Integer> successExitCodes, @Nullable Supplier<? extends Interpreter> interpreter, Stdin stdin,
			Map<String, PlaceholderRule> placeholderRules) {
		this(name, program, args, env, cwd, label, tags, timeout, successExitCodes, interpreter, stdin,
				placeholderRules, false, 0);
	}

	/**
	 * A template whose placeholders get only the default checks.
	 * @param name the preset's name
	 * @param program the program
	 * @param args the argument templates
	 * @param env environment variable templates
	 * @param cwd working directory template, or {@code null}
	 * @param label label template, or {@code null}
	 * @param tags tags
	 * @param timeout timeout, or {@code null}
	 * @param successExitCodes exit codes that count as success (empty: 0)
	 * @param interpreter interpreter factory, or {@code null}
	 * @param stdin {@link Stdin#none()} or {@link Stdin#pipe()}
	 */
	public CommandTemplate(String name, String program, List<String> args, Map<String, String> env,
			@Nullable String cwd, @Nullable String label, Set<String> tags, @Nullable Duration timeout,
			Set<Integer> successExitCodes, @Nullable Supplier<? extends Interpreter> interpreter, Stdin stdin) {
		this(name, program, args, env, cwd, label, tags, timeout, successExitCodes, interpreter, stdin, Map.of());
	}

	/**
	 * A template whose process reads nothing on stdin.
	 * @param name the preset's name
	 * @param program the program
	 * @param args the argument templates
	 * @param env environment variable templates
	 * @param cwd working directory template, or {@code null}
	 * @param label label template, or {@code null}
	 * @param tags tags
	 * @param timeout timeout, or {@code null}
	 * @param successExitCodes exit codes that count as success (empty: 0)
	 * @param interpreter interpreter factory, or {@code null}
	 */
	public CommandTemplate(String name, String program, List<String> args, Map<String, String> env,
			@Nullable String cwd, @Nullable String label, Set<String> tags, @Nullable Duration timeout,
			Set<Integer> successExitCodes, @Nullable Supplier<? extends Interpreter> interpreter) {
		this(name, program, args, env, cwd, label, tags, timeout, successExitCodes, interpreter, Stdin.none());
	}

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{|}}|\\{([A-Za-z0-9_.-]+)}");

	public CommandTemplate {
		Checks.notEmpty(name, "name");
		Checks.notEmpty(program, "program");
		args = List.copyOf(args);
		env = Map.copyOf(env);
		tags = Set.copyOf(tags);
		successExitCodes = Set.copyOf(successExitCodes);
		stdin = (stdin != null) ? stdin : Stdin.none();
		if (stdin instanceof Stdin.Bytes || stdin instanceof Stdin.File) {
			throw new IllegalArgumentException("Preset '" + name + "': stdin must be none or pipe, not " + stdin.mode());
		}
		if (timeout != null) {
			Checks.positive(timeout, "timeout");
		}
		if (program.indexOf('{') >= 0 || program.indexOf('}') >= 0) {
			throw new IllegalArgumentException("Preset '" + name + "': the program '" + program
					+ "' cannot contain placeholders; put them in the arguments");
		}
		for (int i = 0; i < args.size(); i++) {
			checkSyntax(name, "args[" + i + "]", args.get(i));
		}
		for (Map.Entry<String, String> entry : env.entrySet()) {
			checkSyntax(name, "env." + entry.getKey(), entry.getValue());
		}
		if (cwd != null) {
			checkSyntax(name, "cwd", cwd);
		}
		if (label != null) {
			checkSyntax(name, "label", label);
		}
		placeholderRules = (placeholderRules != null) ? Map.copyOf(placeholderRules) : Map.of();
		if (!placeholderRules.isEmpty()) {
			Set<String> unused = new TreeSet<>(placeholderRules.keySet());
			unused.removeAll(placeholders(args, env, cwd, label));
			if (!unused.isEmpty()) {
				throw new IllegalArgumentException("Preset '" + name + "' has a rule for placeholder " + unused
						+ " but does not use it (its placeholders: " + placeholders(args, env, cwd, label) + ")");
			}
		}
	}

	/**
	 * A copy of this template with a rule for one of its placeholders, replacing any rule it had.
	 * @param placeholder the placeholder's name
	 * @param rule what its values must be
	 * @return the new template
	 * @throws IllegalArgumentException if the template does not use that placeholder
	 */
	public CommandTemplate withRule(String placeholder, PlaceholderRule rule) {
		Map<String, PlaceholderRule> rules = new LinkedHashMap<>(this.placeholderRules);
		rules.put(Checks.notEmpty(placeholder, "placeholder"), Checks.notNull(rule, "rule"));
		return new CommandTemplate(this.name, this.program, this.args, this.env, this.cwd, this.label, this.tags,
				this.timeout, this.successExitCodes, this.interpreter, this.stdin, rules, this.restartable,
				this.priority);
	}

	/**
	 * A copy of this template whose jobs are, or are not, safe to run again after their node died (cluster mode).
	 * @param restartable whether they are
	 * @return the new template
	 */
	public CommandTemplate withRestartable(boolean restartable) {
		return new CommandTemplate(this.name, this.program, this.args, this.env, this.cwd, this.label, this.tags,
				this.timeout, this.successExitCodes, this.interpreter, this.stdin, this.placeholderRules, restartable,
				this.priority);
	}

	/**
	 * A copy of this template whose jobs have this priority among queued jobs (cluster mode; higher first).
	 * @param priority the priority
	 * @return the new template
	 */
	public CommandTemplate withPriority(int priority) {
		return new CommandTemplate(this.name, this.program, this.args, this.env, this.cwd, this.label, this.tags,
				this.timeout, this.successExitCodes, this.interpreter, this.stdin, this.placeholderRules,
				this.restartable, priority);
	}

	private static void checkSyntax(String name, String where, String text) {
		try {
			checkSyntax(text);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Preset '" + name + "' " + where + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Checks the placeholder syntax of one template text: every brace must belong to a {@code {name}} placeholder
	 * (letters, digits, {@code _ . -}) or to an escaped {@code {{} or {@code }}}, so a misspelt placeholder such
	 * as {@code {in put}} is an error instead of reaching the program literally.
	 * @param text the template text
	 * @throws IllegalArgumentException describing the problem
	 */
	public static void checkSyntax(String text) {
		String rest = PLACEHOLDER.matcher(text).replaceAll("");
		if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
			throw new IllegalArgumentException("unbalanced brace or invalid placeholder in '" + text
					+ "'; placeholders look like {name} (letters, digits, '_', '.', '-'), and literal braces are "
					+ "written {{ and }}");
		}
	}

	/**
	 * The placeholders this template uses.
	 * @return their names, sorted
	 */
	public Set<String> placeholders() {
		return placeholders(this.args, this.env, this.cwd, this.label);
	}

	private static Set<String> placeholders(List<String> args, Map<String, String> env, @Nullable String cwd,
			@Nullable String label) {
		List<String> templates = new ArrayList<>(args);
		templates.addAll(env.values());
		if (cwd != null) {
			templates.add(cwd);
		}
		if (label != null) {
			templates.add(label);
		}
		Set<String> names = new TreeSet<>();
		for (String text : templates) {
			Matcher matcher = PLACEHOLDER.matcher(text);
			while (matcher.find()) {
				if (matcher.group(1) != null) {
					names.add(matcher.group(1));
				}
			}
		}
		return names;
	}

	/**
	 * Builds the command for these parameters.
	 * @param parameters a value for every placeholder, and nothing else
	 * @return the command
	 * @throws InvalidPlaceholderException naming the preset, the placeholder and the check its value failed
	 * @throws IllegalArgumentException naming the preset and the missing or unknown parameter
	 */
	public Command render(Map<String, String> parameters) {
		Set<String> used = placeholders();
		Set<String> unknown = new TreeSet<>(parameters.keySet());
		unknown.removeAll(used);
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException("Preset '" + this.name + "' has no placeholder " + unknown
					+ " (its placeholders: " + used + ")");
		}
		Set<String> missing = new TreeSet<>(used);
		missing.removeAll(parameters.keySet());
		if (!missing.isEmpty()) {
			throw new IllegalArgumentException(
					"Preset '" + this.name + "' needs a value for placeholder " + missing + " (its placeholders: "
							+ used + ")");
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (String placeholder : used) {
			values.put(placeholder, PlaceholderValidator.check(this.name, placeholder, parameters.get(placeholder),
					this.placeholderRules.getOrDefault(placeholder, PlaceholderRule.text())));
		}
		List<String> renderedArgs = new ArrayList<>(this.args.size());
		for (String arg : this.args) {
			renderedArgs.add(substitute(arg, values));
		}
		Command command = Command.of(this.program, renderedArgs);
		Map<String, String> renderedEnv = new LinkedHashMap<>();
		this.env.forEach((k, v) -> renderedEnv.put(k, substitute(v, values)));
		command = command.env(renderedEnv);
		if (this.cwd != null) {
			command = command.cwd(Path.of(substitute(this.cwd, values)));
		}
		command = command.label((this.label != null) ? substitute(this.label, values) : this.name);
		command = command.tags(new LinkedHashSet<>(this.tags)).metadata("preset", this.name);
		if (this.timeout != null) {
			command = command.timeout(this.timeout);
		}
		if (!this.successExitCodes.isEmpty()) {
			command = command.successExitCodes(this.successExitCodes.stream().mapToInt(Integer::intValue).toArray());
		}
		if (this.interpreter != null) {
			command = command.interpreter(this.interpreter);
		}
		return command.stdin(this.stdin).restartable(this.restartable).priority(this.priority);
	}

	private static String substitute(String template, Map<String, String> parameters) {
		Matcher matcher = PLACEHOLDER.matcher(template);
		StringBuilder sb = new StringBuilder(template.length() + 16);
		int last = 0;
		while (matcher.find()) {
			sb.append(template, last, matcher.start());
			String token = matcher.group();
			if (token.equals("{{")) {
				sb.append('{');
			}
			else if (token.equals("}}")) {
				sb.append('}');
			}
			else {
				sb.append(parameters.get(matcher.group(1)));
			}
			last = matcher.end();
		}
		sb.append(template, last, template.length());
		return sb.toString();
	}

}
