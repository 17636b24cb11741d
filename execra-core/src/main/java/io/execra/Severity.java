package io.execra;

/**
 * How much a {@link Finding} matters, from least to most.
 */
public enum Severity {

	/** Information only. */
	INFO,

	/** A suggestion worth following. */
	RECOMMENDATION,

	/** Something is probably wrong but the job went on. */
	WARNING,

	/** Something is wrong. */
	ERROR

}
