// SPDX-License-Identifier: GPL-2.0
/*
 * PTRACE_SYSEMU and PTRACE_SYSEMU_SINGLESTEP on x86.
 *
 * The tracee runs known system calls through one entry instruction (the
 * fixture variant) and the tracer walks it through a table of expected
 * stops.  Each row names the stop it expects (kind, system call, IP, AX),
 * what it does there, and how it resumes.  The tracee stores every return
 * value, checks them itself before exiting and the tracer reads them too,
 * so a call that was executed when it should have been emulated, or the
 * reverse, shows up as a side effect (a byte in a pipe, a real pid).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/ptrace.h>
#include <linux/seccomp.h>

#include "../kselftest_harness.h"

#ifndef PTRACE_SYSEMU
#define PTRACE_SYSEMU			31
#endif
#ifndef PTRACE_SYSEMU_SINGLESTEP
#define PTRACE_SYSEMU_SINGLESTEP	32
#endif
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO		0x420e
#endif
#ifndef PTRACE_SYSCALL_INFO_ENTRY
#define PTRACE_SYSCALL_INFO_NONE	0
#define PTRACE_SYSCALL_INFO_ENTRY	1
#define PTRACE_SYSCALL_INFO_EXIT	2
#define PTRACE_SYSCALL_INFO_SECCOMP	3
#endif
#ifndef TRAP_BRKPT
#define TRAP_BRKPT			1
#define TRAP_TRACE			2
#endif
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS	0x80000000U
#endif

/* ia32 system call numbers, also used by int $0x80 in a 64-bit process. */
#define IA32_NR_write			4
#define IA32_NR_getpid			20
#define IA32_NR_getppid			64
#define IA32_NR_rt_sigreturn		173
#define IA32_NR_gettid			224

/*
 * One system call as the tracee makes it.  The entry helpers below use
 * the first nine words; keep them in this order.
 */
struct call {
	long nr;
	long arg[6];
	long ret;
	long entry;		/* vDSO entry point for the vdso method */
	long expect;		/* value the tracee must see in ret */
};

#define CALLS_MAX	8
/* Shared by layout with the tracee: fork() keeps the addresses. */
static struct call calls[CALLS_MAX];
static int handler_hits;
static int handler_expect;

/*
 * Entry helpers.  Each loads nr and args from a struct call, runs one
 * entry instruction and stores AX into ->ret.  <name>_ip is the IP the
 * kernel reports at a stop for that instruction, <name>_ip2 the IP after
 * the next instruction (where a single step from the stop lands).
 */
#ifdef __x86_64__
__asm__(".pushsection .text\n"
	".globl sc_syscall64, sc_syscall64_ip, sc_syscall64_ip2\n"
	".type sc_syscall64, @function\n"
	"sc_syscall64:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	push %r12\n"
	"	mov %rdi, %r12\n"
	"	mov 8(%r12), %rdi\n"
	"	mov 16(%r12), %rsi\n"
	"	mov 24(%r12), %rdx\n"
	"	mov 32(%r12), %r10\n"
	"	mov 40(%r12), %r8\n"
	"	mov 48(%r12), %r9\n"
	"	mov 0(%r12), %rax\n"
	"	syscall\n"
	"sc_syscall64_ip:\n"
	"	mov %rax, 56(%r12)\n"
	"sc_syscall64_ip2:\n"
	"	pop %r12\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n"
	".size sc_syscall64, . - sc_syscall64\n"

	".globl sc_int80_64, sc_int80_64_ip, sc_int80_64_ip2\n"
	".type sc_int80_64, @function\n"
	"sc_int80_64:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	push %r12\n"
	"	mov %rdi, %r12\n"
	"	mov 8(%r12), %rbx\n"
	"	mov 16(%r12), %rcx\n"
	"	mov 24(%r12), %rdx\n"
	"	mov 32(%r12), %rsi\n"
	"	mov 40(%r12), %rdi\n"
	"	mov 48(%r12), %rbp\n"
	"	mov 0(%r12), %rax\n"
	"	int $0x80\n"
	"sc_int80_64_ip:\n"
	"	mov %rax, 56(%r12)\n"
	"sc_int80_64_ip2:\n"
	"	pop %r12\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n"
	".size sc_int80_64, . - sc_int80_64\n"
	".popsection\n");

void sc_syscall64(struct call *c);
void sc_int80_64(struct call *c);
extern const char sc_syscall64_ip[], sc_syscall64_ip2[];
extern const char sc_int80_64_ip[], sc_int80_64_ip2[];
#else
/*
 * ia32: the argument registers are ebx, ecx, edx, esi, edi and ebp, so
 * the struct pointer lives on the stack across the entry instruction.
 * The vdso method calls __kernel_vsyscall; the raw syscall and sysenter
 * methods build the frame __kernel_vsyscall would (ecx, edx, ebp pushed,
 * ebp holding ecx or esp): the kernel returns to the vDSO landing pad,
 * which pops that frame and returns to our caller.
 */
#define SC32_HEAD(name)						\
	".globl " name "\n"					\
	".type " name ", @function\n"				\
	name ":\n"						\
	"	push %ebp\n"					\
	"	push %ebx\n"					\
	"	push %esi\n"					\
	"	push %edi\n"					\
	"	mov 20(%esp), %eax\n"				\
	"	push %eax\n"					\
	"	pushl 32(%eax)\n"				\
	"	mov 4(%eax), %ebx\n"				\
	"	mov 8(%eax), %ecx\n"				\
	"	mov 12(%eax), %edx\n"				\
	"	mov 16(%eax), %esi\n"				\
	"	mov 20(%eax), %edi\n"				\
	"	mov 24(%eax), %ebp\n"				\
	"	mov 0(%eax), %eax\n"

#define SC32_TAIL(name)						\
	"	add $4, %esp\n"					\
	"	pop %ecx\n"					\
	"	mov %eax, 28(%ecx)\n"				\
	"	pop %edi\n"					\
	"	pop %esi\n"					\
	"	pop %ebx\n"					\
	"	pop %ebp\n"					\
	"	ret\n"						\
	".size " name ", . - " name "\n"

__asm__(".pushsection .text\n"
	SC32_HEAD("sc_int80_32")
	"	int $0x80\n"
	".globl sc_int80_32_ip, sc_int80_32_ip2\n"
	"sc_int80_32_ip:\n"
	"	add $4, %esp\n"
	"sc_int80_32_ip2:\n"
	"	pop %ecx\n"
	"	mov %eax, 28(%ecx)\n"
	"	pop %edi\n"
	"	pop %esi\n"
	"	pop %ebx\n"
	"	pop %ebp\n"
	"	ret\n"
	".size sc_int80_32, . - sc_int80_32\n"

	SC32_HEAD("sc_vdso32")
	"	call *(%esp)\n"
	SC32_TAIL("sc_vdso32")

	SC32_HEAD("sc_syscall32")
	"	call 1f\n"
	SC32_TAIL("sc_syscall32")
	"1:	push %ecx\n"
	"	push %edx\n"
	"	push %ebp\n"
	"	mov %ecx, %ebp\n"
	"	syscall\n"
	"	ud2\n"

	SC32_HEAD("sc_sysenter32")
	"	call 1f\n"
	SC32_TAIL("sc_sysenter32")
	"1:	push %ecx\n"
	"	push %edx\n"
	"	push %ebp\n"
	"	mov %esp, %ebp\n"
	"	sysenter\n"
	"	ud2\n"
	".popsection\n");

void sc_int80_32(struct call *c);
void sc_vdso32(struct call *c);
void sc_syscall32(struct call *c);
void sc_sysenter32(struct call *c);
extern const char sc_int80_32_ip[], sc_int80_32_ip2[];
#endif

