package io.execra.autoconfigure;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import io.execra.Command;
import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * A benchmark, not a test: latency from a line written by a tool to its delivery at a Spring
 * {@code @EventListener}, at 1,000 lines/s, beside a raw {@code BufferedReader} reading the same writer. Each line
 * is the writer's {@code CLOCK_MONOTONIC} reading in ns, taken just before the write; on Linux
 * {@code System.nanoTime()} reads the same clock. Prints p50/p99; asserts nothing about speed. Runs only with
 * {@code EXECRA_BENCHMARK=true}:
 * <pre>
 * EXECRA_BENCHMARK=true ./mvnw -B -pl execra-autoconfigure -am test -Dtest=EventListenerLatencyBenchmarkTests \
 *   -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfEnvironmentVariable(named = "EXECRA_BENCHMARK", matches = "true")
class EventListenerLatencyBenchmarkTests {

	private static final int SECONDS = 10;

	private static final String WRITER = "import time,sys\n" + "n=" + (SECONDS * 1000) + "\n"
			+ "start=time.monotonic_ns()\n" + "for i in range(n):\n"
			+ "    target=start+i*1000000\n" + "    d=target-time.monotonic_ns()\n" + "    if d>0: time.sleep(d/1e9)\n"
			+ "    sys.stdout.write(str(time.monotonic_ns())+'\\n'); sys.stdout.flush()\n";

	@Test
	void eventListenerLatencyBesideARawReader() throws Exception {
		for (int round = 1; round <= 3; round++) {
			long[] spring = springLatencies();
			long[] raw = rawLatencies();
			System.out.printf("round %d: @EventListener p50 %.0f µs, p99 %.0f µs | raw reader p50 %.0f µs, p99 %.0f µs%n",
					round, percentile(spring, 50) / 1e3, percentile(spring, 99) / 1e3, percentile(raw, 50) / 1e3,
					percentile(raw, 99) / 1e3);
		}
	}

	private static long[] springLatencies() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LatencyApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=warn",
					// the writer is python3 -c, which allow-shell false refuses
					"execra.security.allow-shell=true")
			.run()) {
			LatencyListener listener = context.getBean(LatencyListener.class);
			JobHandle job = context.getBean(ExecraRuntime.class).spawn(Command.of("python3", "-c", WRITER));
			job.outcome().get();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (listener.count() < SECONDS * 1000 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			return steady(listener.latencies());
		}
	}

	private static long[] rawLatencies() throws Exception {
		Process process = new ProcessBuilder("python3", "-c", WRITER).start();
		long[] latencies = new long[SECONDS * 1000];
		int count = 0;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null && count < latencies.length) {
				latencies[count++] = System.nanoTime() - Long.parseLong(line.trim());
			}
		}
		process.waitFor();
		return steady(Arrays.copyOf(latencies, count));
	}

	/** Drops the first 10%: JIT warm-up and the writer's start. */
	private static long[] steady(long[] latencies) {
		return Arrays.copyOfRange(latencies, latencies.length / 10, latencies.length);
	}

	private static double percentile(long[] values, int percentile) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(ExecraAutoConfiguration.class)
	static class LatencyApplication {

		@Bean
		LatencyListener latencyListener() {
			return new LatencyListener();
		}

	}

	/**
	 * Records each latency into an array made beforehand, as the raw reader does: a collection growing per event
	 * (a copy-on-write list copies itself on every add, 10,000 times a round) would measure its own garbage's
	 * collections in the tail.
	 */
	static class LatencyListener {

		private final long[] latencies = new long[SECONDS * 1000];

		private final AtomicInteger count = new AtomicInteger();

		@EventListener
		void on(Event.OutputAppended output) {
			long now = System.nanoTime();
			int index = this.count.getAndIncrement();
			if (index < this.latencies.length) {
				this.latencies[index] = now - Long.parseLong(output.line().trim());
			}
		}

		int count() {
			return Math.min(this.count.get(), this.latencies.length);
		}

		long[] latencies() {
			return Arrays.copyOf(this.latencies, count());
		}

	}

}
