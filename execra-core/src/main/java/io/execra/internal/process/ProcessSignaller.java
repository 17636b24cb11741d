package io.execra.internal.process;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends TERM or KILL to a job's whole process group, and to the job's processes that left it. The group leader is
 * signalled at once, from the caller's thread; the whole group from the signaller's thread, in batches: one
 * {@code kill -s SIG -- -pgid ...} serves every group signalled at about the same time. The {@code kill} is the
 * built-in of a long-lived shell ({@link KillShell}), so no process is spawned on the way to the signal;
 * {@code kill(1)} is spawned only if that shell cannot be used. Without process groups, the process and its
 * descendants are signalled one by one.
 * <p>
 * Processes of the job outside its group (a descendant that called {@code setsid}, a daemon) are found by the
 * job's mark ({@link MarkedProcesses}) and signalled one by one, after the group; with KILL until none is left.
 * A cluster node's signaller only looks for processes that carry its node id as well, so that it never signals
 * another node's attempt of the same job on a shared host.
 */
public final class ProcessSignaller {

	private static final Logger logger = LoggerFactory.getLogger(ProcessSignaller.class);

	public enum Signal {

		TERM, KILL

	}

	/**
	 * A signal for a group and, with a job id, for the job's marked processes; {@code sent} completes once both
	 * were signalled.
	 */
	private record Request(Signal signal, ProcessHandle leader, @Nullable String jobId,
			@Nullable CompletableFuture<Void> sent) {

		Request(Signal signal, ProcessHandle leader) {
			this(signal, leader, null, null);
		}

		long pgid() {
			return this.leader.pid();
		}

		/**
		 * Whether the group id may now belong to someone else: a live process has the leader's pid but is not the
		 * leader (handles compare pid and start time). A dead leader's group id cannot be reused while members of
		 * its group live, so signalling it is safe.
		 */
		boolean pgidReused() {
			return ProcessHandle.of(this.leader.pid()).map((current) -> !current.equals(this.leader)).orElse(false);
		}

	}

	/** How long leftovers of naturally exited jobs are collected before one KILL serves them all. */
	private static final long REAP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private final List<Request> reaps = new ArrayList<>();

	private long reapDeadline;

	private final boolean groups;

	private final String kill;

	private final ThreadFactory threads;

	private final LinkedBlockingQueue<Request> pending = new LinkedBlockingQueue<>();

	private volatile boolean started;

	private volatile @Nullable Thread thread;

	/** After {@link #stop()}: signals are sent on the caller's thread. */
	private volatile boolean stopped;

	/** The cluster node whose mark the processes it looks for carry, or {@code null} outside cluster mode. */
	private final @Nullable String nodeId;

	public ProcessSignaller(boolean groups, ThreadFactory threads) {
		this(groups, threads, null);
	}

	/**
	 * @param groups whether jobs run in process groups of their own
	 * @param threads makes the signalling thread
	 * @param nodeId the cluster node this signaller serves, or {@code null} outside cluster mode
	 */
	public ProcessSignaller(boolean groups, ThreadFactory threads, @Nullable String nodeId) {
		this.nodeId = nodeId;
		this.groups = groups;
		this.threads = threads;
		this.kill = new File("/bin/kill").canExecute() ? "/bin/kill"
				: new File("/usr/bin/kill").canExecute() ? "/usr/bin/kill" : "kill";
	}