/*
 * A straight-line sequence for the single-step tests, one per direct
 * entry instruction.  <name>_l<k> labels every instruction after the
 * first (marker) call; the tracer checks the IP of each stop against
 * them.  The value getppid returns becomes gettid's first argument, and
 * the two entry instructions at l4 and l5 run back to back (the second
 * with whatever the tracer left in AX).
 */
#define XSTR(x)	STR(x)
#define STR(x)	#x
#define SEQ_LABEL(name, k)	".globl " name "_l" #k "\n" name "_l" #k ":\n"
#define SEQ(name, insn, arg0, push, pop, getpid, getppid, gettid)	\
	".globl " name "\n"					\
	".type " name ", @function\n"				\
	name ":\n"						\
	"	" push "\n"					\
	"	mov $" getpid ", %eax\n"			\
	"	" insn "\n"					\
	SEQ_LABEL(name, 0) "	mov $" getppid ", %eax\n"	\
	SEQ_LABEL(name, 1) "	" insn "\n"			\
	SEQ_LABEL(name, 2) "	mov %eax, " arg0 "\n"		\
	SEQ_LABEL(name, 3) "	mov $" gettid ", %eax\n"	\
	SEQ_LABEL(name, 4) "	" insn "\n"			\
	SEQ_LABEL(name, 5) "	" insn "\n"			\
	SEQ_LABEL(name, 6) "	nop\n"				\
	SEQ_LABEL(name, 7) "	mov $" getpid ", %eax\n"	\
	SEQ_LABEL(name, 8) "	" insn "\n"			\
	SEQ_LABEL(name, 9) "	" pop "\n"			\
	"	ret\n"						\
	".size " name ", . - " name "\n"

#define SEQ_EXTERN(name)						\
	void name(void);						\
	extern const char name##_l0[], name##_l1[], name##_l2[],	\
		name##_l3[], name##_l4[], name##_l5[], name##_l6[],	\
		name##_l7[], name##_l8[], name##_l9[]

#define SEQ_LABELS(name) {						\
	name##_l0, name##_l1, name##_l2, name##_l3, name##_l4,		\
	name##_l5, name##_l6, name##_l7, name##_l8, name##_l9 }

#define SEQ_IA32(name, insn, push, pop)					\
	SEQ(name, insn, "%ebx", push, pop, XSTR(IA32_NR_getpid),	\
	    XSTR(IA32_NR_getppid), XSTR(IA32_NR_gettid))

#ifdef __x86_64__
__asm__(".pushsection .text\n"
	SEQ("ss_syscall64", "syscall", "%edi", "push %rbx", "pop %rbx",
	    XSTR(__NR_getpid), XSTR(__NR_getppid), XSTR(__NR_gettid))
	SEQ_IA32("ss_int80_64", "int $0x80", "push %rbx", "pop %rbx")
	".popsection\n");
SEQ_EXTERN(ss_syscall64);
SEQ_EXTERN(ss_int80_64);
#else
__asm__(".pushsection .text\n"
	SEQ_IA32("ss_int80_32", "int $0x80", "push %ebx", "pop %ebx")
	".popsection\n");
SEQ_EXTERN(ss_int80_32);
#endif

#define SEQ_LEN	10

enum method_id {
	M_SYSCALL64,
	M_INT80,
	M_VDSO32,
	M_SYSCALL32,
	M_SYSENTER32,
};

struct method {
	const char *name;
	void (*fn)(struct call *c);
	const char *ip;		/* NULL: the vDSO int $0x80 landing pad */
	const char *ip2;
	int ia32;		/* ia32 numbers, registers and audit arch */
	void (*seq)(void);	/* the straight-line sequence, if any */
	const char *l[SEQ_LEN];	/* and its labels */
};

static const struct method methods[] = {
#ifdef __x86_64__
	[M_SYSCALL64] = { "syscall", sc_syscall64, sc_syscall64_ip,
			  sc_syscall64_ip2, 0, ss_syscall64,
			  SEQ_LABELS(ss_syscall64) },
	[M_INT80] = { "int $0x80", sc_int80_64, sc_int80_64_ip,
		      sc_int80_64_ip2, 1, ss_int80_64,
		      SEQ_LABELS(ss_int80_64) },
#else
	[M_INT80] = { "int $0x80", sc_int80_32, sc_int80_32_ip,
		      sc_int80_32_ip2, 1, ss_int80_32,
		      SEQ_LABELS(ss_int80_32) },
	[M_VDSO32] = { "__kernel_vsyscall", sc_vdso32, NULL, NULL, 1 },
	[M_SYSCALL32] = { "syscall (compat)", sc_syscall32, NULL, NULL, 1 },
	[M_SYSENTER32] = { "sysenter", sc_sysenter32, NULL, NULL, 1 },
#endif
};

/* Abstract system calls, mapped to the method's ABI by sc_nr(). */
enum { S_GETPPID, S_GETPID, S_GETTID, S_WRITE, S_RT_SIGRETURN };

static long sc_nr(const struct method *m, int sc)
{
	static const long nr64[] = {
		[S_GETPPID] = __NR_getppid, [S_GETPID] = __NR_getpid,
		[S_GETTID] = __NR_gettid, [S_WRITE] = __NR_write,
		[S_RT_SIGRETURN] = __NR_rt_sigreturn,
	};
	static const long nr32[] = {
		[S_GETPPID] = IA32_NR_getppid, [S_GETPID] = IA32_NR_getpid,
		[S_GETTID] = IA32_NR_gettid, [S_WRITE] = IA32_NR_write,
		[S_RT_SIGRETURN] = IA32_NR_rt_sigreturn,
	};

	return m->ia32 ? nr32[sc] : nr64[sc];
}

#ifdef __x86_64__
#define R_IP(r)		((r).rip)
#define R_SP(r)		((r).rsp)
#define R_AX(r)		((r).rax)
#define R_ORIG_AX(r)	((r).orig_rax)
#define R_FLAGS(r)	((r).eflags)
#define NATIVE_ARCH	AUDIT_ARCH_X86_64

static unsigned long long *reg_arg(struct user_regs_struct *r, int ia32, int i)
{
	unsigned long long *native[] = {
		&r->rdi, &r->rsi, &r->rdx, &r->r10, &r->r8, &r->r9,
	};
	unsigned long long *compat[] = {
		&r->rbx, &r->rcx, &r->rdx, &r->rsi, &r->rdi, &r->rbp,
	};

	return ia32 ? compat[i] : native[i];
}
#else
#define R_IP(r)		((r).eip)
#define R_SP(r)		((r).esp)
#define R_AX(r)		((r).eax)
#define R_ORIG_AX(r)	((r).orig_eax)
#define R_FLAGS(r)	((r).eflags)
#define NATIVE_ARCH	AUDIT_ARCH_I386

static long *reg_arg(struct user_regs_struct *r, int ia32, int i)
{
	long *regs[] = {
		&r->ebx, &r->ecx, &r->edx, &r->esi, &r->edi, &r->ebp,
	};

	return regs[i];
}
#endif

static long sys_ptrace(long request, pid_t pid, unsigned long addr,
		       unsigned long data)
{
	return syscall(__NR_ptrace, request, pid, addr, data);
}

/* The raw PTRACE_PEEK* stores the word at data. */
static int peek(long request, pid_t pid, unsigned long addr, long *word)
{
	return sys_ptrace(request, pid, addr, (unsigned long)word);
}

/* ------------------------------------------------------------------ */
/* The stop table */

enum stop {
	ST_ENTRY = 1,	/* syscall-enter-stop, val: call index */
	ST_EXIT,	/* syscall-exit-stop, val: call index */
	ST_TRAP,	/* SIGTRAP signal-delivery-stop, val: si_code */
	ST_SIG,		/* other signal-delivery-stop, val: signal */
	ST_SECCOMP,	/* PTRACE_EVENT_SECCOMP stop, val: call index */
	ST_EXITED,	/* tracee exited, val: exit status */
	ST_KILLED,	/* tracee killed, val: signal */
};

