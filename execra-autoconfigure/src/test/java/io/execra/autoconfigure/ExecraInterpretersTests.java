package io.execra.autoconfigure;

import java.util.Map;

import io.execra.CommandTemplate;
import io.execra.ExecraRuntime;
import io.execra.Finding;
import io.execra.Outcome;
import io.execra.Severity;
import io.execra.interpret.Interpreters;
import io.execra.interpret.RuleInterpreter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for interpreters named by presets: built-in ones and rule interpreters from
 * {@code execra.interpreters.<name>.*}.
 */
class ExecraInterpretersTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class));

	@Test
	void presetUsesABuiltInInterpreterByName() {
		this.contextRunner
			.withPropertyValues("execra.commands.clone.program=git", "execra.commands.clone.args=clone,{url}",
					"execra.commands.clone.interpreter=git")
			.run((context) -> {
				CommandTemplate clone = context.getBean(ExecraRuntime.class).presets().get("clone");
				assertThat(clone.interpreter()).isSameAs(Interpreters.byName("git"));
			});
	}

	@Test
	void presetUsesAConfiguredRuleInterpreterOnARealJob() {
		this.contextRunner
			.withPropertyValues("execra.interpreters.lint.rules[0].type=finding",
					"execra.interpreters.lint.rules[0].pattern=^(?<file>\\S+):(?<line>\\d+): (?<msg>.*)$",
					"execra.interpreters.lint.rules[0].severity=warning",
					"execra.interpreters.lint.rules[0].code=lint",
					"execra.interpreters.lint.rules[0].message=${file} line ${line}: ${msg}",
					"execra.interpreters.lint.rules[1].type=summary",
					"execra.interpreters.lint.rules[1].pattern=^(\\d+) problems?$",
					"execra.interpreters.lint.rules[1].message=$1 problem(s) found",
					"execra.commands.lint.program=printf", "execra.commands.lint.args[0]=%s: bad name\\n1 problem\\n",
					"execra.commands.lint.args[1]={file}", "execra.commands.lint.interpreter=lint")
			.run((context) -> {
				Outcome outcome = context.getBean(ExecraRuntime.class).spawn("lint", Map.of("file", "app.js:7")).await();
				assertThat(outcome).isInstanceOfSatisfying(Outcome.Succeeded.class, (succeeded) -> {
					assertThat(succeeded.summary()).isEqualTo("1 problem(s) found");
					assertThat(succeeded.findings()).extracting(Finding::severity, Finding::code, Finding::message)
						.containsExactly(org.assertj.core.groups.Tuple.tuple(Severity.WARNING, "lint",
								"app.js line 7: bad name"));
				});
			});
	}

	@Test
	void configuredInterpreterTakesPrecedenceOverABuiltInOfTheSameName() {
		this.contextRunner
			.withPropertyValues("execra.interpreters.git.rules[0].type=benign",
					"execra.interpreters.git.rules[0].pattern=.*", "execra.commands.clone.program=git",
					"execra.commands.clone.interpreter=git")
			.run((context) -> assertThat(context.getBean(ExecraRuntime.class).presets().get("clone").interpreter())
				.isInstanceOfSatisfying(RuleInterpreter.class,
						(rules) -> assertThat(rules.definition().rules()).hasSize(1)));
	}

	@Test
	void ruleTypesBindInEveryCommonSpelling() {
		this.contextRunner
			.withPropertyValues("execra.interpreters.tool.rules[0].type=known-error",
					"execra.interpreters.tool.rules[0].pattern=^E: (.*)", "execra.interpreters.tool.rules[0].code=e",
					"execra.interpreters.tool.rules[0].message=$1", "execra.interpreters.tool.rules[1].type=KNOWN_ERROR",
					"execra.interpreters.tool.rules[1].pattern=^F: (.*)", "execra.interpreters.tool.rules[1].code=f",
					"execra.interpreters.tool.rules[1].message=$1", "execra.interpreters.tool.phase-ranges.build.end=0.5",
					"execra.interpreters.tool.fallback.enabled=true", "execra.commands.tool.program=make",
					"execra.commands.tool.interpreter=tool")
			.run((context) -> {
				RuleInterpreter rules = (RuleInterpreter) context.getBean(ExecraRuntime.class)
					.presets()
					.get("tool")
					.interpreter();
				assertThat(rules.definition().rules()).extracting((rule) -> rule.type())
					.containsExactly("known_error", "known_error");
				assertThat(rules.phaseRange("build")).isEqualTo(new io.execra.interpret.PhaseRange(0.0, 0.5));
				assertThat(rules.definition().fallback()).isEqualTo(io.execra.interpret.FallbackDefinition.DEFAULT);
				assertThat(rules.name()).isEqualTo("tool");
			});
	}

	@Test
	void invalidRulePatternNamesTheProperty() {
		assertThat(analyze("execra.interpreters.lint.rules[0].type=benign",
				"execra.interpreters.lint.rules[0].pattern=^$", "execra.interpreters.lint.rules[1].type=benign",
				"execra.interpreters.lint.rules[1].pattern=^ok", "execra.interpreters.lint.rules[2].type=warning",
				"execra.interpreters.lint.rules[2].pattern=(unclosed", "execra.interpreters.lint.rules[2].message=m"))
			.contains("'execra.interpreters.lint.rules[2].pattern'")
			.contains("not a valid regular expression");
	}

	@Test
	void ruleWithoutTheFieldsItsTypeNeedsNamesTheRule() {
		assertThat(analyze("execra.interpreters.lint.rules[0].type=known-error",
				"execra.interpreters.lint.rules[0].pattern=^E"))
			.contains("'execra.interpreters.lint.rules[0]'")
			.contains("'code' must not be empty");
	}

	@Test
	void ruleWithoutTypeNamesTheProperty() {
		assertThat(analyze("execra.interpreters.lint.rules[0].pattern=^E"))
			.contains("'execra.interpreters.lint.rules[0].type'");
	}

	@Test
	void invalidPhaseRangeNamesTheProperty() {
		assertThat(analyze("execra.interpreters.lint.phase-ranges.build.start=0.8",
				"execra.interpreters.lint.phase-ranges.build.end=0.2"))
			.contains("'execra.interpreters.lint.phase-ranges.build'");
	}

	@Test
	void unknownInterpreterListsTheKnownOnes() {
		assertThat(analyze("execra.interpreters.lint.rules[0].type=benign",
				"execra.interpreters.lint.rules[0].pattern=x", "execra.commands.build.program=make",
				"execra.commands.build.interpreter=gradle"))
			.contains("'execra.commands.build.interpreter'")
			.contains("Value: gradle")
			.contains("ffmpeg")
			.contains("[lint]");
	}

	private String analyze(String... properties) {
		String[] description = new String[1];
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidExecraPropertyFailureAnalyzer(null)
				.analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			description[0] = analysis.getDescription();
		});
		return description[0];
	}

}