	/**
	 * Signals the group led by the process (or, without groups, the process tree), and the job's processes that
	 * left it.
	 * @param process the group leader
	 * @param signal the signal
	 * @param jobId the job whose marked processes are signalled too
	 * @return completes once the group and the marked processes were signalled
	 */
	public CompletableFuture<Void> signal(ProcessHandle process, Signal signal, String jobId) {
		CompletableFuture<Void> sent = new CompletableFuture<>();
		if (!this.groups) {
			signalTree(process, signal);
			MarkedProcesses.signal(MarkedProcesses.ofJobs(List.of(jobId), this.nodeId), signal == Signal.KILL,
					Set.of());
			sent.complete(null);
			return sent;
		}
		Request request = new Request(signal, process, jobId, sent);
		if (this.stopped) {
			sendNow(request);
			return sent;
		}
		ensureStarted();
		this.pending.add(request);
		if (signal == Signal.TERM) {
			// kill(2) on the leader now; its group follows from the signaller's thread
			process.destroy();
		}
		if (signal == Signal.KILL) {
			// belt and braces: the leader and the descendants we can still see die even if kill(1) fails
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
		return sent;
	}

	/**
	 * Kills what a job whose leader exited by itself left running in its group (a background process), a little
	 * later and batched with others, so that jobs that leave nothing behind cost next to nothing.
	 * <p>
	 * The job's processes outside its group are not looked for: that would read the environment of every process
	 * of the machine after every job. A job's survivor that holds its output is killed by the drain-grace KILL
	 * ({@link #signal}) instead.
	 * @param leader the exited group leader
	 */
	public void reapLater(ProcessHandle leader) {
		if (!this.groups) {
			return;
		}
		if (this.stopped) {
			sendNow(new Request(Signal.KILL, leader));
			return;
		}
		ensureStarted();
		boolean first;
		synchronized (this.reaps) {
			first = this.reaps.isEmpty();
			if (first) {
				this.reapDeadline = System.nanoTime() + REAP_INTERVAL_NANOS;
			}
			this.reaps.add(new Request(Signal.KILL, leader));
		}
		if (first) {
			// the signaller waits for the deadline of reaps already queued; only the first sets one
			this.pending.add(WAKE_UP);
		}
	}

	private static final Request WAKE_UP = new Request(Signal.TERM, ProcessHandle.current());

	/**
	 * Sends KILL to the groups of these processes, and to the processes of these jobs, now, on the calling thread
	 * (for shutdown, when the signalling thread may no longer run).
	 * @param leaders the group leaders
	 * @param jobIds the jobs whose marked processes are killed too
	 */
	public void killNow(List<ProcessHandle> leaders, List<String> jobIds) {
		killNow(leaders, MarkedProcesses.ofJobs(jobIds, this.nodeId));
	}

	/**
	 * Sends KILL to the groups of these processes and to every process marked with this cluster node's id (and
	 * the epoch, if given), now, on the calling thread. A node that lost its lease kills the processes of that
	 * lease's epoch, never those of another node that may run the next attempt of the same job; a node that
	 * starts kills every process of its id, which only an earlier run of it can have left.
	 * @param leaders the group leaders
	 * @param nodeId the node
	 * @param epoch the epoch of the lease whose processes are killed, or {@code null} for every epoch
	 * @return how many marked processes outside these groups were killed
	 */
	public int killNode(List<ProcessHandle> leaders, String nodeId, @Nullable Long epoch) {
		return killNow(leaders, MarkedProcesses.ofNode(nodeId, epoch));
	}

	private int killNow(List<ProcessHandle> leaders, MarkedProcesses.Marks marks) {
		if (!this.groups) {
			leaders.forEach((leader) -> signalTree(leader, Signal.KILL));
			return MarkedProcesses.signal(marks, true, Set.of());
		}
		List<Request> batch = new ArrayList<>();
		for (ProcessHandle leader : leaders) {
			batch.add(new Request(Signal.KILL, leader));
			leader.descendants().forEach(ProcessHandle::destroyForcibly);
			leader.destroyForcibly();
		}
		try {
			send(batch, Signal.KILL);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Set<Long> groups = new HashSet<>();
		leaders.forEach((leader) -> groups.add(leader.pid()));
		return MarkedProcesses.signal(marks, true, groups);
	}

	private static void signalTree(ProcessHandle process, Signal signal) {
		List<ProcessHandle> tree = new ArrayList<>();
		process.descendants().forEach(tree::add);
		tree.add(process);
		for (ProcessHandle handle : tree) {
			if (signal == Signal.KILL) {
				handle.destroyForcibly();
			}
			else {
				handle.destroy();
			}
		}
	}

	private void ensureStarted() {
		if (this.started) {
			return;
		}
		synchronized (this) {
			if (!this.started) {
				Thread worker = this.threads.newThread(this::run);
				worker.start();
				this.thread = worker;
				this.started = true;
			}
		}
	}

	/**
	 * Sends what is pending (leftovers to reap included) and stops the signalling thread; later signals are sent on
	 * the caller's thread.
	 */
	public void stop() {
		this.stopped = true;
		List<Request> batch = new ArrayList<>();
		this.pending.drainTo(batch);
		synchronized (this.reaps) {
			batch.addAll(this.reaps);
			this.reaps.clear();
		}
		batch.removeIf((request) -> request == WAKE_UP);
		try {
			send(batch, Signal.TERM);
			send(batch, Signal.KILL);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Thread worker = this.thread;
		if (worker != null) {
			worker.interrupt();
		}
	}

	private void run() {
		List<Request> batch = new ArrayList<>();
		while (true) {
			try {
				long wait;
				synchronized (this.reaps) {
					wait = this.reaps.isEmpty() ? TimeUnit.HOURS.toNanos(1)
							: Math.max(0, this.reapDeadline - System.nanoTime());
				}
				batch.clear();
				Request first = this.pending.poll(wait, TimeUnit.NANOSECONDS);
				if (first != null) {
					batch.add(first);
					this.pending.drainTo(batch, 500);
				}
				synchronized (this.reaps) {
					if (!this.reaps.isEmpty() && System.nanoTime() >= this.reapDeadline) {
						batch.addAll(this.reaps);
						this.reaps.clear();
					}
				}
				batch.removeIf((request) -> request == WAKE_UP);
				send(batch, Signal.TERM);
				send(batch, Signal.KILL);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Could not signal process groups", ex);
			}
		}
	}

	private void sendNow(Request request) {
		try {
			send(List.of(request), request.signal());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void send(List<Request> batch, Signal signal) throws InterruptedException {
		try {
			sendToGroups(batch, signal);
			List<String> jobIds = new ArrayList<>();
			Set<Long> groups = new HashSet<>();
			for (Request request : batch) {
				if (request.signal() == signal && request.jobId() != null) {
					jobIds.add(request.jobId());
					groups.add(request.pgid());
				}
			}
			MarkedProcesses.signal(MarkedProcesses.ofJobs(jobIds, this.nodeId), signal == Signal.KILL, groups);
		}
		finally {
			// whoever waits goes on even if signalling failed
			for (Request request : batch) {
				CompletableFuture<Void> sent = request.sent();
				if (request.signal() == signal && sent != null) {
					sent.complete(null);
				}
			}
		}
	}

	private void sendToGroups(List<Request> batch, Signal signal) throws InterruptedException {
		List<Long> groups = new ArrayList<>();
		for (Request request : batch) {
			if (request.signal() == signal && !request.pgidReused()) {
				groups.add(request.pgid());
			}
		}
		if (groups.isEmpty() || KillShell.shared().kill(signal.name(), groups)) {
			return;
		}
		List<String> argv = new ArrayList<>();
		argv.add(this.kill);
		argv.add("-s");
		argv.add(signal.name());
		argv.add("--");
		for (Request request : batch) {
			if (request.signal() == signal && !request.pgidReused()) {
				argv.add("-" + request.pgid());
			}
		}
		if (argv.size() == 4) {
			return;
		}
		try {
			Process process = new ProcessBuilder(argv).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			process.waitFor();
		}
		catch (IOException ex) {
			logger.warn("Could not run {} to signal process groups {}", this.kill, argv.subList(4, argv.size()), ex);
		}
	}

}