static const char * const stop_names[] = {
	[ST_ENTRY] = "syscall entry", [ST_EXIT] = "syscall exit",
	[ST_TRAP] = "SIGTRAP", [ST_SIG] = "signal",
	[ST_SECCOMP] = "seccomp event", [ST_EXITED] = "exited",
	[ST_KILLED] = "killed",
};

enum action {
	ACT_NONE,
	ACT_REWIND,	/* ip -= 2, restart as call .set (nr and args) */
	ACT_QUEUE,	/* kill(SIGUSR1) while stopped: no new stop yet */
	ACT_KILL,	/* kill(SIGKILL) */
	ACT_PEEK,	/* read ->ret of every call before .val */
	ACT_BADSIG,	/* invalid data for every resume request: EIO, no change */
};

/*
 * AX at every x86 syscall-entry stop, and what an emulated call returns
 * when the tracer leaves AX alone.
 */
#define NOSYS		(-ENOSYS)

#define ANY		0x7fff0001L	/* .ax / .expect: not checked */
#define NOSET		0x7fff0002L	/* .set: leave AX alone */
#define V_PID		0x7fff0003L	/* the tracee's pid */
#define V_PPID		0x7fff0004L	/* the tracer's pid */
#define A_FD		0x7fff0005L	/* argument: write end of the pipe */
#define A_BUF		0x7fff0006L	/* argument: "ABCDEFGH" + call index */
#define V_NR		0x7fff0007L	/* .ax: the stop's own call number */
#define C_SIGRETURN	-1		/* .val: rt_sigreturn of a handler */

#define IP_ANY		((const char *)0)
#define IP_SC		((const char *)1)	/* after the entry instruction */
#define IP_SC2		((const char *)2)	/* and one more instruction */
#define IP_INSN		((const char *)3)	/* at the entry instruction */
#define IP_L(k)		((const char *)16 + (k))	/* sequence label k */
#define SET_NR(sc)	(0x7ffe0000L + (sc))	/* .set: a call number */

struct step {
	enum stop stop;
	int val;
	const char *ip;
	long ax;		/* AX expected at the stop */
	enum action act;
	long set;		/* written to AX before resuming */
	long req;		/* resume request, 0: the tracee is gone */
	long data;
};

struct tcall {
	int sc;
	long arg[6];
	long expect;
};

struct scenario {
	const struct tcall *calls;
	int nr_calls;		/* calls the tracee makes, in order */
	int nr_alt;		/* more calls, only as restart targets */
	const struct step *steps;
	int nr_steps;
	int opts;		/* extra PTRACE_O_* */
	void (*prepare)(const struct method *m);
	const char *pipe;	/* bytes that must reach the pipe */
	int seq;		/* run the straight-line sequence */
	int hits;		/* handler runs the tracee must see */
};

#define SCENARIO(c, s, ...) {						\
	.calls = c, .nr_calls = ARRAY_SIZE(c), .steps = s,		\
	.nr_steps = ARRAY_SIZE(s), .pipe = "", __VA_ARGS__ }

/*
 * Bytes for write(): below 4 GiB, so that int $0x80 from a 64-bit
 * process can pass the pointer.
 */
static char *pipe_bytes;

FIXTURE(sysemu) {
	pid_t pid;
	int pipefd[2];
	unsigned long lp;	/* landing pad seen at the first stop */
	const struct method *m;
};

FIXTURE_VARIANT(sysemu) {
	enum method_id method;
};

#ifdef __x86_64__
FIXTURE_VARIANT_ADD(sysemu, syscall) { .method = M_SYSCALL64 };
FIXTURE_VARIANT_ADD(sysemu, int80) { .method = M_INT80 };
#else
FIXTURE_VARIANT_ADD(sysemu, int80) { .method = M_INT80 };
FIXTURE_VARIANT_ADD(sysemu, vdso) { .method = M_VDSO32 };
FIXTURE_VARIANT_ADD(sysemu, syscall) { .method = M_SYSCALL32 };
FIXTURE_VARIANT_ADD(sysemu, sysenter) { .method = M_SYSENTER32 };
#endif

/* Run one getpid through the method, untraced: 0 if it works. */
static int probe_method(const struct method *m, const char **why)
{
	struct call c = { .nr = sc_nr(m, S_GETPID) };
	int status;
	pid_t pid;

	if (!m->fn) {
		*why = "not built";
		return -1;
	}
	c.entry = getauxval(AT_SYSINFO);
	if (!m->ip && !getauxval(AT_SYSINFO_EHDR)) {
		*why = "no vDSO";
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		*why = "fork failed";
		return -1;
	}
	if (pid == 0) {
		m->fn(&c);
		_exit(c.ret == getpid() ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid) {
		*why = "waitpid failed";
		return -1;
	}
	if (WIFSIGNALED(status)) {
		*why = WTERMSIG(status) == SIGILL ?
		       "the instruction raises SIGILL on this CPU" :
		       "the instruction faults (no ia32 emulation?)";
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		*why = "getpid through it returns a wrong value";
		return -1;
	}
	return 0;
}

FIXTURE_SETUP(sysemu)
{
	const char *why = NULL;

	self->pid = 0;
	self->lp = 0;
	self->m = &methods[variant->method];
	if (probe_method(self->m, &why))
		SKIP(return, "%s: %s", self->m->name ? self->m->name : "", why);
	ASSERT_EQ(0, pipe2(self->pipefd, O_NONBLOCK));
	pipe_bytes = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	ASSERT_TRUE(pipe_bytes != MAP_FAILED);
	ASSERT_EQ(0, (unsigned long long)(uintptr_t)pipe_bytes >> 32);
	memcpy(pipe_bytes, "ABCDEFGH", 9);
}

FIXTURE_TEARDOWN(sysemu)
{
	if (self->pid > 0) {
		kill(self->pid, SIGKILL);
		waitpid(self->pid, NULL, __WALL);
		self->pid = 0;
	}
}

/* ------------------------------------------------------------------ */
/* Tracee */

static void tracee(const struct method *m, const struct scenario *s)
{
	int i;

	if (s->prepare)
		s->prepare(m);
	if (sys_ptrace(PTRACE_TRACEME, 0, 0, 0))
		_exit(120);
	/* A raw kill: nothing runs after it in libc once we resume. */
	syscall(__NR_kill, getpid(), SIGSTOP);

	if (s->seq)
		m->seq();
	for (i = 0; i < s->nr_calls; i++)
		m->fn(&calls[i]);

	for (i = 0; i < s->nr_calls; i++) {
		long want = calls[i].expect;

		if (want == V_PID)
			want = getpid();
		if (want != ANY && calls[i].ret != want)
			_exit(i + 1);
	}
	if (handler_hits != handler_expect)
		_exit(100);
	_exit(0);
}

static void on_sigusr1(int sig, siginfo_t *si, void *uc)
{
	handler_hits++;
}

static void prepare_handler(const struct method *m)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigusr1;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGUSR1, &sa, NULL))
		_exit(121);
}

static void install_filter(const struct method *m, long nr1, unsigned int ret1,
			   long nr2, unsigned int ret2)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			 m->ia32 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr1, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, ret1),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, ret2),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(f), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		_exit(122);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		_exit(123);
}

/* getppid is fatal, gettid fails with 77. */
static void prepare_kill_errno(const struct method *m)
{
	install_filter(m, sc_nr(m, S_GETPPID), SECCOMP_RET_KILL_PROCESS,
		       sc_nr(m, S_GETTID), SECCOMP_RET_ERRNO | 77);
}

