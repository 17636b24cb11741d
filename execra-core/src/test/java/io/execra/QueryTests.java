package io.execra;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Looking jobs up: by id, recent, running, filtered and paged queries, and the in-memory bound.
 */
class QueryTests {

	private final ExecraRuntime runtime = ExecraRuntime.builder().maxInMemoryJobs(5).build();

	@AfterEach
	void close() {
		this.runtime.close();
	}

	@Test
	void jobsAreFoundByIdRecentAndRunning() throws Exception {
		JobHandle done = this.runtime.spawn(Command.of("true").label("done"));
		done.await();
		JobHandle sleeping = this.runtime.spawn(Command.of("sleep", "30").label("sleeping"));
		assertThat(this.runtime.job(done.id())).get().extracting(Job::label).isEqualTo("done");
		assertThat(this.runtime.recent(10)).extracting(Job::id).containsExactly(sleeping.id(), done.id());
		assertThat(this.runtime.recent(1)).extracting(Job::id).containsExactly(sleeping.id());
		assertThat(this.runtime.running()).containsExactly(sleeping.id());
		sleeping.cancel();
		sleeping.await();
		assertThat(this.runtime.running()).isEmpty();
	}

	@Test
	void queriesFilterByTagStateOwnerAndCreationTimeWithPaging() throws Exception {
		Instant before = Instant.now();
		JobHandle a = this.runtime.spawn(Command.of("true").tags("media", "a").owner("alice"));
		JobHandle b = this.runtime.spawn(Command.of("true").tags("media").owner("bob"));
		JobHandle c = this.runtime.spawn(Command.of("sh", "-c", "exit 2").tags("build").owner("alice"));
		a.await();
		b.await();
		c.await();
		JobHandle running = this.runtime.spawn(Command.of("sleep", "30").tags("media"));
		org.awaitility.Awaitility.await().until(() -> running.snapshot().state() == JobState.RUNNING);
		assertThat(this.runtime.jobs().tag("media").list()).extracting(Job::id)
			.containsExactly(running.id(), b.id(), a.id());
		assertThat(this.runtime.jobs().tag("medi").list()).isEmpty();
		assertThat(this.runtime.jobs().owner("alice").list()).extracting(Job::id).containsExactly(c.id(), a.id());
		assertThat(this.runtime.jobs().state(JobState.RUNNING).list()).extracting(Job::id)
			.containsExactly(running.id());
		assertThat(this.runtime.jobs().tag("media").state(JobState.FINALIZED).count()).isEqualTo(2);
		assertThat(this.runtime.jobs().createdAfter(before).createdBefore(Instant.now()).count()).isEqualTo(4);
		assertThat(this.runtime.jobs().createdAfter(Instant.now().plusSeconds(60)).list()).isEmpty();
		List<Job> page1 = this.runtime.jobs().limit(2).list();
		List<Job> page2 = this.runtime.jobs().offset(2).limit(2).list();
		assertThat(page1).extracting(Job::id).containsExactly(running.id(), c.id());
		assertThat(page2).extracting(Job::id).containsExactly(b.id(), a.id());
		assertThat(this.runtime.jobs().list()).filteredOn((job) -> job.id().equals(running.id()))
			.singleElement()
			.extracting(Job::state)
			.isEqualTo(JobState.RUNNING);
		running.cancel();
		running.await();
	}

	@Test
	void finalizedJobsBeyondTheInMemoryBoundAreEvictedButStayInTheStore() throws Exception {
		List<JobHandle> jobs = new java.util.ArrayList<>();
		for (int i = 0; i < 8; i++) {
			JobHandle job = this.runtime.spawn(Command.of("echo", Integer.toString(i)).label("job " + i));
			job.await();
			jobs.add(job);
		}
		assertThat(this.runtime.recent(100)).hasSize(5);
		JobId oldest = jobs.get(0).id();
		assertThat(this.runtime.handle(oldest)).isEmpty();
		assertThat(this.runtime.job(oldest)).get().extracting(Job::label).isEqualTo("job 0");
		assertThat(this.runtime.events(oldest, 0, 100)).extracting(Event::kind)
			.containsExactly("job_created", "job_started", "exited", "finalized");
		try (EventStream stored = this.runtime.subscribe(oldest)) {
			assertThat(stored.next(Duration.ofSeconds(1))).isInstanceOf(Event.JobCreated.class);
		}
		assertThat(this.runtime.jobs().count()).isEqualTo(8);
	}

}
