/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the PTRACE_SYSEMU and PTRACE_SYSVM selftests share: system call
 * numbers, raw system call stubs for the x86 entry instructions, probes
 * (PTRACE_SYSVM, and each entry method), a seccomp filter builder, and
 * the stop walker.
 *
 * The walker forks a tracee that makes a list of system calls (struct
 * call) and takes it through a table of the stops the tracer must see
 * (struct step, one row per stop: the stop, the request made there and
 * what the tracer does around it). It checks each stop through the wait
 * status, PTRACE_GETEVENTMSG and PTRACE_GET_SYSCALL_INFO (and on x86 the
 * registers), and at the end what each call returned to the tracee and
 * how many bytes write() put into a pipe. A mismatch names its row.
 */
#ifndef SYSVM_COMMON_H
#define SYSVM_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/ptrace.h>
#include <linux/seccomp.h>

#include "../kselftest_harness.h"

#ifndef PTRACE_SYSVM
#define PTRACE_SYSVM		0x4213
#define PTRACE_VM_SKIPCALL	0x1
#define PTRACE_VM_SKIPEXIT	0x2
#endif

#if defined(__x86_64__) || defined(__i386)
#define SYSVM_X86		1
#include <sys/user.h>
#endif
#if defined(SYSVM_X86) && !defined(__x86_64__)
#define SYSVM_I386		1
#else
#define SYSVM_I386		0
#endif

/* The error of a system call that does not exist, without the word */
#define ERR_NOSYS		(-(E ## NOSYS))
#define ERESTARTSYS		512	/* kernel-internal, seen at exit stops */

#define SKIPCALL		PTRACE_VM_SKIPCALL
#define SKIPEXIT		PTRACE_VM_SKIPEXIT
#define BOTH			(SKIPCALL | SKIPEXIT)
#define SYSVM			PTRACE_SYSVM
#define SYSCALL			PTRACE_SYSCALL
#define HIGHBIT			(1UL << (sizeof(long) * 8 - 1))
#define TRACE_DATA		0x5a	/* SECCOMP_RET_DATA of RET_TRACE rules */
#define EXEC_MARK		"SYSVM_SELFTEST_EXECED"
#define WAIT_TIMEOUT		20	/* seconds for any expected stop */
#define STATUS_SKIPPED_EXIT	7	/* exit status after a skipped exit_group */

/* The system calls a tracee makes, by meaning */
enum sys {
	GETPPID = 1,
	GETPID,
	GETTID,
	WRITE,		/* write(data pipe, "x", 1) */
	READ,		/* read(sync pipe, buf, 1) */
	RAISE,		/* rt_tgsigqueueinfo(self, self, arg, {si_code: code}) */
	FORK,		/* clone(SIGCHLD) */
	VFORK,		/* clone(CLONE_VFORK | SIGCHLD): vfork in its own mm */
	EXECVE,		/* execve("/proc/self/exe") with EXEC_MARK set */
	EXIT_GROUP,
	SIGRETURN,	/* rt_sigreturn of a signal handler (native ABI) */
	OTHER,		/* a call of an exec'd program: any number */
	NR_SYS,
};

static const char * const sys_name[NR_SYS] = {
	"", "getppid", "getpid", "gettid", "write", "read",
	"rt_tgsigqueueinfo", "clone", "clone(CLONE_VFORK)", "execve",
	"exit_group", "rt_sigreturn", "any call",
};

/* How the tracee enters the kernel: fixture variants */
enum method {
	M_LIBC,		/* syscall(3): every architecture; i386: the vDSO */
	M_SYSCALL,	/* x86: syscall (compat mode on i386) */
	M_INT80,	/* x86: int $0x80 */
	M_SYSENTER,	/* i386: sysenter */
	NR_METHODS,
};

static const char * const method_name[NR_METHODS] = {
	"syscall(3)", "the syscall instruction", "int $0x80", "sysenter",
};

#if defined(__x86_64__)
#define ARCH_NATIVE	AUDIT_ARCH_X86_64
#elif SYSVM_I386
#define ARCH_NATIVE	AUDIT_ARCH_I386
#elif defined(__riscv) && __riscv_xlen == 64
#define ARCH_NATIVE	AUDIT_ARCH_RISCV64
#elif defined(__s390__)
#define ARCH_NATIVE	AUDIT_ARCH_S390X
#elif defined(__PPC64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARCH_NATIVE	AUDIT_ARCH_PPC64LE
#elif defined(__loongarch__) && __loongarch_grlen == 64
#define ARCH_NATIVE	AUDIT_ARCH_LOONGARCH64
#else
#error "not a 64-bit architecture with the generic entry code"
#endif

/* int $0x80 from a 64-bit process takes the ia32 ABI */
#define is_ia32(method)		(!SYSVM_I386 && (method) == M_INT80)

static inline long sys_nr(int method, int sys)
{
	static const long nr[NR_SYS] = {
		[GETPPID] = __NR_getppid, [GETPID] = __NR_getpid,
		[GETTID] = __NR_gettid, [WRITE] = __NR_write,
		[READ] = __NR_read, [RAISE] = __NR_rt_tgsigqueueinfo,
		[FORK] = __NR_clone, [VFORK] = __NR_clone,
		[EXECVE] = __NR_execve, [EXIT_GROUP] = __NR_exit_group,
		[SIGRETURN] = __NR_rt_sigreturn, [OTHER] = -1,
	};
	/* arch/x86/entry/syscalls/syscall_32.tbl */
	static const long nr_ia32[NR_SYS] = {
		[GETPPID] = 64, [GETPID] = 20, [GETTID] = 224, [WRITE] = 4,
		[READ] = 3, [RAISE] = 335, [FORK] = 120, [VFORK] = 120,
		[EXECVE] = 11, [EXIT_GROUP] = 252, [OTHER] = -1,
	};

	return sys != SIGRETURN && is_ia32(method) ? nr_ia32[sys] : nr[sys];
}

static inline unsigned int sys_arch(int method, int sys)
{
	if (sys == SIGRETURN || sys == OTHER || !is_ia32(method))
		return ARCH_NATIVE;
	return AUDIT_ARCH_I386;
}

