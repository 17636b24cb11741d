package io.execra;

/**
 * The output stream a line was read from.
 */
public enum StdStream {

	/** The process's standard output. */
	STDOUT,

	/** The process's standard error. */
	STDERR;

	/**
	 * The lower-case name used in JSON and log files.
	 * @return {@code stdout} or {@code stderr}
	 */
	public String id() {
		return (this == STDOUT) ? "stdout" : "stderr";
	}

}
