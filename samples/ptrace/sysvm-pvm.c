// SPDX-License-Identifier: GPL-2.0
/*
 * sysvm-pvm: a small partial virtual machine built on PTRACE_SYSVM.
 *
 * A partial virtual machine runs programs under ptrace and shows them a
 * slightly different system. This one gives them a node name of its own
 * and one directory tree at another place. It handles a few system calls
 * itself and lets the kernel run all the others, and it decides which, call
 * by call, from the arguments it reads at the system call entry stop:
 *
 *	sysvm-pvm [options] -- command [arg...]	run a command in the VM
 *	sysvm-pvm [options] -p PID		take a running process into it
 *
 *	-n NAME		the node name that uname() returns (default sysvm-pvm)
 *	-m PREFIX=DIR	show the directory DIR at PREFIX
 *	-M MODE		how the tracer stops at system calls:
 *			sysvm	PTRACE_SYSVM, one stop per call (the default)
 *			syscall	PTRACE_SYSCALL, two stops per call
 *			seccomp	a SECCOMP_RET_TRACE filter and PTRACE_CONT
 *				(for a command only, not with -p)
 *			auto	sysvm if the kernel has it, else syscall
 *	-o FILE		write the statistics to FILE instead of stderr
 *	-v		report every call that the VM virtualises
 *
 * For example:
 *
 *	$ sysvm-pvm -n vm1 -m /virt=/tmp/data -- sh -c 'uname -n; ls /virt'
 *
 * SIGINT or SIGTERM takes the programs out of the VM: they go on running
 * and see the real system again. At the end, the VM prints how many calls
 * it saw, how many it virtualised and how many stops they cost.
 *
 * The policy
 * ----------
 * uname() is emulated: the tracer writes a struct new_utsname with the
 * VM's node name into the tracee's buffer, sets the return value and skips
 * the call. A call that takes a path (open(), stat(), access(), ...) and
 * names a file below PREFIX is redirected: the tracer writes the path
 * translated to DIR into the tracee's memory and points the argument at
 * it. The kernel then runs the call on the real file. Every other call,
 * the large majority, is passed through to the kernel unchanged.
 *
 * The mechanisms
 * --------------
 * The same policy runs three ways, so that they can be compared on the
 * same work:
 *
 * -M sysvm: at each entry stop, PTRACE_SYSVM carries the decision for that
 *   one call: PTRACE_VM_SKIPCALL | PTRACE_VM_SKIPEXIT for an emulated call,
 *   PTRACE_VM_SKIPEXIT for a call passed through, and no flags for a
 *   redirected call, whose exit stop the VM needs (see below). One stop per
 *   call, two for a redirected one.
 *
 * -M syscall: PTRACE_SYSCALL stops at the entry and at the exit of every
 *   call. A call is skipped by setting its number to -1. Two stops per call.
 *
 * -M seccomp: the command installs a seccomp filter that returns
 *   SECCOMP_RET_TRACE for the numbers of the calls that the VM might
 *   virtualise and SECCOMP_RET_ALLOW for the others, and the tracer resumes
 *   it with PTRACE_CONT. Only the calls that the filter selects stop, and
 *   the VM never sees the others. But the filter cannot read a path, so
 *   every open() stops, and the filter stays for good: a command that the
 *   VM detaches from fails every uname() with ENOSYS.
 *
 * Why a redirected call keeps its exit stop: the x86-64 system call ABI
 * preserves every register except rax, rcx and r11, and compilers rely on
 * it. The VM changed an argument register, so it must put the old value
 * back before the tracee runs again, at the exit stop. This is the point of
 * PTRACE_SYSVM: a tracer asks for an exit stop only for the calls that need
 * one.
 *
 * What it does not do: paths are compared as strings (no "..", symbolic
 * link or relative path resolution, so this is no sandbox); getcwd() after
 * chdir() into the tree shows DIR; execve() of a program below PREFIX is
 * not redirected; ia32 and x32 system calls of a 64-bit program are passed
 * through.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/ptrace.h>	/* PTRACE_SYSVM; not <sys/ptrace.h> */
#include <linux/seccomp.h>
#include <linux/utsname.h>