/*
 * What a call the kernel did not execute returns when the tracer wrote
 * nothing: the return register as the entry code left it (s390: gpr2,
 * the number). powerpc: syscall_get_error(), 0 (after scv, the first
 * argument if it is an error value: no call here passes one).
 */
static inline long skipped_value(long nr)
{
#if defined(__s390__)
	return nr;
#elif defined(__powerpc__)
	return 0;
#else
	return ERR_NOSYS;
#endif
}

static inline long sys_ptrace(long request, pid_t pid, unsigned long addr,
			      unsigned long data)
{
	return syscall(__NR_ptrace, request, pid, addr, data);
}

#define MAX_CALLS	12
#define MAX_STEPS	40
#define MAX_KIDS	4

/* Shared with the tracee; below 4 GiB for int $0x80 on x86-64 */
struct shm {
	long ret[MAX_CALLS];	/* what each call returned to the tracee */
	unsigned long ip;	/* x86: the IP after the last entry insn */
	int hits;		/* runs of the SIGUSR1 handler */
	char buf[4];
	char path[16], env[32];
	unsigned long argv[2], envp[2];
	unsigned int argv32[2], envp32[2];
	siginfo_t si;
};

/* ------------------------------------------------------------------ */
/* x86 entry instructions; the IP after each goes to shm->ip first */

#ifdef __x86_64__
static inline long x86_call(struct shm *shm, int method, long nr,
			    const long *a)
{
	register long r10 __asm__("r10") = a[3];
	long ret = nr;

	if (method == M_SYSCALL) {
		__asm__ volatile("lea 1f(%%rip), %%r11\n\t"
				 "mov %%r11, %[ip]\n\t"
				 "syscall\n"
				 "1:\tnop"
				 : "+a" (ret), [ip] "=m" (shm->ip)
				 : "D" (a[0]), "S" (a[1]), "d" (a[2]), "r" (r10)
				 : "rcx", "r11", "memory");
		return ret;
	}
	__asm__ volatile("lea 1f(%%rip), %%r11\n\t"
			 "mov %%r11, %[ip]\n\t"
			 "int $0x80\n"
			 "1:\tnop"
			 : "+a" (ret), [ip] "=m" (shm->ip)
			 : "b" (a[0]), "c" (a[1]), "d" (a[2]), "S" (a[3])
			 : "r8", "r9", "r10", "r11", "memory");
	return (int)ret;
}
#elif SYSVM_I386
/*
 * sysenter and compat-mode syscall return to the vDSO's landing pad,
 * which pops ebp, edx and ecx and returns: FAST32 builds that frame, as
 * __kernel_vsyscall does. Their stops report the landing pad's IP.
 */
#define FAST32(ebp, insn)						\
	"push %%ebp\n\tcall 1f\n\tjmp 2f\n"				\
	"1:\tpush %%ecx\n\tpush %%edx\n\tpush %%ebp\n\t"		\
	"mov " ebp ", %%ebp\n\t" insn "\n\tud2\n2:\tpop %%ebp"

static inline long x86_call(struct shm *shm, int method, long nr,
			    const long *a)
{
	long ret = nr;

	if (method == M_INT80)
		__asm__ volatile("call 0f\n"
				 "0:\taddl $1f - 0b, (%%esp)\n\t"
				 "popl %[ip]\n\t"
				 "int $0x80\n"
				 "1:\tnop"
				 : "+a" (ret), [ip] "=m" (shm->ip)
				 : "b" (a[0]), "c" (a[1]), "d" (a[2]), "S" (a[3])
				 : "memory");
	else if (method == M_SYSCALL)
		__asm__ volatile(FAST32("%%ecx", "syscall") : "+a" (ret)
				 : "b" (a[0]), "c" (a[1]), "d" (a[2]), "S" (a[3])
				 : "memory");
	else
		__asm__ volatile(FAST32("%%esp", "sysenter") : "+a" (ret)
				 : "b" (a[0]), "c" (a[1]), "d" (a[2]), "S" (a[3])
				 : "memory");
	return ret;
}
#endif

/* The arguments of clone(@flags) for FORK and VFORK */
static inline void clone_args(long *a, long flags)
{
#ifdef __s390__
	a[0] = 0;	/* clone(stack, flags, ...) */
	a[1] = flags;
#else
	a[0] = flags;
#endif
}

/* System call @sys through @method; an error as -errno */
static inline long do_call(struct shm *shm, int method, int sys,
			   const long *a)
{
	long ret;

#ifdef SYSVM_X86
	if (method != M_LIBC)
		return x86_call(shm, method, sys_nr(method, sys), a);
#endif
	ret = syscall(sys_nr(method, sys), a[0], a[1], a[2], a[3]);
	return ret == -1 ? -errno : ret;
}

/* ------------------------------------------------------------------ */
/* Probes: once per program, before the harness forks the tests */

enum { PROBE_OK, PROBE_ABSENT, PROBE_BROKEN };

static int sysvm_state = PROBE_BROKEN;
static int method_state[NR_METHODS];
static char method_why[NR_METHODS][96];

static inline void kill_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
		;
}

/*
 * PTRACE_SYSVM at any stop with unknown flag bits: EINVAL where it is
 * implemented, EIO (an unknown request) where it is not.
 */
