package io.execra.interpret;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.execra.Severity;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The rule semantics, table-driven: each row builds an interpreter, feeds stdout lines, exits with a code and
 * compares every context call in order.
 */
class RuleInterpreterTests {

	static Stream<Arguments> semantics() {
		return Stream.of(
				row("first matching rule wins", (b) -> b.warning("disk", "w1", "first").warning("disk", "w2", "second"),
						0, List.of("disk low"), List.of("warning(w1,first)")),
				row("benign stops the search", (b) -> b.benign("^ok").warning(".*", null, "any: $0"), 0,
						List.of("ok fine", "other"), List.of("warning(null,any: other)")),
				row("empty lines are skipped before the rules", (b) -> b.warning("^$", "empty", "empty line"), 0,
						List.of("", ""), List.of()),
				row("numbered groups are rendered, missing ones become empty", (b) -> b.warning(
						"^(\\w+)=(\\d+)?", "kv", "[$1][$2][$3]"), 0, List.of("a=", "b=7"),
						List.of("warning(kv,[a][][])", "warning(kv,[b][7][])")),
				row("named groups are rendered", (b) -> b.knownError("^E(?<n>\\d+): (?<msg>.*)", "e", "${msg} (#${n}${x})"),
						1, List.of("E42: boom"), List.of("error(e,boom (#42))")),
				row("a dollar not followed by a digit is kept", (b) -> b.summary("total (\\d+)", "cost $ $x $$1 ${"),
						0, List.of("total 5"), List.of("summary(cost $ $x $5 ${)")),
				row("two-digit groups", (b) -> b.summary("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)", "$11-$1"), 0,
						List.of("abcdefghijk"), List.of("summary(k-a)")),
				row("progress hint is rendered", (b) -> b.progress("^Step (\\d+)", "step $1"), 0,
						List.of("Step 3"), List.of("busy(step 3)")),
				row("progress without hint", (b) -> b.progress("^working", null), 0, List.of("working"),
						List.of("busy(null)")),
				row("label", (b) -> b.label("^Building (.*)", "Build $1"), 0, List.of("Building app"),
						List.of("label(Build app)")),
				row("finding with severity", (b) -> b.finding("^vuln (\\S+)", Severity.ERROR, "cve", "vulnerable $1"),
						0, List.of("vuln lodash"), List.of("finding(ERROR,cve,vulnerable lodash)")),
				row("enter phase auto-exits the previous one with range fractions",
						(b) -> b.enterPhase("^Downloading (.*)", "download", "Get $1")
							.enterPhase("^Installing", "install", null)
							.phaseRange("download", 0.0, 0.5)
							.phaseRange("install", 0.5, 0.9),
						0, List.of("Downloading x.tar", "Installing"),
						List.of("enter(download,Get x.tar)", "fraction(0.0)", "fraction(0.5)", "exit(download)",
								"enter(install,null)", "fraction(0.5)", "fraction(0.9)", "exit(install)")),
				row("phases without ranges emit no fractions", (b) -> b.enterPhase("^A", "a", "").enterPhase("^B", "b", "B"),
						0, List.of("A", "B"), List.of("enter(a,null)", "exit(a)", "enter(b,B)", "exit(b)")),
				row("byte progress is scaled into the phase range",
						(b) -> b.enterPhase("^get", "download", null)
							.byteProgressMb("([\\d.]+) of ([\\d.]+) MB")
							.phaseRange("download", 0.2, 0.6),
						0, List.of("get", "5 of 10 MB"),
						List.of("enter(download,null)", "fraction(0.2)", "fraction(0.4)", "fraction(0.6)",
								"exit(download)")),
				row("byte progress outside a phase is the plain fraction",
						(b) -> b.byteProgressMb("(?<done>[\\d.]+)/(?<total>[\\d.]+)"), 0, List.of("1.5/6"),
						List.of("fraction(0.25)")),
				row("byte progress with a zero total or unparsable numbers emits nothing",
						(b) -> b.byteProgressMb("(\\S+)/(\\S+) MB"), 0, List.of("5/0 MB", "x/10 MB", "5/-1 MB"),
						List.of()),
				row("percent is scaled into the phase range",
						(b) -> b.enterPhase("^up", "upload", null).percent("(\\d+)%").phaseRange("upload", 0.5, 1.0),
						0, List.of("up", "50%"),
						List.of("enter(upload,null)", "fraction(0.5)", "fraction(0.75)", "fraction(1.0)",
								"exit(upload)")),
				row("prompt without answer", (b) -> b.prompt("^Continue\\? \\[y/N\\]", "$0"), 0,
						List.of("Continue? [y/N]"), List.of("prompt(Continue? [y/N])")),
				row("prompt with answer", (b) -> b.prompt("^Name for (\\w+)\\?", "name of $1", "$1-answer"), 0,
						List.of("Name for box?"), List.of("prompt(name of box)", "answer(box-answer\\n)")),
				row("notes block ends at a blank line, skips --- lines and runs before rules",
						(b) -> b.notes("Release notes:", "notes").warning(".*", null, "$0"), 0,
						List.of("before", "  Release notes:  ", "---------", "  fixed A", "fixed B", "", "after"),
						List.of("warning(null,before)", "finding(INFO,notes,fixed A\nfixed B)", "warning(null,after)")),
				row("notes block is flushed at exit", (b) -> b.notes("Notes", "n"), 0, List.of("Notes", "one"),
						List.of("finding(INFO,n,one)")),
				row("an empty notes block emits nothing", (b) -> b.notes("Notes", "n"), 0, List.of("Notes", "---", ""),
						List.of()),
				row("fallback uses the first unclassified line containing failed",
						(b) -> b.benign("FAILED benign").fallback(), 2,
						List.of("FAILED benign", "step one", "Upload FAILED: 403", "later failed too"),
						List.of("error(command_error,Upload FAILED: 403)")),
				row("fallback is skipped when a rule reported a known error",
						(b) -> b.knownError("^fatal: (.*)", "fatal", "$1").fallback(), 1,
						List.of("fatal: nope", "it failed"), List.of("error(fatal,nope)")),
				row("fallback is skipped on success", (b) -> b.fallback(), 0, List.of("it failed"), List.of()),
				row("fallback without any message emits nothing", (b) -> b.fallback("custom"), 3, List.of("hello"),
						List.of()),
				row("on exit: notes flush, then phase close, then fallback",
						(b) -> b.notes("Notes", "n").enterPhase("^go", "run", null).phaseRange("run", 0.0, 0.8)
							.fallback("tool_error"),
						1, List.of("go", "copy failed", "Notes", "note"),
						List.of("enter(run,null)", "fraction(0.0)", "finding(INFO,n,note)", "fraction(0.8)",
								"exit(run)", "error(tool_error,copy failed)")));
	}