#define ARRAY_SIZE(x) (sizeof(x) / sizeof(*(x)))

/*
 * The architecture-specific part: where a system call's number, arguments
 * and return value are in the tracee's registers, for PTRACE_POKEUSER.
 * PTRACE_GET_SYSCALL_INFO reads the number, the arguments and the stack
 * pointer on every architecture; only writing them needs this block.
 * Another architecture needs its own version of it (and of the table of
 * calls further down, whose legacy calls not every architecture has).
 */
#if defined(__x86_64__)
#define VM_AUDIT_ARCH	AUDIT_ARCH_X86_64
#define VM_RED_ZONE	128	/* below the stack pointer, the tracee's own */
#define REG(r)		offsetof(struct user_regs_struct, r)
static const unsigned long arg_reg[6] = {
	REG(rdi), REG(rsi), REG(rdx), REG(r10), REG(r8), REG(r9)
};

#define NR_REG		REG(orig_rax)	/* -1 here: the call is skipped */
#define RET_REG		REG(rax)
#else
#error "sysvm-pvm knows the registers of x86-64 only"
#endif

enum mode { MODE_SYSVM, MODE_SYSCALL, MODE_SECCOMP, MODE_AUTO };
static const char * const mode_name[] = { "sysvm", "syscall", "seccomp", "auto" };

/* What the policy decides for one call. */
enum action {
	ACT_RUN,	/* the kernel runs the call as it is */
	ACT_EMULATE,	/* the VM did its work; skip it and return retval */
	ACT_REDIRECT,	/* an argument points elsewhere; restore it at exit */
};

/* One traced thread. */
struct tracee {
	struct tracee *next;
	pid_t tid;
	bool want_exit;		/* resumed from an entry stop to its exit */
	bool restore;		/* args[arg] = old_value at the exit stop */
	int arg;
	unsigned long old_value;
	bool skipped;		/* -M syscall: set the return value at exit */
	long retval;
};

static enum mode mode = MODE_SYSVM;
static bool verbose;
static struct new_utsname vm_uts;	/* what the VM's uname() returns */
static const char *prefix, *dir;	/* -m PREFIX=DIR */
static size_t prefix_len;

static struct tracee *tracees;
static pid_t command_pid;		/* the command we started, or 0 */
static int command_status;
static bool probed;
static atomic_int stop_requested;	/* by SIGINT or SIGTERM */

static struct {
	unsigned long calls, virtualised, stops;
} stats;

/* The calls with a path argument that -m redirects, and where it is. */
static const struct path_call {
	int nr;
	int arg;
	const char *name;
} path_calls[] = {
#ifdef __NR_open	/* the legacy calls: x86-64 has them, arm64 not */
	{ __NR_open, 0, "open" },
	{ __NR_stat, 0, "stat" },
	{ __NR_lstat, 0, "lstat" },
	{ __NR_access, 0, "access" },
	{ __NR_readlink, 0, "readlink" },
#endif
	{ __NR_openat, 1, "openat" },
	{ __NR_openat2, 1, "openat2" },
	{ __NR_newfstatat, 1, "newfstatat" },
	{ __NR_statx, 1, "statx" },
	{ __NR_faccessat, 1, "faccessat" },
	{ __NR_faccessat2, 1, "faccessat2" },
	{ __NR_readlinkat, 1, "readlinkat" },
	{ __NR_chdir, 0, "chdir" },
	{ __NR_getxattr, 0, "getxattr" },	/* ls -l asks for ACLs */
	{ __NR_lgetxattr, 0, "lgetxattr" },
	{ __NR_listxattr, 0, "listxattr" },
	{ __NR_llistxattr, 0, "llistxattr" },
	/*
	 * getdents64() needs nothing: it reads a descriptor that a
	 * redirected open() made, so it lists DIR.
	 */
};

/*
 * The raw system call, not glibc's ptrace(): glibc's <sys/ptrace.h> does
 * not know PTRACE_SYSVM yet, and the raw PTRACE_PEEKDATA stores the word
 * at "data", so that an error is told apart from a word that is -1.
 */
