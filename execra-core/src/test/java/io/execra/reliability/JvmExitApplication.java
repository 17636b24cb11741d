package io.execra.reliability;

import java.time.Duration;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobState;

/**
 * The child JVM of {@link JvmExitTests}: a plain-Java runtime, with or without its JVM shutdown hook, runs a long
 * {@code sleep}, prints {@code PID <pid>} once the job runs, and waits to be ended by a signal; the runtime is never
 * closed.
 */
public final class JvmExitApplication {

	private JvmExitApplication() {
	}

	/**
	 * Runs until the JVM is ended.
	 * @param args {@code hook} or {@code no-hook}
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		ExecraRuntime runtime = ExecraRuntime.builder().shutdownHook("hook".equals(args[0])).build();
		JobHandle job = runtime.spawn(Command.of("sleep", "600"));
		while (job.snapshot().state() != JobState.RUNNING) {
			Thread.sleep(20);
		}
		System.out.println("PID " + job.snapshot().pid());
		System.out.flush();
		Thread.sleep(Duration.ofMinutes(10).toMillis());
	}

}
