// SPDX-License-Identifier: GPL-2.0
/*
 * sysvm_bench - what one intercepted system call costs, mechanism by
 * mechanism, side by side in one run.
 *
 * The tracee calls getppid() with a raw "syscall" instruction in a loop;
 * rdi carries what the tracer should do with the call (pass it through or
 * virtualise it), so that a tracer decides per call, after reading the
 * registers, as a partial virtual machine does.  A virtualised call must
 * return MAGIC, a pass-through one the real parent pid: the tracee checks
 * every return value and a mechanism that gets one wrong gets no number.
 *
 * Time is taken by the tracee itself with rdtsc, calibrated against
 * CLOCK_MONOTONIC, so that the measured loop contains no system call but
 * getppid() (under TCG the vDSO clock may fall back to a system call,
 * which PTRACE_SYSEMU would swallow).  Stops are counted by the tracer,
 * not assumed.  Each repetition is a fresh tracee with its own warm-up;
 * repetitions are interleaved across mechanisms so that a change of load
 * on the machine does not favour one of them.  The median, min and max of
 * the repetitions are reported.
 *
 * A seccomp USER_NOTIF supervisor is a thread of the tracee or, like a
 * ptrace tracer, a process of its own (an address-space switch per
 * hand-off), with and without SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP.  The
 * rows marked "1 CPU" and "2 CPUs" pin the two sides: tracer (or
 * supervisor, or pipe echo) on CPU 0, the tracee on CPU 0 or CPU 1.
 *
 * Mechanisms the kernel lacks (PTRACE_SYSVM before this series, syscall
 * user dispatch without CONFIG_SYSCALL_USER_DISPATCH, the sync wake-up
 * before Linux 6.6, a second CPU) are "n/a", not failures.  A second part copies a tree of small files in-process under
 * no tracer, PTRACE_SYSCALL, PTRACE_SYSVM SKIPEXIT and seccomp RET_TRACE.
 *
 * Run "sysvm_bench -h" for the options.  To check that the untraced
 * fast path did not change, run the same binary on both kernels and
 * compare the "native" rows.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#ifdef __x86_64__

#ifndef PTRACE_SYSEMU
#define PTRACE_SYSEMU			31
#endif
#ifndef PTRACE_SYSVM
#define PTRACE_SYSVM			0x4213
#endif
#ifndef PTRACE_O_SYNC_WAKEUP		/* the sync hand-off prototype */
#define PTRACE_O_SYNC_WAKEUP		(1 << 22)
#endif
#ifndef PTRACE_VM_SKIPCALL
#define PTRACE_VM_SKIPCALL		0x1
#endif
#ifndef PTRACE_VM_SKIPEXIT
#define PTRACE_VM_SKIPEXIT		0x2
#endif
#ifndef PTRACE_EVENT_SECCOMP
#define PTRACE_EVENT_SECCOMP		7
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF		0x7fc00000U
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER	0x8UL
#endif
#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE	0x1UL
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS	/* Linux 6.6 */
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	0x1UL
#endif
#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH	59
#endif
#ifndef PR_SYS_DISPATCH_ON
#define PR_SYS_DISPATCH_ON		1
#endif
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW	0
#define SYSCALL_DISPATCH_FILTER_BLOCK	1
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define MAGIC		0x5953564dL	/* above any pid_max: not a real ppid */
#define ARG_PASS	0x50415353L	/* tracer: run the call */
#define ARG_VIRT	0x56495254L	/* tracer: skip it, return MAGIC */
#define ARG_DONE	0x444f4e45L	/* tracer: measurement over, detach */
#define ENTRY_RAX	(-38L)	/* x86: rax at a syscall-entry stop, -ENOSYS */
#define MAX_REPS	64
#define TRACER_CPU	0	/* pinned rows: tracer, supervisor, echo */
#define NR_DIRS		20
#define FILE_SIZE	1024

enum kind {
	K_NATIVE,
	K_PTRACE_SYSCALL,
	K_PTRACE_SYSEMU,
	K_PTRACE_SYSVM,
	K_SECCOMP_TRACE,
	K_SECCOMP_NOTIF,
	K_SECCOMP_TRAP,
	K_SUD,
	K_PIPE,
};

/* USER_NOTIF rows: where the supervisor runs, how it wakes the tracee */
#define N_PROC		0x1	/* a process of its own, not a thread */
#define N_SYNC		0x2	/* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, or for
				 * ptrace rows PTRACE_O_SYNC_WAKEUP */

/*
 * Pinned rows: tracer (or supervisor, or pipe echo) on CPU 0 and the
 * tracee (the timed side) on CPU 0 too, or on CPU 1.
 */
enum pin { PIN_NONE, PIN_1CPU, PIN_2CPU };

struct mech {
	const char *id;		/* CSV name, -m selector */
	const char *label;	/* table name */
	enum kind kind;
	int every;		/* 0: pass-through, n: one call in n virtualised */
	int weight;		/* calls per repetition = weight * N */
	unsigned int notif;	/* N_* */
	enum pin pin;
};

