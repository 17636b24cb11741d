package io.execra.test.autoconfigure;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Resets the test runtimes of a test's context after each test method, so that scripts and recorded spawns of
 * one test never reach the next that shares the cached context.
 */
public class ExecraTestRuntimeResetTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext()
				.getBeanProvider(ExecraTestRuntimes.class)
				.ifAvailable(ExecraTestRuntimes::resetAll);
		}
	}

}
