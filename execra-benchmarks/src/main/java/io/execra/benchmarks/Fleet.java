package io.execra.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.NuProcessBuilder;
import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;

/**
 * N {@code sleep 600} processes held at once by one API, for one round of the scale benchmark: created (and with
 * it whatever the API needs before the first process, e.g. execra's runtime), started, cancelled, awaited, closed.
 */
interface Fleet extends AutoCloseable {

	/** The command every process runs: long enough to outlive any round, short enough to end by itself. */
	List<String> SLEEP = List.of("sleep", "600");

	/**
	 * Starts the processes and returns once every one runs.
	 * @param jobs how many
	 * @param deadline {@link System#nanoTime()} by which all must run
	 * @return their pids
	 * @throws Exception on failure
	 */
	List<Long> startAll(int jobs, long deadline) throws Exception;

	/** Asks every process to stop, the way the API does it. */
	void cancelAll();

	/**
	 * Waits until the API reports every process finished (execra: the job finalized; the others: reaped).
	 * @throws Exception on failure or timeout
	 */
	void awaitFinished() throws Exception;

	@Override
	void close() throws Exception;

	/** execra: one job per process, {@code maxConcurrent} N, cancelled with {@link JobHandle#cancel()}. */
	final class Execra implements Fleet {

		private final ExecraRuntime runtime;

		private final List<JobHandle> handles = new ArrayList<>();

		Execra(BenchmarkOptions options, String pump, int jobs) {
			this.runtime = Runtimes.builder(options, pump).maxConcurrent(jobs).queueCapacity(jobs).build();
		}

		@Override
		public List<Long> startAll(int jobs, long deadline) throws Exception {
			for (int i = 0; i < jobs; i++) {
				this.handles.add(this.runtime.spawn(Command.of(SLEEP.get(0), SLEEP.subList(1, SLEEP.size()))));
			}
			List<Long> pids = new ArrayList<>(jobs);
			for (JobHandle handle : this.handles) {
				pids.add(awaitPid(handle, deadline));
			}
			return pids;
		}

		private static long awaitPid(JobHandle handle, long deadline) throws InterruptedException {
			while (System.nanoTime() < deadline) {
				Long pid = handle.snapshot().pid();
				if (pid != null) {
					return pid;
				}
				Thread.sleep(1);
			}
			throw new IllegalStateException("job " + handle.id() + " did not start in time");
		}

		@Override
		public void cancelAll() {
			this.handles.forEach(JobHandle::cancel);
		}

		@Override
		public void awaitFinished() throws Exception {
			for (JobHandle handle : this.handles) {
				handle.await();
			}
		}

		@Override
		public void close() {
			this.runtime.close();
		}

	}

	/**
	 * Raw {@link ProcessBuilder}: what reading N processes' output takes without execra, one drain thread per
	 * process (stderr merged), {@link Process#destroy()} to cancel.
	 */
	final class Raw implements Fleet {

		private final List<Process> processes = new ArrayList<>();

		private final List<Thread> drains = new ArrayList<>();

		@Override
		public List<Long> startAll(int jobs, long deadline) throws IOException {
			for (int i = 0; i < jobs; i++) {
				Process process = RawProcesses.builder(SLEEP).start();
				this.processes.add(process);
				Thread drain = new Thread(null, () -> {
					try {
						RawProcesses.drain(process.getInputStream());
					}
					catch (IOException ex) {
						// the process was destroyed
					}
				}, "raw-drain-" + i, 256 * 1024);
				drain.setDaemon(true);
				drain.start();
				this.drains.add(drain);
			}
			return this.processes.stream().map(Process::pid).toList();
		}

		@Override
		public void cancelAll() {
			this.processes.forEach(Process::destroy);
		}

		@Override
		public void awaitFinished() throws InterruptedException {
			for (Process process : this.processes) {
				process.waitFor();
			}
			for (Thread drain : this.drains) {
				drain.join();
			}
		}

		@Override
		public void close() {
			this.processes.forEach(Process::destroyForcibly);
		}

	}

	/**
	 * NuProcess, the peer: every process's pipes on a few epoll threads (one per core by default), a handler per
	 * process that ignores the output, {@code destroy(false)} (SIGTERM) to cancel. It signals the process only, not
	 * a tree.
	 */
	final class Nu implements Fleet {

		private final List<NuProcess> processes = new ArrayList<>();

		@Override
		public List<Long> startAll(int jobs, long deadline) {
			NuProcessBuilder builder = new NuProcessBuilder(SLEEP);
			for (int i = 0; i < jobs; i++) {
				builder.setProcessListener(new NuAbstractProcessHandler() {
				});
				NuProcess process = builder.start();
				if (process == null || !process.isRunning()) {
					throw new IllegalStateException("NuProcess could not start " + SLEEP);
				}
				this.processes.add(process);
			}
			return this.processes.stream().map((process) -> (long) process.getPID()).toList();
		}

		@Override
		public void cancelAll() {
			this.processes.forEach((process) -> process.destroy(false));
		}

		@Override
		public void awaitFinished() throws InterruptedException {
			for (NuProcess process : this.processes) {
				if (process.waitFor(60, TimeUnit.SECONDS) == Integer.MIN_VALUE) {
					throw new IllegalStateException("NuProcess process " + process.getPID() + " not reaped in 60 s");
				}
			}
		}

		@Override
		public void close() {
			this.processes.forEach((process) -> process.destroy(true));
		}

		/**
		 * Whether NuProcess runs on this JVM and OS: it starts processes through the JDK's own native code, which
		 * not every JDK has in the shape it expects.
		 * @return {@code null} if it does, else why not
		 */
		static String unusable() {
			try {
				// not 'true': a process that exits before NuProcess calls the handler's onStart makes it log a
				// NullPointerException (the handler is already released)
				NuProcessBuilder builder = new NuProcessBuilder(List.of("sleep", "0.2"));
				builder.setProcessListener(new NuAbstractProcessHandler() {
				});
				NuProcess process = builder.start();
				if (process == null) {
					return "NuProcess could not start 'sleep 0.2'";
				}
				int exit = process.waitFor(10, TimeUnit.SECONDS);
				return (exit == 0) ? null : "NuProcess ran 'sleep 0.2' with exit " + exit;
			}
			catch (Throwable ex) {
				return "NuProcess failed on this JVM: " + ex;
			}
		}

	}

}