static long pt(long request, pid_t tid, unsigned long addr, unsigned long data)
{
	return syscall(__NR_ptrace, request, tid, addr, data);
}

/*
 * The tracee's memory, a word at a time. process_vm_readv() or
 * /proc/PID/mem move more at once, but the kernel may be built without
 * them (CONFIG_CROSS_MEMORY_ATTACH); ptrace itself always works.
 */
static int peek_string(pid_t tid, unsigned long addr, char *buf, size_t size)
{
	size_t n = 0;

	while (n < size) {
		unsigned long start = (addr + n) & ~(sizeof(long) - 1);
		size_t off = addr + n - start;
		unsigned long word;

		if (pt(PTRACE_PEEKDATA, tid, start, (unsigned long)&word))
			return -1;
		for (; off < sizeof(word) && n < size; off++, n++) {
			buf[n] = ((char *)&word)[off];
			if (!buf[n])
				return 0;
		}
	}
	errno = ENAMETOOLONG;
	return -1;
}

static int poke_mem(pid_t tid, unsigned long addr, const void *src, size_t len)
{
	const char *p = src;

	while (len) {
		unsigned long start = addr & ~(sizeof(long) - 1);
		size_t off = addr - start;
		size_t n = sizeof(long) - off < len ? sizeof(long) - off : len;
		unsigned long word;

		/* Keep the bytes of a partial word that are not ours. */
		if (n < sizeof(long) &&
		    pt(PTRACE_PEEKDATA, tid, start, (unsigned long)&word))
			return -1;
		memcpy((char *)&word + off, p, n);
		if (pt(PTRACE_POKEDATA, tid, start, word))
			return -1;
		addr += n;
		p += n;
		len -= n;
	}
	return 0;
}

static int set_reg(pid_t tid, unsigned long reg, unsigned long value)
{
	return pt(PTRACE_POKEUSR, tid, reg, value);
}

static struct tracee *find_tracee(pid_t tid)
{
	struct tracee *t;

