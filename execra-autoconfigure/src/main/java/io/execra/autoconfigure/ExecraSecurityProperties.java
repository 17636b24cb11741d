package io.execra.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.execra.SecurityPolicy.EnvInheritance;

/**
 * What a runtime may run and what it redacts: a {@link io.execra.SecurityPolicy}, except that shell commands are
 * forbidden unless allowed: web applications take input from requests.
 */
public class ExecraSecurityProperties {

	/**
	 * Comma-separated list of programs that may run: bare names match a program given by name, absolute paths
	 * match the resolved executable. Any program may run when empty.
	 */
	private Set<String> allowedPrograms = new LinkedHashSet<>();

	/**
	 * Whether shell commands ("sh -c" or "cmd /C") may run, and commands whose program is a shell or a script
	 * interpreter given code in an argument ("bash script.sh", "python3 -c ...", "perl -e ..."). When false, such a
	 * program still runs if allowed-programs lists it.
	 */
	private boolean allowShell;

	/**
	 * Which of the application's environment variables a process inherits.
	 */
	private EnvInheritance envInheritance = EnvInheritance.INHERIT;

	/**
	 * Comma-separated list of environment variables a process inherits when env-inheritance is "allow-list".
	 */
	private Set<String> envAllowList = new LinkedHashSet<>();

	/**
	 * Regular expressions that find secrets: each text they match in a command's arguments, label, metadata or
	 * environment variables (as NAME=value) is masked wherever it appears in its arguments, label, metadata and
	 * output lines, before these reach events, logs or the store.
	 */
	private List<String> redactPatterns = new ArrayList<>();

	public Set<String> getAllowedPrograms() {
		return this.allowedPrograms;
	}

	public void setAllowedPrograms(Set<String> allowedPrograms) {
		this.allowedPrograms = allowedPrograms;
	}

	public boolean isAllowShell() {
		return this.allowShell;
	}

	public void setAllowShell(boolean allowShell) {
		this.allowShell = allowShell;
	}

	public EnvInheritance getEnvInheritance() {
		return this.envInheritance;
	}

	public void setEnvInheritance(EnvInheritance envInheritance) {
		this.envInheritance = envInheritance;
	}

	public Set<String> getEnvAllowList() {
		return this.envAllowList;
	}

	public void setEnvAllowList(Set<String> envAllowList) {
		this.envAllowList = envAllowList;
	}

	public List<String> getRedactPatterns() {
		return this.redactPatterns;
	}

	public void setRedactPatterns(List<String> redactPatterns) {
		this.redactPatterns = redactPatterns;
	}

}
