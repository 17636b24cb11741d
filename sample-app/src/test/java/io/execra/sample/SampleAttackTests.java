package io.execra.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.sample.support.ApiClient;
import io.execra.sample.support.ApiClient.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks of issue 18 on the sample, sent over HTTP as an attacker would send them to the whole application
 * on a random port: each is refused before anything runs, with nothing written and no job recorded.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleAttackTests {

	private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

	private static final int MAX_JOBS_PER_CLIENT = 2;

	@TempDir
	static Path temp;

	@DynamicPropertySource
	static void isolate(DynamicPropertyRegistry registry) {
		registry.add("sample.work-dir", () -> temp.resolve("work").toString());
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + temp.resolve("db/execra-sample"));
		registry.add("sample.max-jobs-per-client", () -> MAX_JOBS_PER_CLIENT);
		registry.add("execra.commands.build.env[PROMPT_TIMEOUT]", () -> "1");
	}

	@LocalServerPort
	int port;

	@Autowired
	ExecraRuntime runtime;

	@Autowired
	JdbcTemplate jdbc;

	ApiClient api;

	Path marker;

	@BeforeEach
	void client() throws IOException {
		this.api = new ApiClient("http://127.0.0.1:" + this.port);
		this.marker = Files.createTempDirectory(temp, "attack-").resolve("pwned");
	}

	@Test
	void buildScriptCannotBeReplacedByShellCode() {
		Response response = attack("build",
				Map.of("script", "-c", "project", "touch " + this.marker, "delay", "0"));

		assertRefused(response, "script");
		assertThat(this.marker).doesNotExist();
	}

	@Test
	void buildProjectMustBeAProjectName() {
		Response response = attack("build", Map.of("project", "x; touch " + this.marker, "delay", "0"));

		assertRefused(response, "project");
		assertThat(this.marker).doesNotExist();
	}

	@Test
	void cloneTargetCannotSmuggleAnUploadPackCommand() {
		Response response = attack("clone", Map.of("target", "--upload-pack=touch " + this.marker));

		assertRefused(response, "target");
		assertThat(this.marker).doesNotExist();
	}

	@Test
	void transcodeCannotOverwriteAFileOutsideTheWorkspace() throws IOException {
		Path victim = Files.writeString(this.marker.resolveSibling("precious.txt"), "precious");

		Response response = attack("transcode", Map.of("output", victim.toString()));

		assertRefused(response, "output");
		assertThat(victim).hasContent("precious");
	}

	@Test
	void transcodeOutputCannotInjectAnOption() throws IOException {
		List<Path> reportsBefore = ffmpegReports();

		Response response = attack("transcode", Map.of("output", "-report"));

		assertRefused(response, "output");
		assertThat(ffmpegReports()).isEqualTo(reportsBefore);
	}

	@Test
	void transcodeInputCannotMakeTheServerFetchAUrl() throws IOException {
		AtomicInteger requests = new AtomicInteger();
		HttpServer internal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		internal.createContext("/", (exchange) -> {
			requests.incrementAndGet();
			exchange.sendResponseHeaders(404, -1);
			exchange.close();
		});
		internal.start();
		try {
			String url = "http://127.0.0.1:" + internal.getAddress().getPort() + "/internal/clip.mp4";

			Response response = attack("transcode", Map.of("input", url));

			assertRefused(response, "input");
			assertThat(requests).hasValue(0);
		}
		finally {
			internal.stop(0);
		}
	}

	@Test
	void transcodeInputMustBeAFileOfTheWorkspace() {
		Response response = attack("transcode", Map.of("input", "/etc/passwd"));

		assertRefused(response, "input");
	}

	@Test
	void aParameterLongerThanItsLimitIsRefusedNamingIt() {
		Response response = attack("build", Map.of("project", "p".repeat(5000)));

		assertRefused(response, "project");
	}

	@Test
	void anOversizedRequestIsRefusedBeforeItIsRead() {
		Response response = attack("build", Map.of("project", "p".repeat(15_000_000)));

		assertThat(response.status()).as("POST /api/jobs: %s", response.body()).isEqualTo(413);
		assertNothingRecorded();
	}

	@Test
	void aBodyWithoutADeclaredLengthIsRefused() {
		Response response = this.api.postChunked("/api/jobs", Map.of("preset", "build", "parameters",
				Map.of("project", "chunked", "delay", "0"), "owner", attacker()));

		assertThat(response.status()).as("POST /api/jobs: %s", response.body()).isEqualTo(411);
		assertNothingRecorded();
	}

	@Test
	void aClientCannotHaveMoreThanItsShareOfJobs() throws Exception {
		List<JobHandle> running = new ArrayList<>();
		try {
			for (int i = 0; i < MAX_JOBS_PER_CLIENT; i++) {
				Response created = this.api.launch("build", Map.of("delay", "5", "project", "share-" + i));
				assertThat(created.status()).as("POST /api/jobs: %s", created.body()).isEqualTo(201);
				running.add(this.runtime.handle(JobId.parse(created.text("/id"))).orElseThrow());
			}

			Response response = attack("build", Map.of("delay", "5"));

			assertThat(response.status()).as("POST /api/jobs: %s", response.body()).isEqualTo(429);
			assertThat(response.text("/detail")).contains(Integer.toString(MAX_JOBS_PER_CLIENT));
			assertNothingRecorded();
		}
		finally {
			for (JobHandle job : running) {
				job.cancel();
				job.outcome().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void aClientGetsItsShareBackWhenItsJobsEnd() throws Exception {
		List<JobHandle> ended = new ArrayList<>();
		for (int i = 0; i < MAX_JOBS_PER_CLIENT; i++) {
			Response created = this.api.launch("build", Map.of("delay", "5", "project", "ended-" + i));
			assertThat(created.status()).as("POST /api/jobs: %s", created.body()).isEqualTo(201);
			ended.add(this.runtime.handle(JobId.parse(created.text("/id"))).orElseThrow());
		}
		for (JobHandle job : ended) {
			job.cancel();
			job.outcome().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}

		// the slot is released by the job's outcome, which may complete this thread's wait first
		Response again = Awaitility.await()
			.atMost(JOB_TIMEOUT)
			.until(() -> this.api.launch("build", Map.of("delay", "0", "project", "again")),
					(response) -> response.status() != 429);

		assertThat(again.status()).as("POST /api/jobs: %s", again.body()).isEqualTo(201);
		JobHandle job = this.runtime.handle(JobId.parse(again.text("/id"))).orElseThrow();
		job.cancel();
		job.outcome().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	@Test
	void anUnansweredBuildPromptGivesUpAfterItsTimeout() throws Exception {
		Response created = this.api.launch("build", Map.of("delay", "0", "project", "unanswered"));
		assertThat(created.status()).as("POST /api/jobs: %s", created.body()).isEqualTo(201);
		JobHandle job = this.runtime.handle(JobId.parse(created.text("/id"))).orElseThrow();

		Outcome outcome = job.outcome().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

		assertThat(outcome.isSuccess()).as("build outcome: %s, output: %s", outcome, job.snapshot().outputTail())
			.isTrue();
		assertThat(outcome.message()).contains("deploy skipped");
	}

	@Test
	void theAppListensOnTheLoopbackInterfaceOnly() throws IOException {
		InetAddress external = nonLoopbackAddress().orElse(null);
		Assumptions.assumeTrue(external != null, "this machine has no non-loopback IPv4 address");

		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(external, this.port), 2000);
			throw new AssertionError("The sample accepted a connection on " + external + ":" + this.port);
		}
		catch (ConnectException expected) {
			assertThat(expected).hasMessageContaining("refused");
		}
	}

	@Test
	void theNodeIdIsStable() {
		assertThat(this.jdbc.queryForList("SELECT ID FROM EXECRA_NODE", String.class)).contains("execra-sample");
	}

	/** Sends a preset's default parameters with {@code overrides}, as an owner nobody else uses. */
	private Response attack(String preset, Map<String, String> overrides) {
		return this.api.launch(preset, overrides, attacker());
	}

	private void assertRefused(Response response, String placeholder) {
		assertThat(response.status()).as("POST /api/jobs: %s", response.body()).isEqualTo(400);
		assertThat(response.text("/detail")).containsAnyOf("'" + placeholder + "'", "[" + placeholder + "]");
		assertNothingRecorded();
	}

	private void assertNothingRecorded() {
		assertThat(this.api.get("/api/jobs?owner=" + attacker()).body().get("total").asLong())
			.as("jobs of %s", attacker())
			.isZero();
	}

	/** One owner per test: the marker's directory is unique. */
	private String attacker() {
		return "attacker-" + this.marker.getParent().getFileName();
	}

	private static List<Path> ffmpegReports() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("").toAbsolutePath())) {
			return files.filter((file) -> file.getFileName().toString().startsWith("ffmpeg-")).sorted().toList();
		}
	}

	private static Optional<InetAddress> nonLoopbackAddress() {
		try {
			return NetworkInterface.networkInterfaces()
				.filter(SampleAttackTests::isUp)
				.flatMap(NetworkInterface::inetAddresses)
				.filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
				.findFirst();
		}
		catch (SocketException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean isUp(NetworkInterface network) {
		try {
			return network.isUp() && !network.isLoopback();
		}
		catch (SocketException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
