package io.execra.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * All-jobs subscribers that never read cannot exhaust the heap: each one's buffer is bounded by bytes, not only by
 * count. Run in a JVM of its own with a 256 MB heap, so that running out of memory is seen as such.
 */
class StalledSubscriberMemoryTests {

	/** 17,477 lines of 60 KiB and a newline: 1 GiB. */
	private static final String ONE_GIGABYTE_IN_60_KB_LINES = "yes \"$(head -c 61440 /dev/zero | tr '\\0' x)\" | head -n 17477";

	private static final int SUBSCRIBERS = 4;

	@Test
	void fourStalledAllJobsSubscribersAndAJobPrintingOneGigabyteIn60KbLinesFitIn256MbAndLag(@TempDir Path dir)
			throws Exception {
		Path out = dir.resolve("child.out");
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
				"--enable-native-access=ALL-UNNAMED"));
		String launch = System.getProperty("io.execra.launchMechanism");
		if (launch != null) {
			command.add("-Dio.execra.launchMechanism=" + launch);
		}
		command.addAll(List.of("-cp", testClassPath(), Child.class.getName()));
		Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
		boolean exited = child.waitFor(2, TimeUnit.MINUTES);
		if (!exited) {
			child.destroyForcibly().waitFor();
		}
		String output = Files.readString(out);
		System.out.println(output);
		assertThat(exited).as("child JVM finished in time; its output:%n%s", output).isTrue();
		assertThat(child.exitValue()).as("child JVM's exit code; its output:%n%s", output).isZero();
		assertThat(output).doesNotContain("OutOfMemoryError")
			.contains("outcome Succeeded")
			.contains("subscribers lagged " + SUBSCRIBERS);
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** Surefire's own class path, not that of its booter jar. */
	private static String testClassPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isEmpty()) ? surefire : System.getProperty("java.class.path");
	}

	/**
	 * The child JVM: four all-jobs subscribers that read nothing until a job printing 1 GiB in 60 KiB lines has
	 * finished, then each reads what it has and reports whether it got the lag signal for that job.
	 */
	public static final class Child {

		private Child() {
		}

		public static void main(String[] args) throws IOException, InterruptedException {
			try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
				List<EventStream> stalled = new ArrayList<>();
				for (int i = 0; i < SUBSCRIBERS; i++) {
					stalled.add(runtime.subscribe());
				}
				JobHandle job = runtime.spawn(Command.shell(ONE_GIGABYTE_IN_60_KB_LINES));
				Outcome outcome = job.await();
				System.out.println("outcome " + outcome.getClass().getSimpleName());
				int lagged = 0;
				for (EventStream subscriber : stalled) {
					Event event;
					boolean sawLag = false;
					while ((event = subscriber.next(Duration.ZERO)) != null) {
						sawLag |= event instanceof Event.Lagged lag && lag.jobId().equals(job.id());
					}
					lagged += sawLag ? 1 : 0;
					subscriber.close();
				}
				System.out.println("subscribers lagged " + lagged);
				System.out.printf("peak heap used %.1f MB%n", peakHeapUsed() / 1e6);
			}
		}

		private static long peakHeapUsed() {
			long peak = 0;
			for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
				if (pool.getType() == MemoryType.HEAP) {
					peak += pool.getPeakUsage().getUsed();
				}
			}
			return peak;
		}

	}

}
