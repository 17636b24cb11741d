package io.execra.internal.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.execra.Job;
import io.execra.JobId;
import io.execra.cluster.ClusterStore;
import io.execra.cluster.JobRecipe;
import io.execra.store.StoreException;
import org.jspecify.annotations.Nullable;

/**
 * Queues the spawns of a node in the shared table, those that arrive together in one transaction: the first caller
 * writes what is waiting at once; callers that arrive while its transaction is in flight wait for it, and the next
 * of them writes them all in the next one (group commit). A spawn returns once its own job is stored, as alone.
 * If a group's transaction fails, each of its jobs is queued again alone, so that one bad job fails only its own
 * spawn. A transaction can fail without telling whether it committed (the connection broke at the commit): when the
 * store then has the job, whose id no one else has, the commit went through and the spawn returns as stored; when the
 * store cannot tell either, the spawn fails with a {@link StoreException} saying that its job may be queued.
 * Thread-safe.
 */
public final class GroupedEnqueues {

	private final ClusterStore store;

	private final int maxGroup;

	private final Predicate<JobId> stored;

	private final Object lock = new Object();

	private List<Pending> waiting = new ArrayList<>();

	private boolean writing;

	/**
	 * @param store the shared table
	 * @param maxGroup the most jobs in one transaction
	 * @param stored whether the store has a job (it throws if the store cannot tell)
	 */
	public GroupedEnqueues(ClusterStore store, int maxGroup, Predicate<JobId> stored) {
		this.store = store;
		this.maxGroup = maxGroup;
		this.stored = stored;
	}

	/**
	 * Queues a job and returns once it is stored.
	 * @param job the snapshot (state {@code QUEUED})
	 * @param recipe how to build its command
	 * @throws RuntimeException what the store threw for this job
	 */
	public void enqueue(Job job, JobRecipe recipe) {
		Pending mine = new Pending(new ClusterStore.Queued(job, recipe));
		boolean interrupted = false;
		try {
			synchronized (this.lock) {
				this.waiting.add(mine);
			}
			while (true) {
				List<Pending> group;
				synchronized (this.lock) {
					while (this.writing && mine.state == State.WAITING) {
						try {
							this.lock.wait();
						}
						catch (InterruptedException ex) {
							if (this.waiting.remove(mine)) {
								Thread.currentThread().interrupt();
								throw new IllegalStateException(
										"Interrupted while waiting to queue job " + job.id() + ": it is not queued",
										ex);
							}
							// its group is in flight: the spawn waits for what became of it
							interrupted = true;
						}
					}
					if (mine.state != State.WAITING) {
						break;
					}
					// the earliest waiting first: with more than a group waiting, this one may be in a later group
					group = takeGroup();
				}
				write(group);
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		if (mine.failure != null) {
			throw mine.failure;
		}
		if (mine.state == State.ALONE) {
			enqueueAlone(mine);
		}
	}

	private void enqueueAlone(Pending pending) {
		ClusterStore.Queued queued = pending.queued();
		try {
			this.store.enqueue(queued.job(), queued.recipe());
		}
		catch (IllegalArgumentException ex) {
			// stored already: by its group, if that group's failure left it in doubt and the store could not tell
			if (pending.groupInDoubt && storedDespite(queued.job().id(), ex) == Answer.STORED) {
				return;
			}
			throw ex;
		}
		catch (RuntimeException ex) {
			Answer stored = storedDespite(queued.job().id(), ex);
			if (stored == Answer.UNKNOWN) {
				throw mayBeQueued(queued.job().id(), ex);
			}
			if (stored == Answer.NOT_STORED) {
				throw ex;
			}
		}
	}

	/**
	 * @param id a job of the transaction that failed (a transaction stores all of its jobs or none)
	 * @return whether its jobs are stored all the same (it committed, and only its answer was lost), or whether the
	 * store could not tell
	 */
	private Answer storedDespite(JobId id, RuntimeException failure) {
		try {
			return this.stored.test(id) ? Answer.STORED : Answer.NOT_STORED;
		}
		catch (RuntimeException ex) {
			failure.addSuppressed(ex);
			return Answer.UNKNOWN;
		}
	}

	/**
	 * The failure of a spawn whose transaction failed in a way that may have committed it, when the store cannot tell:
	 * the caller must not take the job for not queued, since some node may still run it.
	 */
	private static StoreException mayBeQueued(JobId id, RuntimeException failure) {
		StoreException doubt = new StoreException("Job " + id + " may be queued: its enqueue failed and the store could"
				+ " not be asked whether it committed, so some node may still run it; ask for job " + id + " once the"
				+ " store answers. " + failure.getMessage(), failure);
		for (Throwable suppressed : failure.getSuppressed()) {
			doubt.addSuppressed(suppressed);
		}
		return doubt;
	}

	/** @return how many spawns wait for the transaction in flight */
	int waitingCount() {
		synchronized (this.lock) {
			return this.waiting.size();
		}
	}

	/**
	 * Called holding the lock: the caller writes the next group, the earliest waiting, its own job among them or not.
	 */
	private List<Pending> takeGroup() {
		this.writing = true;
		List<Pending> group;
		if (this.waiting.size() <= this.maxGroup) {
			group = this.waiting;
			this.waiting = new ArrayList<>();
		}
		else {
			group = new ArrayList<>(this.waiting.subList(0, this.maxGroup));
			this.waiting = new ArrayList<>(this.waiting.subList(this.maxGroup, this.waiting.size()));
		}
		return group;
	}

	private void write(List<Pending> group) {
		State outcome = State.STORED;
		@Nullable RuntimeException failure = null;
		try {
			this.store.enqueueAll(group.stream().map(Pending::queued).toList());
		}
		catch (IllegalArgumentException ex) {
			outcome = State.ALONE;
			failure = ex;
		}
		catch (RuntimeException ex) {
			JobId first = group.get(0).queued().job().id();
			Answer stored = storedDespite(first, ex);
			if (stored != Answer.STORED) {
				outcome = State.ALONE;
				// alone already: nothing to try again, so it may be queued when the store cannot tell
				failure = (stored == Answer.UNKNOWN && group.size() == 1) ? mayBeQueued(first, ex) : ex;
			}
		}
		boolean inDoubt = failure != null && !(failure instanceof IllegalArgumentException);
		synchronized (this.lock) {
			for (Pending pending : group) {
				pending.state = outcome;
				pending.groupInDoubt = inDoubt;
			}
			if (group.size() == 1) {
				// alone already: its failure is its own
				group.get(0).failure = failure;
			}
			this.writing = false;
			this.lock.notifyAll();
		}
	}

	/** Whether the store has a job whose enqueue failed. */
	private enum Answer {

		STORED, NOT_STORED, UNKNOWN

	}

	private enum State {

		/** Not written yet. */
		WAITING,

		/** Stored by its group's transaction. */
		STORED,

		/** Its group's transaction failed: the caller queues it alone (or, alone already, throws its failure). */
		ALONE

	}

	private static final class Pending {

		private final ClusterStore.Queued queued;

		private State state = State.WAITING;

		private @Nullable RuntimeException failure;

		/** Its group's transaction failed for a reason that leaves open whether it committed. */
		private boolean groupInDoubt;

		Pending(ClusterStore.Queued queued) {
			this.queued = queued;
		}

		ClusterStore.Queued queued() {
			return this.queued;
		}

	}

}
