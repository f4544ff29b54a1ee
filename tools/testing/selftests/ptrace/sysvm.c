// SPDX-License-Identifier: GPL-2.0
/*
 * PTRACE_SYSVM: a per-call decision, taken at the syscall-entry stop,
 * to skip the call (PTRACE_VM_SKIPCALL) and/or its exit stop
 * (PTRACE_VM_SKIPEXIT).
 *
 * Every scenario is a table of the stops the tracer must see, one row
 * per stop, with the request the tracer makes there. One loop walks the
 * tracee through the table and checks every stop (wait status, register
 * state, PTRACE_GET_SYSCALL_INFO), then checks what the tracee saw as
 * return values and what reached a pipe. A failing row is named
 * "step #N".
 *
 * After the initial stop the tracee only makes raw system calls (with
 * the entry instruction of the fixture variant: syscall, int $0x80,
 * the vDSO or sysenter), so no C library call adds a stop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/auxvec.h>
#include <linux/elf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "linux/ptrace.h"

#include "../kselftest_harness.h"

/*
 * From <sys/auxv.h>, which brings in glibc's <elf.h>: that clashes with
 * <linux/elf.h>, used here for the ELF image we exec.
 */
unsigned long getauxval(unsigned long type);

#ifndef PTRACE_SYSVM
#define PTRACE_SYSVM		0x4213
#endif
#ifndef PTRACE_VM_SKIPCALL
#define PTRACE_VM_SKIPCALL	0x1
#endif
#ifndef PTRACE_VM_SKIPEXIT
#define PTRACE_VM_SKIPEXIT	0x2
#endif
#ifndef PTRACE_SET_SYSCALL_INFO
#define PTRACE_SET_SYSCALL_INFO	0x4212
#endif
#ifndef PTRACE_SYSEMU
#define PTRACE_SYSEMU		31
#endif
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC		0x0001U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC		0x0010U
#endif
#ifndef ERESTARTSYS
#define ERESTARTSYS		512	/* kernel-internal, seen at exit stops */
#endif
#ifndef fallthrough
#define fallthrough		__attribute__((__fallthrough__))
#endif
#ifndef __WALL
#define __WALL			0x40000000
#endif

/* SECCOMP_RET_DATA of the tracee's SECCOMP_RET_TRACE filters */
#define TRACE_DATA	0x5a

#define SKIPCALL	PTRACE_VM_SKIPCALL
#define SKIPEXIT	PTRACE_VM_SKIPEXIT
#define BOTH		(PTRACE_VM_SKIPCALL | PTRACE_VM_SKIPEXIT)
#define SYSVM		PTRACE_SYSVM

/* Pseudo requests of the "resume" column. */
#define NOREQ		(-1)	/* stay in this stop */
#define BY_CHILD	(-2)	/* PTRACE_SYSVM from a child of the tracer */
#define BY_THREAD	(-3)	/* PTRACE_SYSVM from another tracer thread */

/* x86: what a skipped call returns, and rax at every entry stop */
#define SKIPPED		(-38L)

/* Special values of the "rax" (set), rval and want columns. */
#define KEEP		(-0x10000001L)	/* write nothing */
#define ANY		(-0x10000002L)	/* not checked */
#define REAL		(-0x10000003L)	/* what the call really returns */
#define NOTRUN		(-0x10000004L)	/* the call never returned */
#define POISON		(-0x10000005L)	/* initial value of the results */

/* System calls the tracee makes, by meaning. */
enum sysid {
	GETPPID = 1,
	GETPID,
	WRITE,		/* write(data pipe, "x", 1) */
	READ,		/* read(sync pipe, buf, 1) */
	KILL,		/* kill(getpid(), arg) */
	EXECVE,		/* execve() of a tiny static ELF: getppid; exit_group(42) */
	EXIT_THREAD,	/* exit(arg): ends a thread */
	EXIT_GROUP,	/* exit_group(arg) */
	NR_SYSID,
};

/* Made by the exec'd ELF with the native ABI of this build. */
#define NATIVE		0x100

static const char * const sysname[NR_SYSID] = {
	[GETPPID] = "getppid", [GETPID] = "getpid", [WRITE] = "write",
	[READ] = "read", [KILL] = "kill", [EXECVE] = "execve",
	[EXIT_THREAD] = "exit", [EXIT_GROUP] = "exit_group",
};

/* ia32 numbers (arch/x86/entry/syscalls/syscall_32.tbl) */
static const long nr_ia32[NR_SYSID] = {
	[GETPPID] = 64, [GETPID] = 20, [WRITE] = 4, [READ] = 3,
	[KILL] = 37, [EXECVE] = 11, [EXIT_THREAD] = 1, [EXIT_GROUP] = 252,
};

#ifdef __x86_64__
static const long nr_x86_64[NR_SYSID] = {
	[GETPPID] = __NR_getppid, [GETPID] = __NR_getpid,
	[WRITE] = __NR_write, [READ] = __NR_read, [KILL] = __NR_kill,
	[EXECVE] = __NR_execve, [EXIT_THREAD] = __NR_exit,
	[EXIT_GROUP] = __NR_exit_group,
};
#endif

/* Entry instructions (fixture variants). */
enum method {
	M_SYSCALL,	/* syscall: native on x86-64, compat mode in ia32 */
	M_INT80,	/* int $0x80 */
	M_VDSO,		/* ia32: call __kernel_vsyscall (AT_SYSINFO) */
	M_SYSENTER,	/* ia32: sysenter with the vDSO's stack frame */
};

#ifdef __x86_64__
#define M_NATIVE	M_SYSCALL
#define R_NR(r)		((r).orig_rax)
#define R_RET(r)	((r).rax)
#else
#define M_NATIVE	M_INT80
#define R_NR(r)		((r).orig_eax)
#define R_RET(r)	((r).eax)
#endif

static bool is_ia32(int method)
{
#ifdef __x86_64__
	return method != M_SYSCALL;
#else
	return true;
#endif
}

static long sysnr(int method, int sys)
{
	if (sys & NATIVE)
		return sysnr(M_NATIVE, sys & ~NATIVE);
#ifdef __x86_64__
	if (!is_ia32(method))
		return nr_x86_64[sys];
#endif
	return nr_ia32[sys];
}

static unsigned int sysarch(int method, int sys)
{
	if (sys & NATIVE)
		method = M_NATIVE;
	return is_ia32(method) ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
}

/* Raw system calls, three arguments are all we need. */
#ifdef __x86_64__
static long raw_call(int method, long nr, long a1, long a2, long a3)
{
	long ret = nr;

	if (method == M_SYSCALL) {
		__asm__ volatile("syscall"
				 : "+a" (ret)
				 : "D" (a1), "S" (a2), "d" (a3)
				 : "rcx", "r11", "memory");
		return ret;
	}
	__asm__ volatile("int $0x80"
			 : "+a" (ret)
			 : "b" (a1), "c" (a2), "d" (a3)
			 : "r8", "r9", "r10", "r11", "memory");
	return (int)ret;
}
#else
static unsigned long vsyscall;

/*
 * v[] = { nr, arg1, arg2, arg3, __kernel_vsyscall }. ebx and ebp are
 * saved by hand (PIC register, frame pointer); only esi points to v[].
 */
static long int80_call(const long *v)
{
	long ret;

	__asm__ volatile("push %%ebx\n\t"
			 "mov 4(%1), %%ebx\n\t"
			 "mov 8(%1), %%ecx\n\t"
			 "mov 12(%1), %%edx\n\t"
			 "mov 0(%1), %%eax\n\t"
			 "int $0x80\n\t"
			 "pop %%ebx"
			 : "=a" (ret) : "S" (v) : "ecx", "edx", "memory");
	return ret;
}

static long vdso_call(const long *v)
{
	long ret;

	__asm__ volatile("push %%ebp\n\t"
			 "push %%ebx\n\t"
			 "mov 4(%1), %%ebx\n\t"
			 "mov 8(%1), %%ecx\n\t"
			 "mov 12(%1), %%edx\n\t"
			 "mov 0(%1), %%eax\n\t"
			 "call *16(%1)\n\t"
			 "pop %%ebx\n\t"
			 "pop %%ebp"
			 : "=a" (ret) : "S" (v) : "ecx", "edx", "memory");
	return ret;
}

