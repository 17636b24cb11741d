package io.execra.interpret;

import java.util.List;
import java.util.Map;

import io.execra.Severity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Rules as data: how definitions are validated and compiled, and the errors that name the offending rule.
 */
class RuleDefinitionTests {

	@Test
	void invalidPatternIsReportedAtBuildTimeNamingTheRule() {
		RuleInterpreterBuilder builder = RuleInterpreter.builder()
			.benign("^$")
			.progress("x", null)
			.warning("(", "deprecated", "$0");
		assertThatIllegalArgumentException().isThrownBy(builder::build)
			.isInstanceOf(InvalidRuleException.class)
			.withMessage("rule[2] (warning 'deprecated'): invalid pattern '(': Unclosed group near index 1")
			.satisfies((ex) -> assertThat(((InvalidRuleException) ex).index()).isEqualTo(2));
	}

	@Test
	void invalidPatternOfEnterPhaseNamesThePhase() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RuleInterpreter.builder().enterPhase("[a", "download", null).build())
			.withMessageStartingWith("rule[0] (enter_phase 'download'): invalid pattern '[a': Unclosed character class");
	}

	@Test
	void unknownTypeListsTheKnownTypes() {
		RuleInterpreterDefinition definition = RuleInterpreterDefinition
			.ofRules(List.of(RuleDefinition.benign("a"), new RuleDefinition("progres", "x", null, null, null, null,
					null, null, null)));
		assertThatIllegalArgumentException().isThrownBy(() -> RuleInterpreter.from(definition))
			.withMessage("rule[1]: unknown rule type 'progres'; known types: benign, progress, percent, "
					+ "byte_progress_mb, enter_phase, label, warning, known_error, finding, summary, prompt");
	}

	@Test
	void typeNamesIgnoreCaseDashesAndUnderscores() {
		assertThat(RuleType.of("known-error")).isEqualTo(RuleType.KNOWN_ERROR);
		assertThat(RuleType.of("knownError")).isEqualTo(RuleType.KNOWN_ERROR);
		assertThat(RuleType.of("BYTE_PROGRESS_MB")).isEqualTo(RuleType.BYTE_PROGRESS_MB);
	}

	@Test
	void missingFieldIsReportedNamingTheRule() {
		RuleDefinition noCode = new RuleDefinition("known-error", "x", null, null, null, "boom", null, null, null);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RuleInterpreter.from(RuleInterpreterDefinition.ofRules(List.of(noCode))))
			.withMessage("rule[0] (known_error): 'code' must not be empty");
		RuleDefinition noName = new RuleDefinition("enter_phase", "x", null, "l", null, null, null, null, null);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RuleInterpreter.from(RuleInterpreterDefinition.ofRules(List.of(noName))))
			.withMessage("rule[0] (enter_phase): 'name' must not be empty");
	}

	@Test
	void recordsValidateTheirArguments() {
		assertThatIllegalArgumentException().isThrownBy(() -> RuleDefinition.benign(""))
			.withMessage("'pattern' must not be empty");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RuleDefinition(" ", "x", null, null, null, null, null, null, null))
			.withMessage("'type' must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> new NotesDefinition(" ", "c"))
			.withMessage("'trigger' must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> new FallbackDefinition("", true, true))
			.withMessage("'code' must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> new PhaseRange(0.6, 0.5))
			.withMessage("'end' must be between start (0.6) and 1 but was 0.5");
		assertThatIllegalArgumentException().isThrownBy(() -> new PhaseRange(-0.1, 0.5))
			.withMessage("'start' must be between 0 and 1 but was -0.1");
	}

	@Test
	void definitionBoundFromDataBehavesLikeTheBuilder() {
		RuleInterpreterDefinition definition = new RuleInterpreterDefinition("yaml-tool",
				List.of(new RuleDefinition("enter-phase", "^Fetching (\\S+)", "fetch", "Fetch $1", null, null, null,
						null, null),
						new RuleDefinition("finding", "^lint: (.*)", null, null, "lint", "$1", null, Severity.WARNING,
								null)),
				null, FallbackDefinition.DEFAULT, Map.of("fetch", new PhaseRange(0.1, 0.3)));
		assertThat(definition.notes()).isEmpty();
		RecordingContext context = RecordingContext.run(RuleInterpreter.from(definition).get(), 0, "Fetching a.txt",
				"lint: unused import");
		assertThat(context.calls).containsExactly("enter(fetch,Fetch a.txt)", "fraction(0.1)",
				"finding(WARNING,lint,unused import)", "fraction(0.3)", "exit(fetch)");
	}

	@Test
	void findingSeverityDefaultsToInfo() {
		RuleDefinition rule = new RuleDefinition("finding", "x", null, null, "c", "m", null, null, null);
		RecordingContext context = RecordingContext
			.run(RuleInterpreter.from(RuleInterpreterDefinition.ofRules(List.of(rule))).get(), 0, "x");
		assertThat(context.calls).containsExactly("finding(INFO,c,m)");
	}

}