static inline int probe_sysvm(void)
{
	int status, err;
	pid_t pid = fork();

	if (!pid) {
		sys_ptrace(PTRACE_TRACEME, 0, 0, 0);
		kill(getpid(), SIGSTOP);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return PROBE_BROKEN;
	err = sys_ptrace(PTRACE_SYSVM, pid, ~0UL, 0) ? errno : 0;
	kill_reap(pid);
	return err == EINVAL ? PROBE_OK : err == EIO ? PROBE_ABSENT :
	       PROBE_BROKEN;
}

/*
 * getpid() through @m in a child, untraced, then traced by PTRACE_SYSCALL.
 * A fault (SIGSEGV, SIGILL: no ia32 emulation, an instruction this CPU
 * lacks) means the method is absent; a wrong value or stop, broken.
 */
static inline int probe_method(int m, char *why, size_t len)
{
	static struct shm shm;
	struct ptrace_syscall_info info;
	long a[4] = { 0 };
	int status, sig, i;
	pid_t pid = fork();

	if (!pid) {
		if (do_call(&shm, m, GETPID, a) != getpid())
			_exit(1);
		sys_ptrace(PTRACE_TRACEME, 0, 0, 0);
		kill(getpid(), SIGSTOP);
		_exit(do_call(&shm, m, GETPID, a) == getpid() ? 0 : 2);
	}
	for (i = 0; pid > 0 && waitpid(pid, &status, 0) == pid; i++) {
		sig = WIFSIGNALED(status) ? WTERMSIG(status) :
		      WIFSTOPPED(status) ? WSTOPSIG(status) & 0x7f : 0;
		if (sig && sig != SIGSTOP && sig != SIGTRAP) {
			kill_reap(pid);
			snprintf(why, len, "%s raises %s here", method_name[m],
				 strsignal(sig));
			return PROBE_ABSENT;
		}
		memset(&info, 0, sizeof(info));
		sys_ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info),
			   (unsigned long)&info);
		if (WIFEXITED(status) ||
		    (i == 1 && (long)info.entry.nr != sys_nr(m, GETPID)) ||
		    (i == 2 && info.exit.rval != pid))
			break;
		sys_ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD);
		sys_ptrace(i < 2 ? PTRACE_SYSCALL : PTRACE_CONT, pid, 0, 0);
	}
	if (i == 3 && WIFEXITED(status) && !WEXITSTATUS(status))
		return PROBE_OK;
	if (pid > 0 && !WIFEXITED(status))
		kill_reap(pid);
	snprintf(why, len, "getpid() through %s: wrong at stop %d (%#x)",
		 method_name[m], i, status);
	return PROBE_BROKEN;
}

static void __attribute__((constructor)) sysvm_probe_all(void)
{
	int m;

	/* An exec'd tracee let run by a broken kernel: out */
	if (getenv(EXEC_MARK))
		_exit(0);
	sysvm_state = probe_sysvm();
	for (m = 0; m < NR_METHODS; m++) {
		method_state[m] = PROBE_ABSENT;
		snprintf(method_why[m], sizeof(method_why[m]),
			 "%s: not here", method_name[m]);
#ifndef SYSVM_X86
		if (m != M_LIBC)
			continue;
#elif defined(__x86_64__)
		if (m == M_SYSENTER)
			continue;
#endif
		method_state[m] = probe_method(m, method_why[m],
					       sizeof(method_why[m]));
	}
}

/* The probes' verdict for a test: false and SKIP, or FAIL if broken */
static inline bool have_sysvm(struct __test_metadata *_metadata)
{
	EXPECT_NE(PROBE_BROKEN, sysvm_state)
		TH_LOG("PTRACE_SYSVM at a stop: neither EINVAL nor EIO");
	if (sysvm_state == PROBE_ABSENT)
		SKIP(return false, "PTRACE_SYSVM not supported (EIO)");
	return sysvm_state == PROBE_OK;
}

/* ------------------------------------------------------------------ */
/* Seccomp filters */

/* Return @ret for @sys, if its first argument is @arg0 (or ANY_ARG) */
struct rule {
	int sys;
	long arg0;
	unsigned int ret;
};

#define ANY_ARG		(-0x7fffffffL)
#define MAX_RULES	4
#define LD_ABS(field)	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, field)
#define LD_NR		LD_ABS(offsetof(struct seccomp_data, nr))
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ARG0_LOW	(offsetof(struct seccomp_data, args[0]) + 4)
#else
#define ARG0_LOW	offsetof(struct seccomp_data, args[0])
#endif

/*
 * Install the rules for @method's ABI in the calling process: per rule
 * five instructions (nr, arg0, return, nr again). Returns what
 * seccomp(2) does: a listener fd with SECCOMP_FILTER_FLAG_NEW_LISTENER.
 */
static inline int install_filter(const struct rule *r, int method,
				 unsigned int flags)
{
	struct sock_filter f[3 + 5 * MAX_RULES + 1] = {
		LD_ABS(offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, sys_arch(method, GETPID),
			 0, 5 * MAX_RULES + 1),
		LD_NR,
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(f), .filter = f };
	struct sock_filter ja0 = BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0);
	struct sock_filter ld_arg = LD_ABS(ARG0_LOW), ld_nr = LD_NR;
	struct sock_filter *p = f + 3;
	int i;

	for (i = 0; i < MAX_RULES; i++, p += 5) {
		struct sock_filter jeq_nr = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			r[i].sys ? sys_nr(method, r[i].sys) : -1, 0, 4);
		struct sock_filter jeq_arg = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      r[i].arg0, 0, 1);
		struct sock_filter ret = BPF_STMT(BPF_RET | BPF_K, r[i].ret);

		p[0] = jeq_nr;
		p[1] = ld_arg;
		p[2] = r[i].arg0 == ANY_ARG ? ja0 : jeq_arg;
		p[3] = ret;
		p[4] = ld_nr;
	}
	p->code = BPF_RET | BPF_K;
	p->k = SECCOMP_RET_ALLOW;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* ------------------------------------------------------------------ */
/* The stop walker */

enum stop {
	END,
	ENTRY,		/* syscall-entry stop (PTRACE_SYSEMU stops too) */
	EXIT,		/* syscall-exit stop; .rval: the return value */
	SECCOMP,	/* PTRACE_EVENT_SECCOMP stop */
	SIG,		/* signal-delivery stop, what: the signal */
	TRAP,		/* x86: single-step SIGTRAP, what: its si_code */
	GSTOP,		/* group-stop (PTRACE_EVENT_STOP), what: the signal */
	EVENT,		/* other PTRACE_EVENT_* stop, what: EV_* */
	RUNNING,	/* no stop: the tracee runs or sleeps */
	EXITED,		/* what: exit status */
	KILLED,		/* what: signal */
};

static const char * const stop_name[] = {
	"end", "syscall-entry", "syscall-exit", "seccomp", "signal-delivery",
	"single-step", "group", "event", "running", "exited", "killed",
};