/*
 * The kernel returns from sysenter and from a compat-mode syscall to
 * the vDSO's int80_landing_pad, which pops ebp, edx and ecx and returns:
 * build that frame here. The "add" after syscall is reached only if the
 * kernel returned straight to us (no SYSCALL32 support: SKIPPED).
 */
static long syscall32_call(const long *v)
{
	long ret;

	__asm__ volatile("push %%ebp\n\t"
			 "push %%ebx\n\t"
			 "mov 4(%1), %%ebx\n\t"
			 "mov 8(%1), %%ecx\n\t"
			 "mov 12(%1), %%edx\n\t"
			 "mov 0(%1), %%eax\n\t"
			 "call 1f\n\t"
			 "jmp 2f\n"
			 "1:\n\t"
			 "push %%ecx\n\t"
			 "push %%edx\n\t"
			 "push %%ebp\n\t"
			 "mov %%ecx, %%ebp\n\t"
			 "syscall\n\t"
			 "add $16, %%esp\n"
			 "2:\n\t"
			 "pop %%ebx\n\t"
			 "pop %%ebp"
			 : "=a" (ret) : "S" (v) : "ecx", "edx", "memory");
	return ret;
}

static long sysenter_call(const long *v)
{
	long ret;

	__asm__ volatile("push %%ebp\n\t"
			 "push %%ebx\n\t"
			 "mov 4(%1), %%ebx\n\t"
			 "mov 8(%1), %%ecx\n\t"
			 "mov 12(%1), %%edx\n\t"
			 "mov 0(%1), %%eax\n\t"
			 "call 1f\n\t"
			 "jmp 2f\n"
			 "1:\n\t"
			 "push %%ecx\n\t"
			 "push %%edx\n\t"
			 "push %%ebp\n\t"
			 "mov %%esp, %%ebp\n\t"
			 "sysenter\n\t"
			 "add $16, %%esp\n"
			 "2:\n\t"
			 "pop %%ebx\n\t"
			 "pop %%ebp"
			 : "=a" (ret) : "S" (v) : "ecx", "edx", "memory");
	return ret;
}

static long raw_call(int method, long nr, long a1, long a2, long a3)
{
	long v[5] = { nr, a1, a2, a3, (long)vsyscall };

	switch (method) {
	case M_SYSCALL:
		return syscall32_call(v);
	case M_VDSO:
		return vdso_call(v);
	case M_SYSENTER:
		return sysenter_call(v);
	default:
		return int80_call(v);
	}
}
#endif

static sigjmp_buf probe_env;
static long probe_ret;	/* not a local: survives siglongjmp() */

static void probe_fault(int sig)
{
	siglongjmp(probe_env, sig);
}

/*
 * Can this process enter the kernel with @method? Returns NULL or why
 * not. sysenter and compat-mode syscall exist on some CPUs only.
 */
static const char *probe_method(int method, char *buf, size_t len)
{
	static const int sigs[] = { SIGILL, SIGSEGV, SIGBUS };
	struct sigaction sa = { .sa_handler = probe_fault }, old[3];
	int i, sig;

#ifndef __x86_64__
	vsyscall = getauxval(AT_SYSINFO);
	if (!vsyscall) {
		snprintf(buf, len, "no AT_SYSINFO (vDSO entry point)");
		return buf;
	}
#endif
	if (method == M_INT80 || method == M_NATIVE)
		return NULL;
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	sig = sigsetjmp(probe_env, 1);
	if (!sig)
		probe_ret = raw_call(method, sysnr(method, GETPID), 0, 0, 0);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (sig)
		snprintf(buf, len, "%s faults here (%s)",
			 method == M_SYSENTER ? "sysenter" : "compat syscall",
			 strsignal(sig));
	else if (probe_ret != getpid())
		snprintf(buf, len, "%s getpid() returned %ld: not supported",
			 method == M_SYSENTER ? "sysenter" : "compat syscall", probe_ret);
	else
		return NULL;
	return buf;
}

static long sys_ptrace(long request, pid_t pid, unsigned long addr,
		       unsigned long data)
{
	return syscall(__NR_ptrace, request, pid, addr, data);
}

/* The tracee's program: calls made in order, with what it must see. */
struct call {
	int sys;
	long arg;	/* exit / exit_group status, kill signal */
	long want;	/* return value seen by the tracee */
};

/* Expected stops */
enum stop {
	END,
	SIG,		/* signal-delivery stop, "what" = signal */
	GSTOP,		/* group-stop (PTRACE_EVENT_STOP), "what" = signal */
	ENTRY,		/* syscall-entry stop (also PTRACE_SYSEMU stops) */
	EXIT,		/* syscall-exit stop */
	SECCOMP,	/* PTRACE_EVENT_SECCOMP stop */
	EXEC_EV,	/* PTRACE_EVENT_EXEC stop */
	EXIT_EV,	/* PTRACE_EVENT_EXIT stop */
	RUNNING,	/* no stop: the tracee is running (or blocked) */
	EXITED,		/* exited, "what" = status */
	KILLED,		/* killed, "what" = signal */
};

static const char * const stopname[] = {
	"end", "signal-delivery", "group", "syscall-entry", "syscall-exit",
	"seccomp", "exec event", "exit event", "running", "exited", "killed",
};

/* What the tracer does after the request */
enum act {
	NOACT,
	SETINFO,	/* write "set" with PTRACE_SET_SYSCALL_INFO, not regs */
	SIGUSR1_,	/* send SIGUSR1 to the tracee */
	FILL,		/* put one byte into the sync pipe */
	SIGKILL_,	/* SIGKILL the tracee */
	REATTACH,	/* PTRACE_SEIZE it again, then FILL */
};

struct step {
	int stop;		/* expected stop */
	int what;		/* system call, signal or exit status */
	int req;		/* request made in this stop */
	unsigned long flags;	/* its addr: PTRACE_VM_* flags */
	long set;		/* written into rax/eax before it, or KEEP */
	long rval;		/* at EXIT: expected return value, or REAL */
	int err;		/* errno it must fail with: stays in this stop */
	long sig;		/* its data */
	int act;		/* done around the request */
	int thr;		/* tracee thread */
};

#define MAX_CALLS	8
#define MAX_STEPS	40

struct scenario {
	unsigned int options;	/* PTRACE_O_* besides EXITKILL, TRACESYSGOOD */
	int filter_sys;		/* tracee's own seccomp filter on this call */
	unsigned int filter_ret;
	int threads;
	int pipe_bytes;		/* bytes write() must put into the data pipe */
	struct call prog[2][MAX_CALLS];
	struct step steps[MAX_STEPS];
};

/* Shared with the tracee; below 4GiB so int $0x80 can use it. */
struct shm {
	long ret[2][MAX_CALLS];
	pid_t tid[2];
	char wbuf[4];
	char rbuf[4];
	char path[32];
	uint32_t argv32[2];
	uint64_t argv64[2];
};

/* Everything about one tracee; the fixture holds one. */
struct ctx {
	int method;		/* entry instruction */
	bool sysgood;		/* PTRACE_O_TRACESYSGOOD */
	bool supported;		/* the kernel has PTRACE_SYSVM */
	pid_t pid;
	pid_t tid[2];
	int data[2], sync[2], go[2], ready[2];
	int memfd;
	bool tmpfile;
	struct shm *shm;
};

FIXTURE(sysvm) {
	struct ctx x;
};

FIXTURE_VARIANT(sysvm) {
	int method;
	bool sysgood;
};

#ifdef __x86_64__
FIXTURE_VARIANT_ADD(sysvm, syscall) { .method = M_SYSCALL, .sysgood = true };
FIXTURE_VARIANT_ADD(sysvm, syscall_nosysgood) { .method = M_SYSCALL };
FIXTURE_VARIANT_ADD(sysvm, int80) { .method = M_INT80, .sysgood = true };
FIXTURE_VARIANT_ADD(sysvm, int80_nosysgood) { .method = M_INT80 };
#else
FIXTURE_VARIANT_ADD(sysvm, int80) { .method = M_INT80, .sysgood = true };
FIXTURE_VARIANT_ADD(sysvm, int80_nosysgood) { .method = M_INT80 };
FIXTURE_VARIANT_ADD(sysvm, vdso) { .method = M_VDSO, .sysgood = true };
FIXTURE_VARIANT_ADD(sysvm, vdso_nosysgood) { .method = M_VDSO };
FIXTURE_VARIANT_ADD(sysvm, sysenter) { .method = M_SYSENTER, .sysgood = true };
FIXTURE_VARIANT_ADD(sysvm, sysenter_nosysgood) { .method = M_SYSENTER };
FIXTURE_VARIANT_ADD(sysvm, syscall) { .method = M_SYSCALL, .sysgood = true };
FIXTURE_VARIANT_ADD(sysvm, syscall_nosysgood) { .method = M_SYSCALL };
#endif

