package io.execra.internal.process;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The handle of a child this JVM reaped before anyone asked for its {@link ProcessHandle}: its pid may already
 * belong to another process, so nothing about it is looked up again. It is not alive, has no children (they were
 * handed to another parent), and equals no other handle, so a process now holding its pid is never taken for it.
 */
final class ReapedProcess implements ProcessHandle {

	private final long pid;

	ReapedProcess(long pid) {
		this.pid = pid;
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public Optional<ProcessHandle> parent() {
		return Optional.empty();
	}

	@Override
	public Stream<ProcessHandle> children() {
		return Stream.empty();
	}

	@Override
	public Stream<ProcessHandle> descendants() {
		return Stream.empty();
	}

	@Override
	public Info info() {
		return NoInfo.INSTANCE;
	}

	@Override
	public CompletableFuture<ProcessHandle> onExit() {
		return CompletableFuture.completedFuture(this);
	}

	@Override
	public boolean supportsNormalTermination() {
		return true;
	}

	@Override
	public boolean destroy() {
		return false;
	}

	@Override
	public boolean destroyForcibly() {
		return false;
	}

	@Override
	public boolean isAlive() {
		return false;
	}

	@Override
	public int compareTo(ProcessHandle other) {
		return Long.compare(this.pid, other.pid());
	}

	@Override
	public String toString() {
		return this.pid + " (reaped)";
	}

	/** What is known of a reaped process: nothing. */
	private static final class NoInfo implements Info {

		static final NoInfo INSTANCE = new NoInfo();

		@Override
		public Optional<String> command() {
			return Optional.empty();
		}

		@Override
		public Optional<String> commandLine() {
			return Optional.empty();
		}

		@Override
		public Optional<String[]> arguments() {
			return Optional.empty();
		}

		@Override
		public Optional<Instant> startInstant() {
			return Optional.empty();
		}

		@Override
		public Optional<Duration> totalCpuDuration() {
			return Optional.empty();
		}

		@Override
		public Optional<String> user() {
			return Optional.empty();
		}

	}

}