/* getppid asks the tracer (PTRACE_EVENT_SECCOMP, data 0x55). */
static void prepare_trace(const struct method *m)
{
	install_filter(m, sc_nr(m, S_GETPPID), SECCOMP_RET_TRACE | 0x55,
		       -1, SECCOMP_RET_ALLOW);
}

/* ------------------------------------------------------------------ */
/* Tracer */

struct walk {
	struct __test_metadata *_metadata;
	FIXTURE_DATA(sysemu) *self;
	const struct scenario *s;
	int n;			/* current step, for messages */
	int last_nr;		/* call the last syscall stop was for */
};

/* Log what went wrong at the current step; returns -1. */
static int __printf(2, 3)
step_fail(const struct walk *w, const char *fmt, ...)
{
	struct __test_metadata *_metadata = w->_metadata;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	TH_LOG("step #%d (%s): %s", w->n, stop_names[w->s->steps[w->n].stop],
	       msg);
	return -1;
}

static long resolve(const struct walk *w, long v)
{
	if (v >= SET_NR(0) && v < SET_NR(16))
		return sc_nr(w->self->m, v - SET_NR(0));
	if (v == V_PID)
		return w->self->pid;
	if (v == V_PPID)
		return getpid();
	return v;
}

/* Compare in the width of the tracee's ABI. */
static int same_val(const struct method *m, unsigned long long a,
		    unsigned long long b)
{
	if (m->ia32)
		return (uint32_t)a == (uint32_t)b;
	return a == b;
}

static int check_ip(struct walk *w, unsigned long ip, const char *want)
{
	const struct method *m = w->self->m;
	unsigned long lp = w->self->lp;
	long word;

	if (want == IP_ANY)
		return 0;
	if (want >= IP_L(0) && want < IP_L(SEQ_LEN))
		want = m->l[want - IP_L(0)];
	if (want == IP_INSN) {
		ip += 2;
		want = IP_SC;
	}
	if (want != IP_SC && want != IP_SC2) {
		if (ip != (unsigned long)want)
			return step_fail(w, "ip %#lx, expected %#lx", ip,
				  (unsigned long)want);
		return 0;
	}
	if (m->ip) {
		want = want == IP_SC ? m->ip : m->ip2;
		if (ip != (unsigned long)want)
			return step_fail(w, "ip %#lx, expected %#lx", ip,
				  (unsigned long)want);
		return 0;
	}
	/*
	 * Fast ia32 entries report the vDSO landing pad, just after an
	 * int $0x80; the next instruction there is a one-byte pop %ebp.
	 */
	if (want == IP_SC2)
		ip--;
	if (!lp) {
		unsigned long vdso = getauxval(AT_SYSINFO_EHDR);

		if (peek(PTRACE_PEEKTEXT, w->self->pid, ip - 2, &word))
			return step_fail(w, "PEEKTEXT %#lx: %s", ip - 2,
				  strerror(errno));
		if ((word & 0xffffff) != 0x5d80cd)
			return step_fail(w, "ip %#lx: no int $0x80; pop %%ebp before/at it",
				  ip);
		if (ip < vdso || ip >= vdso + 0x4000)
			return step_fail(w, "ip %#lx outside the vDSO at %#lx", ip,
				  vdso);
		w->self->lp = ip;
	} else if (ip != lp) {
		return step_fail(w, "ip %#lx, expected the landing pad %#lx%s", ip,
			  lp, want == IP_SC2 ? " + 1" : "");
	}
	return 0;
}

static int check_syscall_stop(struct walk *w, const struct step *st,
			      struct user_regs_struct *r, int op)
{
	const struct method *m = w->self->m;
	struct ptrace_syscall_info info;
	const struct call *c = NULL;
	long nr;
	int i;

	if (st->val == C_SIGRETURN) {
		/*
		 * The handler's frame is the process's own ABI; sigreturn
		 * sets orig_ax to -1 (no restart), as the exit stop shows.
		 */
		nr = op == PTRACE_SYSCALL_INFO_ENTRY ? __NR_rt_sigreturn : -1;
	} else {
		c = &calls[st->val];
		nr = c->nr;
	}
	if ((long)R_ORIG_AX(*r) != nr)
		return step_fail(w, "orig_ax %ld, expected %ld", (long)R_ORIG_AX(*r),
			  nr);
	if (op == PTRACE_SYSCALL_INFO_ENTRY &&
	    !same_val(m, R_AX(*r), NOSYS))
		return step_fail(w, "ax %#llx at entry, expected NOSYS",
			  (unsigned long long)R_AX(*r));
	if (c && op == PTRACE_SYSCALL_INFO_ENTRY) {
		for (i = 0; i < 6; i++)
			if (c->arg[i] != ANY &&
			    !same_val(m, *reg_arg(r, m->ia32, i), c->arg[i]))
				return step_fail(w, "arg%d %#llx, expected %#lx", i,
					  (unsigned long long)*reg_arg(r, m->ia32, i),
					  c->arg[i]);
	}
	if (c && check_ip(w, R_IP(*r), st->ip))
		return -1;

	memset(&info, 0xa5, sizeof(info));
	if (sys_ptrace(PTRACE_GET_SYSCALL_INFO, w->self->pid, sizeof(info),
		       (unsigned long)&info) <= 0)
		return step_fail(w, "PTRACE_GET_SYSCALL_INFO: %s", strerror(errno));
	if (info.op != op)
		return step_fail(w, "syscall info op %u, expected %d", info.op, op);
	if (info.instruction_pointer != (unsigned long)R_IP(*r) ||
	    info.stack_pointer != (unsigned long)R_SP(*r))
		return step_fail(w, "syscall info ip/sp differ from the registers");
	if (st->val != C_SIGRETURN &&
	    info.arch != (m->ia32 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64))
		return step_fail(w, "syscall info arch %#x", info.arch);
	if (op == PTRACE_SYSCALL_INFO_ENTRY) {
		if ((long)info.entry.nr != nr)
			return step_fail(w, "syscall info nr %lld, expected %ld",
				  (long long)info.entry.nr, nr);
		for (i = 0; c && i < 6; i++)
			if (c->arg[i] != ANY &&
			    !same_val(m, info.entry.args[i], c->arg[i]))
				return step_fail(w, "syscall info arg%d %#llx", i,
					  (unsigned long long)info.entry.args[i]);
	} else {
		long long ax = m->ia32 ? (int)R_AX(*r) : (long)R_AX(*r);

		if (info.exit.rval != ax ||
		    info.exit.is_error != (ax < 0 && ax >= -4095))
			return step_fail(w, "syscall info rval %lld/%u, ax %lld",
				  (long long)info.exit.rval,
				  info.exit.is_error, ax);
	}
	return 0;
}

static int check_peek(struct walk *w, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		long want = resolve(w, calls[i].expect);
		long got;

		if (peek(PTRACE_PEEKDATA, w->self->pid,
			 (unsigned long)&calls[i].ret, &got))
			return step_fail(w, "PEEKDATA: %s", strerror(errno));
		if (want != ANY && got != want)
			return step_fail(w, "call %d returned %#lx to the tracee, expected %#lx",
				  i, got, want);
	}
	return 0;
}

/*
 * Every resume request with an invalid signal fails with EIO and leaves
 * the tracee exactly where it is.
 */