	for (t = tracees; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static struct tracee *add_tracee(pid_t tid)
{
	struct tracee *t = calloc(1, sizeof(*t));

	if (!t)
		err(1, "out of memory");
	t->tid = tid;
	t->next = tracees;
	tracees = t;
	return t;
}

static void forget_tracee(struct tracee *t)
{
	struct tracee **p;

	for (p = &tracees; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			free(t);
			return;
		}
	}
}

/*
 * The policy. Both helpers may write into the tracee; what they return is
 * the same whichever mechanism stops the tracee.
 */
static long emulate_uname(struct tracee *t, unsigned long buf)
{
	if (poke_mem(t->tid, buf, &vm_uts, sizeof(vm_uts)))
		return -EFAULT;
	if (verbose)
		fprintf(stderr, "sysvm-pvm: [%d] uname() -> \"%s\"\n",
			t->tid, vm_uts.nodename);
	return 0;
}

static enum action redirect_path(struct tracee *t, const struct path_call *pc,
				 unsigned long addr, unsigned long sp,
				 long *retval)
{
	char path[PATH_MAX], real[PATH_MAX];
	unsigned long copy;
	size_t len;

	/* A bad pointer is the kernel's business: it returns EFAULT. */
	if (peek_string(t->tid, addr, path, sizeof(path)))
		return ACT_RUN;
	if (strncmp(path, prefix, prefix_len) ||
	    (path[prefix_len] != '\0' && path[prefix_len] != '/'))
		return ACT_RUN;

	len = snprintf(real, sizeof(real), "%s%s", dir, path + prefix_len);
	if (len >= sizeof(real)) {
		*retval = -ENAMETOOLONG;
		return ACT_EMULATE;
	}

	/*
	 * Put the new path on the tracee's stack, below the red zone that
	 * the x86-64 ABI lets a function use without moving the stack
	 * pointer. Nothing else is there while the call runs: signal frames
	 * come only after the exit stop, where the VM restores the argument.
	 */
	copy = (sp - VM_RED_ZONE - len - 1) & ~15UL;
	if (poke_mem(t->tid, copy, real, len + 1) ||
	    set_reg(t->tid, arg_reg[pc->arg], copy)) {
		warn("[%d] cannot redirect %s(\"%s\")", t->tid, pc->name, path);
		*retval = -EFAULT;
		return ACT_EMULATE;
	}
	t->restore = true;
	t->arg = pc->arg;
	t->old_value = addr;
	if (verbose)
		fprintf(stderr, "sysvm-pvm: [%d] %s(\"%s\") -> \"%s\"\n",
			t->tid, pc->name, path, real);
	return ACT_REDIRECT;
}

static enum action decide(struct tracee *t, const struct ptrace_syscall_info *si,
			  long *retval)
{
	/* The seccomp member has the same nr and args as the entry member. */
	__u64 nr = si->entry.nr;
	const __u64 *args = si->entry.args;
	size_t i;

	if (si->arch != VM_AUDIT_ARCH)
		return ACT_RUN;
	if (nr == __NR_uname) {
		*retval = emulate_uname(t, args[0]);
		return ACT_EMULATE;
	}
	if (!prefix)
		return ACT_RUN;
	for (i = 0; i < ARRAY_SIZE(path_calls); i++)
		if (nr == (__u64)path_calls[i].nr)
			return redirect_path(t, &path_calls[i],
					     args[path_calls[i].arg],
					     si->stack_pointer, retval);
	return ACT_RUN;
}

/* The request that resumes a tracee from a stop that is not an entry stop. */
static long resume_request(void)
{
	switch (mode) {
	case MODE_SYSVM:
		return PTRACE_SYSVM;	/* with flags 0: PTRACE_SYSCALL */
	case MODE_SYSCALL:
		return PTRACE_SYSCALL;
	default:
		return PTRACE_CONT;	/* only the filter's calls stop */
	}
}

static void resume(struct tracee *t, long request, unsigned long flags,
		   int sig)
{
	/* ESRCH: killed meanwhile (say, by exit_group()); waitpid tells. */
	if (pt(request, t->tid, flags, sig) && errno != ESRCH)
		err(1, "cannot restart thread %d", t->tid);
}

/* Skip the call the old way: no system call has the number -1. */
static void skip_call(struct tracee *t, long retval)
{
	if (set_reg(t->tid, NR_REG, -1) || set_reg(t->tid, RET_REG, retval))
		warn("[%d] cannot skip the call", t->tid);
}

/* At an entry stop (or a PTRACE_EVENT_SECCOMP stop): decide, and resume. */
static void syscall_entry(struct tracee *t, const struct ptrace_syscall_info *si)
{
	unsigned long flags = PTRACE_VM_SKIPEXIT;
	long retval = 0;
	enum action action = decide(t, si, &retval);

	stats.calls++;
	if (action != ACT_RUN)
		stats.virtualised++;

	switch (mode) {
	case MODE_SYSVM:
		if (action == ACT_EMULATE) {
			if (set_reg(t->tid, RET_REG, retval))
				warn("[%d] cannot set the return value", t->tid);
			flags = PTRACE_VM_SKIPCALL | PTRACE_VM_SKIPEXIT;
		} else if (action == ACT_REDIRECT) {
			flags = 0;	/* the exit stop restores the argument */
		}
		t->want_exit = !(flags & PTRACE_VM_SKIPEXIT);
		resume(t, PTRACE_SYSVM, flags, 0);
		break;
	case MODE_SYSCALL:
		if (action == ACT_EMULATE) {
			skip_call(t, retval);
			t->skipped = true;
			t->retval = retval;
		}
		t->want_exit = true;
		resume(t, PTRACE_SYSCALL, 0, 0);
		break;
	default:
		if (action == ACT_EMULATE)
			skip_call(t, retval);
		/* PTRACE_SYSCALL from here costs a second stop, at the exit. */
		t->want_exit = action == ACT_REDIRECT;
		resume(t, t->want_exit ? PTRACE_SYSCALL : PTRACE_CONT, 0, 0);
		break;
	}
}

/* Undo what the entry stop changed: at the exit stop, and when detaching. */
static void finish_call(struct tracee *t)
{
	if (t->restore &&
	    set_reg(t->tid, arg_reg[t->arg], t->old_value))
		warn("[%d] cannot restore argument %d", t->tid, t->arg);
	if (t->skipped && set_reg(t->tid, RET_REG, t->retval))
		warn("[%d] cannot set the return value", t->tid);
	t->restore = false;
	t->skipped = false;
}

static void syscall_stop(struct tracee *t)
{
	struct ptrace_syscall_info si;

	stats.stops++;
	if (pt(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(si),
	       (unsigned long)&si) < 0) {
		if (errno == ESRCH)
			return;
		err(1, "PTRACE_GET_SYSCALL_INFO on thread %d", t->tid);
	}

	switch (si.op) {
	case PTRACE_SYSCALL_INFO_ENTRY:
	case PTRACE_SYSCALL_INFO_SECCOMP:
		syscall_entry(t, &si);
		return;
	case PTRACE_SYSCALL_INFO_EXIT:
		/* No entry stop: the call was running when tracing began. */
		if (!t->want_exit)
			stats.calls++;
		finish_call(t);
		break;
	}
	t->want_exit = false;
	resume(t, resume_request(), 0, 0);
}

/*
 * A thread other than the leader called execve(): it now has the leader's
 * ID, and its old ID is gone without an exit to report.
 */
static void exec_done(struct tracee *t)
{
	unsigned long former;
	struct tracee *old;

	if (pt(PTRACE_GETEVENTMSG, t->tid, 0, (unsigned long)&former))
		return;
	old = find_tracee(former);
	if (old && old != t)
		forget_tracee(old);
}

/*
 * A fork(), vfork() or clone() made a child that is traced already. Its
 * first stop may have come first, and even its exit: add it only if it
 * is still ours to wait for, or it would stay on the list after its exit.
 */
static void new_child(struct tracee *t)
{
	unsigned long child;
	siginfo_t si;

	if (pt(PTRACE_GETEVENTMSG, t->tid, 0, (unsigned long)&child) ||
	    find_tracee(child))
		return;
	if (!waitid(P_PID, child, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT |
		    __WALL))
		add_tracee(child);
	else if (errno != ECHILD)
		warn("waitid for the new thread %lu", child);
}

static bool is_syscall_stop(int status)
{
	return WSTOPSIG(status) == (SIGTRAP | 0x80) ||
	       status >> 16 == PTRACE_EVENT_SECCOMP;
}

static unsigned int detached;

static void detach(struct tracee *t, int sig)
{
	if (pt(PTRACE_DETACH, t->tid, 0, sig) && errno != ESRCH)
		warn("PTRACE_DETACH of thread %d", t->tid);
	else
		detached++;
	forget_tracee(t);
}

/*
 * Leave the programs running as they were: stop every thread, take back
 * what the VM changed in a call that is in progress, and detach. A thread
 * stopped at an entry stop is detached there, so that its call runs as the
 * program made it. "held" is a thread in a stop that was not resumed yet.
 */
static void detach_all(struct tracee *held)
{
	struct tracee *t;
	int status, sig;
	pid_t tid;

	if (held) {
		finish_call(held);
		detach(held, 0);
	}
	for (t = tracees; t; t = t->next)
		if (pt(PTRACE_INTERRUPT, t->tid, 0, 0) && errno != ESRCH)
			warn("cannot stop thread %d", t->tid);

	while (tracees) {
		tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			err(1, "waitpid while detaching");
		}
		t = find_tracee(tid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (t)
				forget_tracee(t);
			continue;
		}
		if (!t)		/* a child forked just now */
			t = add_tracee(tid);

		sig = 0;
		switch (status >> 16) {
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			new_child(t);	/* detached at its first stop */
			break;
		case PTRACE_EVENT_EXEC:
			exec_done(t);
			break;
		case 0:
			if (!is_syscall_stop(status))
				sig = WSTOPSIG(status);	/* deliver it */
			break;
		}
		if (is_syscall_stop(status))
			finish_call(t);		/* at an exit stop */
		detach(t, sig);
	}
	fprintf(stderr, "sysvm-pvm: detached from %u threads\n", detached);
	if (mode == MODE_SECCOMP && command_pid)
		fprintf(stderr,
			"sysvm-pvm: detached; the command keeps its seccomp filter, so its virtualised calls fail with ENOSYS from now on\n");
}