static const struct mech mechs[] = {
	{ "native", "native (no tracing)", K_NATIVE, 0, 64 },
	{ "ptrace_syscall", "PTRACE_SYSCALL (pass-through)", K_PTRACE_SYSCALL, 0, 1 },
	{ "ptrace_sysemu", "PTRACE_SYSEMU (emulated)", K_PTRACE_SYSEMU, 1, 1 },
	{ "sysvm_skipcall_skipexit", "PTRACE_SYSVM SKIPCALL|SKIPEXIT", K_PTRACE_SYSVM, 1, 1 },
	{ "sysvm_skipexit", "PTRACE_SYSVM SKIPEXIT (pass)", K_PTRACE_SYSVM, 0, 1 },
	{ "sysvm_mixed", "PTRACE_SYSVM mixed, 1 in 10 virt", K_PTRACE_SYSVM, 10, 1 },
	{ "seccomp_trace_pass", "seccomp RET_TRACE + CONT (pass)", K_SECCOMP_TRACE, 0, 1 },
	{ "seccomp_trace_skip", "seccomp RET_TRACE + CONT (skip)", K_SECCOMP_TRACE, 1, 1 },
	{ "seccomp_notif_answer_thread", "USER_NOTIF answer, thread", K_SECCOMP_NOTIF, 1, 1 },
	{ "seccomp_notif_answer_thread_sync", "USER_NOTIF answer, thread, sync", K_SECCOMP_NOTIF, 1, 1, N_SYNC },
	{ "seccomp_notif_continue_thread", "USER_NOTIF continue, thread", K_SECCOMP_NOTIF, 0, 1 },
	{ "seccomp_notif_continue_thread_sync", "USER_NOTIF continue, thread, sync", K_SECCOMP_NOTIF, 0, 1, N_SYNC },
	{ "seccomp_notif_answer_proc", "USER_NOTIF answer, process", K_SECCOMP_NOTIF, 1, 1, N_PROC },
	{ "seccomp_notif_answer_proc_sync", "USER_NOTIF answer, process, sync", K_SECCOMP_NOTIF, 1, 1, N_PROC | N_SYNC },
	{ "seccomp_notif_continue_proc", "USER_NOTIF continue, process", K_SECCOMP_NOTIF, 0, 1, N_PROC },
	{ "seccomp_notif_continue_proc_sync", "USER_NOTIF continue, process, sync", K_SECCOMP_NOTIF, 0, 1, N_PROC | N_SYNC },
	{ "seccomp_trap_sigsys", "seccomp RET_TRAP, SIGSYS handler", K_SECCOMP_TRAP, 1, 4 },
	{ "sud_sigsys", "syscall user dispatch, SIGSYS", K_SUD, 1, 4 },
	{ "pipe_pingpong", "pipe ping-pong, 1 byte each way", K_PIPE, 0, 1 },
	{ "ptrace_syscall_sync", "PTRACE_SYSCALL, sync wake-up", K_PTRACE_SYSCALL, 0, 1, N_SYNC },
	{ "ptrace_sysemu_sync", "PTRACE_SYSEMU, sync wake-up", K_PTRACE_SYSEMU, 1, 1, N_SYNC },
	{ "sysvm_skipexit_sync", "PTRACE_SYSVM SKIPEXIT, sync wake-up", K_PTRACE_SYSVM, 0, 1, N_SYNC },
	{ "ptrace_sysemu_1cpu", "PTRACE_SYSEMU, 1 CPU", K_PTRACE_SYSEMU, 1, 1, 0, PIN_1CPU },
	{ "sysvm_skipexit_1cpu", "PTRACE_SYSVM SKIPEXIT, 1 CPU", K_PTRACE_SYSVM, 0, 1, 0, PIN_1CPU },
	{ "seccomp_trace_pass_1cpu", "RET_TRACE + CONT (pass), 1 CPU", K_SECCOMP_TRACE, 0, 1, 0, PIN_1CPU },
	{ "seccomp_notif_continue_proc_1cpu", "USER_NOTIF cont, process, 1 CPU", K_SECCOMP_NOTIF, 0, 1, N_PROC, PIN_1CPU },
	{ "seccomp_notif_continue_proc_sync_1cpu", "USER_NOTIF cont, proc, sync, 1 CPU", K_SECCOMP_NOTIF, 0, 1, N_PROC | N_SYNC, PIN_1CPU },
	{ "pipe_pingpong_1cpu", "pipe ping-pong, 1 CPU", K_PIPE, 0, 1, 0, PIN_1CPU },
	{ "ptrace_sysemu_2cpu", "PTRACE_SYSEMU, 2 CPUs", K_PTRACE_SYSEMU, 1, 1, 0, PIN_2CPU },
	{ "sysvm_skipexit_2cpu", "PTRACE_SYSVM SKIPEXIT, 2 CPUs", K_PTRACE_SYSVM, 0, 1, 0, PIN_2CPU },
	{ "seccomp_trace_pass_2cpu", "RET_TRACE + CONT (pass), 2 CPUs", K_SECCOMP_TRACE, 0, 1, 0, PIN_2CPU },
	{ "seccomp_notif_continue_proc_2cpu", "USER_NOTIF cont, process, 2 CPUs", K_SECCOMP_NOTIF, 0, 1, N_PROC, PIN_2CPU },
	{ "seccomp_notif_continue_proc_sync_2cpu", "USER_NOTIF cont, proc, sync, 2 CPUs", K_SECCOMP_NOTIF, 0, 1, N_PROC | N_SYNC, PIN_2CPU },
	{ "pipe_pingpong_2cpu", "pipe ping-pong, 2 CPUs", K_PIPE, 0, 1, 0, PIN_2CPU },
};

#define NR_MECHS	((int)ARRAY_SIZE(mechs))

struct wmode {
	const char *id;
	const char *label;
	enum kind kind;
	unsigned int notif;	/* N_SYNC: PTRACE_O_SYNC_WAKEUP */
};

static const struct wmode wmodes[] = {
	{ "copy_untraced", "untraced", K_NATIVE },
	{ "copy_ptrace_syscall", "PTRACE_SYSCALL", K_PTRACE_SYSCALL },
	{ "copy_sysvm_skipexit", "PTRACE_SYSVM SKIPEXIT", K_PTRACE_SYSVM },
	{ "copy_seccomp_trace", "seccomp RET_TRACE + CONT", K_SECCOMP_TRACE },
	{ "copy_sysvm_skipexit_sync", "SYSVM SKIPEXIT, sync wake-up", K_PTRACE_SYSVM, N_SYNC },
};

#define NR_WMODES	((int)ARRAY_SIZE(wmodes))

/* Written by the tracee (or its helpers), read by the parent. */
struct shared {
	__u64 cycles[MAX_REPS];
	long calls;		/* system calls made by the loop, warm-up included */
	long bad;		/* wrong return values */
	long bad_call, bad_got, bad_want;
	long events;		/* notifications or signals handled in-process */
	int setup_errno;	/* set-up failed with this errno */
	char setup_what[64];
};

enum status { RES_NOT_RUN, RES_OK, RES_NA, RES_FAIL };

struct result {
	enum status status;
	char why[160];
	double med, min, max;	/* ns per call, or ms per copy */
	double stops;		/* per call; < 0: not applicable */
	long syscalls;		/* workload: system calls counted by a tracer */
	double v[MAX_REPS];	/* one sample per repetition */
	int nv;
	long stop_sum, call_sum;	/* stops (or events) and calls, all runs */
};

struct tstats {
	long stops;		/* every ptrace stop */
	long entries;		/* syscall-entry stops (any syscall) */
	long getppid_stops;	/* stops for the measured calls */
};

static long opt_n = 20000;
static int opt_reps = 7;
static int opt_files = 2000;
static int opt_wreps = 3;
static const char *opt_dir;
static const char *opt_csv;
static const char *opt_only;
static const char *opt_label;
static const char *opt_qemu;
static int opt_cpu = -1;

static struct shared *sh;
static double tsc_per_ns;
static int sysvm_supported = -1;	/* -1: unknown, 0: no, 1: yes */
static int sysvm_probe_errno;
static char sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
static int sud_on;

static cpu_set_t start_cpus;	/* the affinity the run started with */
static struct result res[NR_MECHS];
static struct result wres[NR_WMODES];

static long xptrace(long req, pid_t pid, unsigned long addr, unsigned long data)
{
	return syscall(__NR_ptrace, req, (long)pid, addr, data);
}

/* CPU -1: back to the affinity the run started with. */
static int pin_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return sched_setaffinity(0, sizeof(start_cpus), &start_cpus);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int tracer_cpu(const struct mech *m)
{
	return m->pin == PIN_NONE ? -1 : TRACER_CPU;
}

static int tracee_cpu(const struct mech *m)
{
	return m->pin == PIN_NONE ? -1 : m->pin == PIN_1CPU ? TRACER_CPU :
	       TRACER_CPU + 1;
}

static inline __u64 rdtsc(void)
{
	__u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a" (lo), "=d" (hi));
	return ((__u64)hi << 32) | lo;
}