#define EV_FORK		PTRACE_EVENT_FORK
#define EV_VFORK	PTRACE_EVENT_VFORK
#define EV_VDONE	PTRACE_EVENT_VFORK_DONE
#define EV_EXEC		PTRACE_EVENT_EXEC
#define EV_EXIT		PTRACE_EVENT_EXIT

/* Pseudo requests */
#define NOREQ		(-1)	/* stay in the stop */
#define BY_CHILD	(-2)	/* PTRACE_SYSVM from a child of the tracer */
#define BY_THREAD	(-3)	/* PTRACE_SYSVM from another tracer thread */

/* Values of .rval, .set and struct call.want */
#define V_REAL		(-0x70000001L)	/* what the call really returns */
#define V_SKIPPED	(-0x70000002L)	/* see skipped_value() */
#define V_NOTRUN	(-0x70000003L)	/* never returned */
#define V_PID		(-0x70000004L)	/* the tracee's pid */
#define V_PPID		(-0x70000005L)	/* the tracer's pid */
#define V_NR(sys)	(-0x70001000L - (sys))	/* the call's number */

/* What the tracer does at a stop besides writing .set */
enum act {
	A_SIGUSR1 = 1,	/* after the request: SIGUSR1 to the tracee */
	A_FILL,		/* after the request: a byte into the sync pipe */
	A_KILL,		/* after the request: SIGKILL the tracee */
	A_REATTACH,	/* after the request (a detach): PTRACE_SEIZE again */
	A_SI,		/* PTRACE_SETSIGINFO with si_code .set */
	A_ARG0,		/* PTRACE_SET_SYSCALL_INFO with args[0] .set */
	A_REWIND,	/* x86: IP back to the entry insn, its call .set */
	A_KILLKID,	/* SIGKILL the child of the last fork event, reap it */
	A_RELEASE,	/* detach that child (after its first stop) */
	A_QUEUE,	/* SIGUSR1 to the tracee: it must stay stopped */
	A_BADSIG,	/* every resume request with a bad signal: EIO */
};

struct step {
	int stop, what;
	long req;		/* the resume request made at this stop */
	unsigned long flags;	/* its addr: PTRACE_VM_* flags */
	long sig;		/* its data */
	int err;		/* it must fail so: the next row is this stop */
	long set;		/* the return value written first */
	long rval;		/* EXIT: return value; x86: AX elsewhere */
	int act;
	int ip;			/* x86: IP_* */
};

/* x86 IPs: after the entry insn, one insn later, at it, body label k */
enum { IP_SC = 1, IP_SC2, IP_INSN, IP_L0 };

struct call {
	int sys;
	long arg;		/* exit status, signal, a filtered value */
	long code;		/* RAISE: si_code (0: SI_QUEUE) */
	long want;		/* what the tracee must see */
};

struct tracee;

struct scenario {
	unsigned int opts;	/* PTRACE_O_* besides EXITKILL, TRACESYSGOOD */
	struct rule filter[MAX_RULES];	/* the tracee's seccomp filter */
	unsigned int filter_flags;
	int pipe_bytes;		/* bytes write() must put into the pipe */
	int hits;		/* runs of a SIGUSR1 handler (0: none) */
	void (*body)(struct tracee *t);	/* instead of prog */
	const int *labels;	/* x86: offset of body's label k */
	struct call prog[MAX_CALLS];
	struct step steps[MAX_STEPS];
};

struct tracee {
	int method;
	bool sysgood;
	bool as_syscall;	/* make SYSVM rows PTRACE_SYSCALL requests */
	pid_t pid;		/* 0 once it is gone */
	pid_t tracee;
	int nkids;
	pid_t kids[MAX_KIDS];	/* children, from fork event stops */
	int data[2], sync[2], go[2];
	unsigned long opts;
	unsigned long pad;	/* i386: the vDSO landing pad seen */
	struct shm *shm;
	const struct scenario *sc;
	const struct step *st;	/* the row being walked */
	int n, err;
};