/*
 * Probe at a stop: unknown flag bits give EINVAL where PTRACE_SYSVM
 * exists and EIO (unknown request) where it does not.
 */
static int probe_sysvm(void)
{
	int status, err;
	long ret;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (sys_ptrace(PTRACE_TRACEME, 0, 0, 0))
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	ret = sys_ptrace(PTRACE_SYSVM, pid, ~0UL, 0);
	err = errno;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (ret == -1 && err == EINVAL)
		return 1;
	if (ret == -1 && err == EIO)
		return 0;
	return -1;
}

FIXTURE_SETUP(sysvm)
{
	struct ctx *x = &self->x;
	char why[128];
	int probe;

	x->method = variant->method;
	x->sysgood = variant->sysgood;
	x->pid = 0;
	x->memfd = -1;
	x->tmpfile = false;
	x->shm = NULL;
	if (probe_method(x->method, why, sizeof(why)))
		SKIP(return, "%s", why);
	probe = probe_sysvm();
	ASSERT_LE(0, probe) TH_LOG("PTRACE_SYSVM probe: neither EINVAL nor EIO");
	x->supported = probe;
}

static void reap_tracee(struct ctx *x)
{
	if (x->pid > 0) {
		kill(x->pid, SIGKILL);
		while (waitpid(x->pid, NULL, __WALL) < 0 && errno == EINTR)
			;
	}
	x->pid = 0;
}

FIXTURE_TEARDOWN(sysvm)
{
	reap_tracee(&self->x);
	if (self->x.tmpfile && self->x.shm)
		unlink(self->x.shm->path);
}

#define NO_SYSVM	"PTRACE_SYSVM not supported (EIO at a stop)"

static long real_value(const struct ctx *x, int sys)
{
	switch (sys & ~NATIVE) {
	case GETPPID:
		return getpid();
	case GETPID:
		return x->tid[0];
	case WRITE:
	case READ:
		return 1;
	default:
		return 0;
	}
}

/* What the tracee does, after the stop that starts it. */
static void tracee_run(const struct scenario *sc, struct ctx *x,
		       int method, int thr)
{
	const struct call *c;
	struct shm *shm = x->shm;
	int i;

	for (i = 0; i < MAX_CALLS && sc->prog[thr][i].sys; i++) {
		long a1 = 0, a2 = 0, a3 = 0;

		c = &sc->prog[thr][i];
		switch (c->sys) {
		case WRITE:
			a1 = x->data[1];
			a2 = (long)(uintptr_t)shm->wbuf;
			a3 = 1;
			break;
		case READ:
			a1 = x->sync[0];
			a2 = (long)(uintptr_t)shm->rbuf;
			a3 = 1;
			break;
		case KILL:
			a1 = x->pid;
			a2 = c->arg;
			break;
		case EXECVE:
			a1 = (long)(uintptr_t)shm->path;
			a2 = is_ia32(method) ? (long)(uintptr_t)shm->argv32 :
					       (long)(uintptr_t)shm->argv64;
			break;
		default:
			a1 = c->arg;
		}
		shm->ret[thr][i] = raw_call(method, sysnr(method, c->sys),
					    a1, a2, a3);
	}
	raw_call(M_NATIVE, sysnr(M_NATIVE, thr ? EXIT_THREAD : EXIT_GROUP), 99, 0, 0);
}

static void tracee_stop(struct ctx *x, int thr)
{
	char c;

	if (raw_call(M_NATIVE, sysnr(M_NATIVE, READ), x->go[0],
		     (long)(uintptr_t)&c, 1) != 1)
		_exit(97);
	/* thread-directed: one signal-delivery stop for this thread */
	syscall(__NR_tgkill, x->pid, x->shm->tid[thr], SIGSTOP);
}

struct thread_arg {
	const struct scenario *sc;
	struct ctx *x;
	int method;
	pid_t tid;
	unsigned long flags;
	int err;
};

/*
 * Threads (a second tracee thread, a second tracer thread) are made
 * with clone() and make raw system calls only: no glibc thread, so no
 * futex, which ia32 glibc uses without a time64 variant.
 */
#define THREAD_FLAGS	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_THREAD | CLONE_SYSVSEM)

static long thread_stack[8192];	/* clone() aligns the stack pointer */
#define STACK_TOP	((char *)thread_stack + sizeof(thread_stack))

static int tracee_thread(void *p)
{
	struct thread_arg *a = p;
	char c = 'r';

	a->x->shm->tid[1] = syscall(__NR_gettid);
	if (write(a->x->ready[1], &c, 1) != 1)
		_exit(94);
	tracee_stop(a->x, 1);
	tracee_run(a->sc, a->x, a->method, 1);
	return 0;
}

static void install_filter(const struct scenario *sc, int method)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			 sysarch(method, sc->filter_sys), 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			 sysnr(method, sc->filter_sys), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, sc->filter_ret),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 6, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		_exit(98);
}

static void tracee(const struct scenario *sc, struct ctx *x, int method)
{
	static struct thread_arg arg;
	struct rlimit no_core = { 0, 0 };

	setrlimit(RLIMIT_CORE, &no_core);
	x->pid = getpid();
	x->shm->tid[0] = x->pid;
	if (sc->threads == 2) {
		arg.sc = sc;
		arg.x = x;
		arg.method = method;
		if (clone(tracee_thread, STACK_TOP, THREAD_FLAGS, &arg) < 0)
			_exit(96);
	}
	if (sc->filter_sys)
		install_filter(sc, method);
	tracee_stop(x, 0);
	tracee_run(sc, x, method, 0);
}

#ifdef __x86_64__
#define ELF_EHDR	elf64_hdr
#define ELF_PHDR	elf64_phdr
#else
#define ELF_EHDR	elf32_hdr
#define ELF_PHDR	elf32_phdr
#endif

/*
 * A static ELF (getppid; exit_group(42)) for execve(): in a memfd, or
 * in a file under /tmp where there is no memfd_create().
 */
