package io.execra;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Bounds on what a command may carry, checked by {@code spawn} before the job is recorded or queued. A command past
 * a bound is a {@link JobRejectedException} naming the bound and the size found: nothing is started and nothing is
 * recorded. Only the label, which is informational, is cut to its bound instead.
 * <p>
 * The lengths of the owner, tags and label are those of the JPA store's columns ({@code OWNER VARCHAR(255)},
 * {@code TAG VARCHAR(255)}, {@code LABEL VARCHAR(1024)}), so that every admitted job can be kept in history. The
 * argument bounds keep under Linux's limits for {@code execve}: {@code MAX_ARG_STRLEN} (128 KiB per string,
 * its terminating NUL included) and {@code ARG_MAX} (usually 2 MiB for all of them, of which half is allowed,
 * leaving room for what the OS itself adds). A command past them could never start.
 */
public final class CommandLimits {

	/** Characters of {@link Command#owner(String) the owner}; a longer one is rejected (it is for audit). */
	public static final int MAX_OWNER_LENGTH = 255;

	/** Characters of each {@link Command#tags(String...) tag}; a longer one is rejected (tags are for queries). */
	public static final int MAX_TAG_LENGTH = 255;

	/** Tags per command; more are rejected. */
	public static final int MAX_TAGS = 64;

	/** Characters of the {@link Command#label(String) label}; a longer label is cut to this length. */
	public static final int MAX_LABEL_LENGTH = 1024;

	/** Metadata entries per command; more are rejected. */
	public static final int MAX_METADATA_ENTRIES = 64;

	/** Characters of each metadata key; a longer one is rejected. */
	public static final int MAX_METADATA_KEY_LENGTH = 255;

	/** Characters of each metadata value; a longer one is rejected. */
	public static final int MAX_METADATA_VALUE_LENGTH = 4096;

	/**
	 * UTF-8 bytes of the program, of each argument and of each environment entry ({@code NAME=value}): Linux's
	 * {@code MAX_ARG_STRLEN} (131,072) less the terminating NUL.
	 */
	public static final int MAX_ARGUMENT_BYTES = 128 * 1024 - 1;

	/**
	 * Bytes of the program, the arguments and the environment together, each string counting its UTF-8 bytes, its
	 * terminating NUL and its 8-byte pointer, as {@code execve} counts them against {@code ARG_MAX}: 1 MiB, half of
	 * the usual Linux {@code ARG_MAX}.
	 */
	public static final int MAX_ARGV_ENV_BYTES = 1024 * 1024;

	/** What each string costs besides its bytes: its NUL and its pointer. */
	private static final int STRING_OVERHEAD = 1 + 8;

	private CommandLimits() {
	}

	/**
	 * Checks a command against the limits before it becomes a job.
	 * @param command the command
	 * @param environment the environment the process would get
	 * @return the command, with its label cut to {@link #MAX_LABEL_LENGTH}
	 * @throws CommandLimitExceededException naming the first limit the command exceeds and by how much
	 */
	public static Command admit(Command command, Map<String, String> environment) {
		String owner = command.owner();
		if (owner != null && owner.length() > MAX_OWNER_LENGTH) {
			throw rejected("the owner is " + owner.length() + " characters long", MAX_OWNER_LENGTH + " characters",
					"MAX_OWNER_LENGTH");
		}
		checkTags(command);
		checkMetadata(command);
		checkArgvAndEnvironment(command.argv(), environment);
		String label = command.label();
		return (label != null && label.length() > MAX_LABEL_LENGTH) ? command.label(truncatedLabel(label)) : command;
	}

	/**
	 * Cuts a label to {@link #MAX_LABEL_LENGTH} characters, never inside a surrogate pair.
	 * @param label the label
	 * @return the label, cut if it was longer
	 */
	public static String truncatedLabel(String label) {
		if (label.length() <= MAX_LABEL_LENGTH) {
			return label;
		}
		int end = Character.isHighSurrogate(label.charAt(MAX_LABEL_LENGTH - 1)) ? MAX_LABEL_LENGTH - 1
				: MAX_LABEL_LENGTH;
		return label.substring(0, end);
	}

	private static void checkTags(Command command) {
		if (command.tags().size() > MAX_TAGS) {
			throw rejected("the command has " + command.tags().size() + " tags", MAX_TAGS + " tags", "MAX_TAGS");
		}
		for (String tag : command.tags()) {
			if (tag.length() > MAX_TAG_LENGTH) {
				throw rejected("a tag is " + tag.length() + " characters long", MAX_TAG_LENGTH + " characters",
						"MAX_TAG_LENGTH");
			}
		}
	}

	private static void checkMetadata(Command command) {
		Map<String, String> metadata = command.metadata();
		if (metadata.size() > MAX_METADATA_ENTRIES) {
			throw rejected("the command has " + metadata.size() + " metadata entries",
					MAX_METADATA_ENTRIES + " entries", "MAX_METADATA_ENTRIES");
		}
		for (Map.Entry<String, String> entry : metadata.entrySet()) {
			if (entry.getKey().length() > MAX_METADATA_KEY_LENGTH) {
				throw rejected("a metadata key is " + entry.getKey().length() + " characters long",
						MAX_METADATA_KEY_LENGTH + " characters", "MAX_METADATA_KEY_LENGTH");
			}
			if (entry.getValue().length() > MAX_METADATA_VALUE_LENGTH) {
				throw rejected("the metadata value of '" + entry.getKey() + "' is " + entry.getValue().length()
						+ " characters long", MAX_METADATA_VALUE_LENGTH + " characters", "MAX_METADATA_VALUE_LENGTH");
			}
		}
	}

	private static void checkArgvAndEnvironment(List<String> argv, Map<String, String> environment) {
		long total = 0;
		for (int i = 0; i < argv.size(); i++) {
			total += stringBytes("", argv.get(i), (i == 0) ? "the program" : "argument " + i);
		}
		for (Map.Entry<String, String> variable : environment.entrySet()) {
			// the value may be a secret: the message names the variable only
			total += stringBytes(variable.getKey() + "=", variable.getValue(),
					"environment variable " + variable.getKey());
		}
		if (total > MAX_ARGV_ENV_BYTES) {
			throw rejected("the program, arguments and environment take " + total + " bytes",
					MAX_ARGV_ENV_BYTES + " bytes", "MAX_ARGV_ENV_BYTES");
		}
	}

	/** The cost of the string {@code prefix + value} for {@code execve}, rejecting one past its own limit. */
	private static long stringBytes(String prefix, String value, String what) {
		long chars = (long) prefix.length() + value.length();
		if (chars > MAX_ARGUMENT_BYTES) {
			// UTF-8 takes at least a byte per char: no need to measure further
			throw rejected(what + " is at least " + chars + " bytes long (UTF-8)", MAX_ARGUMENT_BYTES + " bytes",
					"MAX_ARGUMENT_BYTES");
		}
		long bytes = prefix.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > MAX_ARGUMENT_BYTES) {
			throw rejected(what + " is " + bytes + " bytes long (UTF-8)", MAX_ARGUMENT_BYTES + " bytes",
					"MAX_ARGUMENT_BYTES");
		}
		return bytes + STRING_OVERHEAD;
	}

	private static CommandLimitExceededException rejected(String found, String limit, String constant) {
		return new CommandLimitExceededException(
				"Job rejected: " + found + ", more than the limit of " + limit + " (CommandLimits." + constant + ")",
				constant);
	}

}
