package io.execra;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Recognizes commands that run code given as text, which {@code allow-shell: false} refuses: a shell as the program
 * (whatever its arguments), or a script interpreter given code in an argument ({@code python3 -c},
 * {@code perl -e}, {@code node --eval}, an awk program text, ...). Arguments after the interpreter's first operand
 * (its script file) belong to the script and are not looked at.
 * <p>
 * The wrappers {@code env}, {@code nice}, {@code nohup}, {@code timeout}, {@code stdbuf}, {@code setsid},
 * {@code ionice} and {@code time} are followed to the program they run ({@code env sh -c ...} is a shell). Other
 * programs that run a command they are given ({@code xargs}, {@code sudo}, {@code find -exec}, ...) are not: an
 * allow-list of programs is the complete defence.
 */
final class CodeRunningPrograms {

	private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "mksh", "pdksh", "csh",
			"tcsh", "fish", "ash", "busybox", "cmd", "powershell", "pwsh");

	private static final Pattern VERSION = Pattern.compile("[0-9.]*");

	/** An interpreter's options: those that take code, and those whose value is the next argument. */
	private record Interpreter(String codeShort, Set<String> codeLong, String valueShort, Set<String> valueLong,
			boolean programIsOperand) {
	}

	private static final Interpreter PYTHON = new Interpreter("c", Set.of(), "WXQ", Set.of(), false);

	private static final Map<String, Interpreter> INTERPRETERS = Map.of("python", PYTHON, "pypy", PYTHON, "perl",
			new Interpreter("eE", Set.of(), "", Set.of(), false), "ruby",
			new Interpreter("e", Set.of(), "IrCEFKx", Set.of(), false), "node",
			new Interpreter("ep", Set.of("--eval", "--print"), "r", Set.of("--require", "--import", "--loader",
					"--experimental-loader", "--conditions", "--title"), false),
			"php", new Interpreter("rBRE", Set.of(), "cdfztS", Set.of(), false), "lua",
			new Interpreter("e", Set.of(), "l", Set.of(), false), "rscript",
			new Interpreter("e", Set.of(), "", Set.of(), false), "awk",
			new Interpreter("e", Set.of("--source"), "Fvf", Set.of("--field-separator", "--assign", "--file"), true));

	/** Short options of perl whose value is the rest of the same argument ({@code -MModule}, {@code -i.bak}). */
	private static final String PERL_ATTACHED = "MmIxdDVi";

	/** Short options of perl followed by optional digits in the same argument ({@code -l}, {@code -0777}). */
	private static final String PERL_DIGITS = "l0C";

	private static final Map<String, String> INTERPRETER_ALIASES = Map.of("nodejs", "node", "gawk", "awk", "mawk",
			"awk", "nawk", "awk", "luajit", "lua");

	/** The wrappers followed, with their options whose value is the next argument. */
	private static final Map<String, Set<String>> WRAPPERS = Map.of("env", Set.of("-u", "--unset", "-C", "--chdir"),
			"nice", Set.of("-n", "--adjustment"), "nohup", Set.of(), "timeout",
			Set.of("-s", "--signal", "-k", "--kill-after"), "stdbuf", Set.of("-i", "-o", "-e"), "setsid", Set.of(),
			"ionice", Set.of("-c", "--class", "-n", "--classdata", "-p", "--pid", "-P", "--pgid", "-u", "--uid"),
			"time", Set.of("-f", "--format", "-o", "--output"));

	private CodeRunningPrograms() {
	}

	/**
	 * What runs code in a command line, if anything.
	 * @param program the program
	 * @param args its arguments
	 * @return the program that runs code (the command's own, or the one a wrapper runs) and why; {@code null} if
	 * none does
	 */
	static @Nullable Finding find(String program, List<String> args) {
		String name = baseName(program);
		if (SHELLS.contains(name)) {
			return new Finding(program, "program '" + program + "' is a shell");
		}
		Interpreter interpreter = interpreter(name);
		if (interpreter != null) {
			String option = codeOption(name, interpreter, args);
			return (option != null)
					? new Finding(program, "program '" + program + "' is given code to run (" + option + ")") : null;
		}
		if (WRAPPERS.containsKey(name)) {
			List<String> wrapped = wrapped(name, args);
			return (wrapped.isEmpty()) ? null : find(wrapped.get(0), wrapped.subList(1, wrapped.size()));
		}
		return null;
	}

	/**
	 * A program that runs code.
	 * @param program the program, as the command names it
	 * @param reason why it counts
	 */
	record Finding(String program, String reason) {
	}

	private static String baseName(String program) {
		String name = program.substring(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1)
			.toLowerCase(Locale.ROOT);
		return name.endsWith(".exe") ? name.substring(0, name.length() - 4) : name;
	}

	private static @Nullable Interpreter interpreter(String name) {
		String canonical = INTERPRETER_ALIASES.getOrDefault(name, name);
		Interpreter exact = INTERPRETERS.get(canonical);
		if (exact != null) {
			return exact;
		}
		// versioned names: python3, python3.12, perl5.36, php8.2, lua5.4, pythonw
		for (Map.Entry<String, Interpreter> entry : INTERPRETERS.entrySet()) {
			if (canonical.startsWith(entry.getKey())) {
				String rest = canonical.substring(entry.getKey().length());
				if (rest.endsWith("w")) {
					rest = rest.substring(0, rest.length() - 1);
				}
				if (VERSION.matcher(rest).matches()) {
					return entry.getValue();
				}
			}
		}
		return null;
	}

	/** The option that gives the interpreter code, or {@code null}; stops at its first operand. */
	private static @Nullable String codeOption(String name, Interpreter interpreter, List<String> args) {
		boolean programFromFile = false;
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (arg.equals("--") || arg.equals("-") || !arg.startsWith("-")) {
				boolean operandIsCode = interpreter.programIsOperand() && !programFromFile;
				int operand = arg.equals("--") ? i + 1 : i;
				return (operandIsCode && operand < args.size()) ? "its program text '" + args.get(operand) + "'" : null;
			}
			if (arg.startsWith("--")) {
				String option = (arg.indexOf('=') > 0) ? arg.substring(0, arg.indexOf('=')) : arg;
				if (interpreter.codeLong().contains(option)) {
					return option;
				}
				if (option.equals("--file")) {
					programFromFile = true;
				}
				if (interpreter.valueLong().contains(option) && arg.indexOf('=') < 0) {
					i++;
				}
				continue;
			}
			for (int j = 1; j < arg.length(); j++) {
				char letter = arg.charAt(j);
				if (interpreter.codeShort().indexOf(letter) >= 0) {
					return "-" + letter;
				}
				if (name.startsWith("perl") && PERL_ATTACHED.indexOf(letter) >= 0) {
					break;
				}
				if (name.startsWith("perl") && PERL_DIGITS.indexOf(letter) >= 0) {
					while (j + 1 < arg.length() && Character.isLetterOrDigit(arg.charAt(j + 1))
							&& interpreter.codeShort().indexOf(arg.charAt(j + 1)) < 0) {
						j++;
					}
					continue;
				}
				if (interpreter.valueShort().indexOf(letter) >= 0) {
					programFromFile |= interpreter.programIsOperand() && letter == 'f';
					if (j == arg.length() - 1) {
						i++;
					}
					break;
				}
			}
		}
		return null;
	}

	/** The command line a wrapper runs: its arguments after its own options (and env's assignments). */
	private static List<String> wrapped(String wrapper, List<String> args) {
		int i = 0;
		while (i < args.size()) {
			String arg = args.get(i);
			if (arg.equals("--")) {
				i++;
				break;
			}
			if (wrapper.equals("env") && (arg.equals("-S") || arg.startsWith("--split-string") || arg.startsWith("-S"))) {
				// env -S splits one argument into a command line
				String line = arg.equals("-S") || arg.equals("--split-string") ? ((i + 1 < args.size()) ? args.get(i + 1) : "")
						: arg.substring(arg.startsWith("-S") ? 2 : "--split-string=".length());
				return Arrays.asList(line.trim().split("\\s+"));
			}
			if (arg.startsWith("-") && arg.length() > 1) {
				i += (WRAPPERS.get(wrapper).contains(arg)) ? 2 : 1;
				continue;
			}
			if (wrapper.equals("env") && arg.indexOf('=') > 0) {
				i++;
				continue;
			}
			break;
		}
		if (wrapper.equals("timeout") && i < args.size()) {
			i++; // the duration
		}
		return (i < args.size()) ? args.subList(i, args.size()) : List.of();
	}

}