/* Does the kernel have PTRACE_SYSVM? Asked at the first stop. */
static void probe_sysvm(struct tracee *t)
{
	probed = true;
	if (mode != MODE_SYSVM && mode != MODE_AUTO)
		return;

	/* Flags that do not exist: EINVAL if the request does, else EIO. */
	if (!pt(PTRACE_SYSVM, t->tid, ~0UL, 0))
		errx(1, "ptrace(PTRACE_SYSVM, %d, ~0UL, 0) succeeded", t->tid);
	if (errno == EINVAL) {
		mode = MODE_SYSVM;
		return;
	}
	if (errno != EIO)
		err(1, "probing for PTRACE_SYSVM on thread %d", t->tid);
	if (mode == MODE_AUTO) {
		fprintf(stderr,
			"sysvm-pvm: this kernel has no PTRACE_SYSVM; using PTRACE_SYSCALL (-M syscall)\n");
		mode = MODE_SYSCALL;
		return;
	}

	fprintf(stderr,
		"sysvm-pvm: this kernel has no PTRACE_SYSVM (ptrace(PTRACE_SYSVM, pid, ~0UL, 0) failed with EIO, not EINVAL); use -M syscall, -M seccomp or -M auto\n");
	if (command_pid)
		exit(1);	/* PTRACE_O_EXITKILL ends the command */
	detach_all(t);
	exit(1);
}

