package io.execra.test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.CommandLimits;
import io.execra.CommandTemplate;
import io.execra.Delivery;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.ExecraSettings;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.JobRejectedException;
import io.execra.JobState;
import io.execra.JobsQuery;
import io.execra.OutputPage;
import io.execra.RuntimeStats;
import io.execra.UnknownJobException;
import io.execra.store.JobCriteria;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExecraRuntime} for tests that starts no process: each job plays a {@link JobScript} chosen by its
 * preset or program, deterministically and at once, with the handles, event streams, queries and outcomes of a
 * real runtime. It records every spawn ({@link #spawned()}), renders presets with their placeholder checks and
 * applies the {@link CommandLimits} and the security policy of its settings, so a test sees what its code would have run and what would have
 * been refused.
 * <pre>{@code
 * ExecraTestRuntime runtime = ExecraTestRuntime.create(ExecraRuntime.builder().preset(transcode));
 * runtime.whenPreset("transcode").progress(0.5).output("frame=42").succeeds();
 * Outcome outcome = new Media(runtime).transcode("in.mp4").await();
 * ExecraTestAssertions.assertThat(runtime).spawnedPreset("transcode").hasArgument("in.mp4");
 * }</pre>
 * Commands that match no script succeed with no events. Thread-safe.
 */
public final class ExecraTestRuntime implements ExecraRuntime {

	private final ExecraSettings settings;

	private final Map<String, JobScript> presetScripts = new LinkedHashMap<>();

	private final Map<String, JobScript> programScripts = new LinkedHashMap<>();

	private final Map<JobId, ScriptedJob> jobs = new LinkedHashMap<>();

	private final List<SpawnedCommand> spawned = new ArrayList<>();

	private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

	private JobScript otherwise = new JobScript();

	private boolean shutDown;

	private ExecraTestRuntime(ExecraSettings settings) {
		this.settings = settings;
	}

	/**
	 * A test runtime with default settings and no presets.
	 * @return the runtime
	 */
	public static ExecraTestRuntime create() {
		return of(ExecraRuntime.builder().settings());
	}

	/**
	 * A test runtime with the presets, security policy, listeners and node id a builder is configured with.
	 * @param builder the builder, as the application's code would configure it
	 * @return the runtime
	 */
	public static ExecraTestRuntime create(io.execra.ExecraRuntimeBuilder builder) {
		return of(builder.settings());
	}

	/**
	 * A test runtime with the presets, security policy, listeners and node id of a runtime's settings.
	 * @param settings the settings, e.g. {@code realRuntime.settings()}
	 * @return the runtime
	 */
	public static ExecraTestRuntime of(ExecraSettings settings) {
		return new ExecraTestRuntime(settings);
	}

	/**
	 * The script for jobs of a preset, replacing any earlier one.
	 * @param preset the preset's name
	 * @return the script to describe
	 */
	public synchronized JobScript whenPreset(String preset) {
		template(preset);
		JobScript script = new JobScript();
		this.presetScripts.put(preset, script);
		return script;
	}

	/**
	 * The script for jobs of a program not started from a scripted preset, replacing any earlier one.
	 * @param program the program as the command names it
	 * @return the script to describe
	 */
	public synchronized JobScript whenProgram(String program) {
		JobScript script = new JobScript();
		this.programScripts.put(program, script);
		return script;
	}

	/**
	 * The script for jobs no other script matches (by default they succeed with no events).
	 * @return the script to describe
	 */
	public synchronized JobScript otherwise() {
		this.otherwise = new JobScript();
		return this.otherwise;
	}

	/**
	 * Every command spawned, in order, including those the runtime refused.
	 * @return the spawned commands
	 */
	public synchronized List<SpawnedCommand> spawned() {
		return List.copyOf(this.spawned);
	}

	/**
	 * What was written to a job's stdin.
	 * @param id the job
	 * @return the bytes, in order
	 */
	public byte[] input(JobId id) {
		return scripted(id).input();
	}

	/**
	 * Forgets scripts, jobs and spawns, cancelling jobs still running, so that the next test starts afresh.
	 */
	public void reset() {
		List<ScriptedJob> running;
		synchronized (this) {
			running = new ArrayList<>(this.jobs.values());
			this.presetScripts.clear();
			this.programScripts.clear();
			this.otherwise = new JobScript();
			this.jobs.clear();
			this.spawned.clear();
			this.shutDown = false;
		}
		running.forEach(ScriptedJob::cancel);
	}

	@Override
	public JobHandle spawn(Command command) {
		return spawn(command, Map.of());
	}

	@Override
	public JobHandle spawn(String preset, Map<String, String> parameters) {
		return spawn(template(preset).render(parameters), parameters);
	}

	private CommandTemplate template(String preset) {
		CommandTemplate template = this.settings.presets().get(preset);
		if (template == null) {
			throw new IllegalArgumentException(
					"Unknown preset '" + preset + "' (known presets: " + this.settings.presets().keySet() + ")");
		}
		return template;
	}

	private JobHandle spawn(Command command, Map<String, String> parameters) {
		JobId id = JobId.generate(Clock.systemUTC());
		String preset = command.metadata().get("preset");
		ScriptedJob job;
		synchronized (this) {
			this.spawned.add(new SpawnedCommand(id, preset, parameters, command));
			if (this.shutDown) {
				throw new JobRejectedException("The execra test runtime is shut down");
			}
			command = CommandLimits.admit(command,
					command.environment(this.settings.securityPolicy().inheritedEnvironment(System.getenv())));
			String refused = this.settings.securityPolicy().rejectionReason(command, null);
			if (refused != null) {
				throw new JobRejectedException("Command refused: " + refused);
			}
			job = new ScriptedJob(id, command, this.settings.securityPolicy().redactedSpec(command),
					this.settings.nodeId(), scriptFor(preset, command), this.settings.listeners(), this::fanOut);
			this.jobs.put(id, job);
		}
		job.start();
		return job;
	}

	private JobScript scriptFor(@Nullable String preset, Command command) {
		JobScript script = (preset != null) ? this.presetScripts.get(preset) : null;
		if (script == null) {
			script = this.programScripts.get(command.program());
		}
		return (script != null) ? script : this.otherwise;
	}

	private void fanOut(Event event) {
		for (Subscription subscription : this.subscriptions) {
			subscription.offer(event);
		}
	}

	@Override
	public Map<String, CommandTemplate> presets() {
		return this.settings.presets();
	}

	@Override
	public boolean cancel(JobId id) {
		ScriptedJob job;
		synchronized (this) {
			job = this.jobs.get(id);
		}
		return job != null && job.cancel();
	}

	@Override
	public synchronized Optional<JobHandle> handle(JobId id) {
		return Optional.ofNullable(this.jobs.get(id));
	}

	@Override
	public synchronized Optional<Job> job(JobId id) {
		return Optional.ofNullable(this.jobs.get(id)).map(ScriptedJob::snapshot);
	}

	@Override
	public List<Job> recent(int n) {
		return query(new JobCriteria(null, java.util.Set.of(), null, null, null, 0, Math.max(1, n)));
	}

	@Override
	public synchronized List<JobId> running() {
		return snapshots().stream().filter((job) -> job.state() == JobState.RUNNING).map(Job::id).toList();
	}

	@Override
	public JobsQuery jobs() {
		return new JobsQuery(this::query, (query) -> snapshots().stream().filter(query::matches).count());
	}

	private List<Job> query(JobCriteria query) {
		return snapshots().stream()
			.filter(query::matches)
			.sorted(Comparator.comparing(Job::createdAt).reversed())
			.skip(query.offset())
			.limit(query.limit())
			.toList();
	}

	private synchronized List<Job> snapshots() {
		return this.jobs.values().stream().map(ScriptedJob::snapshot).toList();
	}

	@Override
	public List<Event> events(JobId id, long afterSeq, int limit) {
		return scripted(id).events(afterSeq, limit);
	}

	@Override
	public EventStream subscribe() {
		return subscribe(true);
	}

	/**
	 * Live events of all jobs from now on, output lines left out: never queued for the stream, as in a real runtime.
	 * @return a new stream
	 */
	@Override
	public EventStream subscribeWithoutOutput() {
		return subscribe(false);
	}

	private EventStream subscribe(boolean includeOutput) {
		Subscription subscription = new Subscription(new LinkedBlockingQueue<>(), includeOutput);
		this.subscriptions.add(subscription);
		return new ScriptedEventStream() {

			@Override
			protected @Nullable Event poll(Duration timeout) throws InterruptedException {
				return subscription.queue().poll(ScriptedJob.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
			}

			@Override
			public void close() {
				super.close();
				ExecraTestRuntime.this.subscriptions.remove(subscription);
			}

		};
	}

	/** An all-jobs subscription's queue, and whether output lines go into it. */
	private record Subscription(LinkedBlockingQueue<Event> queue, boolean includeOutput) {

		void offer(Event event) {
			if (this.includeOutput || !(event instanceof Event.OutputAppended)) {
				this.queue.add(event);
			}
		}

	}

	@Override
	public EventStream subscribe(JobId id) {
		return scripted(id).events();
	}

	@Override
	public EventStream subscribe(JobId id, Delivery delivery) {
		return scripted(id).events(delivery);
	}

	@Override
	public OutputPage output(JobId id, long afterSeq, int maxBytes, Duration wait) {
		ScriptedJob job = scripted(id);
		List<OutputPage.Chunk> chunks = new ArrayList<>();
		long nextSeq = afterSeq;
		long bytes = 0;
		for (Event event : job.events(afterSeq, Integer.MAX_VALUE)) {
			if (event instanceof Event.OutputAppended output) {
				if (!chunks.isEmpty() && bytes + output.line().length() > maxBytes) {
					break;
				}
				chunks.add(new OutputPage.Chunk(output.seq(), output.stream(), output.line(), output.at()));
				bytes += output.line().length();
			}
			nextSeq = event.seq();
		}
		Job snapshot = job.snapshot();
		boolean exited = snapshot.state() == JobState.EXITED || snapshot.state() == JobState.FINALIZED;
		return new OutputPage(id, chunks, nextSeq, 0, exited, snapshot.exit(), snapshot.isFinalized());
	}

	@Override
	public synchronized void forget(Collection<JobId> ids) {
		ids.forEach(this.jobs::remove);
	}

	@Override
	public synchronized RuntimeStats stats() {
		// it writes nothing to a store, so nothing is ever waiting for one
		return new RuntimeStats(running().size(), 0, this.settings.maxConcurrent(), this.settings.queueCapacity(),
				!this.shutDown, 0, null);
	}

	@Override
	public ExecraSettings settings() {
		return this.settings;
	}

	@Override
	public void shutdown(Duration timeout) {
		close();
	}

	@Override
	public void close() {
		List<ScriptedJob> running;
		synchronized (this) {
			this.shutDown = true;
			running = new ArrayList<>(this.jobs.values());
		}
		running.forEach(ScriptedJob::cancel);
	}

	private synchronized ScriptedJob scripted(JobId id) {
		ScriptedJob job = this.jobs.get(id);
		if (job == null) {
			throw new UnknownJobException(id);
		}
		return job;
	}

}