static inline long getppid_arg(long arg)
{
	long ret = __NR_getppid;

	__asm__ __volatile__("syscall"
			     : "+a" (ret)
			     : "D" (arg)
			     : "rcx", "r11", "memory");
	return ret;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void calibrate_tsc(void)
{
	struct timespec d = { 0, 200 * 1000 * 1000 };
	double t0, t1;
	__u64 c0, c1;

	t0 = now_ns();
	c0 = rdtsc();
	nanosleep(&d, NULL);
	t1 = now_ns();
	c1 = rdtsc();
	tsc_per_ns = (double)(c1 - c0) / (t1 - t0);
}

/* ---------------------------------------------------------------------- */
/* The tracee side */

static void child_fail(const char *what)
{
	sh->setup_errno = errno ? errno : EINVAL;
	snprintf(sh->setup_what, sizeof(sh->setup_what), "%s", what);
	_exit(3);
}

static int install_filter(unsigned int on_getppid, unsigned int others,
			  unsigned int flags)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, on_getppid),
		/* a process that cannot exit is no use */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, others),
	};
	struct sock_fprog prog = {
		.len = ARRAY_SIZE(f),
		.filter = f,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static void note_bad(long i, long got, long want)
{
	if (!sh->bad++) {
		sh->bad_call = i;
		sh->bad_got = got;
		sh->bad_want = want;
	}
}

static void call_loop(long cnt, int every, long ppid)
{
	long i, k = every, arg, want, ret;

	for (i = 0; i < cnt; i++) {
		arg = ARG_PASS;
		want = ppid;
		if (every && --k == 0) {
			k = every;
			arg = ARG_VIRT;
			want = MAGIC;
		}
		if (sud_on)
			sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
		ret = getppid_arg(arg);
		if (ret != want)
			note_bad(i, ret, want);
	}
}

static void measure(const struct mech *m, long ppid)
{
	long n = opt_n * m->weight;
	long warm = n / 10 > 100 ? n / 10 : 100;
	__u64 t0;

	call_loop(warm, m->every, ppid);
	t0 = rdtsc();
	call_loop(n, m->every, ppid);
	sh->cycles[0] = rdtsc() - t0;
	sh->calls = warm + n;
}

static void sigsys_handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	uc->uc_mcontext.gregs[REG_RAX] = MAGIC;
	sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	sh->events++;
}

/*
 * Answer getppid(ARG_VIRT) with MAGIC, let every other call continue,
 * until getppid(ARG_DONE).  Returns 0 then, -1 on an error.
 */
static int notif_serve(int fd)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req)) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		if (req.data.args[0] == (__u64)ARG_VIRT)
			resp.val = MAGIC;
		else
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (req.data.args[0] != (__u64)ARG_DONE)
			sh->events++;
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) && errno != ENOENT)
			return -1;
		if (req.data.args[0] == (__u64)ARG_DONE)
			return 0;
	}
}

static void *notif_thread(void *arg)
{
	notif_serve((int)(long)arg);
	return NULL;
}

/*
 * The supervisor of a USER_NOTIF row: a thread of the tracee, or a
 * process forked after the filter is installed (the listener is
 * inherited; the tracee closes its copy, so that its calls fail rather
 * than hang if the supervisor dies).  Returns the process's pid, or 0.
 */
static pid_t start_supervisor(const struct mech *m)
{
	pthread_t thr;
	pid_t pid;
	int fd;

	fd = install_filter(SECCOMP_RET_USER_NOTIF, SECCOMP_RET_ALLOW,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER);
	if (fd < 0)
		child_fail("seccomp(RET_USER_NOTIF)");
	if ((m->notif & N_SYNC) &&
	    ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		  SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP))
		child_fail("NOTIF_SET_FLAGS(FD_SYNC_WAKE_UP)");
	if (!(m->notif & N_PROC)) {
		errno = pthread_create(&thr, NULL, notif_thread,
				       (void *)(long)fd);
		if (errno)
			child_fail("pthread_create");
		return 0;
	}
	pid = fork();
	if (pid < 0)
		child_fail("fork supervisor");
	if (pid == 0) {
		if (m->pin != PIN_NONE && pin_cpu(tracer_cpu(m)))
			_exit(1);
		_exit(notif_serve(fd) ? 1 : 0);
	}
	close(fd);
	return pid;
}

static void enter_tracing(enum kind kind)
{
	if (xptrace(PTRACE_TRACEME, 0, 0, 0))
		child_fail("PTRACE_TRACEME");
	kill(getpid(), SIGSTOP);
	/* The tracer resumed us with PTRACE_CONT: these calls are not seen. */
	if (kind == K_SECCOMP_TRACE &&
	    install_filter(SECCOMP_RET_TRACE, SECCOMP_RET_ALLOW, 0) < 0)
		child_fail("seccomp(RET_TRACE)");
}

static void child_micro(const struct mech *m)
{
	long ppid = getppid();
	struct sigaction sa;
	pid_t sup = 0;
	int status;

	if (m->pin != PIN_NONE && pin_cpu(tracee_cpu(m)))
		child_fail("sched_setaffinity");
	switch (m->kind) {
	case K_PTRACE_SYSCALL:
	case K_PTRACE_SYSEMU:
	case K_PTRACE_SYSVM:
	case K_SECCOMP_TRACE:
		enter_tracing(m->kind);
		break;
	case K_SECCOMP_NOTIF:
		sup = start_supervisor(m);
		break;
	case K_SECCOMP_TRAP:
	case K_SUD:
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = sigsys_handler;
		sa.sa_flags = SA_SIGINFO;
		if (sigaction(SIGSYS, &sa, NULL))
			child_fail("sigaction");
		if (m->kind == K_SECCOMP_TRAP) {
			if (install_filter(SECCOMP_RET_TRAP, SECCOMP_RET_ALLOW,
					   0) < 0)
				child_fail("seccomp(RET_TRAP)");
			break;
		}
		if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
			  0, 0, &sud_selector))
			child_fail("prctl(PR_SET_SYSCALL_USER_DISPATCH)");
		sud_on = 1;
		break;
	default:
		break;
	}

	measure(m, ppid);

	sud_on = 0;
	sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (m->kind != K_NATIVE)
		getppid_arg(ARG_DONE);
	if (sup && (waitpid(sup, &status, 0) != sup || !WIFEXITED(status) ||
		    WEXITSTATUS(status))) {
		errno = EPROTO;
		child_fail("USER_NOTIF supervisor process failed");
	}
	_exit(0);
}

/* ---------------------------------------------------------------------- */
/* The tracer side */