static int check_badsig(struct walk *w, struct user_regs_struct *before)
{
	static const long reqs[] = {
		PTRACE_SYSEMU, PTRACE_SYSEMU_SINGLESTEP, PTRACE_SYSCALL,
		PTRACE_CONT, PTRACE_SINGLESTEP,
	};
	static const unsigned long sigs[] = { _NSIG + 1, 0x1000, -1UL };
	struct ptrace_syscall_info i1, i2;
	struct user_regs_struct after;
	pid_t pid = w->self->pid;
	long r1, r2;
	size_t i, j;
	int status;

	memset(&i1, 0, sizeof(i1));
	memset(&i2, 0, sizeof(i2));
	r1 = sys_ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(i1),
			(unsigned long)&i1);
	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		for (j = 0; j < ARRAY_SIZE(sigs); j++) {
			errno = 0;
			if (sys_ptrace(reqs[i], pid, 0, sigs[j]) != -1 ||
			    errno != EIO)
				return step_fail(w, "request %ld data %#lx: errno %d, expected EIO",
					  reqs[i], sigs[j], errno);
		}
	}
	if (waitpid(pid, &status, WNOHANG | __WALL) != 0)
		return step_fail(w, "the tracee moved after a rejected request");
	if (sys_ptrace(PTRACE_GETREGS, pid, 0, (unsigned long)&after))
		return step_fail(w, "GETREGS: %s", strerror(errno));
	if (memcmp(before, &after, sizeof(after)))
		return step_fail(w, "registers changed by a rejected request");
	r2 = sys_ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(i2),
			(unsigned long)&i2);
	if (r1 != r2 || memcmp(&i1, &i2, sizeof(i1)))
		return step_fail(w, "syscall info changed by a rejected request");
	return 0;
}

static int do_step(struct walk *w, const struct step *st)
{
	pid_t pid = w->self->pid;
	struct user_regs_struct r;
	int status, op = 0;
	enum stop got;
	int val;
	siginfo_t si;
	long want;

	if (waitpid(pid, &status, __WALL) != pid)
		return step_fail(w, "waitpid: %s", strerror(errno));

	if (WIFEXITED(status)) {
		w->self->pid = 0;
		got = ST_EXITED;
		val = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		w->self->pid = 0;
		got = ST_KILLED;
		val = WTERMSIG(status);
	} else if (!WIFSTOPPED(status)) {
		return step_fail(w, "waitpid status %#x", status);
	} else if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
		struct ptrace_syscall_info info;

		if (sys_ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info),
			       (unsigned long)&info) <= 0)
			return step_fail(w, "PTRACE_GET_SYSCALL_INFO: %s",
				  strerror(errno));
		op = info.op;
		got = op == PTRACE_SYSCALL_INFO_EXIT ? ST_EXIT : ST_ENTRY;
		val = st->val;
	} else if (status >> 16 == PTRACE_EVENT_SECCOMP) {
		unsigned long msg = 0;

		sys_ptrace(PTRACE_GETEVENTMSG, pid, 0, (unsigned long)&msg);
		if (msg != 0x55)
			return step_fail(w, "seccomp event data %#lx", msg);
		got = ST_SECCOMP;
		op = PTRACE_SYSCALL_INFO_SECCOMP;
		val = st->val;
	} else if (status >> 16) {
		return step_fail(w, "unexpected ptrace event %d", status >> 16);
	} else if (WSTOPSIG(status) == SIGTRAP) {
		if (sys_ptrace(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si))
			return step_fail(w, "GETSIGINFO: %s", strerror(errno));
		got = ST_TRAP;
		val = si.si_code;
	} else {
		got = ST_SIG;
		val = WSTOPSIG(status);
	}

	if (got != st->stop || val != st->val) {
		const char *name = got < ARRAY_SIZE(stop_names) ?
				   stop_names[got] : "?";

		if (got == ST_ENTRY || got == ST_EXIT) {
			sys_ptrace(PTRACE_GETREGS, pid, 0, (unsigned long)&r);
			return step_fail(w, "got %s of nr %ld at ip %#lx", name,
				  (long)R_ORIG_AX(r), (unsigned long)R_IP(r));
		}
		return step_fail(w, "got %s (%d)", name, val);
	}
	if (got == ST_EXITED || got == ST_KILLED)
		return 0;

	if (sys_ptrace(PTRACE_GETREGS, pid, 0, (unsigned long)&r))
		return step_fail(w, "GETREGS: %s", strerror(errno));
	if (got == ST_ENTRY || got == ST_EXIT) {
		if (check_syscall_stop(w, st, &r, op))
			return -1;
	} else if (check_ip(w, R_IP(r), st->ip)) {
		return -1;
	}
	if (got == ST_SECCOMP && (long)R_ORIG_AX(r) != calls[st->val].nr)
		return step_fail(w, "orig_ax %ld", (long)R_ORIG_AX(r));
	want = st->ax == V_NR ? calls[st->val].nr : resolve(w, st->ax);
	if (st->ax != ANY && !same_val(w->self->m, R_AX(r), want))
		return step_fail(w, "ax %#llx, expected %#lx",
			  (unsigned long long)R_AX(r), want);

	switch (st->act) {
	case ACT_NONE:
		break;
	case ACT_REWIND: {
		const struct call *c = &calls[st->set];
		int i;

		R_IP(r) -= 2;
		R_ORIG_AX(r) = c->nr;
		R_AX(r) = c->nr;
		for (i = 0; i < 6; i++)
			*reg_arg(&r, w->self->m->ia32, i) = c->arg[i];
		if (sys_ptrace(PTRACE_SETREGS, pid, 0, (unsigned long)&r))
			return step_fail(w, "SETREGS: %s", strerror(errno));
		break;
	}
	case ACT_QUEUE:
		if (kill(pid, SIGUSR1))
			return step_fail(w, "kill: %s", strerror(errno));
		usleep(1000);
		if (waitpid(pid, &status, WNOHANG | __WALL) != 0)
			return step_fail(w, "a signal sent at a stop ended the stop");
		break;
	case ACT_KILL:
		if (kill(pid, SIGKILL))
			return step_fail(w, "kill: %s", strerror(errno));
		break;
	case ACT_PEEK:
		if (check_peek(w, st->val))
			return -1;
		break;
	case ACT_BADSIG:
		if (check_badsig(w, &r))
			return -1;
		break;
	}

	if (st->set != NOSET && st->act != ACT_REWIND) {
		R_AX(r) = resolve(w, st->set);
		if (sys_ptrace(PTRACE_SETREGS, pid, 0, (unsigned long)&r))
			return step_fail(w, "SETREGS: %s", strerror(errno));
	}
	if (st->req && sys_ptrace(st->req, pid, 0, st->data))
		return step_fail(w, "resume request %ld: %s", st->req,
			  strerror(errno));
	return 0;
}

static void fill_calls(const struct method *m, const struct scenario *s,
		       int pipe_wr)
{
	int i, j;

	memset(calls, 0, sizeof(calls));
	for (i = 0; i < s->nr_calls + s->nr_alt; i++) {
		const struct tcall *t = &s->calls[i];

		calls[i].nr = sc_nr(m, t->sc);
		for (j = 0; j < 6; j++) {
			long a = t->arg[j];

			if (a == A_FD)
				a = pipe_wr;
			else if (a == A_BUF)
				a = (long)&pipe_bytes[i];
			else if (a == V_PPID)
				a = getpid();
			calls[i].arg[j] = a;
		}
		calls[i].entry = getauxval(AT_SYSINFO);
		calls[i].expect = t->expect == V_PPID ? getpid() : t->expect;
	}
	handler_hits = 0;
	handler_expect = s->hits;
}

