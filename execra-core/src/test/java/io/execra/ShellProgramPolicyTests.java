package io.execra;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code allow-shell: false} refuses shells and script interpreters given code in an argument as a command's
 * program, not only {@link Command#shell(String)}, unless the program is listed in the allowed programs. Each case
 * is a command line split on {@code |}.
 */
class ShellProgramPolicyTests {

	private static final SecurityPolicy NO_SHELL = policy(Set.of());

	@TempDir
	Path directory;

	private static SecurityPolicy policy(Set<String> allowedPrograms) {
		return new SecurityPolicy(allowedPrograms, false, SecurityPolicy.EnvInheritance.INHERIT, Set.of(), List.of());
	}

	private static Command command(String line) {
		String[] argv = line.split("\\|", -1);
		return Command.of(argv[0], List.of(argv).subList(1, argv.length));
	}

	@ParameterizedTest
	@ValueSource(strings = { "sh|-c|id", "/bin/sh|-c|id", "bash|-c|id", "/usr/bin/bash|script.sh", "dash|-c|id",
			"zsh|-c|id", "ksh|-c|id", "mksh|-c|id", "csh|-c|id", "tcsh|-c|id", "fish|-c|id", "ash|-c|id",
			"busybox|sh|-c|id", "cmd|/C|dir", "cmd.exe|/C|dir", "powershell|-Command|x", "pwsh|-c|x", "sh", "SH|-c|id",
			"python|-c|x", "python2|-c|x", "python3|-c|x", "python3.12|-c|x", "/usr/bin/python3|-c|x", "python3|-Bc|x",
			"python3|-cimport os", "python3|-W|ignore|-c|x", "pypy3|-c|x", "perl|-e|x", "perl|-E|x", "perl|-lne|x",
			"perl|-MPOSIX|-e|x", "perl|-0777|-pe|x", "perl5.36|-e|x", "ruby|-e|x", "ruby|-rjson|-e|x", "ruby|-ne|x",
			"node|-e|x", "node|-p|x", "node|--eval|x", "node|--eval=x", "node|--print|x", "node|-r|mod|-e|x", "node|-pe|x",
			"nodejs|-e|x", "php|-r|x", "php|-c|php.ini|-r|x", "php8.2|-r|x", "lua|-e|x", "lua5.4|-e|x", "Rscript|-e|x",
			"awk|BEGIN{system(\"id\")}", "gawk|-F:|{print}|f", "mawk|--|{print}", "gawk|-e|x|-f|p.awk",
			"env|sh|-c|id", "env|-i|PATH=/bin|sh|-c|id", "env|-u|HOME|bash|-c|id", "env|-S|sh -c id", "env|-Ssh -c id",
			"nice|sh|-c|id", "nice|-n|10|python3|-c|x", "nohup|perl|-e|x", "timeout|5|sh|-c|id",
			"timeout|-s|KILL|5s|bash|-c|id", "stdbuf|-oL|sh|-c|id", "setsid|-c|sh|-c|id", "ionice|-c|3|sh|-c|id",
			"time|-f|%e|sh|-c|id", "nice|env|timeout|1|sh|-c|id", "/usr/bin/env|sh|-c|id" })
	void aShellOrInterpreterRunningCodeIsRefused(String line) {
		assertThat(NO_SHELL.rejectionReason(command(line), null)).as(line).isNotNull().contains("allow-shell");
	}

	@ParameterizedTest
	@ValueSource(strings = { "python3|script.py|-c|x", "python3|-m|http.server", "python3|-", "python3|-B|job.py",
			"perl|script.pl|-e", "ruby|-Ke|app.rb", "node|server.js|--eval|x", "node|-r|dotenv/config|app.js",
			"php|-c|php.ini|app.php", "lua|script.lua", "Rscript|analysis.R", "awk|-f|prog.awk|data", "gawk|--file=p.awk",
			"git|-c|core.pager=cat|log", "ffmpeg|-i|in.mp4|-c:v|copy|out.mkv", "env|FOO=1|git|status",
			"timeout|5|git|fetch", "nice|-n|5|ffmpeg|-i|x", "grep|-e|sh|file", "shasum|-c|x", "shellcheck|x.sh",
			"nohup", "env", "perl|-i.bak|-p|script.pl" })
	void otherCommandsAreNotAffected(String line) {
		assertThat(NO_SHELL.rejectionReason(command(line), null)).as(line).isNull();
	}

	@Test
	void aShellListedInTheAllowedProgramsRuns() {
		SecurityPolicy listed = policy(Set.of("sh", "env", "python3"));
		assertThat(listed.rejectionReason(command("sh|-c|id"), null)).isNull();
		assertThat(listed.rejectionReason(command("env|sh|-c|id"), null)).isNull();
		assertThat(listed.rejectionReason(command("python3|-c|x"), null)).isNull();
		assertThat(listed.rejectionReason(command("env|bash|-c|id"), null)).contains("'bash' is a shell");
	}

	@Test
	void aShellListedByPathRunsWhenItResolvesThere() {
		SecurityPolicy listed = policy(Set.of("/bin/sh", "env"));
		assertThat(listed.rejectionReason(command("sh|-c|id"), Path.of("/bin/sh"))).isNull();
		assertThat(listed.rejectionReason(command("env|/bin/sh|-c|id"), null)).isNull();
		assertThat(listed.rejectionReason(command("env|sh|-c|id"), null)).contains("'sh' is a shell");
	}

	@Test
	void theRejectionNamesTheProgramAndTheRule() {
		assertThat(NO_SHELL.rejectionReason(command("python3|-c|import os"), null))
			.isEqualTo("program 'python3' is given code to run (-c), which the security policy does not allow "
					+ "(allow-shell is false) unless allowed-programs lists it: python3 -c import os");
	}

	@Test
	void allowShellTrueAllowsThemAll() {
		SecurityPolicy shell = new SecurityPolicy(Set.of(), true, SecurityPolicy.EnvInheritance.INHERIT, Set.of(),
				List.of());
		assertThat(shell.rejectionReason(command("sh|-c|id"), null)).isNull();
		assertThat(shell.rejectionReason(command("perl|-e|x"), null)).isNull();
	}

	@Test
	void aPresetRunningAShellIsNotSpawned() throws Exception {
		Path marker = this.directory.resolve("marker");
		CommandTemplate run = new CommandTemplate("run", "sh", List.of("-c", "touch '" + marker + "'; {script}"),
				java.util.Map.of(), null, null, Set.of(), null, Set.of(), null);
		try (ExecraRuntime runtime = ExecraRuntime.builder().securityPolicy(NO_SHELL).preset(run).build()) {
			assertThatExceptionOfType(JobRejectedException.class)
				.isThrownBy(() -> runtime.spawn("run", java.util.Map.of("script", "id")))
				.withMessageContaining("program 'sh' is a shell");
			assertThat(runtime.recent(10)).isEmpty();
		}
		assertThat(marker).doesNotExist();
	}

}
