package io.execra.autoconfigure.jpa;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobState;
import io.execra.store.JobStore;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The child JVM of {@link JpaJobStoreCrashTests}: runs the execra runtime with the JPA store under a fixed node id,
 * finishes some jobs, leaves long {@code sleep} jobs running, prints their ids and {@code READY}, then waits to be
 * killed.
 */
public final class CrashingApplication {

	static final int FINISHED_JOBS = 4;

	static final int RUNNING_JOBS = 3;

	private CrashingApplication() {
	}

	/**
	 * Runs until killed.
	 * @param args JDBC URL, user, password, table prefix, node id
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		TestDatabase database = new TestDatabase("crash", args[0], args[1], args[2]);
		ConfigurableApplicationContext context = database.start(args[3]);
		ExecraRuntime runtime = ExecraRuntime.builder()
			.store(context.getBean(JobStore.class))
			.nodeId(args[4])
			.maxConcurrent(FINISHED_JOBS + RUNNING_JOBS)
			.build();
		List<JobHandle> finished = new ArrayList<>();
		for (int i = 0; i < FINISHED_JOBS; i++) {
			finished.add(runtime.spawn(Command.of("sh", "-c", "echo job " + i + "; exit " + ((i == 0) ? 3 : 0))));
		}
		List<JobHandle> running = new ArrayList<>();
		for (int i = 0; i < RUNNING_JOBS; i++) {
			running.add(runtime.spawn(Command.of("sleep", "600").tags("crash")));
		}
		for (JobHandle handle : finished) {
			handle.await();
		}
		for (JobHandle handle : running) {
			while (runtime.job(handle.id()).orElseThrow().state() != JobState.RUNNING) {
				Thread.sleep(20);
			}
		}
		// a store query first waits for the store writer to catch up, so every state above is durable
		runtime.jobs().count();
		finished.forEach((handle) -> System.out.println("FINISHED " + handle.id()));
		running.forEach((handle) -> System.out
			.println("RUNNING " + handle.id() + " " + runtime.job(handle.id()).orElseThrow().pid()));
		System.out.println("READY");
		System.out.flush();
		Thread.sleep(Duration.ofMinutes(10).toMillis());
	}

}