static void run(struct __test_metadata *_metadata,
		FIXTURE_DATA(sysemu) *self, const struct scenario *s)
{
	struct walk w = { _metadata, self, s, 0 };
	char buf[16];
	ssize_t len;
	pid_t pid;

	ASSERT_LE(s->nr_calls + s->nr_alt, CALLS_MAX);
	fill_calls(self->m, s, self->pipefd[1]);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		tracee(self->m, s);
	self->pid = pid;
	close(self->pipefd[1]);

	/* Step 0 is the SIGSTOP the tracee raised. */
	for (w.n = 0; w.n < s->nr_steps; w.n++) {
		if (w.n == 0) {
			int status;

			ASSERT_EQ(pid, waitpid(pid, &status, __WALL));
			ASSERT_TRUE(WIFSTOPPED(status));
			ASSERT_EQ(SIGSTOP, WSTOPSIG(status));
			ASSERT_EQ(0, sys_ptrace(PTRACE_SETOPTIONS, pid, 0,
						PTRACE_O_TRACESYSGOOD |
						PTRACE_O_EXITKILL | s->opts));
			ASSERT_EQ(0, sys_ptrace(s->steps[0].req, pid, 0,
						s->steps[0].data));
			continue;
		}
		ASSERT_EQ(0, do_step(&w, &s->steps[w.n]));
	}
	ASSERT_EQ(0, self->pid) TH_LOG("the tracee outlived the table");

	len = read(self->pipefd[0], buf, sizeof(buf));
	if (len < 0)
		len = 0;
	ASSERT_EQ(strlen(s->pipe), (size_t)len);
	ASSERT_EQ(0, memcmp(buf, s->pipe, len));
}

/* ------------------------------------------------------------------ */
/* Scenarios */

#define ARGS(x)		{ (x) + 1, (x) + 2, (x) + 3, (x) + 4, (x) + 5, (x) + 6 }
#define WRITE1		{ A_FD, A_BUF, 1, 0x4004, 0x4005, 0x4006 }
#define MARK		{ S_GETPID, { 0x4d41524b, 2, 3, 4, 5, 6 }, ANY }
#define START(req)	{ ST_SIG, SIGSTOP, IP_ANY, ANY, ACT_NONE, NOSET, req, 0 }

/*
 * SYSEMU: one stop per call, at entry; the call does not run, the
 * tracee gets what the tracer wrote into AX (or NOSYS).
 */
static const struct tcall entry_only_calls[] = {
	{ S_GETPPID, ARGS(0x1000), 0x4242 },
	{ S_WRITE, WRITE1, 1 },
	{ S_GETTID, ARGS(0x3000), NOSYS },
	MARK,
};

static const struct step entry_only_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_NONE, 0x4242, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 1, IP_SC, NOSYS, ACT_PEEK, 1, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 2, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 3, IP_SC, NOSYS, ACT_PEEK, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario entry_only =
	SCENARIO(entry_only_calls, entry_only_steps);

TEST_F(sysemu, entry_only_stop)
{
	run(_metadata, self, &entry_only);
}

/* Resuming a SYSEMU stop with PTRACE_SYSCALL: skipped, plus an exit stop. */
static const struct tcall resume_syscall_calls[] = {
	{ S_WRITE, WRITE1, 0x1111 },
	{ S_WRITE, WRITE1, NOSYS },
	{ S_WRITE, WRITE1, 1 },
	MARK,
};

static const struct step resume_syscall_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_NONE, 0x1111, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 0, IP_SC, 0x1111, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 1, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 1, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 2, IP_SC, NOSYS, ACT_NONE, 1, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 3, IP_SC, NOSYS, ACT_PEEK, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario resume_syscall =
	SCENARIO(resume_syscall_calls, resume_syscall_steps);

TEST_F(sysemu, resume_syscall_exit_stop)
{
	run(_metadata, self, &resume_syscall);
}

/* Resuming a SYSEMU stop with PTRACE_CONT: skipped, then free running. */
static const struct tcall resume_cont_calls[] = {
	{ S_WRITE, WRITE1, 1 },
	{ S_WRITE, WRITE1, 1 },
	{ S_GETPPID, ARGS(0x2000), V_PPID },
};

static const struct step resume_cont_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_NONE, 1, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario resume_cont =
	SCENARIO(resume_cont_calls, resume_cont_steps, .pipe = "B");

TEST_F(sysemu, resume_cont_no_stop)
{
	run(_metadata, self, &resume_cont);
}

/*
 * Resuming a SYSEMU stop with PTRACE_SINGLESTEP: skipped; the step over
 * the system call instruction reports one SIGTRAP (TRAP_BRKPT) at the
 * same IP, then stepping moves on (no second report, no loop).
 */
static const struct tcall resume_step_calls[] = {
	{ S_WRITE, WRITE1, 1 },
	{ S_WRITE, WRITE1, 2 },
	MARK,
};

static const struct step resume_step_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_NONE, 1, PTRACE_SINGLESTEP, 0 },
	{ ST_TRAP, TRAP_BRKPT, IP_SC, 1, ACT_NONE, NOSET, PTRACE_SINGLESTEP, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_SC2, 1, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 1, IP_SC, NOSYS, ACT_NONE, 2, PTRACE_SINGLESTEP, 0 },
	{ ST_TRAP, TRAP_BRKPT, IP_SC, 2, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 2, IP_SC, NOSYS, ACT_PEEK, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario resume_step =
	SCENARIO(resume_step_calls, resume_step_steps);

TEST_F(sysemu, resume_singlestep_one_trap)
{
	run(_metadata, self, &resume_step);
}

/*
 * PTRACE_SYSEMU_SINGLESTEP from a SYSEMU stop: no exit trap for the
 * emulated call, the next stop is after the next instruction.
 */
static const struct tcall sysemu_step_calls[] = {
	{ S_GETPPID, ARGS(0x1000), 0x5353 },
	MARK,
};

static const struct step sysemu_step_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_NONE, 0x5353, PTRACE_SYSEMU_SINGLESTEP, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_SC2, 0x5353, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 1, IP_SC, NOSYS, ACT_PEEK, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario sysemu_step =
	SCENARIO(sysemu_step_calls, sysemu_step_steps);

TEST_F(sysemu, sysemu_singlestep_no_exit_trap)
{
	run(_metadata, self, &sysemu_step);
}

/*
 * SYSCALL -> SYSEMU -> SYSCALL at entry and exit stops: a call whose
 * entry was reported under PTRACE_SYSCALL runs even if resumed with
 * PTRACE_SYSEMU (and has no exit stop); one reported under PTRACE_SYSEMU
 * is skipped even if resumed with PTRACE_SYSCALL (and has an exit stop).
 */
static const struct tcall switch_calls[] = {
	{ S_WRITE, WRITE1, 1 },		/* A: SYSCALL, runs */
	{ S_WRITE, WRITE1, 0x2222 },	/* B: SYSEMU -> SYSCALL, skipped */
	{ S_WRITE, WRITE1, 1 },		/* C: SYSCALL -> SYSEMU, runs */
	{ S_WRITE, WRITE1, 0x4444 },	/* D: SYSEMU -> SYSCALL, skipped */
	{ S_WRITE, WRITE1, 1 },		/* E: SYSCALL, runs */
	MARK,
};

static const struct step switch_steps[] = {
	START(PTRACE_SYSCALL),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 0, IP_SC, 1, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 1, IP_SC, NOSYS, ACT_NONE, 0x2222, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 1, IP_SC, 0x2222, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_ENTRY, 2, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 3, IP_SC, NOSYS, ACT_PEEK, 0x4444, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 3, IP_SC, 0x4444, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_ENTRY, 4, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 4, IP_SC, 1, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 5, IP_SC, NOSYS, ACT_PEEK, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario switch_modes =
	SCENARIO(switch_calls, switch_steps, .pipe = "ACE");

TEST_F(sysemu, switch_syscall_sysemu_syscall)
{
	run(_metadata, self, &switch_modes);
}

/*
 * Restart after a SYSEMU stop (the UML way): ip -= 2 and new nr/args.
 * The next stop is the same instruction with the new call; a second
 * restart resumed with PTRACE_SYSCALL really runs the new call.
 */
static const struct tcall restart_calls[] = {
	{ S_GETPPID, ARGS(0x1000), V_PID },
	MARK,
	/* restart targets */
	{ S_GETTID, ARGS(0x2000), ANY },
	{ S_GETPID, ARGS(0x3000), ANY },
};

static const struct step restart_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_REWIND, 2, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 2, IP_SC, NOSYS, ACT_REWIND, 3, PTRACE_SYSCALL, 0 },
	/* the skipped call still exits, at the rewound IP, as call 3 */
	{ ST_EXIT, 3, IP_INSN, ANY, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_ENTRY, 3, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 3, IP_SC, V_PID, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 1, IP_SC, NOSYS, ACT_PEEK, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario restart = {
	.calls = restart_calls, .nr_calls = 2, .nr_alt = 2,
	.steps = restart_steps, .nr_steps = ARRAY_SIZE(restart_steps),
	.pipe = "",
};

TEST_F(sysemu, restart_rewind_ip)
{
	run(_metadata, self, &restart);
}

/*
 * A signal sent while the tracee sits in a SYSEMU stop: nothing happens
 * until the resume, then a signal-delivery-stop after the skipped call,
 * with the emulated return value already in AX.
 */
static const struct tcall queued_calls[] = {
	{ S_GETPPID, ARGS(0x1000), 0x6161 },
	MARK,
};

static const struct step queued_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_QUEUE, 0x6161, PTRACE_SYSEMU, 0 },
	{ ST_SIG, SIGUSR1, IP_SC, 0x6161, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 1, IP_SC, NOSYS, ACT_PEEK, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario queued =
	SCENARIO(queued_calls, queued_steps);

TEST_F(sysemu, signal_queued_at_stop)
{
	run(_metadata, self, &queued);
}

/*
 * A signal passed with PTRACE_SYSEMU at a SYSEMU stop is queued, not
 * delivered: a signal-delivery-stop follows; delivering it from there
 * runs the handler, and the call stays skipped.
 */
static const struct tcall inject_calls[] = {
	{ S_GETPPID, ARGS(0x1000), 0x7171 },
	MARK,
};

static const struct step inject_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_NONE, 0x7171, PTRACE_SYSEMU, SIGUSR1 },
	{ ST_SIG, SIGUSR1, IP_SC, 0x7171, ACT_NONE, NOSET, PTRACE_SYSCALL, SIGUSR1 },
	{ ST_ENTRY, C_SIGRETURN, IP_ANY, NOSYS, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, C_SIGRETURN, IP_ANY, 0x7171, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 1, IP_SC, NOSYS, ACT_PEEK, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario inject =
	SCENARIO(inject_calls, inject_steps, .prepare = prepare_handler,
		 .hits = 1);

TEST_F(sysemu, signal_injected_on_resume)
{
	run(_metadata, self, &inject);
}

/* SIGKILL at a SYSEMU stop: the tracee dies, the write never happens. */
static const struct tcall sigkill_calls[] = {
	{ S_WRITE, WRITE1, 1 },
	MARK,
};

static const struct step sigkill_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_KILL, NOSET, 0, 0 },
	{ ST_KILLED, SIGKILL },
};