static int tracer_fail(pid_t pid, struct result *r, const char *what)
{
	int err = errno;

	snprintf(r->why, sizeof(r->why), "tracer: %s: %s", what, strerror(err));
	r->status = RES_FAIL;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static int resume(pid_t pid, enum kind kind, unsigned long flags, int sig)
{
	switch (kind) {
	case K_PTRACE_SYSCALL:
		return xptrace(PTRACE_SYSCALL, pid, 0, sig);
	case K_PTRACE_SYSEMU:
		return xptrace(PTRACE_SYSEMU, pid, 0, sig);
	case K_PTRACE_SYSVM:
		return xptrace(PTRACE_SYSVM, pid, flags, sig);
	default:
		return xptrace(PTRACE_CONT, pid, 0, sig);
	}
}

/*
 * Trace @pid from its first SIGSTOP to its exit, as a partial virtual
 * machine would: at each entry stop read the registers, and virtualise
 * getppid(ARG_VIRT) (rax = MAGIC, call skipped); pass everything else
 * through (PTRACE_SYSEMU can only skip: its tracee makes no other call).
 * getppid(ARG_DONE) ends the measurement: detach.  A stop that is not the
 * one the mechanism promises shows up as an entry stop whose rax is not
 * -ENOSYS and fails the run.  Returns 0; 1 if the tracee reported a
 * set-up failure; -1 with @r filled in (the tracee is killed and reaped).
 */
static int trace(pid_t pid, enum kind kind, int sync, struct tstats *st,
		 struct result *r)
{
	const size_t rax_off = offsetof(struct user_regs_struct, rax);
	struct user_regs_struct regs;
	unsigned long flags = 0;
	int status, in_exit = 0, counted = 0;
	long opts;

	memset(st, 0, sizeof(*st));
	if (waitpid(pid, &status, 0) != pid)
		return tracer_fail(pid, r, "waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		return 1;
	if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
		errno = EPROTO;
		return tracer_fail(pid, r, "first stop is not SIGSTOP");
	}

	opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL;
	if (kind == K_SECCOMP_TRACE)
		opts |= PTRACE_O_TRACESECCOMP;
	if (sync)
		opts |= PTRACE_O_SYNC_WAKEUP;
	if (xptrace(PTRACE_SETOPTIONS, pid, 0, opts)) {
		if (!sync || errno != EINVAL)
			return tracer_fail(pid, r, "PTRACE_SETOPTIONS");
		/* A kernel without the option: the row is not applicable. */
		sh->setup_errno = EINVAL;
		snprintf(sh->setup_what, sizeof(sh->setup_what),
			 "PTRACE_O_SYNC_WAKEUP");
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 1;
	}
	if (resume(pid, kind, 0, 0))
		return tracer_fail(pid, r, "first resume");

	for (;;) {
		if (waitpid(pid, &status, 0) != pid)
			return tracer_fail(pid, r, "waitpid");
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		st->stops++;
		flags = 0;

		if (WSTOPSIG(status) == (SIGTRAP | 0x80) && in_exit) {
			/* Exit stop: only PTRACE_SYSCALL has them. */
			in_exit = 0;
			st->getppid_stops += counted;
		} else if (WSTOPSIG(status) == (SIGTRAP | 0x80) ||
			   status >> 8 == (SIGTRAP | PTRACE_EVENT_SECCOMP << 8)) {
			if (xptrace(PTRACE_GETREGS, pid, 0, (unsigned long)&regs))
				return tracer_fail(pid, r, "PTRACE_GETREGS");
			if ((long)regs.rax != ENTRY_RAX) {
				errno = EPROTO;
				return tracer_fail(pid, r,
						   "entry stop expected, rax != -ENOSYS");
			}
			st->entries++;
			counted = 0;
			if (regs.orig_rax == __NR_getppid &&
			    (long)regs.rdi == ARG_DONE) {
				if (xptrace(PTRACE_DETACH, pid, 0, 0))
					return tracer_fail(pid, r, "PTRACE_DETACH");
				if (waitpid(pid, &status, 0) != pid)
					return tracer_fail(pid, r, "waitpid");
				break;
			}
			if (regs.orig_rax == __NR_getppid) {
				counted = 1;
				st->getppid_stops++;
			}
			if (counted && (long)regs.rdi == ARG_VIRT) {
				if (kind == K_SECCOMP_TRACE) {
					regs.orig_rax = -1;
					regs.rax = MAGIC;
					if (xptrace(PTRACE_SETREGS, pid, 0, (unsigned long)&regs))
						return tracer_fail(pid, r,
								   "PTRACE_SETREGS");
				} else if (xptrace(PTRACE_POKEUSER, pid, rax_off,
						  MAGIC)) {
					return tracer_fail(pid, r,
							   "PTRACE_POKEUSER");
				}
				flags = PTRACE_VM_SKIPCALL | PTRACE_VM_SKIPEXIT;
			} else {
				flags = PTRACE_VM_SKIPEXIT;
			}
			in_exit = kind == K_PTRACE_SYSCALL;
		} else {
			/* Signal-delivery stop: deliver it. */
			if (resume(pid, kind, 0, WSTOPSIG(status)))
				return tracer_fail(pid, r, "resume with signal");
			continue;
		}
		if (resume(pid, kind, flags, 0))
			return tracer_fail(pid, r, "resume");
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
			return 1;
		snprintf(r->why, sizeof(r->why), "tracee died (status %#x)",
			 status);
		r->status = RES_FAIL;
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Statistics and running one mechanism */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void summarise(struct result *r, double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	r->min = v[0];
	r->max = v[n - 1];
	r->med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int is_ptrace_kind(enum kind k)
{
	return k == K_PTRACE_SYSCALL || k == K_PTRACE_SYSEMU ||
	       k == K_PTRACE_SYSVM || k == K_SECCOMP_TRACE;
}

/* Setup errors that mean "this kernel has no such mechanism". */
static int errno_unsupported(int err)
{
	return err == EINVAL || err == EOPNOTSUPP || err == EIO;
}

static void child_status(struct result *r, int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3) {
		r->status = errno_unsupported(sh->setup_errno) ? RES_NA : RES_FAIL;
		snprintf(r->why, sizeof(r->why), "%s: %s", sh->setup_what,
			 strerror(sh->setup_errno));
	} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		r->status = RES_FAIL;
		snprintf(r->why, sizeof(r->why), "tracee died (status %#x)",
			 status);
	}
}

static int selected(const char *id)
{
	const char *p = opt_only;
	size_t len = strlen(id);

	if (!p)
		return 1;
	while (p && *p) {
		if (!strncmp(p, id, len) && (p[len] == ',' || !p[len]))
			return 1;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return 0;
}

/* One repetition: a fresh echo process, a warm-up, N round trips. */
static void run_pipe(const struct mech *m, struct result *r)
{
	long n = opt_n * m->weight, warm = n / 10 > 100 ? n / 10 : 100, i;
	int to[2], from[2], rep, status;
	unsigned char c, d;
	__u64 t0;
	pid_t pid;

	if (pipe(to) || pipe(from)) {
		snprintf(r->why, sizeof(r->why), "pipe: %s", strerror(errno));
		r->status = RES_FAIL;
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(to[1]);
		close(from[0]);
		if (m->pin != PIN_NONE && pin_cpu(tracer_cpu(m)))
			_exit(1);
		while (read(to[0], &c, 1) == 1) {
			c++;
			if (write(from[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	if (m->pin != PIN_NONE && pin_cpu(tracee_cpu(m))) {
		snprintf(r->why, sizeof(r->why), "sched_setaffinity: %s",
			 strerror(errno));
		r->status = RES_FAIL;
	}
	for (rep = 0; rep < 2 && r->status != RES_FAIL; rep++) {
		long cnt = rep ? n : warm;

		t0 = rdtsc();
		for (i = 0; i < cnt; i++) {
			c = (unsigned char)i;
			if (write(to[1], &c, 1) != 1 || read(from[0], &d, 1) != 1 ||
			    d != (unsigned char)(c + 1)) {
				snprintf(r->why, sizeof(r->why),
					 "ping-pong broken at round %ld", i);
				r->status = RES_FAIL;
				break;
			}
		}
		if (r->status == RES_FAIL)
			break;
		if (rep)
			r->v[r->nv++] = (rdtsc() - t0) / tsc_per_ns / cnt;
	}
	close(to[1]);
	close(from[0]);
	if (r->status == RES_FAIL)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	pin_cpu(-1);
}

/* The parent's side of one repetition of @m: trace or wait, then check. */
static void run_tracer(const struct mech *m, struct result *r, pid_t pid)
{
	struct tstats st;
	int status, rc;

	if (is_ptrace_kind(m->kind)) {
		rc = trace(pid, m->kind, m->notif & N_SYNC, &st, r);
		if (rc < 0)
			return;
		if (rc > 0) {
			child_status(r, 3 << 8);
			return;
		}
		r->stop_sum += st.getppid_stops;
	} else {
		waitpid(pid, &status, 0);
		child_status(r, status);
		if (r->status != RES_NOT_RUN)
			return;
		r->stop_sum += sh->events;
	}
	r->call_sum += sh->calls;
	if (sh->bad) {
		r->status = RES_FAIL;
		snprintf(r->why, sizeof(r->why),
			 "%ld wrong return values, first: call %ld got %ld want %ld",
			 sh->bad, sh->bad_call, sh->bad_got, sh->bad_want);
		return;
	}
	r->v[r->nv++] = sh->cycles[0] / tsc_per_ns / (opt_n * m->weight);
}

/* One repetition of @m: a fresh tracee, a warm-up, N timed calls. */
static void run_mech(const struct mech *m, struct result *r)
{
	pid_t pid;

	if (m->kind == K_PIPE) {
		run_pipe(m, r);
		return;
	}
	memset(sh, 0, sizeof(*sh));
	fflush(NULL);
	/* The tracer is this process: pinned for the whole repetition. */
	if (m->pin != PIN_NONE && pin_cpu(tracer_cpu(m))) {
		r->status = RES_FAIL;
		snprintf(r->why, sizeof(r->why), "sched_setaffinity: %s",
			 strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		r->status = RES_FAIL;
		snprintf(r->why, sizeof(r->why), "fork: %s", strerror(errno));
		pin_cpu(-1);
		return;
	}
	if (pid == 0)
		child_micro(m);
	run_tracer(m, r, pid);
	pin_cpu(-1);
}

/*
 * Repetitions outside, mechanisms inside: a change of the machine's load
 * during the run (other guests, other work on the host) spreads over all
 * mechanisms instead of biasing the ones that ran at that time.
 */
static void run_all(void)
{
	struct result *r;
	int i, rep;

	for (i = 0; i < NR_MECHS; i++) {
		r = &res[i];
		memset(r, 0, sizeof(*r));
		r->stops = -1;
		if (!selected(mechs[i].id)) {
			r->status = RES_NOT_RUN;
			continue;
		}
		r->status = RES_OK;
		if (mechs[i].kind == K_PTRACE_SYSVM && sysvm_supported != 1) {
			r->status = RES_NA;
			snprintf(r->why, sizeof(r->why), "PTRACE_SYSVM probe: %s",
				 strerror(sysvm_probe_errno));
		}
		if (mechs[i].pin != PIN_NONE &&
		    (!CPU_ISSET(tracer_cpu(&mechs[i]), &start_cpus) ||
		     !CPU_ISSET(tracee_cpu(&mechs[i]), &start_cpus))) {
			r->status = RES_NA;
			snprintf(r->why, sizeof(r->why),
				 "needs CPU %d and CPU %d, the run has %d",
				 tracer_cpu(&mechs[i]), tracee_cpu(&mechs[i]),
				 CPU_COUNT(&start_cpus));
		}
	}
	printf("\nrepetition:");
	for (rep = 0; rep < opt_reps; rep++) {
		printf(" %d", rep + 1);
		fflush(stdout);
		for (i = 0; i < NR_MECHS; i++) {
			r = &res[i];
			if (r->status != RES_OK)
				continue;
			/* run_mech() and run_pipe() fail with RES_FAIL */
			r->status = RES_NOT_RUN;
			run_mech(&mechs[i], r);
			if (r->status == RES_NOT_RUN)
				r->status = RES_OK;
		}
	}
	printf("\n");
	for (i = 0; i < NR_MECHS; i++) {
		r = &res[i];
		if (r->status != RES_OK)
			continue;
		summarise(r, r->v, r->nv);
		if (mechs[i].kind != K_NATIVE && mechs[i].kind != K_PIPE &&
		    r->call_sum)
			r->stops = (double)r->stop_sum / r->call_sum;
	}
}

/* Fork a stopped tracee, probe PTRACE_SYSVM at its SIGSTOP, kill it. */
static void probe_sysvm(void)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		if (xptrace(PTRACE_TRACEME, 0, 0, 0))
			_exit(1);
		kill(getpid(), SIGSTOP);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFSTOPPED(status)) {
		sysvm_supported = 0;
		sysvm_probe_errno = ESRCH;
		return;
	}
	errno = 0;
	xptrace(PTRACE_SYSVM, pid, ~0UL, 0);
	sysvm_probe_errno = errno;
	sysvm_supported = errno == EINVAL;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/* ---------------------------------------------------------------------- */
/* Real workload: copy a tree of small files */

static void fill_pattern(unsigned char *buf, int seed)
{
	int i;

	for (i = 0; i < FILE_SIZE; i++)
		buf[i] = (unsigned char)(seed * 31 + i * 7);
}

static int make_tree(const char *root, int files)
{
	unsigned char buf[FILE_SIZE];
	char path[512];
	int d, f, fd;

	if (mkdir(root, 0755))
		return -1;
	for (d = 0; d < NR_DIRS; d++) {
		snprintf(path, sizeof(path), "%s/d%02d", root, d);
		if (mkdir(path, 0755))
			return -1;
	}
	for (f = 0; f < files; f++) {
		snprintf(path, sizeof(path), "%s/d%02d/f%05d", root,
			 f % NR_DIRS, f);
		fill_pattern(buf, f);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf))
			return -1;
		close(fd);
	}
	return 0;
}

static int check_tree(const char *root, int files)
{
	unsigned char want[FILE_SIZE], got[FILE_SIZE + 1];
	char path[512];
	int f, fd;
	ssize_t n;

	for (f = 0; f < files; f++) {
		snprintf(path, sizeof(path), "%s/d%02d/f%05d", root,
			 f % NR_DIRS, f);
		fill_pattern(want, f);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return -1;
		n = read(fd, got, sizeof(got));
		close(fd);
		if (n != FILE_SIZE || memcmp(got, want, FILE_SIZE)) {
			errno = EBADMSG;
			return -1;
		}
	}
	return 0;
}

static int remove_tree(int at, const char *name)
{
	struct dirent *e;
	DIR *dir;
	int fd;

	fd = openat(at, name, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return unlinkat(at, name, 0);
	dir = fdopendir(fd);
	if (!dir)
		return -1;
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		remove_tree(dirfd(dir), e->d_name);
	}
	closedir(dir);
	return unlinkat(at, name, AT_REMOVEDIR);
}

static int copy_file(int sdir, int ddir, const char *name)
{
	char buf[4096];
	struct stat sb;
	int in, out, ret = -1;
	ssize_t n;

	in = openat(sdir, name, O_RDONLY);
	if (in < 0)
		return -1;
	if (fstat(in, &sb))
		goto out_in;
	out = openat(ddir, name, O_WRONLY | O_CREAT | O_TRUNC,
		     sb.st_mode & 07777);
	if (out < 0)
		goto out_in;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			goto out_out;
	ret = n ? -1 : 0;
out_out:
	close(out);
out_in:
	close(in);
	return ret;
}

/* What "cp -r" does, less the error messages: sdir's content into ddir. */
static int copy_tree(int sdir, int ddir)
{
	int s, d, ret = 0;
	struct dirent *e;
	struct stat sb;
	DIR *dir;

	s = dup(sdir);
	if (s < 0)
		return -1;
	dir = fdopendir(s);
	if (!dir)
		return -1;
	while (!ret && (e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(sdir, e->d_name, &sb, AT_SYMLINK_NOFOLLOW)) {
			ret = -1;
		} else if (S_ISDIR(sb.st_mode)) {
			ret = -1;
			if (mkdirat(ddir, e->d_name, sb.st_mode & 07777))
				break;
			s = openat(sdir, e->d_name, O_RDONLY | O_DIRECTORY);
			d = openat(ddir, e->d_name, O_RDONLY | O_DIRECTORY);
			if (s >= 0 && d >= 0)
				ret = copy_tree(s, d);
			if (s >= 0)
				close(s);
			if (d >= 0)
				close(d);
		} else {
			ret = copy_file(sdir, ddir, e->d_name);
		}
	}
	closedir(dir);
	return ret;
}

static void child_copy(enum kind kind, const char *src, const char *dst)
{
	int s, d, ret;
	__u64 t0;

	if (kind != K_NATIVE)
		enter_tracing(kind == K_SECCOMP_TRACE ? K_NATIVE : kind);
	if (kind == K_SECCOMP_TRACE &&
	    install_filter(SECCOMP_RET_TRACE, SECCOMP_RET_TRACE, 0) < 0)
		child_fail("seccomp(RET_TRACE)");

	t0 = rdtsc();
	s = open(src, O_RDONLY | O_DIRECTORY);
	ret = mkdir(dst, 0755);
	d = open(dst, O_RDONLY | O_DIRECTORY);
	if (s < 0 || ret || d < 0 || copy_tree(s, d))
		sh->bad = errno ? errno : EIO;
	close(s);
	close(d);
	sh->cycles[0] = rdtsc() - t0;

	if (kind != K_NATIVE)
		getppid_arg(ARG_DONE);
	_exit(0);
}

/* One copy of @src to @dst under wmodes[@w], checked and removed. */
static void run_copy(int w, const char *src, const char *dst, long *syscalls)
{
	struct result *r = &wres[w];
	struct tstats st;
	int rc, status;
	pid_t pid;

	memset(sh, 0, sizeof(*sh));
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		child_copy(wmodes[w].kind, src, dst);
	if (wmodes[w].kind != K_NATIVE) {
		rc = trace(pid, wmodes[w].kind, wmodes[w].notif & N_SYNC, &st, r);
		if (rc > 0)
			child_status(r, 3 << 8);
		if (rc)
			goto out;
		r->stop_sum += st.stops;
		if (wmodes[w].kind == K_PTRACE_SYSCALL)
			*syscalls = st.entries;
	} else {
		waitpid(pid, &status, 0);
		child_status(r, status);
		if (r->status != RES_NOT_RUN)
			goto out;
	}
	if (sh->bad) {
		r->status = RES_FAIL;
		snprintf(r->why, sizeof(r->why), "copy failed: %s",
			 strerror(sh->bad));
	} else if (check_tree(dst, opt_files)) {
		r->status = RES_FAIL;
		snprintf(r->why, sizeof(r->why), "copy is wrong: %s",
			 strerror(errno));
	} else {
		r->v[r->nv++] = sh->cycles[0] / tsc_per_ns / 1e6;
	}
out:
	remove_tree(AT_FDCWD, dst);
}

static void run_workload(const char *tmp)
{
	char src[300], dst[300];
	long syscalls = 0;
	struct result *r;
	int w, rep;

	snprintf(src, sizeof(src), "%s/src", tmp);
	snprintf(dst, sizeof(dst), "%s/dst", tmp);
	printf("\nWorkload: copy of %d files of %d bytes in %d directories, %d repetitions;\n",
	       opt_files, FILE_SIZE, NR_DIRS, opt_wreps);
	printf("in-process copy loop (getdents64/fstatat/openat/fstat/read/write/close/mkdirat)\n");
	if (make_tree(src, opt_files)) {
		printf("  cannot create the source tree in %s: %s\n", tmp,
		       strerror(errno));
		return;
	}
	for (w = 0; w < NR_WMODES; w++) {
		r = &wres[w];
		memset(r, 0, sizeof(*r));
		r->stops = -1;
		r->status = RES_OK;
		if (wmodes[w].kind == K_PTRACE_SYSVM && sysvm_supported != 1) {
			r->status = RES_NA;
			snprintf(r->why, sizeof(r->why), "PTRACE_SYSVM probe: %s",
				 strerror(sysvm_probe_errno));
		}
	}
	/* Interleaved, as the system call loops are. */
	printf("repetition:");
	for (rep = 0; rep < opt_wreps; rep++) {
		printf(" %d", rep + 1);
		fflush(stdout);
		for (w = 0; w < NR_WMODES; w++) {
			r = &wres[w];
			if (r->status != RES_OK)
				continue;
			r->status = RES_NOT_RUN;
			run_copy(w, src, dst, &syscalls);
			if (r->status == RES_NOT_RUN)
				r->status = RES_OK;
		}
	}
	printf("\n");
	for (w = 0; w < NR_WMODES; w++) {
		r = &wres[w];
		r->syscalls = syscalls;
		if (r->status != RES_OK)
			continue;
		summarise(r, r->v, r->nv);
		if (wmodes[w].kind == K_NATIVE)
			r->stops = 0;
		else if (syscalls)
			r->stops = (double)r->stop_sum / syscalls / r->nv;
	}
}

/* ---------------------------------------------------------------------- */
/* Reporting */

static const char *status_str(const struct result *r)
{
	switch (r->status) {
	case RES_OK:
		return "ok";
	case RES_NA:
		return "n/a";
	case RES_FAIL:
		return "FAILED";
	default:
		return "not run";
	}
}

static const struct result *find(const char *id)
{
	int i;

	for (i = 0; i < NR_MECHS; i++)
		if (!strcmp(mechs[i].id, id))
			return &res[i];
	return NULL;
}

static double ratio(const struct result *a, const struct result *b)
{
	if (!a || !b || a->status != RES_OK || b->status != RES_OK || b->med <= 0)
		return -1;
	return a->med / b->med;
}

static void fmt_ratio(char *buf, size_t len, double x)
{
	if (x < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2fx", x);
}

static void fmt_stops(char *buf, size_t len, double x)
{
	if (x < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.3f", x);
}

static void read_cpu(char *model, size_t len, int *hyp)
{
	char line[4096], *p;
	FILE *f;

	snprintf(model, len, "unknown");
	*hyp = 0;
	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10) && !strcmp(model, "unknown")) {
			p = strchr(line, ':');
			if (p) {
				snprintf(model, len, "%s", p + 2);
				model[strcspn(model, "\n")] = 0;
			}
		}
		if (!strncmp(line, "flags", 5) && strstr(line, " hypervisor"))
			*hyp = 1;
	}
	fclose(f);
}

static void csv_escape(char *s)
{
	for (; *s; s++)
		if (*s == ',' || *s == '"' || *s == '\n')
			*s = ' ';
}

static void print_micro_table(FILE *csv, const char *label, const char *kver)
{
	const struct result *nat = find("native"), *sc = find("ptrace_syscall");
	char spread[64], stops[16], rn[16], rs[16];
	const struct result *r;
	int i;

	printf("\n%-36s %12s %23s %10s %9s %10s\n", "mechanism",
	       "ns/call", "spread (min..max)", "stops/call", "x native",
	       "x SYSCALL");
	for (i = 0; i < NR_MECHS; i++) {
		r = &res[i];
		if (r->status == RES_NOT_RUN)
			continue;
		if (r->status != RES_OK) {
			printf("%-36s %12s   %s%s\n", mechs[i].label,
			       r->status == RES_NA ? "n/a" : "FAILED",
			       r->status == RES_NA ? "(not supported) " : "",
			       r->why);
		} else {
			snprintf(spread, sizeof(spread), "%.1f..%.1f", r->min,
				 r->max);
			fmt_stops(stops, sizeof(stops), r->stops);
			fmt_ratio(rn, sizeof(rn), ratio(r, nat));
			fmt_ratio(rs, sizeof(rs), ratio(r, sc));
			printf("%-36s %12.1f %23s %10s %9s %10s\n",
			       mechs[i].label, r->med, spread, stops, rn, rs);
		}
		if (csv)
			fprintf(csv, "micro,%s,%s,%s,ns/call,%.2f,%.2f,%.2f,%.4f,%.4f,%.4f,%s\n",
				label, kver, mechs[i].id, r->med, r->min,
				r->max, r->stops, ratio(r, nat), ratio(r, sc),
				status_str(r));
	}
	printf("stops/call: ptrace stops counted by the tracer for the measured calls;\n"
	       "for USER_NOTIF and SIGSYS rows: notifications or signals counted in the tracee.\n"
	       "USER_NOTIF: supervisor thread in the tracee, or process of its own (forked\n"
	       "after the filter); sync: SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6).\n"
	       "ptrace rows, sync wake-up: PTRACE_O_SYNC_WAKEUP (prototype, patches-perf/).\n"
	       "x SYSCALL of a pinned row: against the unpinned PTRACE_SYSCALL row.\n");
}

static void print_workload_table(FILE *csv, const char *label,
				 const char *kver)
{
	const struct result *base = &wres[0], *sc = &wres[1];
	char spread[64], stops[16], rn[16], rs[16];
	const struct result *r;
	int w;

	if (wres[0].status == RES_NOT_RUN)
		return;
	printf("\n%-34s %12s %23s %10s %9s %10s\n", "file-tree copy under",
	       "ms/copy", "spread (min..max)", "stops/sys", "slowdown",
	       "x SYSCALL");
	for (w = 0; w < NR_WMODES; w++) {
		r = &wres[w];
		if (r->status != RES_OK) {
			printf("%-34s %12s   %s\n", wmodes[w].label,
			       r->status == RES_NA ? "n/a" : "FAILED", r->why);
		} else {
			snprintf(spread, sizeof(spread), "%.2f..%.2f", r->min,
				 r->max);
			fmt_stops(stops, sizeof(stops), r->stops);
			fmt_ratio(rn, sizeof(rn), ratio(r, base));
			fmt_ratio(rs, sizeof(rs), ratio(r, sc));
			printf("%-34s %12.2f %23s %10s %9s %10s\n",
			       wmodes[w].label, r->med, spread, stops, rn, rs);
		}
		if (csv)
			fprintf(csv, "workload,%s,%s,%s,ms/copy,%.3f,%.3f,%.3f,%.4f,%.4f,%.4f,%s\n",
				label, kver, wmodes[w].id, r->med, r->min,
				r->max, r->stops, ratio(r, base), ratio(r, sc),
				status_str(r));
	}
	if (wres[1].syscalls)
		printf("system calls per copy (entry stops under PTRACE_SYSCALL): %ld\n",
		       wres[1].syscalls);
}

struct target {
	const char *id, *what;	/* CSV name, text */
	const char *a;		/* median of a over median of ... */
	const char *b[4];	/* ... the fastest of these rows ... */
	double limit;		/* ... must not exceed this */
};

static const struct target targets[] = {
	{ "sysvm_skipexit_vs_syscall", "SYSVM SKIPEXIT <= 0.6x PTRACE_SYSCALL",
	  "sysvm_skipexit", { "ptrace_syscall" }, 0.6 },
	{ "sysvm_virt_vs_sysemu", "SYSVM SKIPCALL|SKIPEXIT within 5% of PTRACE_SYSEMU",
	  "sysvm_skipcall_skipexit", { "ptrace_sysemu" }, 1.05 },
	{ "sysvm_pass_vs_seccomp_trace", "SYSVM SKIPEXIT no slower than seccomp RET_TRACE (pass)",
	  "sysvm_skipexit", { "seccomp_trace_pass" }, 1.0 },
	{ "sysvm_virt_vs_seccomp_trace", "SYSVM SKIPCALL|SKIPEXIT no slower than RET_TRACE (skip)",
	  "sysvm_skipcall_skipexit", { "seccomp_trace_skip" }, 1.0 },
	{ "sysvm_virt_vs_pipe", "SYSVM SKIPCALL|SKIPEXIT within 1.5x of pipe ping-pong",
	  "sysvm_skipcall_skipexit", { "pipe_pingpong" }, 1.5 },
	/* Like for like: the other side in another process, on another CPU */
	{ "sysvm_vs_notif_proc_2cpu", "SYSVM SKIPEXIT <= 1.5x best USER_NOTIF process, 2 CPUs",
	  "sysvm_skipexit_2cpu", { "seccomp_notif_continue_proc_2cpu",
	  "seccomp_notif_continue_proc_sync_2cpu" }, 1.5 },
	{ "sysvm_vs_pipe_2cpu", "SYSVM SKIPEXIT <= 1.0x pipe ping-pong, 2 CPUs",
	  "sysvm_skipexit_2cpu", { "pipe_pingpong_2cpu" }, 1.0 },
	{ "sysvm_vs_notif_proc", "SYSVM SKIPEXIT <= 1.5x best USER_NOTIF process, unpinned",
	  "sysvm_skipexit", { "seccomp_notif_answer_proc",
	  "seccomp_notif_answer_proc_sync", "seccomp_notif_continue_proc",
	  "seccomp_notif_continue_proc_sync" }, 1.5 },
	{ "sysvm_vs_pipe", "SYSVM SKIPEXIT <= 1.0x pipe ping-pong, unpinned",
	  "sysvm_skipexit", { "pipe_pingpong" }, 1.0 },
	{ "sysvm_sync_vs_notif_proc", "SYSVM SKIPEXIT sync <= 1.5x best USER_NOTIF process",
	  "sysvm_skipexit_sync", { "seccomp_notif_answer_proc",
	  "seccomp_notif_answer_proc_sync", "seccomp_notif_continue_proc",
	  "seccomp_notif_continue_proc_sync" }, 1.5 },
	{ "sysvm_sync_vs_pipe", "SYSVM SKIPEXIT sync <= 1.0x pipe ping-pong, unpinned",
	  "sysvm_skipexit_sync", { "pipe_pingpong" }, 1.0 },
};

/* The fastest of @t's rows to compare with that has a result. */
static const char *best_b(const struct target *t)
{
	const char *best = t->b[0];
	const struct result *r;
	size_t i;

	for (i = 1; i < ARRAY_SIZE(t->b) && t->b[i]; i++) {
		r = find(t->b[i]);
		if (r->status == RES_OK && (find(best)->status != RES_OK ||
					    r->med < find(best)->med))
			best = t->b[i];
	}
	return best;
}

static void print_targets(FILE *csv, const char *label, const char *kver)
{
	const struct target *t;
	const char *verdict;
	double x;

	printf("\nTargets (measured, not tuned):\n");
	for (t = targets; t < targets + ARRAY_SIZE(targets); t++) {
		x = ratio(find(t->a), find(best_b(t)));
		verdict = x < 0 ? "n/a" : x <= t->limit ? "met" : "NOT met";
		if (x < 0)
			printf("  %-58s %-8s (needs both rows)\n", t->what,
			       verdict);
		else if (t->b[1])
			printf("  %-58s %-8s (%.2fx, limit %.2fx; best: %s)\n",
			       t->what, verdict, x, t->limit, best_b(t));
		else
			printf("  %-58s %-8s (%.2fx, limit %.2fx)\n", t->what,
			       verdict, x, t->limit);
		if (csv)
			fprintf(csv, "target,%s,%s,%s,ratio,%.4f,%.4f,%.4f,-1,-1,-1,%s\n",
				label, kver, t->id, x, x, t->limit, verdict);
	}
	printf("  %-58s %s\n", "untraced fast path unchanged (base vs patched)",
	       "needs the base kernel: compare native rows");
}

static void print_usage(const char *prog)
{
	int i;

	printf("usage: %s [options]\n"
	       "  -n N          calls per repetition (default %ld; native x64, SIGSYS x4)\n"
	       "  -r R          repetitions (default %d, max %d)\n"
	       "  -f FILES      files in the copy workload (default %d, 0: no workload)\n"
	       "  -R R          repetitions of the copy (default %d)\n"
	       "  -d DIR        where the copy workload makes its temporary tree\n"
	       "                (default /dev/shm, else /tmp: a tmpfs)\n"
	       "  -m ID,...     run only these mechanisms\n"
	       "  -o FILE       write CSV to FILE (\"-\": stdout)\n"
	       "  -l LABEL      run label in the CSV (default: kernel release)\n"
	       "  -c CPU        pin every process to this CPU (default: no pinning)\n"
	       "  --qemu-mode=tcg|icount|kvm   how the machine is emulated (for the notes)\n"
	       "mechanisms:", prog, opt_n, opt_reps, MAX_REPS, opt_files,
	       opt_wreps);
	for (i = 0; i < NR_MECHS; i++)
		printf(" %s", mechs[i].id);
	printf(" workload\n");
}

static void parse_args(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "qemu-mode", required_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "n:r:f:R:d:m:o:l:c:h", lopts,
				NULL)) != -1) {
		switch (c) {
		case 'n':
			opt_n = atol(optarg);
			break;
		case 'r':
			opt_reps = atoi(optarg);
			break;
		case 'f':
			opt_files = atoi(optarg);
			break;
		case 'R':
			opt_wreps = atoi(optarg);
			break;
		case 'd':
			opt_dir = optarg;
			break;
		case 'm':
			opt_only = optarg;
			break;
		case 'o':
			opt_csv = optarg;
			break;
		case 'l':
			opt_label = optarg;
			break;
		case 'Q':
			opt_qemu = optarg;
			break;
		case 'c':
			opt_cpu = atoi(optarg);
			break;
		case 'h':
			print_usage(argv[0]);
			exit(0);
		default:
			print_usage(argv[0]);
			exit(2);
		}
	}
	if (opt_n < 1 || opt_reps < 1 || opt_reps > MAX_REPS || opt_files < 0 ||
	    opt_wreps < 1 || opt_wreps > MAX_REPS) {
		print_usage(argv[0]);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	char model[256], tmp[256], label[128];
	double t0 = now_ns();
	struct utsname u;
	FILE *csv = NULL;
	int hyp;

	parse_args(argc, argv);
	if (!opt_dir) {
		struct stat sb;

		/* A disk file system would measure the disk, not the calls. */
		opt_dir = stat("/dev/shm", &sb) || !S_ISDIR(sb.st_mode) ?
			  "/tmp" : "/dev/shm";
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (opt_csv) {
		csv = strcmp(opt_csv, "-") ? fopen(opt_csv, "w") : stdout;
		if (!csv) {
			perror(opt_csv);
			return 1;
		}
		fprintf(csv, "section,label,kernel,mechanism,unit,median,min,max,");
		fprintf(csv, "stops_per_call,ratio_native,ratio_syscall,status\n");
	}

	if ((opt_cpu >= 0 && pin_cpu(opt_cpu)) ||
	    sched_getaffinity(0, sizeof(start_cpus), &start_cpus)) {
		perror("sched_setaffinity");
		return 1;
	}
	uname(&u);
	read_cpu(model, sizeof(model), &hyp);
	snprintf(label, sizeof(label), "%s", opt_label ? opt_label : u.release);
	csv_escape(label);
	calibrate_tsc();
	probe_sysvm();

	printf("sysvm_bench: cost of one intercepted getppid() per mechanism\n");
	printf("kernel:   %s %s\n", u.release, u.version);
	printf("cpu:      %s (%ld online), TSC %.3f GHz against CLOCK_MONOTONIC\n",
	       model, sysconf(_SC_NPROCESSORS_ONLN), tsc_per_ns);
	if (opt_cpu >= 0)
		printf("pinned:   every process on CPU %d (but the pinned rows)\n",
		       opt_cpu);
	printf("pinned rows: tracer, supervisor or pipe echo on CPU %d; the tracee\n"
	       "          on CPU %d (\"1 CPU\") or CPU %d (\"2 CPUs\")\n",
	       TRACER_CPU, TRACER_CPU, TRACER_CPU + 1);
	printf("method:   %d repetitions of N=%ld calls (native x64, SIGSYS x4) after a warm-up;\n",
	       opt_reps, opt_n);
	printf("          median and min..max; stops counted, return values checked\n");
	printf("PTRACE_SYSVM: %s (probe ptrace(PTRACE_SYSVM, pid, ~0UL, 0) = %s)\n",
	       sysvm_supported == 1 ? "supported" : "not supported",
	       strerror(sysvm_probe_errno));
	if (opt_qemu && !strcmp(opt_qemu, "icount"))
		printf("NOTE:     QEMU TCG -icount shift=0: the clock counts guest instructions,\n"
		       "          1 ns = 1 instruction: ns/call is instructions per call\n"
		       "          (deterministic; no cache, TLB or context-switch cost in it)\n");
	else if (opt_qemu && !strcmp(opt_qemu, "tcg"))
		printf("NOTE:     QEMU TCG (emulated CPU): absolute times are emulation times,\n"
		       "          only the ratios mean anything\n");
	else if (opt_qemu || hyp)
		printf("NOTE:     running under a hypervisor%s%s: absolute times include\n"
		       "          virtualisation costs; compare ratios\n",
		       opt_qemu ? ", qemu-mode=" : "", opt_qemu ? opt_qemu : "");

	run_all();
	print_micro_table(csv, label, u.release);
	print_targets(csv, label, u.release);

	if (opt_files > 0 && (!opt_only || selected("workload"))) {
		snprintf(tmp, sizeof(tmp), "%s/sysvm_bench.XXXXXX", opt_dir);
		if (!mkdtemp(tmp)) {
			printf("workload: mkdtemp in %s: %s\n", opt_dir,
			       strerror(errno));
		} else {
			run_workload(tmp);
			remove_tree(AT_FDCWD, tmp);
			print_workload_table(csv, label, u.release);
		}
	}
	if (csv && csv != stdout)
		fclose(csv);
	printf("\ntotal time: %.1f s\n", (now_ns() - t0) / 1e9);
	return 0;
}

#else /* !__x86_64__ */

int main(void)
{
	printf("sysvm_bench: x86-64 only\n");
	return 4;	/* KSFT_SKIP */
}

#endif /* __x86_64__ */
