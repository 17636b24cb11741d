/**
 * Starting and signalling processes: posix_spawn or the JDK's launcher in a process group of its own, signals to the group and to the processes carrying a job's mark, and each job's stdin. Not API, may change without notice.
 */
@NullMarked
package io.execra.internal.process;

import org.jspecify.annotations.NullMarked;