static const struct scenario sigkill =
	SCENARIO(sigkill_calls, sigkill_steps);

TEST_F(sysemu, sigkill_at_stop)
{
	run(_metadata, self, &sigkill);
}

/*
 * The tracee's seccomp filter does not run for an emulated call: getppid
 * would kill the process and gettid fail with 77, yet under SYSEMU both
 * return what the tracer wrote.  Run for real afterwards, both bite.
 */
static const struct tcall seccomp_calls[] = {
	{ S_GETPPID, ARGS(0x1000), 0x8181 },
	{ S_GETTID, ARGS(0x2000), 0x8282 },
	MARK,
	{ S_GETTID, ARGS(0x3000), -77 },
	{ S_GETPPID, ARGS(0x4000), ANY },
};

static const struct step seccomp_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_NONE, 0x8181, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 1, IP_SC, NOSYS, ACT_NONE, 0x8282, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 2, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 2, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_ENTRY, 3, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 3, IP_SC, -77, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_ENTRY, 4, IP_SC, NOSYS, ACT_PEEK, NOSET, PTRACE_SYSCALL, 0 },
	/* RET_KILL_PROCESS rolls AX back to nr and forces SIGSYS */
	{ ST_EXIT, 4, IP_SC, V_NR, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_KILLED, SIGSYS },
};

static const struct scenario seccomp_skip =
	SCENARIO(seccomp_calls, seccomp_steps, .prepare = prepare_kill_errno);

TEST_F(sysemu, seccomp_filter_not_run)
{
	run(_metadata, self, &seccomp_skip);
}

/*
 * SECCOMP_RET_TRACE with PTRACE_O_TRACESECCOMP: an emulated call gets
 * no PTRACE_EVENT_SECCOMP stop (SYSEMU skips before seccomp), even when
 * resumed with PTRACE_CONT; a call whose entry was reported under
 * PTRACE_SYSCALL and resumed with PTRACE_SYSEMU runs, so its filter
 * runs and stops; under PTRACE_CONT the filter stops as usual.
 */
static const struct tcall rettrace_calls[] = {
	{ S_GETPPID, ARGS(0x1000), 0x9191 },	/* SYSEMU */
	{ S_GETPPID, ARGS(0x2000), V_PPID },	/* SYSCALL -> SYSEMU */
	{ S_GETPPID, ARGS(0x3000), 0x9393 },	/* SYSEMU -> CONT */
	{ S_GETPPID, ARGS(0x4000), V_PPID },	/* CONT */
	MARK,
};

static const struct step rettrace_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_NONE, 0x9191, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 0, IP_SC, 0x9191, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_ENTRY, 1, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_SECCOMP, 1, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 2, IP_SC, NOSYS, ACT_PEEK, 0x9393, PTRACE_CONT, 0 },
	{ ST_SECCOMP, 3, IP_SC, NOSYS, ACT_NONE, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario rettrace =
	SCENARIO(rettrace_calls, rettrace_steps, .prepare = prepare_trace,
		 .opts = PTRACE_O_TRACESECCOMP);

TEST_F(sysemu, seccomp_ret_trace_no_event)
{
	run(_metadata, self, &rettrace);
}

/*
 * An invalid signal in any resume request fails with EIO and changes
 * nothing: same stop, same registers, same syscall info; the next valid
 * request behaves as if the bad ones never happened (no single-step and
 * no SYSEMU left behind).
 */
static const struct tcall badsig_calls[] = {
	{ S_GETPPID, ARGS(0x1000), 0xa1a1 },
	{ S_GETTID, ARGS(0x2000), NOSYS },
	MARK,
};

static const struct step badsig_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_SC, NOSYS, ACT_BADSIG, 0xa1a1, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 1, IP_SC, NOSYS, ACT_BADSIG, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 1, IP_SC, NOSYS, ACT_BADSIG, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_ENTRY, 2, IP_SC, NOSYS, ACT_PEEK, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 2, IP_SC, V_PID, ACT_BADSIG, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario badsig =
	SCENARIO(badsig_calls, badsig_steps);

TEST_F(sysemu, bad_signal_eio)
{
	run(_metadata, self, &badsig);
}

/*
 * The straight-line sequence (see SEQ()): marker getpid, l0 mov, l1 getppid,
 * l2 mov, l3 mov, l4 gettid, l5 getpid (nr left in AX by the tracer),
 * l6 nop, l7 mov, l8 getpid, l9.  Stops are named by the label of the IP.
 */
static const struct tcall seq_calls[] = {
	{ S_GETPID, { ANY, ANY, ANY, ANY, ANY, ANY } },
	{ S_GETPPID, { ANY, ANY, ANY, ANY, ANY, ANY } },
	{ S_GETTID, { 0x1234, ANY, ANY, ANY, ANY, ANY } },
	{ S_GETPID, { 0x1234, ANY, ANY, ANY, ANY, ANY } },
	{ S_GETPID, { ANY, ANY, ANY, ANY, ANY, ANY } },
};

#define SEQ_SCENARIO(st) {						\
	.calls = seq_calls, .nr_alt = ARRAY_SIZE(seq_calls),		\
	.steps = st, .nr_steps = ARRAY_SIZE(st), .pipe = "", .seq = 1 }

