package io.execra.autoconfigure.retention;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.JobId;
import io.execra.store.JobStore;
import io.execra.store.OutputLogFiles;
import io.execra.store.PruneCriteria;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Deletes what a {@link RetentionPolicy} says from the stores and output directories of the execra runtimes: finalized
 * jobs with their events and findings, in batches of {@code batch-size} through {@link JobStore#prune} (one short
 * transaction each, deleting by id, so instances sweeping the same store at once do not conflict), the raw-output
 * files of the deleted jobs, and raw-output files older than {@code output-files-max-age}.
 * <p>
 * A sweep can run whole ({@link #sweep()}) or in slices of bounded time ({@link #step(Duration)}), which is how the
 * {@link ExecraRetentionScheduler} runs it, so that stopping the application waits for a slice, not a whole sweep.
 * Thread-safe: one sweep at a time.
 */
public class ExecraRetentionCleaner {

	private static final Log logger = LogFactory.getLog(ExecraRetentionCleaner.class);

	private final RetentionPolicy policy;

	private final Supplier<Map<String, ExecraRuntime>> runtimes;

	private final Clock clock;

	private final List<ExecraRetentionListener> listeners;

	private final ReentrantLock lock = new ReentrantLock();

	private @Nullable Sweep current;

	private volatile @Nullable RetentionSweepResult lastSweep;

	/**
	 * Creates a cleaner.
	 * @param policy what to delete
	 * @param runtimes the runtimes whose stores and output directories are swept, by name
	 * @param clock the clock for ages
	 * @param listeners callbacks on deletions
	 */
	public ExecraRetentionCleaner(RetentionPolicy policy, Supplier<Map<String, ExecraRuntime>> runtimes, Clock clock,
			List<ExecraRetentionListener> listeners) {
		this.policy = policy;
		this.runtimes = runtimes;
		this.clock = clock;
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * The policy.
	 * @return the policy
	 */
	public RetentionPolicy policy() {
		return this.policy;
	}

	/**
	 * The result of the last finished sweep.
	 * @return the result, or {@code null} before the first sweep finished
	 */
	public @Nullable RetentionSweepResult lastSweep() {
		return this.lastSweep;
	}

	/**
	 * Runs a whole sweep (finishing one in progress first, if any).
	 * @return what it did
	 */
	public RetentionSweepResult sweep() {
		this.lock.lock();
		try {
			RetentionSweepResult result = step(null);
			while (result == null) {
				result = step(null);
			}
			return result;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Starts a sweep if none is in progress, then works on it for about {@code budget}: at least one step (a batch of
	 * jobs or one directory of old files).
	 * @param budget how long to work, or {@code null} to finish the sweep
	 * @return the result once the sweep finished, {@code null} while work remains
	 */
	public @Nullable RetentionSweepResult step(@Nullable Duration budget) {
		this.lock.lock();
		try {
			Sweep sweep = this.current;
			if (sweep == null) {
				sweep = new Sweep(this.clock.instant(), targets());
				this.current = sweep;
			}
			long deadline = (budget != null) ? System.nanoTime() + budget.toNanos() : Long.MAX_VALUE;
			try {
				do {
					if (!sweep.advance()) {
						return finish(sweep, null);
					}
				}
				while (System.nanoTime() < deadline);
				return null;
			}
			catch (RuntimeException ex) {
				logger.warn("execra retention sweep stopped after deleting " + sweep.jobsDeleted + " jobs: " + ex, ex);
				return finish(sweep, ex.toString());
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private RetentionSweepResult finish(Sweep sweep, @Nullable String failure) {
		this.current = null;
		RetentionSweepResult result = new RetentionSweepResult(sweep.now, this.clock.instant(), sweep.jobsDeleted,
				sweep.filesDeleted, failure);
		this.lastSweep = result;
		if (result.jobsDeleted() > 0 || result.outputFilesDeleted() > 0) {
			logger.info("execra retention deleted " + result.jobsDeleted() + " jobs and " + result.outputFilesDeleted()
					+ " raw-output files in " + result.duration().toMillis() + " ms");
		}
		notifyListeners((listener) -> listener.sweepFinished(result));
		return result;
	}

	/** The runtimes grouped by store (several runtimes may share one), with their output directories. */
	private List<Target> targets() {
		Map<JobStore, Target> byStore = new IdentityHashMap<>();
		List<Target> targets = new ArrayList<>();
		for (ExecraRuntime runtime : this.runtimes.get().values()) {
			JobStore store = runtime.settings().store();
			Target target = byStore.get(store);
			if (target == null) {
				target = new Target(store, new ArrayList<>(), new LinkedHashSet<>());
				byStore.put(store, target);
				targets.add(target);
			}
			target.runtimes().add(runtime);
			Path directory = runtime.settings().rawOutput().directory();
			if (directory != null) {
				target.directories().add(directory);
			}
		}
		return targets;
	}

	private void notifyListeners(Consumer<ExecraRetentionListener> callback) {
		for (ExecraRetentionListener listener : this.listeners) {
			try {
				callback.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("execra retention listener " + listener + " failed", ex);
			}
		}
	}

	private record Target(JobStore store, List<ExecraRuntime> runtimes, Set<Path> directories) {
	}

	/** A sweep in progress: job batches per store, then old files per directory. */
	private final class Sweep {

		private final Instant now;

		private final PruneCriteria criteria;

		private final ArrayDeque<Target> stores;

		private final ArrayDeque<Path> directories = new ArrayDeque<>();

		private final List<ExecraRuntime> allRuntimes = new ArrayList<>();

		private long jobsDeleted;

		private long filesDeleted;

		Sweep(Instant now, List<Target> targets) {
			this.now = now;
			this.criteria = ExecraRetentionCleaner.this.policy.criteria(now);
			this.stores = ExecraRetentionCleaner.this.policy.deletesJobs() ? new ArrayDeque<>(targets)
					: new ArrayDeque<>();
			Set<Path> seen = new LinkedHashSet<>();
			for (Target target : targets) {
				this.allRuntimes.addAll(target.runtimes());
				seen.addAll(target.directories());
			}
			if (ExecraRetentionCleaner.this.policy.outputFilesCutoff(now) != null) {
				this.directories.addAll(seen);
			}
		}

		/** Does one step; returns {@code false} when nothing is left to do. */
		boolean advance() {
			Target target = this.stores.peek();
			if (target != null) {
				List<JobId> deleted = target.store().prune(this.criteria, ExecraRetentionCleaner.this.policy.batchSize());
				if (deleted.size() < ExecraRetentionCleaner.this.policy.batchSize()) {
					this.stores.poll();
				}
				if (!deleted.isEmpty()) {
					target.runtimes().forEach((runtime) -> runtime.forget(deleted));
					this.jobsDeleted += deleted.size();
					notifyListeners((listener) -> listener.jobsDeleted(deleted.size()));
					deleteFiles(target.directories(), deleted);
				}
				return true;
			}
			Path directory = this.directories.poll();
			if (directory != null) {
				Instant cutoff = ExecraRetentionCleaner.this.policy.outputFilesCutoff(this.now);
				int count = (cutoff != null) ? OutputLogFiles.in(directory).deleteOlderThan(cutoff, this::isActive) : 0;
				countFiles(count);
				return true;
			}
			return false;
		}

		private void deleteFiles(Collection<Path> directories, List<JobId> ids) {
			for (Path directory : directories) {
				OutputLogFiles files = OutputLogFiles.in(directory);
				int count = 0;
				for (JobId id : ids) {
					count += files.delete(id);
				}
				countFiles(count);
			}
		}

		private void countFiles(int count) {
			if (count > 0) {
				this.filesDeleted += count;
				notifyListeners((listener) -> listener.outputFilesDeleted(count));
			}
		}

		private boolean isActive(JobId id) {
			for (ExecraRuntime runtime : this.allRuntimes) {
				if (runtime.handle(id).isPresent()
						&& runtime.job(id).map(Job::state).map((state) -> state.isActive()).orElse(false)) {
					return true;
				}
			}
			return false;
		}

	}

}