/* A stop or an exit of a thread, as waitpid() reported it. */
static void handle_status(pid_t tid, int status)
{
	struct tracee *t = find_tracee(tid);
	int sig;

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (tid == command_pid)
			command_status = status;
		if (t)
			forget_tracee(t);
		return;
	}
	if (!t)		/* a new child stops before its parent's event */
		t = add_tracee(tid);
	if (!probed)
		probe_sysvm(t);

	if (is_syscall_stop(status)) {
		syscall_stop(t);
		return;
	}

	sig = WSTOPSIG(status);
	switch (status >> 16) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		new_child(t);
		sig = 0;
		break;
	case PTRACE_EVENT_EXEC:
		exec_done(t);
		sig = 0;
		break;
	case PTRACE_EVENT_STOP:
		/* A group-stop: stay stopped until SIGCONT, as untraced. */
		if (sig == SIGSTOP || sig == SIGTSTP ||
		    sig == SIGTTIN || sig == SIGTTOU) {
			resume(t, PTRACE_LISTEN, 0, 0);
			return;
		}
		sig = 0;	/* PTRACE_INTERRUPT, or a new child */
		break;
	case 0:
		break;		/* a signal-delivery stop: deliver it */
	default:
		sig = 0;
		break;
	}
	resume(t, resume_request(), 0, sig);
}

static unsigned long trace_options(void)
{
	unsigned long options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC |
		PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;

	if (mode == MODE_SECCOMP)
		options |= PTRACE_O_TRACESECCOMP;
	/* Kill a command we started if we die; never a process we joined. */
	if (command_pid)
		options |= PTRACE_O_EXITKILL;
	return options;
}

/*
 * -M seccomp: the filter. It sends the calls that the VM might virtualise
 * to the tracer and allows all the others. It sees only the call's number,
 * so every open() goes to the tracer, wherever it opens.
 */
static struct sock_fprog *make_filter(void)
{
	static struct sock_filter code[5 + 2 * (1 + ARRAY_SIZE(path_calls))];
	static struct sock_fprog prog = { .filter = code };
	unsigned int n = 0;
	size_t i;

#define EMIT(insn) (code[n++] = (struct sock_filter)insn)
	EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		      offsetof(struct seccomp_data, arch)));
	EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, VM_AUDIT_ARCH, 1, 0));
	EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		      offsetof(struct seccomp_data, nr)));
	/* "if (nr == N) return SECCOMP_RET_TRACE;" for each N */
	EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_uname, 0, 1));
	EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
	for (i = 0; prefix && i < ARRAY_SIZE(path_calls); i++) {
		EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, path_calls[i].nr, 0, 1));
		EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
	}
	EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
