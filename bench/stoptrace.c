// SPDX-License-Identifier: GPL-2.0
/*
 * stoptrace - a few intercepted getppid() calls, to be recorded with
 * ftrace (bench/README-analysis.md, bench/stoptrace.sh).
 *
 *   stoptrace MODE CPUS WARM K
 *
 * MODE: sysvm (PTRACE_SYSVM SKIPEXIT, the call passed through), sysemu
 * (PTRACE_SYSEMU, the call skipped), notif or notif-sync (seccomp
 * USER_NOTIF continue, supervisor process, with or without
 * SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP).  CPUS: 1 (both sides on CPU 0),
 * 2 (tracer or supervisor on CPU 0, tracee on CPU 1) or 0 (no pinning:
 * the scheduler places both).  The tracee
 * makes WARM + K calls; ftrace is switched on (tracing_on) for the last
 * K only, and the tracer writes "stoptrace: stop N" and "stoptrace:
 * resume N" to trace_marker around each.  The cost of one warm, untraced
 * round trip is printed from the TSC (under QEMU -icount shift=0: guest
 * instructions).  x86-64 only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#ifndef PTRACE_SYSVM
#define PTRACE_SYSVM		0x4213
#define PTRACE_VM_SKIPEXIT	0x2
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	0x1UL
#endif

#ifndef TRACING
#define TRACING	"/sys/kernel/tracing/"
#endif

static int on_fd, marker_fd;
static long warm, k;
static unsigned long long t_first, t_last;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static unsigned long long rdtsc(void)
{
	unsigned int lo, hi;

	__asm__ __volatile__("rdtsc" : "=a" (lo), "=d" (hi));
	return ((unsigned long long)hi << 32) | lo;
}

static int pinned = 1;

static void pin(int cpu)
{
	cpu_set_t set;

	if (!pinned)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void mark(const char *what, long i)
{
	char buf[64];
	int n;

	n = snprintf(buf, sizeof(buf), "stoptrace: %s %ld\n", what, i);
	if (i >= warm && write(marker_fd, buf, n) != n)
		die("trace_marker");
}

/* Called by the tracer at the i-th stop, before resuming the tracee. */
static void at_stop(long i)
{
	if (i == 1)
		t_first = rdtsc();
	if (i == warm) {
		t_last = rdtsc();
		if (write(on_fd, "1", 1) != 1)
			die("tracing_on");
	}
	mark("stop", i);
}

static void tracing_off(void)
{
	if (write(on_fd, "0", 1) != 1)
		die("tracing_on");
}

static void tracee_loop(void)
{
	long i, ret;

	for (i = 0; i < warm + k; i++) {
		ret = __NR_getppid;
		__asm__ __volatile__("syscall" : "+a" (ret) : :
				     "rcx", "r11", "memory");
	}
}

static int install_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("PR_SET_NO_NEW_PRIVS");
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

/* The tracee forks its supervisor after installing the filter. */
static void run_notif(int sync, int tracee_cpu)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	int fd, status;
	long i;
	pid_t pid;

	pin(tracee_cpu);
	fd = install_filter();
	if (fd < 0)
		die("seccomp");
	if (sync && ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
			  SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP))
		die("SECCOMP_IOCTL_NOTIF_SET_FLAGS");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		pin(0);
		for (i = 1; i <= warm + k; i++) {
			memset(&req, 0, sizeof(req));
			if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req))
				die("SECCOMP_IOCTL_NOTIF_RECV");
			at_stop(i);
			memset(&resp, 0, sizeof(resp));
			resp.id = req.id;
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			mark("resume", i);
			if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp))
				die("SECCOMP_IOCTL_NOTIF_SEND");
		}
		tracing_off();
		printf("untraced: %.1f TSC ns per round trip (stops 1..%ld)\n",
		       (double)(t_last - t_first) / (warm - 1), warm);
		exit(0);
	}
	close(fd);
	tracee_loop();
	if (waitpid(pid, &status, 0) != pid || status)
		exit(1);
	exit(0);
}

static void run_ptrace(int sysvm, int tracee_cpu)
{
	int status;
	long i = 0;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		pin(tracee_cpu);
		if (ptrace(PTRACE_TRACEME, 0, 0, 0))
			die("PTRACE_TRACEME");
		raise(SIGSTOP);
		tracee_loop();
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		die("first stop");
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD |
		   PTRACE_O_EXITKILL))
		die("PTRACE_SETOPTIONS");
	for (;;) {
		if (i) {
			at_stop(i);
			mark("resume", i);
		}
		/* flags only at an entry stop: not at the first SIGSTOP */
		if (sysvm && ptrace(PTRACE_SYSVM, pid,
				    i ? PTRACE_VM_SKIPEXIT : 0, 0))
			die("PTRACE_SYSVM");
		if (!sysvm && ptrace(PTRACE_SYSEMU, pid, 0, 0))
			die("PTRACE_SYSEMU");
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid");
		if (WIFEXITED(status))
			break;
		if (!WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80)) {
			fprintf(stderr, "unexpected status %#x\n", status);
			exit(1);
		}
		/* The stop after the last getppid(): exit_group(), which
		 * PTRACE_SYSEMU would skip. */
		if (++i > warm + k) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			i--;
			break;
		}
	}
	tracing_off();
	printf("untraced: %.1f TSC ns per stop (stops 1..%ld), %ld stops\n",
	       (double)(t_last - t_first) / (warm - 1), warm, i);
}

int main(int argc, char **argv)
{
	int cpus;

	if (argc != 5 || (cpus = atoi(argv[2])) < 0 || cpus > 2 ||
	    (warm = atol(argv[3])) < 2 || (k = atol(argv[4])) < 1) {
		fprintf(stderr, "usage: %s sysvm|sysemu|notif|notif-sync 0|1|2 WARM K\n",
			argv[0]);
		return 2;
	}
	on_fd = open(TRACING "tracing_on", O_WRONLY);
	marker_fd = open(TRACING "trace_marker", O_WRONLY);
	if (on_fd < 0 || marker_fd < 0)
		die(TRACING);
	setvbuf(stdout, NULL, _IOLBF, 0);
	pinned = cpus > 0;
	cpus += !pinned;
	pin(0);
	if (!strcmp(argv[1], "sysvm") || !strcmp(argv[1], "sysemu"))
		run_ptrace(!strcmp(argv[1], "sysvm"), cpus - 1);
	else if (!strcmp(argv[1], "notif") || !strcmp(argv[1], "notif-sync"))
		run_notif(!strcmp(argv[1], "notif-sync"), cpus - 1);
	else
		return 2;
	return 0;
}
