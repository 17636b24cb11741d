package io.execra.internal.job;

import java.util.List;

import io.execra.SecurityPolicy;
import io.execra.StdStream;

/**
 * Masks a job's literal secrets in its output lines, also where the decoder cuts a line into parts (at the
 * line-length cap, or when a partial line is flushed): the end of a part that could be the start of a secret is held
 * back and put before the next part of its stream, so a secret spanning the cut is masked whole. What is held is
 * shorter than the longest secret. Only a job with secrets has one, so other jobs' lines pay nothing. Not
 * thread-safe: used under the job's lock.
 */
final class OutputMasker {

	private final List<String> secrets;

	/** The text held back from the last part of each stream's current line, by {@link StdStream#ordinal()}. */
	private final String[] held = { "", "" };

	/**
	 * Creates a masker.
	 * @param secrets the secrets, longest first, not empty
	 */
	OutputMasker(List<String> secrets) {
		this.secrets = secrets;
	}

	/**
	 * Masks a line, or a part of one.
	 * @param stream the stream it came from
	 * @param text the decoded text
	 * @param split whether the line continues in the next part of the stream
	 * @return the masked text to publish: after the text held back from the previous part, and without the end held
	 * back for the next, so empty when a part could be wholly the start of a secret
	 */
	String mask(StdStream stream, String text, boolean split) {
		int index = stream.ordinal();
		String before = this.held[index];
		String masked = SecurityPolicy.maskSecrets(before.isEmpty() ? text : before.concat(text), this.secrets);
		if (!split) {
			this.held[index] = "";
			return masked;
		}
		// held after masking: a whole secret is never cut, and what is held never holds one
		int hold = startOfSecret(masked);
		this.held[index] = masked.substring(masked.length() - hold);
		return masked.substring(0, masked.length() - hold);
	}

	/**
	 * Whether text of the stream's current line is held back, to be published when its stream ends.
	 * @param stream the stream
	 * @return {@code true} if text is held
	 */
	boolean holds(StdStream stream) {
		return !this.held[stream.ordinal()].isEmpty();
	}

	/** The length of the longest end of the text that is the start of a secret, shorter than the secret. */
	private int startOfSecret(String text) {
		int longest = 0;
		for (String secret : this.secrets) {
			for (int length = Math.min(secret.length() - 1, text.length()); length > longest; length--) {
				if (text.regionMatches(text.length() - length, secret, 0, length)) {
					longest = length;
					break;
				}
			}
		}
		return longest;
	}

}
