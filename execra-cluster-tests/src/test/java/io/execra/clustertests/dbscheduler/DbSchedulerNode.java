package io.execra.clustertests.dbscheduler;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * One db-scheduler instance in a child JVM: the baseline of {@code ClusterThroughputBenchmarkTests}. Its one-time
 * task {@value #TASK} runs {@code /bin/true} through {@link ProcessBuilder} and appends
 * {@code INSTANCE STARTED_MS FINISHED_MS NODE} to a results file, the process started at {@code STARTED_MS}. It polls
 * with lock-and-fetch ({@code SELECT ... FOR UPDATE SKIP LOCKED} on PostgreSQL).
 * <p>
 * Arguments: JDBC URL, user, password, node name, threads, polling interval in ms, results file. Halts when its
 * standard input ends (the test JVM is gone), as the cluster nodes do.
 */
public final class DbSchedulerNode {

	/** The task's name. */
	public static final String TASK = "run-true";

	private DbSchedulerNode() {
	}

	/**
	 * The task, for the scheduler and for the client that schedules its instances.
	 * @param results where the instances' runs are appended (a client that only schedules passes a writer to nowhere)
	 * @param node the node's name
	 * @return the task
	 */
	public static OneTimeTask<Void> task(BufferedWriter results, String node) {
		return Tasks.oneTime(TASK).execute((instance, context) -> {
			try {
				Process process = new ProcessBuilder("/bin/true").start();
				long startedAt = System.currentTimeMillis();
				process.waitFor();
				long finishedAt = System.currentTimeMillis();
				synchronized (results) {
					results.write(instance.getId() + " " + startedAt + " " + finishedAt + " " + node + "\n");
					results.flush();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
	}

	public static void main(String[] args) throws Exception {
		Thread watchdog = new Thread(DbSchedulerNode::haltWhenParentIsGone, "parent-watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
		int threads = Integer.parseInt(args[4]);
		HikariConfig pool = new HikariConfig();
		pool.setJdbcUrl(args[0]);
		pool.setUsername(args[1]);
		pool.setPassword(args[2]);
		// the execra nodes' pool size (Hikari's default): both sides get the same connections, and six JVMs on one
		// PostgreSQL stay under its default max_connections of 100
		pool.setMaximumPoolSize(10);
		HikariDataSource dataSource = new HikariDataSource(pool);
		BufferedWriter results = Files.newBufferedWriter(Path.of(args[6]), StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
		Scheduler scheduler = Scheduler.create(dataSource, task(results, args[3]))
			.threads(threads)
			.pollUsingLockAndFetch(0.5, 1.0)
			.pollingInterval(Duration.ofMillis(Long.parseLong(args[5])))
			.build();
		scheduler.start();
		System.out.println("READY");
		System.out.flush();
		Thread.currentThread().join();
	}

	private static void haltWhenParentIsGone() {
		InputStream in = System.in;
		byte[] buffer = new byte[64];
		try {
			while (in.read(buffer) >= 0) {
				// nothing is sent
			}
		}
		catch (IOException ex) {
			// the same as end of input
		}
		Runtime.getRuntime().halt(3);
	}

}
