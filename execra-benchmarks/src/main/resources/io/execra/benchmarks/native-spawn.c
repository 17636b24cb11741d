/*
 * The physical limit of the spawn benchmark: what execra does per job as far as the process is concerned, done
 * from C with nothing else around it. Per job: stdout and stderr pipes (O_CLOEXEC), one posix_spawn of the program
 * as the leader of a new session and process group, stdin from /dev/null, stdout and stderr on the pipes, every
 * other descriptor closed, an empty signal mask and every signal at its default (the attributes and file actions
 * of execra's PosixSpawn); then both pipes drained to EOF and the child awaited with waitpid.
 *
 * The harness (NativeSpawnLoop.java) compiles this file with the machine's cc at run time and parses the one line
 * it prints on success:
 *   native-spawn jobs=N concurrency=C elapsed_ns=T per_second=R closefrom=yes|no
 *
 * Usage: native-spawn PROGRAM JOBS CONCURRENCY
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef POSIX_SPAWN_SETSID
#error "POSIX_SPAWN_SETSID is missing (glibc 2.26 or later is needed), so execra cannot use posix_spawn here either"
#endif

/* posix_spawn_file_actions_addclosefrom_np came with glibc 2.34; without it the pipes' O_CLOEXEC still holds */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define HAVE_ADDCLOSEFROM 1
#else
#define HAVE_ADDCLOSEFROM 0
#endif

extern char **environ;

static const char *program;
static long jobs;
static long next_job;
static pthread_mutex_t next_job_lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(const char *what, int error) {
	fprintf(stderr, "native-spawn: %s failed: %s\n", what, strerror(error));
	exit(2);
}

static void check(int result, const char *what) {
	if (result != 0) {
		fail(what, result);
	}
}

static void drain(int out, int err) {
	struct pollfd fds[2] = { { out, POLLIN, 0 }, { err, POLLIN, 0 } };
	char buffer[16 * 1024];
	int remaining = 2;
	while (remaining > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR) {
				continue;
			}
			fail("poll", errno);
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || fds[i].revents == 0) {
				continue;
			}
			ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
			if (n < 0 && errno == EINTR) {
				continue;
			}
			if (n < 0) {
				fail("read", errno);
			}
			if (n == 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				remaining--;
			}
		}
	}
}

static void spawn_one(void) {
	int out[2];
	int err[2];
	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
		fail("pipe2", errno);
	}
	posix_spawnattr_t attr;
	posix_spawn_file_actions_t actions;
	sigset_t mask;
	sigset_t defaults;
	check(posix_spawnattr_init(&attr), "posix_spawnattr_init");
	check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init");
	sigemptyset(&mask);
	/* every signal back to its default, including the two glibc reserves, as execra sets it */
	memset(&defaults, 0xff, sizeof defaults);
	check(posix_spawnattr_setsigmask(&attr, &mask), "posix_spawnattr_setsigmask");
	check(posix_spawnattr_setsigdefault(&attr, &defaults), "posix_spawnattr_setsigdefault");
	check(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF),
			"posix_spawnattr_setflags");
	check(posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0),
			"posix_spawn_file_actions_addopen");
	check(posix_spawn_file_actions_adddup2(&actions, out[1], 1), "posix_spawn_file_actions_adddup2");
	check(posix_spawn_file_actions_adddup2(&actions, err[1], 2), "posix_spawn_file_actions_adddup2");
#if HAVE_ADDCLOSEFROM
	check(posix_spawn_file_actions_addclosefrom_np(&actions, 3), "posix_spawn_file_actions_addclosefrom_np");
#endif
	char *argv[] = { (char *) program, NULL };
	pid_t pid;
	int error = posix_spawn(&pid, program, &actions, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attr);
	if (error != 0) {
		fail(program, error);
	}
	close(out[1]);
	close(err[1]);
	drain(out[0], err[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fail("waitpid", errno);
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "native-spawn: %s did not exit with 0 (wait status %d)\n", program, status);
		exit(3);
	}
}

static void *worker(void *unused) {
	(void) unused;
	for (;;) {
		pthread_mutex_lock(&next_job_lock);
		long job = next_job++;
		pthread_mutex_unlock(&next_job_lock);
		if (job >= jobs) {
			return NULL;
		}
		spawn_one();
	}
}

static long number(const char *text, const char *name) {
	char *end;
	long value = strtol(text, &end, 10);
	if (*text == '\0' || *end != '\0' || value < 1) {
		fprintf(stderr, "native-spawn: %s must be a positive number, not '%s'\n", name, text);
		exit(1);
	}
	return value;
}

int main(int argc, char **argv) {
	if (argc != 4) {
		fprintf(stderr, "Usage: %s PROGRAM JOBS CONCURRENCY\n", argv[0]);
		return 1;
	}
	program = argv[1];
	jobs = number(argv[2], "JOBS");
	long concurrency = number(argv[3], "CONCURRENCY");
	struct timespec start;
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (concurrency == 1) {
		worker(NULL);
	}
	else {
		pthread_t *threads = calloc((size_t) concurrency, sizeof(pthread_t));
		if (threads == NULL) {
			fail("calloc", ENOMEM);
		}
		for (long i = 0; i < concurrency; i++) {
			check(pthread_create(&threads[i], NULL, worker, NULL), "pthread_create");
		}
		for (long i = 0; i < concurrency; i++) {
			check(pthread_join(threads[i], NULL), "pthread_join");
		}
		free(threads);
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	long long elapsed = (long long) (end.tv_sec - start.tv_sec) * 1000000000LL + (end.tv_nsec - start.tv_nsec);
	printf("native-spawn jobs=%ld concurrency=%ld elapsed_ns=%lld per_second=%.3f closefrom=%s\n", jobs, concurrency,
			elapsed, jobs / (elapsed / 1e9), HAVE_ADDCLOSEFROM ? "yes" : "no");
	return 0;
}