	private static Arguments row(String description, UnaryOperator<RuleInterpreterBuilder> rules, int exitCode,
			List<String> lines, List<String> expected) {
		return arguments(description, rules, exitCode, lines, expected);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("semantics")
	void ruleSemantics(String description, UnaryOperator<RuleInterpreterBuilder> rules, int exitCode,
			List<String> lines, List<String> expected) {
		Interpreter interpreter = rules.apply(RuleInterpreter.builder()).build().newInterpreter();
		RecordingContext context = RecordingContext.run(interpreter, exitCode, lines.toArray(String[]::new));
		assertThat(context.calls).as(description).containsExactlyElementsOf(expected);
	}

	static Stream<Arguments> prefilteredTables() {
		RuleInterpreterBuilder five = RuleInterpreter.builder()
			.knownError("^(?:ERROR|FATAL):\\s+(.*)", "tool_error", "$1")
			.warning("^WARN(?:ING)?:\\s+(.*)", "tool_warning", "$1")
			.byteProgressMb("progress: (\\d+)/(\\d+)")
			.enterPhase("^=== (\\w+) ===$", "stage", "$1")
			.progress("^\\d+00000$", "$0 lines");
		return Stream.of(arguments(five.build(), true), arguments(five.fallback().build(), true),
				arguments(RuleInterpreter.builder().warning("^WARN", "w", "$0").benign("(?i)noise").fallback().build(),
						true),
				// the last stderr line, whatever the rules, is the fallback's message
				arguments(RuleInterpreter.builder()
					.progress("^\\d+00000$", "$0")
					.fallback(new FallbackDefinition("x", false, true))
					.build(), true),
				// a notes block may start at any line: none is ignored
				arguments(RuleInterpreter.builder().label("^Step", "$0").notes("Notes:", "n").build(), false));
	}

	@ParameterizedTest
	@MethodSource("prefilteredTables")
	void linesASessionIgnoresAreOnesItWouldDoNothingWith(RuleInterpreter rules, boolean ignoresSome) {
		List<String> lines = List.of("1", "100000", "1200000", "", "ERROR: disk full", "ERRORS: none", "WARN: low",
				"WARNING: x", "progress: 3/10", "progress 3/10", "=== build ===", "=== build", "the step failed",
				"FAILED", "noise", "NOISE", "Step 1", "Notes:", "a note", "", "after the notes", "last");
		Interpreter asked = rules.newInterpreter();
		Interpreter fedAll = rules.newInterpreter();
		RecordingContext askedContext = new RecordingContext();
		RecordingContext allContext = new RecordingContext();
		int ignored = 0;
		for (StdStream stream : StdStream.values()) {
			for (String line : lines) {
				// asked as the runtime asks: about a view of the line's bytes, before decoding it
				if (((LinePrefilter) asked).ignores(stream, new StringBuilder(line))) {
					ignored++;
				}
				else {
					askedContext.feed(asked, stream, line);
				}
				allContext.feed(fedAll, stream, line);
			}
		}
		asked.onExit(io.execra.ExitStatus.ofCode(1), askedContext);
		fedAll.onExit(io.execra.ExitStatus.ofCode(1), allContext);
		assertThat(askedContext.calls).isEqualTo(allContext.calls);
		assertThat(ignored > 0).isEqualTo(ignoresSome);
	}

	@Test
	void aSessionIgnoresOnlyStdoutLinesNoRuleCanMatch() {
		LinePrefilter session = (LinePrefilter) RuleInterpreter.builder()
			.warning("^WARN", "w", "$0")
			.progress("^\\d+00000$", "$0")
			.build()
			.newInterpreter();
		assertThat(session.ignores(StdStream.STDOUT, "1234")).isTrue();
		assertThat(session.ignores(StdStream.STDOUT, "")).isTrue();
		assertThat(session.ignores(StdStream.STDOUT, "1200000")).isFalse();
		assertThat(session.ignores(StdStream.STDOUT, "WARN: x")).isFalse();
		// stderr lines are remembered for the fallback
		assertThat(session.ignores(StdStream.STDERR, "1234")).isFalse();
		LinePrefilter unfiltered = (LinePrefilter) RuleInterpreter.builder()
			.warning("\\d+", "w", "$0")
			.build()
			.newInterpreter();
		// a rule without literal text may match any line
		assertThat(unfiltered.ignores(StdStream.STDOUT, "abc")).isFalse();
	}

	@Test
	void matchingIgnoresTheStream() {
		Interpreter interpreter = RuleInterpreter.builder().warning("^warn.*", "w", "$0").build().newInterpreter();
		RecordingContext context = new RecordingContext();
		context.feed(interpreter, StdStream.STDOUT, "warn out");
		context.feed(interpreter, StdStream.STDERR, "warn err");
		assertThat(context.calls).containsExactly("warning(w,warn out)", "warning(w,warn err)");
	}

	@Test
	void fallbackUsesTheLastStderrLineWhenNoLineSaysFailed() {
		Interpreter interpreter = RuleInterpreter.builder().benign("^bye").fallback().build().newInterpreter();
		RecordingContext context = new RecordingContext();
		context.feed(interpreter, StdStream.STDERR, "first problem");
		context.feed(interpreter, StdStream.STDERR, "  no space left  ");
		context.feed(interpreter, StdStream.STDOUT, "stdout line");
		context.feed(interpreter, StdStream.STDERR, "bye");
		interpreter.onExit(io.execra.ExitStatus.ofCode(1), context);
		assertThat(context.calls).containsExactly("error(command_error,no space left)");
	}

	@Test
	void fallbackStaysSilentWhenTheProcessDiedByASignal() {
		Interpreter interpreter = RuleInterpreter.builder().fallback().build().newInterpreter();
		RecordingContext context = new RecordingContext();
		context.feed(interpreter, StdStream.STDERR, "install failed: disk");
		context.feed(interpreter, StdStream.STDERR, "no space left");
		interpreter.onExit(io.execra.ExitStatus.ofSignal(9), context);
		assertThat(context.calls).isEmpty();
	}

	@Test
	void fallbackSourcesCanBeTurnedOff() {
		Interpreter interpreter = RuleInterpreter.builder()
			.fallback(new FallbackDefinition("x", false, true))
			.build()
			.newInterpreter();
		RecordingContext context = new RecordingContext();
		context.feed(interpreter, StdStream.STDOUT, "it failed on stdout");
		context.feed(interpreter, StdStream.STDERR, "last err");
		interpreter.onExit(io.execra.ExitStatus.ofCode(1), context);
		assertThat(context.calls).containsExactly("error(x,last err)");
	}

	@Test
	void eachInterpreterHasItsOwnState() {
		RuleInterpreter rules = RuleInterpreter.builder().enterPhase("^go", "run", null).notes("N", "n").build();
		Interpreter first = rules.get();
		Interpreter second = rules.get();
		assertThat(first).isNotSameAs(second);
		RecordingContext one = new RecordingContext();
		one.feed(first, StdStream.STDOUT, "go");
		one.feed(first, StdStream.STDOUT, "N");
		RecordingContext two = RecordingContext.run(second, 0, "plain");
		assertThat(two.calls).isEmpty();
		first.onExit(io.execra.ExitStatus.ofCode(0), one);
		assertThat(one.calls).containsExactly("enter(run,null)", "exit(run)");
	}

	@Test
	void builderAndDefinitionAreTheSameRules() {
		RuleInterpreterBuilder builder = RuleInterpreter.builder()
			.name("tool")
			.warning("w (.*)", "w", "$1")
			.phaseRange("a", 0, 1)
			.fallback();
		RuleInterpreter fromData = RuleInterpreter.from(builder.toDefinition());
		assertThat(fromData.definition()).isEqualTo(builder.build().definition());
		assertThat(fromData.name()).isEqualTo("tool");
		assertThat(fromData.get().name()).isEqualTo("tool");
		assertThat(RuleInterpreter.builder().build().get().name()).isEqualTo("rules");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "", "failed", "FAILED", "Upload FaIlEd: 403", "fail ed", "faile", "xfailedx",
			"FA\u0130LED", "fa\u0131led", "\u212Aailed", "fai\u0307led", "\ud83d\ude00failed", "f\u00e1iled" })
	void failedLinesAreFoundAsByLowerCasing(String text) {
		assertThat(RuleSession.containsFailed(text))
			.isEqualTo(text.toLowerCase(Locale.ROOT).contains("failed"));
	}

}
