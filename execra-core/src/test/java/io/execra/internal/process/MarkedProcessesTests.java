package io.execra.internal.process;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's mark is matched as a whole environment entry, so that no process of another job (or one whose
 * variable merely starts with the mark) is ever signalled.
 */
class MarkedProcessesTests {

	private static final byte[] MARK = "EXECRA_JOB_ID=abc".getBytes(StandardCharsets.US_ASCII);

	@Test
	void markMatchesAWholeEntryAnywhereInTheEnvironment() {
		assertThat(MarkedProcesses.containsEntry(environ("EXECRA_JOB_ID=abc\0PATH=/bin\0"), MARK)).isTrue();
		assertThat(MarkedProcesses.containsEntry(environ("PATH=/bin\0EXECRA_JOB_ID=abc\0"), MARK)).isTrue();
		assertThat(MarkedProcesses.containsEntry(environ("PATH=/bin\0EXECRA_JOB_ID=abc"), MARK)).isTrue();
	}

	@Test
	void markDoesNotMatchAnotherJobOrAnotherVariable() {
		assertThat(MarkedProcesses.containsEntry(environ("EXECRA_JOB_ID=abcd\0"), MARK)).isFalse();
		assertThat(MarkedProcesses.containsEntry(environ("MY_EXECRA_JOB_ID=abc\0"), MARK)).isFalse();
		assertThat(MarkedProcesses.containsEntry(environ("X=EXECRA_JOB_ID=abc\0"), MARK)).isFalse();
		assertThat(MarkedProcesses.containsEntry(environ(""), MARK)).isFalse();
	}

	private static byte[] environ(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