#define STEP_LOG(fmt, ...)						\
	TH_LOG("step #%d (%s stop): " fmt, t->n, stop_name[t->st->stop],	\
	       ##__VA_ARGS__)

/* For a fixture's setup: SKIP if @method is absent, FAIL if broken */
static inline void setup_tracee(struct __test_metadata *_metadata,
				struct tracee *t, int method, bool sysgood)
{
	memset(t, 0, sizeof(*t));
	t->method = method;
	t->sysgood = sysgood;
	ASSERT_NE(PROBE_BROKEN, method_state[method])
		TH_LOG("%s", method_why[method]);
	if (method_state[method] == PROBE_ABSENT)
		SKIP(return, "%s", method_why[method]);
}

static inline bool is_err(long v)
{
	return v < 0 && v >= -4095;
}

/* @v as a value, for call @sys, the @kid-th that makes a child */
static inline long resolve(struct tracee *t, long v, int sys, int kid)
{
	if (v == V_SKIPPED)
		return skipped_value(sys_nr(t->method, sys));
	if (v == V_PID || (v == V_REAL && (sys == GETPID || sys == GETTID)))
		return t->tracee;
	if (v == V_PPID || (v == V_REAL && sys == GETPPID))
		return getpid();
	if (v == V_REAL && (sys == WRITE || sys == READ))
		return 1;
	if (v == V_REAL && (sys == FORK || sys == VFORK))
		return kid >= 0 && kid < t->nkids ? t->kids[kid] : -1;
	if (v <= V_NR(0) && v > V_NR(NR_SYS))
		return sys_nr(t->method, V_NR(0) - v);
	return v == V_REAL ? 0 : v;
}

static struct shm *handler_shm;

static inline void on_usr1(int sig, siginfo_t *si, void *uc)
{
	handler_shm->hits++;
}

/* The tracee: wait to be seized, stop, make the calls, exit */
static inline void tracee_main(struct tracee *t)
{
	struct sigaction sa = { .sa_flags = SA_SIGINFO };
	const struct scenario *sc = t->sc;
	struct shm *shm = t->shm;
	bool ia32 = is_ia32(t->method);
	pid_t pid = getpid();
	long a[4];
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (read(t->go[0], shm->buf, 1) != 1)
		_exit(95);
	handler_shm = shm;
	sa.sa_sigaction = on_usr1;
	/* SIGCHLD ignored: children reaped at once, no stop for it */
	if ((sc->hits && sigaction(SIGUSR1, &sa, NULL)) ||
	    signal(SIGCHLD, SIG_IGN) == SIG_ERR ||
	    (sc->filter[0].sys &&
	     install_filter(sc->filter, t->method, sc->filter_flags) < 0))
		_exit(96);
	syscall(__NR_kill, pid, SIGSTOP);
	if (sc->body)
		sc->body(t);
	for (i = 0; !sc->body && i < MAX_CALLS && sc->prog[i].sys; i++) {
		const struct call *c = &sc->prog[i];

		memset(a, 0, sizeof(a));
		a[0] = c->arg;
		if (c->sys == WRITE || c->sys == READ) {
			a[0] = c->sys == WRITE ? t->data[1] : t->sync[0];
			a[1] = (long)shm->buf;
			a[2] = 1;
		} else if (c->sys == RAISE) {
			shm->si.si_signo = c->arg;
			shm->si.si_code = c->code ? c->code : SI_QUEUE;
			a[0] = pid;
			a[1] = pid;
			a[2] = c->arg;
			a[3] = (long)&shm->si;
		} else if (c->sys == FORK || c->sys == VFORK) {
			clone_args(a, SIGCHLD |
				   (c->sys == VFORK ? CLONE_VFORK : 0));
		} else if (c->sys == EXECVE) {
			a[0] = (long)shm->path;
			a[1] = ia32 ? (long)shm->argv32 : (long)shm->argv;
			a[2] = ia32 ? (long)shm->envp32 : (long)shm->envp;
		}
		shm->ret[i] = do_call(shm, t->method, c->sys, a);
		if ((c->sys == FORK || c->sys == VFORK) && !shm->ret[i])
			_exit(0);
	}
	memset(a, 0, sizeof(a));
	do_call(shm, t->method, EXIT_GROUP, a);
	_exit(STATUS_SKIPPED_EXIT);
}

static inline void no_op(int sig)
{
}

/* waitpid() that gives up after WAIT_TIMEOUT seconds (EINTR) */
static inline pid_t wait_for(pid_t pid, int *status)
{
	struct sigaction sa = { .sa_handler = no_op };
	pid_t ret;

	sigaction(SIGALRM, &sa, NULL);
	alarm(WAIT_TIMEOUT);
	ret = waitpid(pid, status, __WALL);
	alarm(0);
	return ret;
}

/* PTRACE_SYSVM(step) by a child or another thread of the tracer */
static inline void *sysvm_thread(void *p)
{
	struct tracee *t = p;

	t->err = sys_ptrace(PTRACE_SYSVM, t->pid, t->st->flags, 0) ? errno : 0;
	return NULL;
}

static inline int sysvm_elsewhere(struct tracee *t)
{
	pthread_t th;
	int status;
	pid_t child;

	t->err = -1;
	if (t->st->req == BY_THREAD)
		return pthread_create(&th, NULL, sysvm_thread, t) ||
		       pthread_join(th, NULL) ? -1 : t->err;
	child = fork();
	if (!child) {
		sysvm_thread(t);
		_exit(t->err);
	}
	if (child < 0 || waitpid(child, &status, 0) != child)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* What is seen of a stopped tracee: a failed request changes none */
struct snap {
	struct ptrace_syscall_info info;
#ifdef SYSVM_X86
	struct user_regs_struct regs;
#endif
};

static inline void snap(struct tracee *t, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	sys_ptrace(PTRACE_GET_SYSCALL_INFO, t->pid, sizeof(s->info),
		   (unsigned long)&s->info);
#ifdef SYSVM_X86
	sys_ptrace(PTRACE_GETREGS, t->pid, 0, (unsigned long)&s->regs);
#endif
}

static inline void check_same(struct __test_metadata *_metadata,
			      struct tracee *t, const struct snap *before)
{
	struct snap now;
	int status;

	ASSERT_EQ(0, waitpid(t->pid, &status, __WALL | WNOHANG))
		STEP_LOG("a failed request resumed the tracee (%#x)", status);
	snap(t, &now);
	ASSERT_EQ(0, memcmp(&now, before, sizeof(now)))
		STEP_LOG("a failed request changed the tracee's registers");
}

/* Every resume request with an invalid signal: EIO, nothing changes */
static inline void bad_signals(struct __test_metadata *_metadata,
			       struct tracee *t)
{
	static const long reqs[][2] = {
		{ PTRACE_SYSCALL, 0 }, { PTRACE_CONT, 0 }, { PTRACE_DETACH, 0 },
		{ PTRACE_SYSVM, 0 }, { PTRACE_SYSVM, BOTH }, { PTRACE_SYSVM, -1 },
#ifdef PTRACE_SYSEMU
		{ PTRACE_SYSEMU, 0 }, { PTRACE_SYSEMU_SINGLESTEP, 0 },
#endif
#ifdef SYSVM_X86
		{ PTRACE_SINGLESTEP, 0 },
#endif
	};
	static const unsigned long sigs[] = { 65, 0x1000, -1UL };
	struct snap before;
	unsigned int i, j;

	snap(t, &before);
	for (i = 0; i < ARRAY_SIZE(reqs) * ARRAY_SIZE(sigs); i++) {
		j = i % ARRAY_SIZE(sigs);
		errno = 0;
		ASSERT_TRUE(sys_ptrace(reqs[i / 3][0], t->pid, reqs[i / 3][1],
				       sigs[j]) == -1 && errno == EIO)
			STEP_LOG("ptrace(%#lx, flags %#lx) with signal %#lx: %m",
				 reqs[i / 3][0], reqs[i / 3][1], sigs[j]);
	}
	check_same(_metadata, t, &before);
}

#ifdef SYSVM_X86
#ifdef __x86_64__
#define R_IP(r)		((r).rip)
#define R_AX(r)		((r).rax)
#define R_ORIG(r)	((r).orig_rax)
#define OFF_AX		offsetof(struct user, regs.rax)
#define LOWMEM		MAP_32BIT
#else
#define R_IP(r)		((r).eip)
#define R_AX(r)		((r).eax)
#define R_ORIG(r)	((r).orig_eax)
#define OFF_AX		offsetof(struct user, regs.eax)
#define LOWMEM		0
#endif

/* i386 fast entries return through the vDSO landing pad */
#define landing(method)		(SYSVM_I386 && (method) != M_INT80)

/* x86: the number, AX and the IP in the registers */
static inline void check_x86(struct __test_metadata *_metadata,
			     struct tracee *t)
{
	const struct step *st = t->st;
	bool sc = st->stop == ENTRY || st->stop == EXIT || st->stop == SECCOMP;
	const int off[] = { 0, 0, 1, -2 };
	struct user_regs_struct r;
	long want, ip;

	ASSERT_EQ(0, sys_ptrace(PTRACE_GETREGS, t->pid, 0, (unsigned long)&r))
		STEP_LOG("PTRACE_GETREGS: %m");
	if (sc && st->what != OTHER) {
		want = st->stop == EXIT && st->what == SIGRETURN ? -1 :
		       sys_nr(t->method, st->what);
		ASSERT_EQ(want, (long)R_ORIG(r))
			STEP_LOG("orig_ax %ld, want %s", (long)R_ORIG(r),
				 sys_name[st->what]);
	}
	if (sc || (st->rval && st->stop != EVENT)) {
		want = sc && st->stop != EXIT ? ERR_NOSYS :
		       resolve(t, st->rval, sc ? st->what : 0, t->nkids - 1);
		ASSERT_EQ(want, (long)R_AX(r)) STEP_LOG("ax %ld", (long)R_AX(r));
	}
	if (!st->ip)
		return;
	ASSERT_TRUE(landing(t->method) || t->method != M_LIBC)
		STEP_LOG("bad table: no known IP for syscall(3)");
	ip = st->ip < IP_L0 ? off[st->ip] : t->sc->labels[st->ip - IP_L0];
	/* First seen, the landing pad must follow "int $0x80" in the vDSO */
	if (landing(t->method) && !t->pad) {
		t->pad = R_IP(r) - ip;
		want = getauxval(AT_SYSINFO_EHDR);
		ASSERT_TRUE(t->pad >= want && t->pad < want + 0x4000 &&
			    !sys_ptrace(PTRACE_PEEKTEXT, t->pid, t->pad - 2,
					(unsigned long)&want) &&
			    (want & 0xffffff) == 0x5d80cd)
			STEP_LOG("ip %#lx: not the vDSO landing pad", t->pad);
	}
	ip += landing(t->method) ? t->pad : t->shm->ip;
	ASSERT_EQ(ip, (long)R_IP(r))
		STEP_LOG("ip %#lx, want %#lx", (long)R_IP(r), ip);
}
#else
#define LOWMEM		0
#endif

static inline void check_syscall_stop(struct __test_metadata *_metadata,
				      struct tracee *t, int status,
				      const struct ptrace_syscall_info *info,
				      unsigned long msg)
{
	const struct step *st = t->st;
	int sys = st->what, op = PTRACE_SYSCALL_INFO_SECCOMP;
	long nr = sys_nr(t->method, sys), want;

	if (st->stop == SECCOMP) {
		ASSERT_EQ(SIGTRAP | PTRACE_EVENT_SECCOMP << 8, status >> 8)
			STEP_LOG("wait status %#x", status);
		ASSERT_EQ(TRACE_DATA, msg) STEP_LOG("event message %lu", msg);
		ASSERT_EQ(TRACE_DATA, info->seccomp.ret_data);
	} else {
		ASSERT_EQ(t->sysgood ? SIGTRAP | 0x80 : SIGTRAP, status >> 8)
			STEP_LOG("wait status %#x", status);
		ASSERT_EQ(st->stop == ENTRY ? PTRACE_EVENTMSG_SYSCALL_ENTRY :
			  PTRACE_EVENTMSG_SYSCALL_EXIT, msg)
			STEP_LOG("event message %lu: the other syscall stop", msg);
		op = !t->sysgood ? PTRACE_SYSCALL_INFO_NONE :
		     st->stop == ENTRY ? PTRACE_SYSCALL_INFO_ENTRY :
		     PTRACE_SYSCALL_INFO_EXIT;
	}
	ASSERT_EQ(op, info->op) STEP_LOG("PTRACE_GET_SYSCALL_INFO op");
	if (op == PTRACE_SYSCALL_INFO_NONE)
		return;
	ASSERT_EQ(sys_arch(t->method, sys), info->arch)
		STEP_LOG("arch %#x", info->arch);
	/* entry.nr and seccomp.nr are one field */
	if (op != PTRACE_SYSCALL_INFO_EXIT && sys != OTHER)
		ASSERT_EQ(nr, (long)info->entry.nr)
			STEP_LOG("nr %lld, want %s", (long long)info->entry.nr,
				 sys_name[sys]);
	if (op != PTRACE_SYSCALL_INFO_EXIT)
		return;
	want = resolve(t, st->rval, sys, t->nkids - 1);
	ASSERT_EQ(want, (long)info->exit.rval)
		STEP_LOG("%s returns %lld", sys_name[sys],
			 (long long)info->exit.rval);
	ASSERT_EQ(is_err(want), info->exit.is_error);
}

/* Is this stop the one the row expects? */
static inline void check_stop(struct __test_metadata *_metadata,
			      struct tracee *t, int status)
{
	const struct step *st = t->st;
	struct ptrace_syscall_info info;
	unsigned long msg = 0;
	siginfo_t si;

	if (st->stop == EXITED || st->stop == KILLED) {
		ASSERT_TRUE(st->stop == EXITED ? WIFEXITED(status) :
			    WIFSIGNALED(status))
			STEP_LOG("wait status %#x", status);
		ASSERT_EQ(st->what, st->stop == EXITED ? WEXITSTATUS(status) :
			  WTERMSIG(status)) STEP_LOG("wait status %#x", status);
		t->pid = 0;
		return;
	}
	ASSERT_TRUE(WIFSTOPPED(status)) STEP_LOG("wait status %#x", status);
	memset(&info, 0, sizeof(info));
	ASSERT_LT(0, sys_ptrace(PTRACE_GET_SYSCALL_INFO, t->pid, sizeof(info),
				(unsigned long)&info))
		STEP_LOG("PTRACE_GET_SYSCALL_INFO: %m");
	ASSERT_EQ(0, sys_ptrace(PTRACE_GETEVENTMSG, t->pid, 0,
				(unsigned long)&msg));
	switch (st->stop) {
	case SIG:
	case TRAP:
		ASSERT_EQ(st->stop == SIG ? st->what : SIGTRAP, status >> 8)
			STEP_LOG("wait status %#x", status);
		ASSERT_EQ(0, sys_ptrace(PTRACE_GETSIGINFO, t->pid, 0,
					(unsigned long)&si));
		ASSERT_TRUE(st->stop == SIG || si.si_code == st->what)
			STEP_LOG("si_code %d", si.si_code);
		break;
	case GSTOP:
		ASSERT_EQ(st->what | PTRACE_EVENT_STOP << 8, status >> 8)
			STEP_LOG("wait status %#x", status);
		break;
	case EVENT:
		ASSERT_EQ(SIGTRAP | st->what << 8, status >> 8)
			STEP_LOG("wait status %#x", status);
		if (st->what == EV_EXIT || st->what == EV_VDONE)
			ASSERT_EQ(st->what == EV_EXIT ? st->rval :
				  t->kids[t->nkids - 1], msg)
				STEP_LOG("event message %lu", msg);
		if (st->what == EV_FORK || st->what == EV_VFORK) {
			ASSERT_GT(MAX_KIDS, t->nkids);
			t->kids[t->nkids++] = msg;
		}
		break;
	case ENTRY:
	case EXIT:
	case SECCOMP:
		check_syscall_stop(_metadata, t, status, &info, msg);
		break;
	default:
		ASSERT_TRUE(0) STEP_LOG("bad table");
	}
#ifdef SYSVM_X86
	check_x86(_metadata, t);
#endif
}

/* What the tracer does at the stop before the request */
static inline void pre_act(struct __test_metadata *_metadata,
			   struct tracee *t)
{
	const struct step *st = t->st;
	pid_t kid = t->nkids ? t->kids[t->nkids - 1] : -1;
	struct ptrace_syscall_info info;
	long v = resolve(t, st->set, st->what, -1);
	int status;
	siginfo_t si;
#ifdef SYSVM_X86
	struct user_regs_struct r;
#endif

	memset(&info, 0, sizeof(info));
	switch (st->act) {
	case A_SI:
		ASSERT_EQ(0, sys_ptrace(PTRACE_GETSIGINFO, t->pid, 0,
					(unsigned long)&si));
		si.si_code = st->set;
		ASSERT_EQ(0, sys_ptrace(PTRACE_SETSIGINFO, t->pid, 0,
					(unsigned long)&si));
		return;
	case A_ARG0:
		ASSERT_LT(0, sys_ptrace(PTRACE_GET_SYSCALL_INFO, t->pid,
					sizeof(info), (unsigned long)&info));
		info.entry.args[0] = st->set;
		ASSERT_EQ(0, sys_ptrace(PTRACE_SET_SYSCALL_INFO, t->pid,
					sizeof(info), (unsigned long)&info))
			STEP_LOG("PTRACE_SET_SYSCALL_INFO: %m");
		return;
#ifdef SYSVM_X86
	case A_REWIND:
		ASSERT_EQ(0, sys_ptrace(PTRACE_GETREGS, t->pid, 0,
					(unsigned long)&r));
		R_IP(r) -= 2;
		R_ORIG(r) = sys_nr(t->method, st->set);
		R_AX(r) = R_ORIG(r);
		ASSERT_EQ(0, sys_ptrace(PTRACE_SETREGS, t->pid, 0,
					(unsigned long)&r));
		return;
#endif
	case A_KILLKID:
		ASSERT_EQ(0, kill(kid, SIGKILL));
		while (waitpid(kid, &status, __WALL) == kid &&
		       WIFSTOPPED(status))
			;
		break;
	case A_RELEASE:
		ASSERT_EQ(kid, wait_for(kid, &status)) STEP_LOG("child: %m");
		ASSERT_EQ(0, sys_ptrace(PTRACE_DETACH, kid, 0, 0));
		break;
	case A_QUEUE:
		ASSERT_EQ(0, kill(t->pid, SIGUSR1));
		usleep(10000);
		ASSERT_EQ(0, waitpid(t->pid, &status, __WALL | WNOHANG))
			STEP_LOG("a signal sent in the stop ended it");
		break;
	case A_BADSIG:
		bad_signals(_metadata, t);
		break;
	}
	if (!st->set)
		return;
	/* A return value: at exit stops as the ABI says, else in AX */
	if (st->stop == EXIT && t->sysgood) {
		ASSERT_LT(0, sys_ptrace(PTRACE_GET_SYSCALL_INFO, t->pid,
					sizeof(info), (unsigned long)&info));
		info.exit.rval = v;
		info.exit.is_error = is_err(v);
		ASSERT_EQ(0, sys_ptrace(PTRACE_SET_SYSCALL_INFO, t->pid,
					sizeof(info), (unsigned long)&info))
			STEP_LOG("PTRACE_SET_SYSCALL_INFO: %m");
		return;
	}
#ifdef SYSVM_X86
	ASSERT_EQ(0, sys_ptrace(PTRACE_POKEUSR, t->pid, OFF_AX, v))
		STEP_LOG("PTRACE_POKEUSR: %m");
#else
	ASSERT_TRUE(0) STEP_LOG("bad table: no portable way to write it");
#endif
}

/* The request of the row, and what follows it */
static inline void request(struct __test_metadata *_metadata,
			   struct tracee *t, bool *stopped)
{
	const struct step *st = t->st;
	long req = st->req, ret;
	struct snap before;

	if (*stopped)
		snap(t, &before);
	if (t->as_syscall && req == PTRACE_SYSVM) {
		ASSERT_EQ(0, st->flags) STEP_LOG("bad table");
		req = PTRACE_SYSCALL;
	}
	if (req == BY_CHILD || req == BY_THREAD) {
		ASSERT_EQ(st->err, sysvm_elsewhere(t))
			STEP_LOG("PTRACE_SYSVM(%#lx) from another %s", st->flags,
				 req == BY_THREAD ? "thread" : "process");
	} else if (req != NOREQ) {
		errno = 0;
		ret = sys_ptrace(req, t->pid, st->flags, st->sig);
		ASSERT_TRUE(st->err ? ret == -1 && errno == st->err : !ret)
			STEP_LOG("ptrace(%#lx, flags %#lx, signal %ld): %ld, %m",
				 req, st->flags, st->sig, ret);
		*stopped &= !!st->err;
	}
	if (*stopped && req != NOREQ)
		check_same(_metadata, t, &before);
	switch (st->act) {
	case A_SIGUSR1:
		ASSERT_EQ(0, syscall(__NR_tgkill, t->pid, t->pid, SIGUSR1));
		break;
	case A_FILL:
		ASSERT_EQ(1, write(t->sync[1], "s", 1));
		break;
	case A_KILL:
		ASSERT_EQ(0, kill(t->pid, SIGKILL));
		*stopped = false;
		break;
	case A_REATTACH:
		ASSERT_EQ(0, sys_ptrace(PTRACE_SEIZE, t->pid, 0, t->opts))
			STEP_LOG("PTRACE_SEIZE again: %m");
		break;
	}
}

static inline void reap(struct tracee *t)
{
	while (t->pid > 0 && t->nkids > 0)
		kill_reap(t->kids[--t->nkids]);
	if (t->pid > 0)
		kill_reap(t->pid);
	t->pid = 0;
}

/*
 * Fork a tracee for @sc, walk it through the table, check the results.
 * SKIP if a row asks for PTRACE_SYSVM and the kernel has none.
 */
static inline void walk(struct __test_metadata *_metadata, struct tracee *t,
			const struct scenario *sc)
{
	struct shm *shm;
	bool stopped = false, sysvm = false;
	int i, status, kid = 0, bytes = 0;
	char c;

	for (i = 0; sc->steps[i].stop != END; i++)
		sysvm |= sc->steps[i].req == SYSVM || sc->steps[i].req < NOREQ;
	if (sysvm && !t->as_syscall && !have_sysvm(_metadata))
		return;
	t->opts = PTRACE_O_EXITKILL | sc->opts |
		  (t->sysgood ? PTRACE_O_TRACESYSGOOD : 0);
	t->sc = sc;
	t->nkids = 0;
	t->pad = 0;
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | LOWMEM, -1, 0);
	ASSERT_TRUE(shm != MAP_FAILED) TH_LOG("mmap: %m");
	t->shm = shm;
	for (i = 0; i < MAX_CALLS; i++)
		shm->ret[i] = V_NOTRUN;
	snprintf(shm->buf, sizeof(shm->buf), "x");
	snprintf(shm->path, sizeof(shm->path), "/proc/self/exe");
	snprintf(shm->env, sizeof(shm->env), "%s=1", EXEC_MARK);
	shm->argv[0] = (unsigned long)shm->path;
	shm->envp[0] = (unsigned long)shm->env;
	shm->argv32[0] = shm->argv[0];
	shm->envp32[0] = shm->envp[0];
	ASSERT_EQ(0, pipe2(t->data, O_NONBLOCK));
	ASSERT_EQ(0, pipe(t->sync));
	ASSERT_EQ(0, pipe(t->go));
	t->pid = fork();
	ASSERT_LE(0, t->pid) TH_LOG("fork: %m");
	if (!t->pid)
		tracee_main(t);
	t->tracee = t->pid;
	ASSERT_EQ(0, sys_ptrace(PTRACE_SEIZE, t->pid, 0, t->opts))
		TH_LOG("PTRACE_SEIZE: %m");
	ASSERT_EQ(1, write(t->go[1], "g", 1));

	for (t->n = 0; sc->steps[t->n].stop != END; t->n++) {
		t->st = &sc->steps[t->n];
		if (t->st->stop == RUNNING) {
			ASSERT_FALSE(stopped) STEP_LOG("bad table: stopped");
		} else if (!stopped) {
			ASSERT_EQ(t->pid, wait_for(t->pid, &status))
				STEP_LOG("no stop in %d s: %m", WAIT_TIMEOUT);
			check_stop(_metadata, t, status);
			if (!t->pid)
				continue;
			stopped = true;
		}
		pre_act(_metadata, t);
		request(_metadata, t, &stopped);
	}
	ASSERT_EQ(0, t->pid) TH_LOG("the tracee is still there at the end");
	ASSERT_EQ(-1, waitpid(-1, &status, __WALL | WNOHANG))
		TH_LOG("a child is left after the last step");

	for (i = 0; !sc->body && i < MAX_CALLS && sc->prog[i].sys; i++) {
		const struct call *cl = &sc->prog[i];
		long want = resolve(t, cl->want, cl->sys, kid);

		kid += (cl->sys == FORK || cl->sys == VFORK) && cl->want == V_REAL;
		ASSERT_EQ(want, shm->ret[i])
			TH_LOG("call #%d (%s): what the tracee saw", i,
			       sys_name[cl->sys]);
	}
	ASSERT_EQ(sc->hits, shm->hits) TH_LOG("runs of the signal handler");
	while (read(t->data[0], &c, 1) == 1)
		bytes++;
	ASSERT_EQ(sc->pipe_bytes, bytes) TH_LOG("bytes write() put in the pipe");
	for (i = 0; i < 2; i++) {
		close(t->data[i]);
		close(t->sync[i]);
		close(t->go[i]);
	}
	munmap(shm, sizeof(*shm));
}

/*
 * A test that is one table, walked on the fixture's tracee:
 *	WALK_TEST(fixture, name) = { .prog = ..., .steps = ... };
 */
#define WALK_TEST(fixture, name)					\
	static const struct scenario fixture##_##name##_table;		\
	TEST_F(fixture, name)						\
	{								\
		walk(_metadata, &self->t, &fixture##_##name##_table);	\
	}								\
	static const struct scenario fixture##_##name##_table

#endif /* SYSVM_COMMON_H */
