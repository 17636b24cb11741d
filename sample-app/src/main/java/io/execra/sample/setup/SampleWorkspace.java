package io.execra.sample.setup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.FailureReason;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.sample.SampleProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The files the sample's presets work on, in the work directory ({@code sample.work-dir}): a generated test clip,
 * a local git repository with some history and the build script, each created on first use by a {@code setup}
 * job that runs through execra like any other; plus fresh paths for transcoded files and clones. Thread-safe.
 */
@Component
public class SampleWorkspace {

	private static final Log logger = LogFactory.getLog(SampleWorkspace.class);

	private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(2);

	/** The exit code of a shell that did not find a command (POSIX). */
	private static final int COMMAND_NOT_FOUND = 127;

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

	private final ExecraRuntime runtime;

	private final Path workDir;

	private final AtomicInteger counter = new AtomicInteger();

	/**
	 * Creates the workspace.
	 * @param runtime runs the setup jobs
	 * @param properties where the work directory is
	 */
	public SampleWorkspace(ExecraRuntime runtime, SampleProperties properties) {
		this.runtime = runtime;
		this.workDir = properties.workDir().toAbsolutePath().normalize();
	}

	/**
	 * The work directory.
	 * @return its absolute path
	 */
	public Path workDir() {
		return this.workDir;
	}

	/**
	 * The 20-second test clip, generated with ffmpeg's {@code testsrc} on first use.
	 * @param ffmpeg the ffmpeg to run: the transcode preset's program, so that one that is not on the
	 * {@code PATH} is used (and allowed) for both
	 * @return the clip
	 * @throws SetupProgramException if {@code ffmpeg} could not start
	 */
	public synchronized Path clip(String ffmpeg) {
		Path clip = clipPath();
		if (!Files.isRegularFile(clip)) {
			Path partial = clip.resolveSibling("testsrc.partial.mp4");
			runSetup(Command.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-f", "lavfi", "-i",
					"testsrc=duration=20:size=640x360:rate=25", "-c:v", "mpeg4", "-q:v", "5", partial.toString())
				.label("Set up: generate the test clip"), partial.getParent(), ffmpeg);
			move(partial, clip);
		}
		return clip;
	}

	/**
	 * The demo git repository (a dozen commits), created by {@code scripts/make-repo.sh} on first use.
	 * @param git the git to run: the clone preset's program, as for {@link #clip(String)}
	 * @return the repository's directory
	 * @throws SetupProgramException if {@code sh} could not start, or the script did not find {@code git}
	 */
	public synchronized Path repository(String git) {
		Path repository = repositoryPath();
		if (!Files.isDirectory(repository.resolve(".git"))) {
			Path script = copyScript("make-repo.sh");
			runSetup(Command.of("sh", script.toString(), repository.toString(), git)
				.label("Set up: create the demo repository"), repository.getParent(), git);
		}
		return repository;
	}

	/**
	 * The build script, copied from the classpath into the work directory on first use.
	 * @return the script
	 */
	public synchronized Path buildScript() {
		Path script = buildScriptPath();
		return Files.isRegularFile(script) ? script : copyScript("build.sh");
	}

	/**
	 * Where the test clip is, whether it was generated yet or not.
	 * @return the path of {@link #clip(String)}
	 */
	public Path clipPath() {
		return this.workDir.resolve("media/testsrc.mp4");
	}

	/**
	 * Where the demo repository is, whether it was created yet or not.
	 * @return the path of {@link #repository(String)}
	 */
	public Path repositoryPath() {
		return this.workDir.resolve("repos/demo");
	}

	/**
	 * Where the build script is, whether it was copied yet or not.
	 * @return the path of {@link #buildScript()}
	 */
	public Path buildScriptPath() {
		return this.workDir.resolve("scripts/build.sh");
	}

	/**
	 * A new path for a transcoded file.
	 * @param extension the file extension, without the dot
	 * @return a path in {@code out/} that does not exist yet
	 */
	public Path newOutputFile(String extension) {
		return createDirectories(this.workDir.resolve("out")).resolve(uniqueName("transcode") + "." + extension);
	}

	/**
	 * A new directory to clone into.
	 * @return a path in {@code clones/} that does not exist yet
	 */
	public Path newCloneDirectory() {
		return createDirectories(this.workDir.resolve("clones")).resolve(uniqueName("demo"));
	}

	private String uniqueName(String prefix) {
		return prefix + "-" + LocalDateTime.now().format(STAMP) + "-" + this.counter.incrementAndGet();
	}

	/**
	 * Runs a setup job and waits for it.
	 * @param command the job
	 * @param cwd its working directory, created if missing
	 * @param program the program the setup is for: the one it could not start, or the one a script exiting with
	 * {@value #COMMAND_NOT_FOUND} (as a shell does for a command it does not find) checked for first
	 * @throws SetupProgramException if the job could not start or did not find {@code program}
	 */
	private void runSetup(Command command, Path cwd, String program) {
		createDirectories(cwd);
		JobHandle job = this.runtime.spawn(command.cwd(cwd).tags("setup").timeout(SETUP_TIMEOUT));
		logger.info("Setting up the sample workspace in " + this.workDir + ": " + command.label() + " (job "
				+ job.id() + ")");
		Outcome outcome;
		try {
			outcome = job.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			job.cancel();
			throw new IllegalStateException("Interrupted while waiting for setup job " + job.id(), ex);
		}
		String couldNotSetUp = "Could not set up the sample workspace: setup job " + job.id() + " ("
				+ command.label() + ") ";
		if (outcome instanceof Outcome.Failed failed && failed.reason() instanceof FailureReason.SpawnFailed reason) {
			throw new SetupProgramException(command.program(), job.id(), couldNotSetUp + reason.describe());
		}
		if (outcome instanceof Outcome.Failed failed && failed.reason() instanceof FailureReason.NonZeroExit exit
				&& exit.code() == COMMAND_NOT_FOUND) {
			throw new SetupProgramException(program, job.id(),
					couldNotSetUp + exit.describe() + ": " + job.snapshot().outputTail());
		}
		if (!outcome.isSuccess()) {
			throw new IllegalStateException("Setup job " + job.id() + " (" + command.spec().commandLine() + ") "
					+ outcome.message() + "; output:\n" + job.snapshot().outputTail());
		}
	}

	private Path copyScript(String name) {
		Path target = createDirectories(this.workDir.resolve("scripts")).resolve(name);
		try (InputStream in = new ClassPathResource("scripts/" + name).getInputStream()) {
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not copy scripts/" + name + " to " + target, ex);
		}
	}

	private static void move(Path from, Path to) {
		try {
			Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not move " + from + " to " + to, ex);
		}
	}

	private static Path createDirectories(Path directory) {
		try {
			return Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create " + directory, ex);
		}
	}

}
