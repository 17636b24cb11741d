package io.execra.interpret;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpServer;
import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.FailureReason;
import io.execra.Outcome;
import io.execra.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The curl interpreter, on recorded output and on real downloads from a local HTTP server through the runtime.
 */
class CurlInterpreterTests {

	private static final int SIZE = 20_000_000;

	@TempDir
	Path dir;

	private HttpServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/file.bin", (exchange) -> {
			exchange.sendResponseHeaders(200, SIZE);
			try (OutputStream body = exchange.getResponseBody()) {
				byte[] chunk = new byte[64 * 1024];
				for (int sent = 0; sent < SIZE; sent += chunk.length) {
					body.write(chunk, 0, Math.min(chunk.length, SIZE - sent));
				}
			}
		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	@Test
	void recordedProgressBarBecomesFractions() {
		RecordingContext context = RecordingContext.run(Interpreters.curl(), 0, "",
				"#=#=#                                                                          ",
				"##########                                                      14.2%",
				"####################################                            50.8%",
				"######################################################################## 100.0%");
		assertThat(context.calls).containsExactly("fraction(0.142)", "fraction(0.508)", "fraction(1.0)");
	}

	@Test
	void recordedDefaultMeterBecomesBytesAndASummary() {
		RecordingContext context = RecordingContext.run(Interpreters.curl(), 0,
				"  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current",
				"                                 Dload  Upload   Total   Spent    Left  Speed",
				"  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0",
				" 45 2929k   45 1318k    0     0  1407k      0  0:00:02  0:00:01  0:00:01 1407k",
				"100 2929k  100 2929k    0     0  1407M      0 --:--:-- --:--:-- --:--:-- 1407M");
		assertThat(context.progress).containsExactly(Progress.bytes(0, null), Progress.bytes(1_349_632, 2_999_296L),
				Progress.bytes(2_999_296, 2_999_296L));
		assertThat(context.calls).last().isEqualTo("summary(Downloaded 2999296 bytes)");
	}

	@Test
	void realDownloadWithProgressBarReachesOne() throws Exception {
		assumeTrue(RealRun.installed("curl"), "curl is not installed (CI installs it); skipping real-tool tests");
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			Path out = this.dir.resolve("file.bin");
			RealRun run = RealRun
				.of(runtime, Command.of("curl", "--progress-bar", "--limit-rate", "10M", "-o", out.toString(),
						url("/file.bin")).interpreter(Interpreters::curl))
				.assertSucceeded()
				.assertFractionsNeverDecreaseAndReachOne();
			assertThat(out).hasSize(SIZE);
		}
	}

	@Test
	void realDownloadWithDefaultMeterReportsBytes() throws Exception {
		assumeTrue(RealRun.installed("curl"), "curl is not installed (CI installs it); skipping real-tool tests");
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			RealRun run = RealRun.of(runtime, Command.of("curl", "-o", this.dir.resolve("file.bin").toString(),
					url("/file.bin")).interpreter(Interpreters::curl)).assertSucceeded();
			assertThat(run.progress()).last().isInstanceOfSatisfying(Progress.Bytes.class,
					// the meter shows sizes rounded to three digits, "19.0M"
					(bytes) -> assertThat(bytes.total()).isNotNull().isCloseTo(SIZE, withinPercentage(1)));
			assertThat(((Outcome.Succeeded) run.outcome()).summary()).startsWith("Downloaded ");
		}
	}

	@Test
	void realHttpErrorFailsWithTheCurlErrorCode() throws Exception {
		assumeTrue(RealRun.installed("curl"), "curl is not installed (CI installs it); skipping real-tool tests");
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			RealRun run = RealRun.of(runtime, Command.of("curl", "-f", "--progress-bar", "-o",
					this.dir.resolve("x").toString(), url("/missing")).interpreter(Interpreters::curl));
			run.assertNoInterpreterError();
			assertThat(run.outcome()).isInstanceOfSatisfying(Outcome.Failed.class, (failed) -> assertThat(failed.reason())
				.isEqualTo(new FailureReason.KnownError("curl_22", "The requested URL returned error: 404")));
		}
	}

}