#undef EMIT
	prog.len = n;
	return &prog;
}

/*
 * Start the command, traced from its first instruction. The child waits
 * on a pipe until the tracer has attached with PTRACE_SEIZE (needed for
 * PTRACE_INTERRUPT when detaching), then runs the command. Its execve()
 * gives the first stop, PTRACE_EVENT_EXEC.
 */
static void start_command(char **argv)
{
	struct sock_fprog *filter = NULL;
	int go[2];
	char c;

	if (mode == MODE_SECCOMP)
		filter = make_filter();
	if (pipe2(go, O_CLOEXEC))
		err(1, "pipe");
	command_pid = fork();
	if (command_pid < 0)
		err(1, "fork");
	if (command_pid == 0) {
		close(go[1]);
		/*
		 * Only a process with no_new_privs (or CAP_SYS_ADMIN) may
		 * install a filter: from now on, set-user-ID programs no
		 * longer get their privileges.
		 */
		if (filter && (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
			       syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
				       0, filter))) {
			perror("sysvm-pvm: installing the seccomp filter");
			_exit(126);
		}
		/* EOF when the tracer closes its end: it is attached. */
		if (read(go[0], &c, 1) != 0)
			_exit(126);
		execvp(argv[0], argv);
		fprintf(stderr, "sysvm-pvm: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(go[0]);
	if (pt(PTRACE_SEIZE, command_pid, 0, trace_options())) {
		kill(command_pid, SIGKILL);
		err(1, "cannot trace the command (PTRACE_SEIZE)");
	}
	add_tracee(command_pid);
	close(go[1]);
}

/*
 * Take every thread of a running process. Threads that a traced thread
 * creates are traced automatically (PTRACE_O_TRACECLONE); list the
 * threads again until no new one shows up, for those that an untraced
 * thread created meanwhile.
 */
static void attach_process(pid_t pid)
{
	char path[64];
	struct dirent *de;
	bool found;
	DIR *d;
	pid_t tid;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	do {
		found = false;
		d = opendir(path);
		if (!d)
			err(1, "cannot list the threads of process %d (%s)",
			    pid, path);
		while ((de = readdir(d))) {
			tid = atoi(de->d_name);
			if (tid <= 0 || find_tracee(tid))
				continue;
			if (pt(PTRACE_SEIZE, tid, 0, trace_options())) {
				if (errno == ESRCH)	/* it just exited */
					continue;
				if (errno == EPERM)
					fprintf(stderr,
						"sysvm-pvm: not allowed to trace %d: is it traced already, or does /proc/sys/kernel/yama/ptrace_scope forbid it?\n",
						tid);
				err(1, "cannot trace thread %d of process %d",
				    tid, pid);
			}
			add_tracee(tid);
			if (pt(PTRACE_INTERRUPT, tid, 0, 0) && errno != ESRCH)
				err(1, "cannot stop thread %d", tid);
			found = true;
		}
		closedir(d);
	} while (found);
}

static void request_stop(int sig)
{
	stop_requested = sig;
}

static void print_stats(FILE *out)
{
	double per_call = stats.calls ?
		(double)stats.stops / stats.calls : 0.0;

	fprintf(out,
		"sysvm-pvm: mode %s: %lu syscalls, %lu virtualised, %lu passed through, %lu stops, %.2f stops/call%s\n",
		mode_name[mode], stats.calls, stats.virtualised,
		stats.calls - stats.virtualised, stats.stops, per_call,
		mode == MODE_SECCOMP ?
		" (only the calls that the filter selects are seen)" : "");
	fflush(out);
}

static noreturn void show_usage(int status)
{
	fprintf(stderr,
		"usage: sysvm-pvm [-n NAME] [-m PREFIX=DIR] [-M MODE] [-o FILE] [-v] -- COMMAND [ARG...]\n"
		"       sysvm-pvm [-n NAME] [-m PREFIX=DIR] [-M MODE] [-o FILE] [-v] -p PID\n"
		"  -n NAME        node name returned by uname() (default sysvm-pvm)\n"
		"  -m PREFIX=DIR  serve the paths below PREFIX from DIR\n"
		"  -M MODE        sysvm (default), syscall, seccomp (not with -p) or auto\n"
		"  -o FILE        write the statistics to FILE (default: stderr)\n"
		"  -v             report each virtualised call\n");
	exit(status);
}

static void parse_mount(char *arg)
{
	struct stat st;
	char *eq = strchr(arg, '=');

	if (!eq || arg[0] != '/' || eq == arg + 1 || !eq[1]) {
		fprintf(stderr,
			"sysvm-pvm: -m wants PREFIX=DIR with an absolute PREFIX other than /, not \"%s\"\n",
			arg);
		exit(2);
	}
	*eq = '\0';
	prefix = arg;
	prefix_len = strlen(prefix);
	while (prefix_len > 1 && prefix[prefix_len - 1] == '/')
		arg[--prefix_len] = '\0';
	dir = eq + 1;
	if (stat(dir, &st))
		err(1, "-m %s=%s: cannot use %s", prefix, dir, dir);
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "sysvm-pvm: -m %s=%s: %s is not a directory\n",
			prefix, dir, dir);
		exit(2);
	}
}

