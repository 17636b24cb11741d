package io.execra.internal.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GroupCommitTests {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition work = this.lock.newCondition();

	@Test
	void lingersAsLongAsTheLastWriteTookUpToTheBound() {
		GroupCommit groupCommit = new GroupCommit();
		groupCommit.written(TimeUnit.MILLISECONDS.toNanos(3));
		assertThat(groupCommit.lingerNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3));
		groupCommit.written(TimeUnit.SECONDS.toNanos(2));
		assertThat(groupCommit.lingerNanos()).isEqualTo(GroupCommit.DEFAULT_MAX_LINGER_NANOS);
	}

	@Test
	void aStoreFasterThanTheMinimumIsNotWaitedFor() {
		GroupCommit groupCommit = new GroupCommit();
		groupCommit.written(TimeUnit.MICROSECONDS.toNanos(50));
		assertThat(groupCommit.lingerNanos()).isZero();
	}

	@Test
	void waitsForMoreWorkAboutTheLingerTime() throws Exception {
		GroupCommit groupCommit = lingering(TimeUnit.MILLISECONDS.toNanos(50));
		long took = lingerNanos(groupCommit, new AtomicBoolean(), 1);
		assertThat(took).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
	}

	@Test
	void doesNotLingerWhileSomethingWaitsForTheWrite() throws Exception {
		GroupCommit groupCommit = lingering(TimeUnit.SECONDS.toNanos(30));
		long took = lingerNanos(groupCommit, new AtomicBoolean(true), 1);
		assertThat(took).isLessThan(TimeUnit.SECONDS.toNanos(10));
	}

	@Test
	void doesNotLingerWithAFullBatchQueued() throws Exception {
		GroupCommit groupCommit = lingering(TimeUnit.SECONDS.toNanos(30));
		long took = lingerNanos(groupCommit, new AtomicBoolean(), GroupCommit.FULL_BATCH);
		assertThat(took).isLessThan(TimeUnit.SECONDS.toNanos(10));
	}

	@Test
	void stopsLingeringWhenSignalledThatSomethingNowWaits() throws Exception {
		GroupCommit groupCommit = lingering(TimeUnit.SECONDS.toNanos(30));
		AtomicBoolean waiting = new AtomicBoolean();
		Thread waiter = new Thread(() -> {
			this.lock.lock();
			try {
				waiting.set(true);
				this.work.signal();
			}
			finally {
				this.lock.unlock();
			}
		});
		this.lock.lock();
		try {
			waiter.start();
			long start = System.nanoTime();
			groupCommit.linger(this.work, waiting::get, () -> 1);
			assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
		}
		finally {
			this.lock.unlock();
		}
		waiter.join();
	}

	private static GroupCommit lingering(long nanos) {
		GroupCommit groupCommit = new GroupCommit(TimeUnit.MINUTES.toNanos(1), 0);
		groupCommit.written(nanos);
		return groupCommit;
	}

	private long lingerNanos(GroupCommit groupCommit, AtomicBoolean writeNow, int queued) throws Exception {
		this.lock.lock();
		try {
			long start = System.nanoTime();
			groupCommit.linger(this.work, writeNow::get, () -> queued);
			return System.nanoTime() - start;
		}
		finally {
			this.lock.unlock();
		}
	}

}
