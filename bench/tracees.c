// SPDX-License-Identifier: GPL-2.0
/*
 * tracees - one tracer, NT tracees that each make N getppid() calls with
 * W loop iterations of computation before each, all under PTRACE_SYSCALL;
 * prints the wall time.  With SYNC=1 the tracer sets PTRACE_O_SYNC_WAKEUP
 * (the prototype in patches-perf/), which wakes each resumed tracee on the
 * tracer's CPU: compare NT=1 and NT=2 to see whether two tracees that
 * compute still run in parallel (bench/README-analysis.md).
 *
 *   tracees NT N W SYNC
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef PTRACE_O_SYNC_WAKEUP
#define PTRACE_O_SYNC_WAKEUP	(1 << 22)
#endif

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void tracee(long n, long w)
{
	volatile long x = 0;
	long i, j;

	raise(SIGSTOP);
	for (i = 0; i < n; i++) {
		for (j = 0; j < w; j++)
			x += j;
		syscall(SYS_getppid);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL, n, w;
	int nt, i, status, alive, sig;
	double t0;
	pid_t pid;

	if (argc != 5) {
		fprintf(stderr, "usage: %s NT N W SYNC\n", argv[0]);
		return 2;
	}
	nt = atoi(argv[1]);
	n = atol(argv[2]);
	w = atol(argv[3]);
	if (atoi(argv[4]))
		opts |= PTRACE_O_SYNC_WAKEUP;
	for (i = 0; i < nt; i++) {
		pid = fork();
		if (pid == 0)
			tracee(n, w);
		if (waitpid(pid, &status, WUNTRACED) != pid ||
		    ptrace(PTRACE_SEIZE, pid, 0, opts)) {
			perror("tracees: PTRACE_SEIZE");
			return 1;
		}
		kill(pid, SIGCONT);
	}
	t0 = now();
	for (alive = nt; alive; ) {
		pid = waitpid(-1, &status, __WALL);
		if (pid < 0) {
			perror("tracees: waitpid");
			return 1;
		}
		if (!WIFSTOPPED(status)) {
			alive--;
			continue;
		}
		/* Syscall, event and SIGCONT stops: resume without a signal. */
		sig = WSTOPSIG(status);
		if (sig == (SIGTRAP | 0x80) || status >> 16 || sig == SIGCONT)
			sig = 0;
		ptrace(PTRACE_SYSCALL, pid, 0, sig);
	}
	printf("tracees: %d x %ld calls, %ld iterations before each, sync %d: %.3f s\n",
	       nt, n, w, !!(opts & PTRACE_O_SYNC_WAKEUP), now() - t0);
	return 0;
}
