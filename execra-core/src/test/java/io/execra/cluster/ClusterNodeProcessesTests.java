package io.execra.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The processes of cluster nodes sharing a host, found by their marks: a node that starts kills what an earlier run
 * of it left before it claims anything, and a node that loses its lease kills its own processes only, never another
 * node's run of the same job.
 */
class ClusterNodeProcessesTests {

	private final ClusterNodes cluster = new ClusterNodes(true);

	private final List<Process> strays = new ArrayList<>();

	@BeforeAll
	static void linuxOnly() {
		// the marks are found through /proc
		assumeTrue(System.getProperty("os.name").equals("Linux"));
	}

	@AfterEach
	void close() {
		this.cluster.close();
		for (Process stray : this.strays) {
			stray.descendants().forEach(ProcessHandle::destroyForcibly);
			stray.destroyForcibly();
		}
	}

	/** A process carrying a job's and a node's marks, as a job of that node starts it, with a child of its own. */
	private Process marked(String jobId, String nodeId, long epoch) throws Exception {
		ProcessBuilder builder = new ProcessBuilder("sh", "-c", "sleep 300 & wait");
		builder.environment().put("EXECRA_JOB_ID", jobId);
		builder.environment().put("EXECRA_NODE_ID", nodeId);
		builder.environment().put("EXECRA_NODE_EPOCH", Long.toString(epoch));
		Process process = builder.start();
		this.strays.add(process);
		await().atMost(Duration.ofSeconds(5)).until(() -> process.descendants().findAny().isPresent());
		return process;
	}

	private static boolean dead(ProcessHandle process) {
		return !process.isAlive();
	}

	@Test
	void aRestartedNodeKillsWhatItsEarlierRunLeftBeforeItJoins() throws Exception {
		Process leftover = marked("j-1", "c", 1);
		ProcessHandle leftoverChild = leftover.descendants().findAny().orElseThrow();
		Process otherNodes = marked("j-2", "d", 1);

		this.cluster.node("c", 2, Map.of());

		// killed while the runtime was built, before its node joined and could claim a job
		assertThat(leftover.waitFor(5, TimeUnit.SECONDS)).as("leftover of node c ended").isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> dead(leftoverChild));
		assertThat(otherNodes.isAlive()).as("process of node d").isTrue();
	}

	@Test
	void aNodeThatLosesItsLeaseSparesAnotherNodesRunOfTheSameJob() throws Exception {
		ExecraRuntime x = this.cluster.node("x", 2, Map.of());
		JobHandle onX = x.spawn(Command.of("sh", "-c", "sleep 300 & wait"));
		Job running = await().atMost(Duration.ofSeconds(10))
			.until(() -> x.job(onX.id()).orElseThrow(), (job) -> job.state() == JobState.RUNNING);
		ProcessHandle onXProcess = ProcessHandle.of(running.pid()).orElseThrow();
		// node y on the same host runs the next attempt of the same job
		Process onY = marked(onX.id().toString(), "y", 7);
		ProcessHandle onYChild = onY.descendants().findAny().orElseThrow();

		this.cluster.advanceDatabaseClock(ClusterNodes.LEASE.plusSeconds(1));

		await().atMost(Duration.ofSeconds(10)).until(() -> dead(onXProcess));
		assertThat(x.cluster().orElseThrow().stats().leasesLost()).isGreaterThanOrEqualTo(1);
		assertThat(onY.isAlive()).as("node y's run of the job").isTrue();
		assertThat(onYChild.isAlive()).as("node y's run's child").isTrue();
	}

}
