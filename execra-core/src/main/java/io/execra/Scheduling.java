package io.execra;

/**
 * How a command is scheduled in cluster mode, kept apart from what it runs.
 *
 * @param restartable whether it may run again after its node died
 * @param priority higher is claimed first
 */
record Scheduling(boolean restartable, int priority) {

	static final Scheduling DEFAULT = new Scheduling(false, 0);

}