#define SSS		PTRACE_SYSEMU_SINGLESTEP
#define STEP		PTRACE_SINGLESTEP

/*
 * PTRACE_SYSEMU_SINGLESTEP: a trap after every instruction, exactly one
 * stop (the entry stop) for every system call instruction, none of them
 * executed, no exit trap; back-to-back calls give back-to-back stops.
 */
static const struct step seq_sss_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_L(0), NOSYS, ACT_NONE, NOSET, SSS, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(1), ANY, ACT_NONE, NOSET, SSS, 0 },
	{ ST_ENTRY, 1, IP_L(2), NOSYS, ACT_NONE, 0x1234, SSS, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(3), 0x1234, ACT_NONE, NOSET, SSS, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(4), ANY, ACT_NONE, NOSET, SSS, 0 },
	{ ST_ENTRY, 2, IP_L(5), NOSYS, ACT_NONE, SET_NR(S_GETPID), SSS, 0 },
	{ ST_ENTRY, 3, IP_L(6), NOSYS, ACT_NONE, 0, SSS, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(7), 0, ACT_NONE, NOSET, SSS, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(8), ANY, ACT_NONE, NOSET, SSS, 0 },
	{ ST_ENTRY, 4, IP_L(9), NOSYS, ACT_NONE, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario seq_sss = SEQ_SCENARIO(seq_sss_steps);

TEST_F(sysemu, sysemu_singlestep_sequence)
{
	if (!self->m->seq)
		SKIP(return, "no straight-line sequence for %s", self->m->name);
	run(_metadata, self, &seq_sss);
}

/*
 * The same sequence under PTRACE_SINGLESTEP, for reference: the calls
 * run and each one gives a TRAP_BRKPT at the IP where SYSEMU_SINGLESTEP
 * gives its entry stop; every other stop is identical.
 */
static const struct step seq_step_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_L(0), NOSYS, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_BRKPT, IP_L(0), NOSYS, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(1), ANY, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_BRKPT, IP_L(2), V_PPID, ACT_NONE, 0x1234, STEP, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(3), 0x1234, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(4), ANY, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_BRKPT, IP_L(5), V_PID, ACT_NONE, SET_NR(S_GETPID), STEP, 0 },
	{ ST_TRAP, TRAP_BRKPT, IP_L(6), V_PID, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(7), V_PID, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(8), ANY, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_BRKPT, IP_L(9), V_PID, ACT_NONE, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario seq_step = SEQ_SCENARIO(seq_step_steps);

TEST_F(sysemu, singlestep_sequence)
{
	if (!self->m->seq)
		SKIP(return, "no straight-line sequence for %s", self->m->name);
	run(_metadata, self, &seq_step);
}

/*
 * Switching between the stepping modes at every kind of stop (the bugs
 * the 2004 series fixed): no stop lost, none twice, no loop on one IP.
 * A: SYSEMU entry -> SINGLESTEP, TRAP_BRKPT -> SYSEMU_SINGLESTEP,
 *    SYSEMU_SINGLESTEP entry -> SINGLESTEP (skipped, one TRAP_BRKPT),
 *    SINGLESTEP trap -> SYSEMU_SINGLESTEP, entry -> SYSEMU_SINGLESTEP,
 *    entry -> SYSEMU (no traps until the next call), SYSEMU -> SYSCALL.
 */
static const struct step seq_switch_a_steps[] = {
	START(PTRACE_SYSEMU),
	{ ST_ENTRY, 0, IP_L(0), NOSYS, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_BRKPT, IP_L(0), NOSYS, ACT_NONE, NOSET, SSS, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(1), ANY, ACT_NONE, NOSET, SSS, 0 },
	{ ST_ENTRY, 1, IP_L(2), NOSYS, ACT_NONE, 0x1234, STEP, 0 },
	{ ST_TRAP, TRAP_BRKPT, IP_L(2), 0x1234, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(3), 0x1234, ACT_NONE, NOSET, SSS, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(4), ANY, ACT_NONE, NOSET, SSS, 0 },
	{ ST_ENTRY, 2, IP_L(5), NOSYS, ACT_NONE, SET_NR(S_GETPID), SSS, 0 },
	{ ST_ENTRY, 3, IP_L(6), NOSYS, ACT_NONE, 0x77, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 4, IP_L(9), NOSYS, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 4, IP_L(9), NOSYS, ACT_NONE, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario seq_switch_a = SEQ_SCENARIO(seq_switch_a_steps);

TEST_F(sysemu, switch_singlestep_modes_a)
{
	if (!self->m->seq)
		SKIP(return, "no straight-line sequence for %s", self->m->name);
	run(_metadata, self, &seq_switch_a);
}

/*
 * B: SYSCALL exit -> SYSEMU_SINGLESTEP, trap -> SYSCALL, SYSCALL entry
 *    -> SYSEMU_SINGLESTEP (the call runs, no exit trap: the next stop is
 *    after the next instruction), SYSEMU_SINGLESTEP entry -> SYSCALL
 *    (skipped, exit stop), exit stop -> SINGLESTEP (the next call runs,
 *    one TRAP_BRKPT after it), trap -> SINGLESTEP, trap -> SYSEMU.
 */
static const struct tcall seq_b_calls[] = {
	{ S_GETPID, { ANY, ANY, ANY, ANY, ANY, ANY } },
	{ S_GETPPID, { ANY, ANY, ANY, ANY, ANY, ANY } },
	{ S_GETTID, { V_PPID, ANY, ANY, ANY, ANY, ANY } },
	{ S_GETPID, { V_PPID, ANY, ANY, ANY, ANY, ANY } },
	{ S_GETPID, { ANY, ANY, ANY, ANY, ANY, ANY } },
};

static const struct step seq_switch_b_steps[] = {
	START(PTRACE_SYSCALL),
	{ ST_ENTRY, 0, IP_L(0), NOSYS, ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 0, IP_L(0), V_PID, ACT_NONE, NOSET, SSS, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(1), SET_NR(S_GETPPID), ACT_NONE, NOSET, PTRACE_SYSCALL, 0 },
	{ ST_ENTRY, 1, IP_L(2), NOSYS, ACT_NONE, NOSET, SSS, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(3), V_PPID, ACT_NONE, NOSET, SSS, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(4), SET_NR(S_GETTID), ACT_NONE, NOSET, SSS, 0 },
	{ ST_ENTRY, 2, IP_L(5), NOSYS, ACT_NONE, SET_NR(S_GETPID), PTRACE_SYSCALL, 0 },
	{ ST_EXIT, 2, IP_L(5), SET_NR(S_GETPID), ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_BRKPT, IP_L(6), V_PID, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(7), V_PID, ACT_NONE, NOSET, STEP, 0 },
	{ ST_TRAP, TRAP_TRACE, IP_L(8), SET_NR(S_GETPID), ACT_NONE, NOSET, PTRACE_SYSEMU, 0 },
	{ ST_ENTRY, 4, IP_L(9), NOSYS, ACT_NONE, NOSET, PTRACE_CONT, 0 },
	{ ST_EXITED, 0 },
};

static const struct scenario seq_switch_b = {
	.calls = seq_b_calls, .nr_alt = ARRAY_SIZE(seq_b_calls),
	.steps = seq_switch_b_steps, .nr_steps = ARRAY_SIZE(seq_switch_b_steps),
	.pipe = "", .seq = 1,
};

TEST_F(sysemu, switch_singlestep_modes_b)
{
	if (!self->m->seq)
		SKIP(return, "no straight-line sequence for %s", self->m->name);
	run(_metadata, self, &seq_switch_b);
}

TEST_HARNESS_MAIN
