package io.execra.test.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.execra.ExecraRuntime;
import io.execra.autoconfigure.support.ExecraRuntimes;
import io.execra.test.ExecraTestRuntime;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The test runtimes of a context by runtime name, to script their jobs and assert on their spawns. A runtime bean
 * replaced by a {@code @MockitoBean} is not among them.
 */
public final class ExecraTestRuntimes {

	private final ListableBeanFactory beanFactory;

	ExecraTestRuntimes(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * The test runtime in place of the default runtime bean {@code execraRuntime}.
	 * @return the runtime
	 */
	public ExecraTestRuntime defaultRuntime() {
		return named(io.execra.autoconfigure.ExecraProperties.DEFAULT_RUNTIME_NAME);
	}

	/**
	 * The test runtime in place of a named runtime.
	 * @param name the runtime's name ({@code execra.runtimes.<name>}), or {@code default}
	 * @return the runtime
	 * @throws IllegalArgumentException if no test runtime has that name
	 */
	public ExecraTestRuntime named(String name) {
		ExecraTestRuntime runtime = all().get(name);
		if (runtime == null) {
			throw new IllegalArgumentException("No execra test runtime named '" + name + "' (test runtimes: "
					+ all().keySet() + "; a runtime replaced by a @MockitoBean is not one)");
		}
		return runtime;
	}

	/**
	 * Every test runtime by runtime name, the default one first.
	 * @return the runtimes
	 */
	public Map<String, ExecraTestRuntime> all() {
		Map<String, ExecraTestRuntime> runtimes = new LinkedHashMap<>();
		Map<String, ExecraRuntime> byName = new ExecraRuntimes(this.beanFactory).byName();
		byName.forEach((name, runtime) -> {
			if (runtime instanceof ExecraTestRuntime testRuntime) {
				runtimes.put(name, testRuntime);
			}
		});
		return runtimes;
	}

	/**
	 * Resets every test runtime: scripts, jobs and recorded spawns.
	 */
	public void resetAll() {
		all().values().forEach(ExecraTestRuntime::reset);
	}

}