static int make_elf(struct ctx *x)
{
#ifdef __x86_64__
	static const unsigned char code[] = {
		0xb8, 110, 0, 0, 0,		/* mov $__NR_getppid, %eax */
		0x0f, 0x05,			/* syscall */
		0xbf, 42, 0, 0, 0,		/* mov $42, %edi */
		0xb8, 231, 0, 0, 0,		/* mov $__NR_exit_group, %eax */
		0x0f, 0x05,			/* syscall */
	};
#else
	static const unsigned char code[] = {
		0xb8, 64, 0, 0, 0,		/* mov $__NR_getppid, %eax */
		0xcd, 0x80,			/* int $0x80 */
		0xbb, 42, 0, 0, 0,		/* mov $42, %ebx */
		0xb8, 252, 0, 0, 0,		/* mov $__NR_exit_group, %eax */
		0xcd, 0x80,			/* int $0x80 */
	};
#endif
	const unsigned long base = 0x10000000;
	struct elf {
		struct ELF_EHDR e;
		struct ELF_PHDR p;
		unsigned char code[sizeof(code)];
	} elf;
	char *path = x->shm->path;
	int fd;

	memset(&elf, 0, sizeof(elf));
	memcpy(elf.e.e_ident, ELFMAG, SELFMAG);
#ifdef __x86_64__
	elf.e.e_ident[EI_CLASS] = ELFCLASS64;
	elf.e.e_machine = EM_X86_64;
#else
	elf.e.e_ident[EI_CLASS] = ELFCLASS32;
	elf.e.e_machine = EM_386;
#endif
	elf.e.e_ident[EI_DATA] = ELFDATA2LSB;
	elf.e.e_ident[EI_VERSION] = EV_CURRENT;
	elf.e.e_type = ET_EXEC;
	elf.e.e_version = EV_CURRENT;
	elf.e.e_entry = base + offsetof(struct elf, code);
	elf.e.e_phoff = offsetof(struct elf, p);
	elf.e.e_ehsize = sizeof(elf.e);
	elf.e.e_phentsize = sizeof(elf.p);
	elf.e.e_phnum = 1;
	elf.p.p_type = PT_LOAD;
	elf.p.p_vaddr = base;
	elf.p.p_paddr = base;
	elf.p.p_filesz = sizeof(elf);
	elf.p.p_memsz = sizeof(elf);
	elf.p.p_flags = PF_R | PF_X;
	elf.p.p_align = 0x1000;
	memcpy(elf.code, code, sizeof(code));

	fd = syscall(__NR_memfd_create, "sysvm-exec", MFD_CLOEXEC | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = syscall(__NR_memfd_create, "sysvm-exec", MFD_CLOEXEC);
	if (fd >= 0) {
		x->memfd = fd;
		snprintf(path, sizeof(x->shm->path), "/proc/self/fd/%d", fd);
	} else {
		snprintf(path, sizeof(x->shm->path), "/tmp/sysvm-exec-XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			return -1;
		x->tmpfile = true;
		if (fchmod(fd, 0700)) {
			close(fd);
			return -1;
		}
	}
	if (write(fd, &elf, sizeof(elf)) != sizeof(elf))
		return -1;
	if (x->tmpfile)
		close(fd);
	x->shm->argv32[0] = (uintptr_t)path;
	x->shm->argv64[0] = (uintptr_t)path;
	return 0;
}

static bool uses(const struct scenario *sc, int sys)
{
	int t, i;

	for (t = 0; t < 2; t++)
		for (i = 0; i < MAX_CALLS; i++)
			if (sc->prog[t][i].sys == sys)
				return true;
	return false;
}

static int other_thread(void *p)
{
	struct thread_arg *a = p;

	a->err = sys_ptrace(PTRACE_SYSVM, a->tid, a->flags, 0) ? errno : 0;
	return 0;
}

/* PTRACE_SYSVM by someone who is not the tracer: its errno */
static int sysvm_elsewhere(int how, pid_t tid, unsigned long flags)
{
	struct thread_arg a = { .tid = tid, .flags = flags, .err = -1 };
	pid_t pid, ctid;
	int status;

	if (how == BY_THREAD) {
		/* the kernel clears ctid when the thread is gone */
		if (clone(other_thread, STACK_TOP,
			  THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
			  &a, &ctid, NULL, &ctid) < 0)
			return -1;
		while (__atomic_load_n(&ctid, __ATOMIC_ACQUIRE))
			sched_yield();
		return a.err;
	}
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid)
		_exit(sys_ptrace(PTRACE_SYSVM, tid, flags, 0) ? errno : 0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static bool is_err(long v)
{
	return v < 0 && v >= -4095;
}

#define STEP_LOG(fmt, ...)						\
	TH_LOG("step #%d (%s stop of thread %d): " fmt, n,		\
	       stopname[st->stop], st->thr, ##__VA_ARGS__)

/* Check that the stop just reported is the one row @n expects. */
static void check_stop(struct __test_metadata *_metadata,
		       struct ctx *x, const struct step *st, int n, int status,
		       struct user_regs_struct *regs)
{
	struct ptrace_syscall_info info;
	int trap = SIGTRAP | (x->sysgood ? 0x80 : 0);
	pid_t tid = x->tid[st->thr];
	long nr = 0, want, ret;
	unsigned long msg = 0;

	switch (st->stop) {
	case EXITED:
		ASSERT_TRUE(WIFEXITED(status))
			STEP_LOG("wait status %#x", status);
		ASSERT_EQ(st->what, WEXITSTATUS(status))
			STEP_LOG("exit status");
		return;
	case KILLED:
		ASSERT_TRUE(WIFSIGNALED(status))
			STEP_LOG("wait status %#x", status);
		ASSERT_EQ(st->what, WTERMSIG(status))
			STEP_LOG("killed by %s", strsignal(WTERMSIG(status)));
		return;
	}
	ASSERT_TRUE(WIFSTOPPED(status))
		STEP_LOG("wait status %#x, not a stop", status);
	ASSERT_EQ(0, sys_ptrace(PTRACE_GETREGS, tid, 0, (unsigned long)regs))
		STEP_LOG("PTRACE_GETREGS: %m");
	memset(&info, 0, sizeof(info));
	ret = sys_ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(info),
			 (unsigned long)&info);
	ASSERT_LT(0, ret) STEP_LOG("PTRACE_GET_SYSCALL_INFO: %m");

	switch (st->stop) {
	case SIG:
		ASSERT_EQ(st->what, status >> 8)
			STEP_LOG("wait status %#x", status);
		ASSERT_EQ(PTRACE_SYSCALL_INFO_NONE, info.op) STEP_LOG("op");
		return;
	case GSTOP:
		ASSERT_EQ(st->what | PTRACE_EVENT_STOP << 8, status >> 8)
			STEP_LOG("wait status %#x", status);
		return;
	case EXEC_EV:
		ASSERT_EQ(SIGTRAP | PTRACE_EVENT_EXEC << 8, status >> 8)
			STEP_LOG("wait status %#x", status);
		return;
	case EXIT_EV:
		ASSERT_EQ(SIGTRAP | PTRACE_EVENT_EXIT << 8, status >> 8)
			STEP_LOG("wait status %#x", status);
		return;
	}

	if (st->stop == SECCOMP) {
		ASSERT_EQ(SIGTRAP | PTRACE_EVENT_SECCOMP << 8, status >> 8)
			STEP_LOG("wait status %#x", status);
		ASSERT_EQ(PTRACE_SYSCALL_INFO_SECCOMP, info.op) STEP_LOG("op");
	} else {
		ASSERT_EQ(trap, status >> 8)
			STEP_LOG("wait status %#x, want syscall stop %#x",
				 status, trap);
		/* entry or exit: the event message tells, even without SYSGOOD */
		ASSERT_EQ(0, sys_ptrace(PTRACE_GETEVENTMSG, tid, 0,
					(unsigned long)&msg))
			STEP_LOG("PTRACE_GETEVENTMSG: %m");
		ASSERT_EQ(st->stop == ENTRY ? PTRACE_EVENTMSG_SYSCALL_ENTRY :
			  PTRACE_EVENTMSG_SYSCALL_EXIT, msg)
			STEP_LOG("event message %lu: wrong kind of syscall stop",
				 msg);
	}
	nr = sysnr(x->method, st->what);
	ASSERT_EQ(nr, (long)R_NR(*regs))
		STEP_LOG("orig_ax %ld, want %s (%ld)", (long)R_NR(*regs),
			 sysname[st->what & ~NATIVE], nr);
	ASSERT_EQ(sysarch(x->method, st->what), info.arch)
		STEP_LOG("arch %#x", info.arch);
	if (st->stop == SECCOMP) {
		ASSERT_EQ(nr, info.seccomp.nr) STEP_LOG("info nr");
		ASSERT_EQ(TRACE_DATA, info.seccomp.ret_data)
			STEP_LOG("ret_data");
		ASSERT_EQ(SKIPPED, (int)R_RET(*regs))
			STEP_LOG("rax %ld at entry", (long)R_RET(*regs));
		return;
	}

	/* PTRACE_GET_SYSCALL_INFO needs SYSGOOD to see syscall stops. */
	want = !x->sysgood ? PTRACE_SYSCALL_INFO_NONE :
	       st->stop == ENTRY ? PTRACE_SYSCALL_INFO_ENTRY :
				   PTRACE_SYSCALL_INFO_EXIT;
	ASSERT_EQ(want, info.op) STEP_LOG("op");
	if (st->stop == ENTRY) {
		ASSERT_EQ(SKIPPED, (int)R_RET(*regs))
			STEP_LOG("rax %ld at entry", (long)R_RET(*regs));
		/* without SYSGOOD, info has no entry part: left zero */
		ASSERT_EQ(x->sysgood ? nr : 0, info.entry.nr) STEP_LOG("info nr");
		return;
	}
	if (st->rval == ANY)
		return;
	want = st->rval == REAL ? real_value(x, st->what) : st->rval;
	ASSERT_EQ(want, (long)R_RET(*regs)) STEP_LOG("rax");
	ASSERT_EQ(x->sysgood ? want : 0, info.exit.rval) STEP_LOG("info rval");
	ASSERT_EQ(x->sysgood ? is_err(want) : 0, info.exit.is_error)
		STEP_LOG("info is_error");
}

static void set_retval(struct __test_metadata *_metadata, pid_t tid,
		       const struct step *st, int n,
		       struct user_regs_struct *regs)
{
	struct ptrace_syscall_info info;

	if (st->act != SETINFO) {
		R_RET(*regs) = st->set;
		ASSERT_EQ(0, sys_ptrace(PTRACE_SETREGS, tid, 0,
					(unsigned long)regs))
			STEP_LOG("PTRACE_SETREGS: %m");
		return;
	}
	memset(&info, 0, sizeof(info));
	ASSERT_LT(0, sys_ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(info),
				(unsigned long)&info))
		STEP_LOG("PTRACE_GET_SYSCALL_INFO: %m");
	ASSERT_EQ(PTRACE_SYSCALL_INFO_EXIT, info.op) STEP_LOG("op");
	info.exit.rval = st->set;
	info.exit.is_error = is_err(st->set);
	ASSERT_EQ(0, sys_ptrace(PTRACE_SET_SYSCALL_INFO, tid, sizeof(info),
				(unsigned long)&info))
		STEP_LOG("PTRACE_SET_SYSCALL_INFO: %m");
	ASSERT_EQ(0, sys_ptrace(PTRACE_GETREGS, tid, 0, (unsigned long)regs))
		STEP_LOG("PTRACE_GETREGS: %m");
}

#ifdef __x86_64__
#define LOWMEM	MAP_32BIT
#else
#define LOWMEM	0
#endif

/*
 * Walk a tracee through @sc. With @as_syscall, PTRACE_SYSVM rows (all
 * with flags 0) are made with PTRACE_SYSCALL instead.
 */
static void run(struct __test_metadata *_metadata, struct ctx *x,
		const struct scenario *sc, bool as_syscall)
{
	unsigned long options = PTRACE_O_EXITKILL | sc->options |
				(x->sysgood ? PTRACE_O_TRACESYSGOOD : 0);
	int n, t, i, status, req, threads = sc->threads ? sc->threads : 1;
	struct user_regs_struct regs[2], now;
	bool stopped[2] = { false, false };
	const struct step *st;
	int bytes = 0;
	long ret;
	pid_t tid;
	char c;

	x->shm = mmap(NULL, sizeof(*x->shm), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS | LOWMEM, -1, 0);
	ASSERT_TRUE(x->shm != MAP_FAILED) TH_LOG("mmap: %m");
	for (t = 0; t < 2; t++)
		for (i = 0; i < MAX_CALLS; i++)
			x->shm->ret[t][i] = POISON;
	x->shm->wbuf[0] = 'x';
	ASSERT_EQ(0, pipe(x->data));
	ASSERT_EQ(0, pipe(x->sync));
	ASSERT_EQ(0, pipe(x->go));
	ASSERT_EQ(0, pipe(x->ready));
	ASSERT_EQ(0, fcntl(x->data[0], F_SETFL, O_NONBLOCK));
	if (uses(sc, EXECVE)) {
		ASSERT_EQ(0, make_elf(x))
			TH_LOG("writing an ELF file to exec: %m");
	}

	x->pid = fork();
	ASSERT_LE(0, x->pid) TH_LOG("fork: %m");
	if (!x->pid) {
		tracee(sc, x, x->method);
		_exit(95);
	}
	x->tid[0] = x->pid;
	if (threads == 2) {
		ASSERT_EQ(1, read(x->ready[0], &c, 1))
			TH_LOG("tracee thread did not start");
		x->tid[1] = x->shm->tid[1];
	}
	for (t = 0; t < threads; t++)
		ASSERT_EQ(0, sys_ptrace(PTRACE_SEIZE, x->tid[t], 0, options))
			TH_LOG("PTRACE_SEIZE: %m");
	ASSERT_EQ(threads, write(x->go[1], "gg", threads));

	for (n = 0; n < MAX_STEPS && sc->steps[n].stop != END; n++) {
		st = &sc->steps[n];
		tid = x->tid[st->thr];
		if (st->stop == RUNNING) {
			ASSERT_FALSE(stopped[st->thr]) STEP_LOG("bad table");
		} else if (!stopped[st->thr]) {
			ret = waitpid(tid, &status, __WALL);
			ASSERT_EQ(tid, ret) STEP_LOG("waitpid: %m");
			check_stop(_metadata, x, st, n, status,
				   &regs[st->thr]);
			if (st->stop == EXITED || st->stop == KILLED) {
				if (!st->thr)
					x->pid = 0;
				continue;
			}
			stopped[st->thr] = true;
		} else {
			/* Still in the stop of an earlier row: nothing moved. */
			ASSERT_EQ(0, waitpid(tid, &status, __WALL | WNOHANG))
				STEP_LOG("tracee left its stop: status %#x",
					 status);
			ASSERT_EQ(0, sys_ptrace(PTRACE_GETREGS, tid, 0,
						(unsigned long)&now))
				STEP_LOG("PTRACE_GETREGS: %m");
			ASSERT_EQ(0, memcmp(&now, &regs[st->thr], sizeof(now)))
				STEP_LOG("registers changed in the stop");
		}

		if (st->set != KEEP)
			set_retval(_metadata, tid, st, n, &regs[st->thr]);
		req = st->req;
		if (as_syscall && req == PTRACE_SYSVM) {
			ASSERT_EQ(0, st->flags) STEP_LOG("bad table");
			req = PTRACE_SYSCALL;
		}
		if (req == BY_CHILD || req == BY_THREAD) {
			ASSERT_NE(0, st->err) STEP_LOG("bad table");
			ASSERT_EQ(st->err, sysvm_elsewhere(req, tid, st->flags))
				STEP_LOG("PTRACE_SYSVM(%#lx) from another %s",
					 st->flags, req == BY_THREAD ?
					 "tracer thread" : "process");
		} else if (req != NOREQ) {
			errno = 0;
			ret = sys_ptrace(req, tid, st->flags, st->sig);
			if (st->err) {
				ASSERT_EQ(-1, ret)
					STEP_LOG("request %#x(%#lx, sig %ld) succeeded",
						 req, st->flags, st->sig);
				ASSERT_EQ(st->err, errno)
					STEP_LOG("request %#x(%#lx, sig %ld): %m",
						 req, st->flags, st->sig);
			} else {
				ASSERT_EQ(0, ret)
					STEP_LOG("request %#x(%#lx, sig %ld): %m",
						 req, st->flags, st->sig);
				stopped[st->thr] = false;
			}
		}

		switch (st->act) {
		case SIGUSR1_:
			ASSERT_EQ(0, syscall(__NR_tgkill, x->tid[0], tid,
					     SIGUSR1));
			break;
		case SIGKILL_:
			ASSERT_EQ(0, kill(x->tid[0], SIGKILL));
			stopped[0] = false;
			stopped[1] = false;
			break;
		case REATTACH:
			ASSERT_EQ(0, sys_ptrace(PTRACE_SEIZE, tid, 0, options))
				STEP_LOG("PTRACE_SEIZE again: %m");
			fallthrough;
		case FILL:
			ASSERT_EQ(1, write(x->sync[1], "s", 1));
			break;
		}
	}

	/* All threads must be gone now. */
	ret = waitpid(-1, &status, __WALL | WNOHANG);
	ASSERT_EQ(-1, ret) TH_LOG("tracee left after the last step");
	ASSERT_EQ(ECHILD, errno);
	x->pid = 0;

	for (t = 0; t < 2; t++) {
		for (i = 0; i < MAX_CALLS && sc->prog[t][i].sys; i++) {
			const struct call *cl = &sc->prog[t][i];
			long want = cl->want;

			if (want == ANY)
				continue;
			if (want == REAL)
				want = real_value(x, cl->sys);
			else if (want == NOTRUN)
				want = POISON;
			ASSERT_EQ(want, x->shm->ret[t][i])
				TH_LOG("thread %d, call #%d (%s): return value seen by the tracee",
				       t, i, sysname[cl->sys]);
		}
	}
	while (read(x->data[0], &c, 1) == 1)
		bytes++;
	ASSERT_EQ(sc->pipe_bytes, bytes)
		TH_LOG("bytes that reached the pipe through write()");

	close(x->data[0]);
	close(x->data[1]);
	close(x->sync[0]);
	close(x->sync[1]);
	close(x->go[0]);
	close(x->go[1]);
	close(x->ready[0]);
	close(x->ready[1]);
	if (x->memfd >= 0)
		close(x->memfd);
	x->memfd = -1;
	if (x->tmpfile)
		unlink(x->shm->path);
	x->tmpfile = false;
	munmap(x->shm, sizeof(*x->shm));
	x->shm = NULL;
}

#define HIGHBIT		(1UL << (sizeof(long) * 8 - 1))

/* flags == 0 is exactly PTRACE_SYSCALL: same table, both requests */
TEST_F(sysvm, flags_0_is_ptrace_syscall)
{
	static const struct scenario sc = {
		.pipe_bytes = 1,
		.prog[0] = {
			{ GETPPID, 0, REAL },
			{ WRITE, 0, REAL },
			{ READ, 0, REAL },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags  rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,     KEEP },
			{ ENTRY,   GETPPID,    SYSVM,  0,     KEEP },
			{ EXIT,    GETPPID,    SYSVM,  0,     KEEP, REAL },
			{ ENTRY,   WRITE,      SYSVM,  0,     KEEP },
			{ EXIT,    WRITE,      SYSVM,  0,     KEEP, REAL },
			{ ENTRY,   READ,       SYSVM,  0,     KEEP, .act = SIGUSR1_ },
			{ EXIT,    READ,       SYSVM,  0,     KEEP, -ERESTARTSYS },
			{ SIG,     SIGUSR1,    SYSVM,  0,     KEEP },
			{ ENTRY,   READ,       SYSVM,  0,     KEEP, .act = FILL },
			{ EXIT,    READ,       SYSVM,  0,     KEEP, REAL },
			{ ENTRY,   EXIT_GROUP, SYSVM,  0,     KEEP },
			{ EXITED,  0 },
		},
	};

	run(_metadata, &self->x, &sc, true);
	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* One stop per call; a skipped call has no side effect; no leaking */
TEST_F(sysvm, skipcall_skipexit)
{
	static const struct scenario sc = {
		.pipe_bytes = 0,
		.prog[0] = {
			{ GETPPID, 0, 4242 },
			{ WRITE, 0, SKIPPED },
			{ GETPPID, 0, REAL },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags  rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,     KEEP },
			{ ENTRY,   GETPPID,    SYSVM,  BOTH,  4242 },
			{ ENTRY,   WRITE,      SYSVM,  BOTH,  KEEP },
			{ ENTRY,   GETPPID,    SYSVM,  0,     KEEP },
			{ EXIT,    GETPPID,    SYSVM,  0,     KEEP, REAL },
			{ ENTRY,   EXIT_GROUP, SYSVM,  0,     KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* Skipped, the exit stop still comes and shows the return value */
TEST_F(sysvm, skipcall)
{
	static const struct scenario sc = {
		.pipe_bytes = 1,
		.prog[0] = {
			{ GETPPID, 0, 4242 },
			{ GETPPID, 0, REAL },
			{ WRITE, 0, SKIPPED },
			{ WRITE, 0, REAL },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,        KEEP },
			{ ENTRY,   GETPPID,    SYSVM,  SKIPCALL, 4242 },
			{ EXIT,    GETPPID,    SYSVM,  0,        KEEP, 4242 },
			{ ENTRY,   GETPPID,    SYSVM,  0,        KEEP },
			{ EXIT,    GETPPID,    SYSVM,  0,        KEEP, REAL },
			{ ENTRY,   WRITE,      SYSVM,  SKIPCALL, KEEP },
			{ EXIT,    WRITE,      SYSVM,  0,        KEEP, SKIPPED },
			{ ENTRY,   WRITE,      SYSVM,  0,        KEEP },
			{ EXIT,    WRITE,      SYSVM,  0,        KEEP, REAL },
			{ ENTRY,   EXIT_GROUP, SYSVM,  0,        KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* Executed (a value written at entry is overwritten), no exit stop */
TEST_F(sysvm, skipexit)
{
	static const struct scenario sc = {
		.pipe_bytes = 1,
		.prog[0] = {
			{ GETPPID, 0, REAL },
			{ WRITE, 0, REAL },
			{ GETPPID, 0, REAL },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,        KEEP },
			{ ENTRY,   GETPPID,    SYSVM,  SKIPEXIT, 4242 },
			{ ENTRY,   WRITE,      SYSVM,  SKIPEXIT, KEEP },
			{ ENTRY,   GETPPID,    SYSVM,  0,        KEEP },
			{ EXIT,    GETPPID,    SYSVM,  0,        KEEP, REAL },
			{ ENTRY,   EXIT_GROUP, SYSVM,  SKIPEXIT, KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* SKIPCALL alone: PTRACE_SET_SYSCALL_INFO at the exit stop sets rval */
TEST_F(sysvm, skipcall_set_syscall_info)
{
	static const struct scenario sc = {
		.pipe_bytes = 0,
		.prog[0] = {
			{ GETPPID, 0, 31337 },
			{ WRITE, 0, -EXDEV },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,        KEEP },
			{ ENTRY,   GETPPID,    SYSVM,  SKIPCALL, KEEP },
			{ EXIT,    GETPPID,    SYSVM,  0,        31337, SKIPPED,
			  .act = SETINFO },
			{ ENTRY,   WRITE,      SYSVM,  SKIPCALL, KEEP },
			{ EXIT,    WRITE,      SYSVM,  0,        -EXDEV, SKIPPED,
			  .act = SETINFO },
			{ ENTRY,   EXIT_GROUP, SYSVM,  0,        KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.sysgood)
		SKIP(return, "PTRACE_SET_SYSCALL_INFO needs PTRACE_O_TRACESYSGOOD");
	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/*
 * Refused requests at an entry stop (and at a running tracee) change
 * nothing: the next valid request behaves as if they never happened.
 */
TEST_F(sysvm, errors_entry_stop)
{
	/* signal 65 is not a valid signal (the kernel's _NSIG is 64) */
	static const struct scenario sc = {
		.pipe_bytes = 1,
		.prog[0] = {
			{ WRITE, 0, REAL },
			{ WRITE, 0, 4242 },
			{ READ, 0, REAL },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume     flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,     0,        KEEP },
			{ ENTRY,   WRITE,      SYSVM,     0x4,      KEEP, .err = EINVAL },
			{ ENTRY,   WRITE,      SYSVM,     SKIPCALL | 0x4, KEEP, .err = EINVAL },
			{ ENTRY,   WRITE,      SYSVM,     BOTH | HIGHBIT, KEEP, .err = EINVAL },
			{ ENTRY,   WRITE,      SYSVM,     ~0UL,     KEEP, .err = EINVAL },
			{ ENTRY,   WRITE,      SYSVM,     BOTH,     KEEP, .sig = 65, .err = EIO },
			{ ENTRY,   WRITE,      SYSVM,     SKIPCALL, KEEP, .sig = -1, .err = EIO },
			{ ENTRY,   WRITE,      BY_CHILD, BOTH,     KEEP, .err = ESRCH },
			{ ENTRY,   WRITE,      BY_THREAD,  BOTH,     KEEP, .err = ESRCH },
			{ ENTRY,   WRITE,      SYSVM,     0,        KEEP },
			{ EXIT,    WRITE,      SYSVM,     0,        KEEP, REAL },
			{ ENTRY,   WRITE,      SYSVM,     0,        KEEP, .sig = 65, .err = EIO },
			{ ENTRY,   WRITE,      BY_CHILD, 0,        KEEP, .err = ESRCH },
			{ ENTRY,   WRITE,      SYSVM,     BOTH,     4242 },
			{ ENTRY,   READ,       SYSVM,     SKIPEXIT, KEEP },
			{ RUNNING, READ,       SYSVM,     BOTH,     KEEP, .err = ESRCH },
			{ RUNNING, READ,       SYSVM,     0,        KEEP, .err = ESRCH,
			  .act = FILL },
			{ ENTRY,   EXIT_GROUP, SYSVM,     0,        KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* Nonzero flags at a signal-delivery stop or a group-stop: EINVAL */
TEST_F(sysvm, errors_signal_and_group_stop)
{
	static const struct scenario sc = {
		.prog[0] = {
			{ GETPPID, 0, REAL },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume     flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,     SKIPCALL, KEEP, .err = EINVAL },
			{ SIG,     SIGSTOP,    SYSVM,     SKIPEXIT, KEEP, .err = EINVAL },
			{ SIG,     SIGSTOP,    SYSVM,     BOTH,     KEEP, .err = EINVAL },
			{ SIG,     SIGSTOP,    SYSVM,     0x4,      KEEP, .err = EINVAL },
			{ SIG,     SIGSTOP,    SYSVM,     0,        KEEP, .sig = 65, .err = EIO },
			{ SIG,     SIGSTOP,    BY_CHILD, 0,        KEEP, .err = ESRCH },
			{ SIG,     SIGSTOP,    SYSVM,     0,        KEEP, .sig = SIGSTOP },
			{ GSTOP,   SIGSTOP,    SYSVM,     SKIPCALL, KEEP, .err = EINVAL },
			{ GSTOP,   SIGSTOP,    SYSVM,     SKIPEXIT, KEEP, .err = EINVAL },
			{ GSTOP,   SIGSTOP,    SYSVM,     BOTH,     KEEP, .err = EINVAL },
			{ GSTOP,   SIGSTOP,    SYSVM,     0,        KEEP, .sig = 65, .err = EIO },
			{ GSTOP,   SIGSTOP,    SYSVM,     0,        KEEP },
			{ ENTRY,   GETPPID,    SYSVM,     0,        KEEP },
			{ EXIT,    GETPPID,    SYSVM,     0,        KEEP, REAL },
			{ ENTRY,   EXIT_GROUP, SYSVM,     0,        KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* Nonzero flags at an exit stop or a PTRACE_EVENT_EXIT stop: EINVAL */
TEST_F(sysvm, errors_exit_stop_and_exit_event)
{
	static const struct scenario sc = {
		.options = PTRACE_O_TRACEEXIT,
		.prog[0] = {
			{ GETPPID, 0, REAL },
			{ GETPPID, 0, 4242 },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,        KEEP },
			{ ENTRY,   GETPPID,    SYSVM,  0,        KEEP },
			{ EXIT,    GETPPID,    SYSVM,  SKIPCALL, KEEP, REAL, .err = EINVAL },
			{ EXIT,    GETPPID,    SYSVM,  SKIPEXIT, KEEP, .err = EINVAL },
			{ EXIT,    GETPPID,    SYSVM,  BOTH,     KEEP, .err = EINVAL },
			{ EXIT,    GETPPID,    SYSVM,  0,        KEEP, .sig = 65, .err = EIO },
			{ EXIT,    GETPPID,    SYSVM,  0,        KEEP },
			{ ENTRY,   GETPPID,    SYSVM,  SKIPCALL, 4242 },
			{ EXIT,    GETPPID,    SYSVM,  BOTH,     KEEP, 4242, .err = EINVAL },
			{ EXIT,    GETPPID,    SYSVM,  SKIPCALL, KEEP, .err = EINVAL },
			{ EXIT,    GETPPID,    SYSVM,  0,        KEEP },
			{ ENTRY,   EXIT_GROUP, SYSVM,  0,        KEEP },
			{ EXIT_EV, 0,          SYSVM,  SKIPCALL, KEEP, .err = EINVAL },
			{ EXIT_EV, 0,          SYSVM,  SKIPEXIT, KEEP, .err = EINVAL },
			{ EXIT_EV, 0,          SYSVM,  BOTH,     KEEP, .err = EINVAL },
			{ EXIT_EV, 0,          SYSVM,  0,        KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* execve under SKIPEXIT: exec happens, no exit stop, next call normal */
TEST_F(sysvm, execve_skipexit)
{
	static const struct scenario sc = {
		.prog[0] = {
			{ EXECVE, 0, NOTRUN },
		},
		.steps = {
			/* stop    what                 resume  flags     rax */
			{ SIG,     SIGSTOP,             SYSVM,  0,        KEEP },
			{ ENTRY,   EXECVE,              SYSVM,  SKIPEXIT, KEEP },
			{ ENTRY,   NATIVE | GETPPID,    SYSVM,  0,        KEEP },
			{ EXIT,    NATIVE | GETPPID,    SYSVM,  0,        KEEP, REAL },
			{ ENTRY,   NATIVE | EXIT_GROUP, SYSVM,  0,        KEEP },
			{ EXITED,  42 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* Nonzero flags at a PTRACE_EVENT_EXEC stop: EINVAL */
TEST_F(sysvm, errors_exec_event)
{
	static const struct scenario sc = {
		.options = PTRACE_O_TRACEEXEC,
		.prog[0] = {
			{ EXECVE, 0, NOTRUN },
		},
		.steps = {
			/* stop    what                 resume  flags     rax */
			{ SIG,     SIGSTOP,             SYSVM,  0,        KEEP },
			{ ENTRY,   EXECVE,              SYSVM,  0,        KEEP },
			{ EXEC_EV, 0,                   SYSVM,  SKIPCALL, KEEP, .err = EINVAL },
			{ EXEC_EV, 0,                   SYSVM,  SKIPEXIT, KEEP, .err = EINVAL },
			{ EXEC_EV, 0,                   SYSVM,  BOTH,     KEEP, .err = EINVAL },
			{ EXEC_EV, 0,                   SYSVM,  0x4,      KEEP, .err = EINVAL },
			{ EXEC_EV, 0,                   SYSVM,  0,        KEEP },
			{ EXIT,    NATIVE | EXECVE,     SYSVM,  0,        KEEP, 0 },
			{ ENTRY,   NATIVE | GETPPID,    SYSVM,  BOTH,     KEEP },
			{ ENTRY,   NATIVE | EXIT_GROUP, SYSVM,  0,        KEEP },
			{ EXITED,  42 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* exit_group: skipped twice (the tracee goes on), then executed */
TEST_F(sysvm, exit_group)
{
	static const struct scenario sc = {
		.prog[0] = {
			{ EXIT_GROUP, 3, SKIPPED },
			{ EXIT_GROUP, 4, 4242 },
			{ EXIT_GROUP, 5, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,        KEEP },
			{ ENTRY,   EXIT_GROUP, SYSVM,  BOTH,     KEEP },
			{ ENTRY,   EXIT_GROUP, SYSVM,  SKIPCALL, 4242 },
			{ EXIT,    EXIT_GROUP, SYSVM,  0,        KEEP, 4242 },
			{ ENTRY,   EXIT_GROUP, SYSVM,  SKIPEXIT, KEEP },
			{ EXITED,  5 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/*
 * PTRACE_SYSEMU stops are entry stops: the call is already skipped;
 * SKIPEXIT suppresses the exit stop, flags 0 report it.
 */
TEST_F(sysvm, sysemu_stops)
{
	static const struct scenario sc = {
		.pipe_bytes = 0,
		.prog[0] = {
			{ WRITE, 0, SKIPPED },
			{ GETPPID, 0, 9 },
			{ GETPPID, 0, REAL },
			{ GETPPID, 0, 8 },
			{ GETPPID, 0, SKIPPED },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume         flags     rax */
			{ SIG,     SIGSTOP,    PTRACE_SYSEMU, 0,        KEEP },
			{ ENTRY,   WRITE,      SYSVM,         0x4,      KEEP, .err = EINVAL },
			{ ENTRY,   WRITE,      SYSVM,         0,        KEEP },
			{ EXIT,    WRITE,      PTRACE_SYSEMU, 0,        KEEP, SKIPPED },
			{ ENTRY,   GETPPID,    SYSVM,         SKIPEXIT, 9 },
			{ ENTRY,   GETPPID,    SYSVM,         0,        KEEP },
			{ EXIT,    GETPPID,    PTRACE_SYSEMU, 0,        KEEP, REAL },
			{ ENTRY,   GETPPID,    SYSVM,         SKIPCALL, 8 },
			{ EXIT,    GETPPID,    PTRACE_SYSEMU, 0,        KEEP, 8 },
			{ ENTRY,   GETPPID,    SYSVM,         BOTH,     KEEP },
			{ ENTRY,   EXIT_GROUP, SYSVM,         0,        KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/*
 * PTRACE_EVENT_SECCOMP stops (PTRACE_CONT before) are entry stops;
 * the tracee is in syscall-tracing mode afterwards.
 */
TEST_F(sysvm, seccomp_trace_stops)
{
	static const struct scenario sc = {
		.options = PTRACE_O_TRACESECCOMP,
		.filter_sys = GETPPID,
		.filter_ret = SECCOMP_RET_TRACE | TRACE_DATA,
		.prog[0] = {
			{ GETPPID, 0, 77 },
			{ GETPID, 0, REAL },
			{ GETPPID, 0, 66 },
			{ GETPPID, 0, REAL },
			{ GETPPID, 0, REAL },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume       flags     rax */
			{ SIG,     SIGSTOP,    PTRACE_CONT, 0,        KEEP },
			{ SECCOMP, GETPPID,    SYSVM,       0x4,      KEEP, .err = EINVAL },
			{ SECCOMP, GETPPID,    SYSVM,       BOTH,     77 },
			{ ENTRY,   GETPID,     SYSVM,       0,        KEEP },
			{ EXIT,    GETPID,     SYSVM,       0,        KEEP, REAL },
			{ ENTRY,   GETPPID,    PTRACE_CONT, 0,        KEEP },
			{ SECCOMP, GETPPID,    SYSVM,       SKIPCALL, 66 },
			{ EXIT,    GETPPID,    PTRACE_CONT, 0,        KEEP, 66 },
			{ SECCOMP, GETPPID,    SYSVM,       SKIPEXIT, KEEP },
			{ ENTRY,   GETPPID,    PTRACE_CONT, 0,        KEEP },
			{ SECCOMP, GETPPID,    SYSVM,       0,        KEEP },
			{ EXIT,    GETPPID,    SYSVM,       0,        KEEP, REAL },
			{ ENTRY,   EXIT_GROUP, SYSVM,       0,        KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* The tracee's RET_ERRNO filter applies under SKIPEXIT, not SKIPCALL */
TEST_F(sysvm, seccomp_errno)
{
	static const struct scenario sc = {
		.filter_sys = WRITE,
		.filter_ret = SECCOMP_RET_ERRNO | EXDEV,
		.pipe_bytes = 0,
		.prog[0] = {
			{ WRITE, 0, -EXDEV },
			{ WRITE, 0, 4242 },
			{ WRITE, 0, -EXDEV },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,        KEEP },
			{ ENTRY,   WRITE,      SYSVM,  SKIPEXIT, KEEP },
			{ ENTRY,   WRITE,      SYSVM,  BOTH,     4242 },
			{ ENTRY,   WRITE,      SYSVM,  0,        KEEP },
			{ EXIT,    WRITE,      SYSVM,  0,        KEEP, -EXDEV },
			{ ENTRY,   EXIT_GROUP, SYSVM,  0,        KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* A RET_KILL filter: not run for skipped calls, kills under SKIPEXIT */
TEST_F(sysvm, seccomp_kill)
{
	static const struct scenario sc = {
		.filter_sys = GETPPID,
		.filter_ret = SECCOMP_RET_KILL_PROCESS,
		.prog[0] = {
			{ GETPPID, 0, 4242 },
			{ GETPPID, 0, SKIPPED },
			{ GETPPID, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,        KEEP },
			{ ENTRY,   GETPPID,    SYSVM,  BOTH,     4242 },
			{ ENTRY,   GETPPID,    SYSVM,  SKIPCALL, KEEP },
			{ EXIT,    GETPPID,    SYSVM,  0,        KEEP, SKIPPED },
			{ ENTRY,   GETPPID,    SYSVM,  SKIPEXIT, KEEP },
			{ KILLED,  SIGSYS },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/*
 * A signal interrupts a blocking read(): no exit stop under SKIPEXIT;
 * the restarted call is reported at entry again, with fresh flags.
 */
TEST_F(sysvm, syscall_restart)
{
	static const struct scenario sc = {
		.prog[0] = {
			{ READ, 0, REAL },
			{ READ, 0, 5 },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,        KEEP },
			{ ENTRY,   READ,       SYSVM,  SKIPEXIT, KEEP, .act = SIGUSR1_ },
			{ SIG,     SIGUSR1,    SYSVM,  SKIPCALL, KEEP, .err = EINVAL },
			{ SIG,     SIGUSR1,    SYSVM,  SKIPEXIT, KEEP, .err = EINVAL },
			{ SIG,     SIGUSR1,    SYSVM,  0,        KEEP },
			{ ENTRY,   READ,       SYSVM,  0,        KEEP, .act = FILL },
			{ EXIT,    READ,       SYSVM,  0,        KEEP, REAL },
			{ ENTRY,   READ,       SYSVM,  0,        KEEP, .act = SIGUSR1_ },
			{ EXIT,    READ,       SYSVM,  0,        KEEP, -ERESTARTSYS },
			{ SIG,     SIGUSR1,    SYSVM,  0,        KEEP },
			{ ENTRY,   READ,       SYSVM,  BOTH,     5 },
			{ ENTRY,   EXIT_GROUP, SYSVM,  0,        KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* Flags are per thread: both threads in an entry stop at once */
TEST_F(sysvm, threads)
{
	static const struct scenario sc = {
		.threads = 2,
		.prog[0] = {
			{ GETPPID, 0, 11 },
			{ GETPPID, 0, 12 },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.prog[1] = {
			{ GETPPID, 0, REAL },
			{ GETPPID, 0, REAL },
			{ EXIT_THREAD, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags  rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,     KEEP },
			{ SIG,     SIGSTOP,    SYSVM,  0,     KEEP, .thr = 1 },
			/* B resumed while A waits, undecided */
			{ ENTRY,   GETPPID,    NOREQ,  0,     KEEP },
			{ ENTRY,   GETPPID,    SYSVM,  0,     KEEP, .thr = 1 },
			{ ENTRY,   GETPPID,    SYSVM,  BOTH,  11 },
			{ EXIT,    GETPPID,    SYSVM,  0,     KEEP, REAL, .thr = 1 },
			/* A decides first, B waits */
			{ ENTRY,   GETPPID,    NOREQ,  0,     KEEP, .thr = 1 },
			{ ENTRY,   GETPPID,    SYSVM,  BOTH,  12 },
			{ ENTRY,   GETPPID,    SYSVM,  0,     KEEP, .thr = 1 },
			{ EXIT,    GETPPID,    SYSVM,  0,     KEEP, REAL, .thr = 1 },
			{ ENTRY,   EXIT_THREAD, SYSVM, 0,     KEEP, .thr = 1 },
			{ EXITED,  0,          .thr = 1 },
			{ ENTRY,   EXIT_GROUP, SYSVM,  0,     KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

/* SIGKILL in a stop after deciding: the call never runs */
TEST_F(sysvm, sigkill)
{
	static const struct scenario at_entry = {
		.pipe_bytes = 0,
		.prog[0] = {
			{ WRITE, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags  rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,     KEEP },
			{ ENTRY,   WRITE,      SYSVM,  BOTH | 0x4, KEEP, .err = EINVAL },
			{ ENTRY,   WRITE,      NOREQ,  0,     4242, .act = SIGKILL_ },
			{ KILLED,  SIGKILL },
		},
	};
	static const struct scenario at_exit = {
		.pipe_bytes = 0,
		.prog[0] = {
			{ WRITE, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume  flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,  0,        KEEP },
			{ ENTRY,   WRITE,      SYSVM,  SKIPCALL, 4242 },
			{ EXIT,    WRITE,      NOREQ,  0,        KEEP, 4242, .act = SIGKILL_ },
			{ KILLED,  SIGKILL },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &at_entry, false);
	run(_metadata, &self->x, &at_exit, false);
}

/*
 * PTRACE_DETACH at an entry stop: the call runs untraced; a new
 * tracer (PTRACE_SEIZE) sees normal behaviour.
 */
TEST_F(sysvm, detach_reattach)
{
	static const struct scenario sc = {
		.pipe_bytes = 1,
		.prog[0] = {
			{ GETPPID, 0, 5 },
			{ WRITE, 0, REAL },
			{ READ, 0, REAL },
			{ KILL, SIGSTOP, 0 },
			{ GETPPID, 0, REAL },
			{ EXIT_GROUP, 0, NOTRUN },
		},
		.steps = {
			/* stop    what        resume         flags     rax */
			{ SIG,     SIGSTOP,    SYSVM,         0,        KEEP },
			{ ENTRY,   GETPPID,    SYSVM,         SKIPCALL, 5 },
			{ EXIT,    GETPPID,    SYSVM,         0,        KEEP, 5 },
			{ ENTRY,   WRITE,      PTRACE_DETACH, 0,        4242, .act = REATTACH },
			{ SIG,     SIGSTOP,    SYSVM,         0,        KEEP },
			{ ENTRY,   GETPPID,    SYSVM,         0,        KEEP },
			{ EXIT,    GETPPID,    SYSVM,         0,        KEEP, REAL },
			{ ENTRY,   EXIT_GROUP, SYSVM,         0,        KEEP },
			{ EXITED,  0 },
		},
	};

	if (!self->x.supported)
		SKIP(return, NO_SYSVM);
	run(_metadata, &self->x, &sc, false);
}

TEST_HARNESS_MAIN
