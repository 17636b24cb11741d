package io.execra.autoconfigure;

import java.util.List;
import java.util.Map;

import io.execra.Command;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobRejectedException;
import io.execra.Outcome;
import io.execra.SecurityPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@code execra.security.*}: the allow-list and the shell switch hold for {@code spawn}, presets and
 * named runtimes, and redacted values never reach events or the store.
 */
class ExecraSecurityTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class));

	@Test
	void shellCommandsAreRejectedByDefault() {
		this.contextRunner.run((context) -> {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			assertThatExceptionOfType(JobRejectedException.class)
				.isThrownBy(() -> runtime.spawn(Command.shell("echo hi; rm -rf /tmp/nothing")))
				.withMessageContaining("allow-shell is false");
			assertThat(runtime.recent(10)).isEmpty();
		});
	}

	@Test
	void shellCommandsRunWhenAllowed() {
		this.contextRunner.withPropertyValues("execra.security.allow-shell=true").run((context) -> {
			Outcome outcome = context.getBean(ExecraRuntime.class).spawn(Command.shell("echo hi | tr h H")).await();
			assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
		});
	}

	@Test
	void namedRuntimeCanAllowShellWhileDefaultRuntimeDoesNot() {
		this.contextRunner.withPropertyValues("execra.runtimes.ops.security.allow-shell=true").run((context) -> {
			ExecraRuntime ops = context.getBean("opsExecraRuntime", ExecraRuntime.class);
			assertThat(ops.spawn(Command.shell("true")).await()).isInstanceOf(Outcome.Succeeded.class);
			assertThatExceptionOfType(JobRejectedException.class)
				.isThrownBy(() -> context.getBean(ExecraRuntime.class).spawn(Command.shell("true")));
		});
	}

	@Test
	void allowListRejectsOtherProgramsBeforeSpawning() {
		this.contextRunner.withPropertyValues("execra.security.allowed-programs=echo").run((context) -> {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			assertThat(runtime.spawn(Command.of("echo", "ok")).await()).isInstanceOf(Outcome.Succeeded.class);
			assertThatExceptionOfType(JobRejectedException.class)
				.isThrownBy(() -> runtime.spawn(Command.of("printf", "no")))
				.withMessageContaining("program 'printf' is not in the allowed programs [echo]");
			assertThat(runtime.recent(10)).hasSize(1);
		});
	}

	@Test
	void allowListRejectsProgramsGivenByPathUnlessThePathIsAllowed() {
		this.contextRunner.withPropertyValues("execra.security.allowed-programs=echo").run((context) -> {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			assertThatExceptionOfType(JobRejectedException.class)
				.isThrownBy(() -> runtime.spawn(Command.of("/bin/echo", "no")));
		});
	}

	@Test
	void allowListAppliesToPresets() {
		this.contextRunner
			.withPropertyValues("execra.security.allowed-programs=echo", "execra.commands.greet.program=echo",
					"execra.commands.greet.args={name}", "execra.commands.list.program=ls",
					"execra.commands.list.args={dir}")
			.run((context) -> {
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				assertThat(runtime.spawn("greet", Map.of("name", "ada")).await())
					.isInstanceOf(Outcome.Succeeded.class);
				assertThatExceptionOfType(JobRejectedException.class)
					.isThrownBy(() -> runtime.spawn("list", Map.of("dir", "/")))
					.withMessageContaining("program 'ls' is not in the allowed programs");
			});
	}

	@Test
	void presetRunningAShellIsRejectedByTheAllowList() {
		this.contextRunner
			.withPropertyValues("execra.security.allowed-programs=echo", "execra.commands.run.program=sh",
					"execra.commands.run.args=-c,{script}")
			.run((context) -> assertThatExceptionOfType(JobRejectedException.class)
				.isThrownBy(() -> context.getBean(ExecraRuntime.class).spawn("run", Map.of("script", "id")))
				.withMessageContaining("program 'sh'"));
	}

	@Test
	void namedRuntimeAllowListOverridesTheTopLevelOne() {
		this.contextRunner
			.withPropertyValues("execra.security.allowed-programs=echo",
					"execra.runtimes.media.security.allowed-programs=printf")
			.run((context) -> {
				ExecraRuntime media = context.getBean("mediaExecraRuntime", ExecraRuntime.class);
				assertThat(media.spawn(Command.of("printf", "ok")).await()).isInstanceOf(Outcome.Succeeded.class);
				assertThatExceptionOfType(JobRejectedException.class)
					.isThrownBy(() -> media.spawn(Command.of("echo", "no")));
			});
	}

	@Test
	void environmentIsNotInheritedWhenSwitchedOff() {
		this.contextRunner.withPropertyValues("execra.security.env-inheritance=none").run((context) -> {
			SecurityPolicy policy = context.getBean(ExecraRuntime.class).settings().securityPolicy();
			assertThat(policy.inheritedEnvironment(Map.of("HOME", "/root"))).isEmpty();
		});
	}

	@Test
	void redactedValuesNeverReachEventsOrTheStore() {
		this.contextRunner.withPropertyValues("execra.security.redact-patterns=token=\\w+").run((context) -> {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			JobHandle handle = runtime.spawn(Command.of("echo", "token=s3cr3t", "visible"));
			handle.await();
			List<Event> events = runtime.events(handle.id(), 0, 100);
			assertThat(events).first().isInstanceOfSatisfying(Event.JobCreated.class,
					(created) -> assertThat(created.command().args()).containsExactly("******", "visible"));
			assertThat(runtime.settings().store().find(handle.id()).orElseThrow().command().args())
				.containsExactly("******", "visible");
			try (EventStream stream = handle.events()) {
				Event event;
				while ((event = stream.next(java.time.Duration.ofSeconds(5))) != null) {
					assertThat(event.toString()).doesNotContain("s3cr3t");
				}
			}
		});
	}

}