int main(int argc, char *argv[])
{
	const char *name = "sysvm-pvm", *out_path = NULL;
	struct sigaction sa = { .sa_handler = request_stop };
	FILE *out = stderr;
	pid_t attach_pid = 0, tid;
	int opt, status;
	size_t i;

	while ((opt = getopt(argc, argv, "+n:m:M:p:o:vh")) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			break;
		case 'm':
			parse_mount(optarg);
			break;
		case 'M':
			for (i = 0; i < ARRAY_SIZE(mode_name); i++)
				if (!strcmp(optarg, mode_name[i]))
					break;
			mode = i;
			if (i == ARRAY_SIZE(mode_name)) {
				fprintf(stderr, "sysvm-pvm: unknown mode \"%s\"\n",
					optarg);
				show_usage(2);
			}
			break;
		case 'p':
			attach_pid = atoi(optarg);
			if (attach_pid <= 0) {
				fprintf(stderr, "sysvm-pvm: bad PID \"%s\"\n",
					optarg);
				show_usage(2);
			}
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			show_usage(0);
		default:
			show_usage(2);
		}
	}
	/* Either a command or -p, not both. */
	if (attach_pid ? optind < argc : optind == argc)
		show_usage(2);
	if (attach_pid && mode == MODE_SECCOMP) {
		fprintf(stderr,
			"sysvm-pvm: -M seccomp needs a command: only the command itself can install its filter, before it runs\n");
		exit(2);
	}

	if (syscall(__NR_uname, &vm_uts))
		err(1, "uname");
	if (strlen(name) >= sizeof(vm_uts.nodename)) {
		fprintf(stderr,
			"sysvm-pvm: the node name \"%s\" is longer than %zu bytes\n",
			name, sizeof(vm_uts.nodename) - 1);
		exit(2);
	}
	memset(vm_uts.nodename, 0, sizeof(vm_uts.nodename));
	memcpy(vm_uts.nodename, name, strlen(name));

	if (out_path) {
		out = fopen(out_path, "we");
		if (!out)
			err(1, "cannot write %s", out_path);
	}

	/*
	 * No SA_RESTART: the signal interrupts waitpid(). One that comes
	 * between the check of stop_requested and waitpid() is seen at the
	 * next stop of any thread.
	 */
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		err(1, "sigaction");

	if (attach_pid)
		attach_process(attach_pid);
	else
		start_command(argv + optind);

	/*
	 * Until no thread is left to wait for, not until the list is empty:
	 * a child whose parent was killed at its fork event is not on the
	 * list until its first stop.
	 */
	for (;;) {
		if (stop_requested) {
			detach_all(NULL);
			break;
		}
		tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			err(1, "waitpid");
		}
		handle_status(tid, status);
	}

	print_stats(out);
	if (stop_requested || !command_pid)
		return 0;
	if (WIFSIGNALED(command_status))
		return 128 + WTERMSIG(command_status);
	return WEXITSTATUS(command_status);
}
