// SPDX-License-Identifier: GPL-2.0
/*
 * PTRACE_SYSEMU and PTRACE_SYSEMU_SINGLESTEP on x86, through every entry
 * instruction (fixture variants): the stops, their IP and AX, what the
 * tracee saw and what reached a pipe. Tables walked by walk(), see
 * sysvm_common.h. AX is -38 at every entry stop, and what an emulated
 * call returns unless the tracer writes it.
 */
#include "sysvm_common.h"

#define SYSEMU		PTRACE_SYSEMU
#define SSS		PTRACE_SYSEMU_SINGLESTEP
#define STEP		PTRACE_SINGLESTEP
#define CONT		PTRACE_CONT
#define L(k)		(IP_L0 + (k))

FIXTURE(sysemu) {
	struct tracee t;
};

FIXTURE_VARIANT(sysemu) {
	int method;
};

#ifdef __x86_64__
FIXTURE_VARIANT_ADD(sysemu, syscall) { .method = M_SYSCALL };
FIXTURE_VARIANT_ADD(sysemu, int80) { .method = M_INT80 };
#else
FIXTURE_VARIANT_ADD(sysemu, int80) { .method = M_INT80 };
FIXTURE_VARIANT_ADD(sysemu, vdso) { .method = M_LIBC };
FIXTURE_VARIANT_ADD(sysemu, syscall) { .method = M_SYSCALL };
FIXTURE_VARIANT_ADD(sysemu, sysenter) { .method = M_SYSENTER };
#endif

FIXTURE_SETUP(sysemu)
{
	setup_tracee(_metadata, &self->t, variant->method, true);
}

FIXTURE_TEARDOWN(sysemu)
{
	reap(&self->t);
}

#define START(req)	{ SIG, SIGSTOP, req }

/*
 * One stop per call, at entry; not run; AX as the tracer leaves it.
 * Resumed with PTRACE_SYSCALL: still skipped, with an exit stop; with
 * PTRACE_CONT: skipped, then free running. Every resume request with an
 * invalid signal fails with EIO and changes nothing: no step, no
 * PTRACE_SYSEMU left behind.
 */
WALK_TEST(sysemu, entry_stops) = {
	.prog = {
		{ GETPPID, .want = 0x4242 }, { WRITE, .want = 1 },
		{ GETTID, .want = V_SKIPPED }, { WRITE, .want = 0x1111 },
		{ WRITE, .want = V_SKIPPED }, { GETPID, .want = V_REAL },
		{ WRITE, .want = 0x3333 }, { WRITE, .want = V_REAL },
	},
	.pipe_bytes = 1,
	.steps = {
		START(SYSEMU),
		{ ENTRY, GETPPID, SYSEMU, .set = 0x4242, .ip = IP_SC },
		{ ENTRY, WRITE, SYSEMU, .set = 1, .ip = IP_SC,
		  .act = A_BADSIG },
		{ ENTRY, GETTID, SYSEMU, .ip = IP_SC },
		{ ENTRY, WRITE, SYSCALL, .set = 0x1111 },
		{ EXIT, WRITE, SYSEMU, .rval = 0x1111, .ip = IP_SC },
		{ ENTRY, WRITE, SYSCALL, .act = A_BADSIG },
		{ EXIT, WRITE, SYSCALL, .rval = V_SKIPPED, .act = A_BADSIG },
		{ ENTRY, GETPID, SYSCALL },
		{ EXIT, GETPID, SYSEMU, .rval = V_REAL, .act = A_BADSIG },
		{ ENTRY, WRITE, CONT, .set = 0x3333 },
		{ EXITED, 0 },
	},
};

/*
 * Resumed with PTRACE_SINGLESTEP: skipped, one TRAP_BRKPT at the same
 * IP, then stepping goes on. With PTRACE_SYSEMU_SINGLESTEP: no trap
 * for the emulated call, the next stop is after the next instruction.
 */
WALK_TEST(sysemu, resume_step) = {
	.prog = {
		{ WRITE, .want = 1 }, { WRITE, .want = 2 },
		{ GETPPID, .want = 0x5353 },
	},
	.steps = {
		START(SYSEMU),
		{ ENTRY, WRITE, STEP, .set = 1 },
		{ TRAP, TRAP_BRKPT, STEP, .rval = 1, .ip = IP_SC },
		{ TRAP, TRAP_TRACE, SYSEMU, .rval = 1, .ip = IP_SC2 },
		{ ENTRY, WRITE, STEP, .set = 2 },
		{ TRAP, TRAP_BRKPT, SYSEMU, .rval = 2, .ip = IP_SC },
		{ ENTRY, GETPPID, SSS, .set = 0x5353 },
		{ TRAP, TRAP_TRACE, SYSEMU, .rval = 0x5353, .ip = IP_SC2 },
		{ ENTRY, EXIT_GROUP, CONT },
		{ EXITED, STATUS_SKIPPED_EXIT },
	},
};

/*
 * A call reported at entry under PTRACE_SYSCALL runs even if resumed
 * with PTRACE_SYSEMU (no exit stop); one reported under PTRACE_SYSEMU
 * is skipped even if resumed with PTRACE_SYSCALL (exit stop).
 */
WALK_TEST(sysemu, switch_modes) = {
	.pipe_bytes = 3,
	.prog = {
		{ WRITE, .want = V_REAL }, { WRITE, .want = 0x2222 },
		{ WRITE, .want = V_REAL }, { WRITE, .want = 0x4444 },
		{ WRITE, .want = V_REAL },
	},
	.steps = {
		START(SYSCALL),
		{ ENTRY, WRITE, SYSCALL },
		{ EXIT, WRITE, SYSEMU, .rval = V_REAL },
		{ ENTRY, WRITE, SYSCALL, .set = 0x2222 },
		{ EXIT, WRITE, SYSCALL, .rval = 0x2222 },
		{ ENTRY, WRITE, SYSEMU },
		{ ENTRY, WRITE, SYSCALL, .set = 0x4444 },
		{ EXIT, WRITE, SYSCALL, .rval = 0x4444 },
		{ ENTRY, WRITE, SYSCALL },
		{ EXIT, WRITE, SYSEMU, .rval = V_REAL },
		{ ENTRY, EXIT_GROUP, CONT },
		{ EXITED, STATUS_SKIPPED_EXIT },
	},
};

/*
 * The User-Mode Linux restart: IP back by the entry instruction, a new
 * number. The next stop is the same instruction with the new call; the
 * second restart, resumed with PTRACE_SYSCALL, exits at the rewound IP
 * and then runs the call for real.
 */
WALK_TEST(sysemu, restart) = {
	.prog = { { GETPPID, .want = V_PID } },
	.steps = {
		START(SYSEMU),
		{ ENTRY, GETPPID, SYSEMU, .act = A_REWIND, .set = GETTID },
		{ ENTRY, GETTID, SYSCALL, .act = A_REWIND, .set = GETPID,
		  .ip = IP_SC },
		{ EXIT, GETPID, SYSCALL, .rval = V_NR(GETPID), .ip = IP_INSN },
		{ ENTRY, GETPID, SYSCALL, .ip = IP_SC },
		{ EXIT, GETPID, SYSEMU, .rval = V_PID },
		{ ENTRY, EXIT_GROUP, CONT },
		{ EXITED, STATUS_SKIPPED_EXIT },
	},
};

/*
 * A signal sent during a stop waits for the resume; one passed with
 * PTRACE_SYSEMU gives a signal-delivery stop after the emulated call
 * (AX already set), and delivered from there it runs the handler.
 * SIGKILL at a stop: the write never happens.
 */
WALK_TEST(sysemu, signals) = {
	.hits = 1,
	.prog = {
		{ GETPPID, .want = 0x6161 }, { GETPPID, .want = 0x7171 },
		{ WRITE, .want = V_NOTRUN },
	},
	.steps = {
		START(SYSEMU),
		{ ENTRY, GETPPID, SYSEMU, .set = 0x6161, .act = A_QUEUE },
		{ SIG, SIGUSR1, SYSEMU, .rval = 0x6161 },
		{ ENTRY, GETPPID, SYSEMU, 0, SIGUSR1, .set = 0x7171 },
		{ SIG, SIGUSR1, SYSCALL, 0, SIGUSR1, .rval = 0x7171 },
		{ ENTRY, SIGRETURN, SYSCALL },
		{ EXIT, SIGRETURN, SYSEMU, .rval = 0x7171 },
		{ ENTRY, WRITE, NOREQ, .act = A_KILL },
		{ KILLED, SIGKILL },
	},
};

/*
 * The tracee's filter does not run for an emulated call: getppid would
 * kill the process, gettid fail with 77. Run for real, both bite (the
 * kill rolls AX back to the number).
 */
WALK_TEST(sysemu, seccomp_not_run) = {
	.filter = {
		{ GETPPID, ANY_ARG, SECCOMP_RET_KILL_PROCESS },
		{ GETTID, ANY_ARG, SECCOMP_RET_ERRNO | 77 },
	},
	.prog = {
		{ GETPPID, .want = 0x8181 }, { GETTID, .want = 0x8282 },
		{ GETTID, .want = -77 }, { GETPPID, .want = V_NOTRUN },
	},
	.steps = {
		START(SYSEMU),
		{ ENTRY, GETPPID, SYSEMU, .set = 0x8181 },
		{ ENTRY, GETTID, SYSCALL, .set = 0x8282 },
		{ EXIT, GETTID, SYSCALL, .rval = 0x8282 },
		{ ENTRY, GETTID, SYSCALL },
		{ EXIT, GETTID, SYSCALL, .rval = -77 },
		{ ENTRY, GETPPID, SYSCALL },
		{ EXIT, GETPPID, SYSCALL, .rval = V_NR(GETPPID) },
		{ KILLED, SIGSYS },
	},
};

/*
 * SECCOMP_RET_TRACE: no PTRACE_EVENT_SECCOMP stop for an emulated call,
 * whatever resumes it; a call reported under PTRACE_SYSCALL and resumed
 * with PTRACE_SYSEMU runs, so its filter stops it.
 */
WALK_TEST(sysemu, seccomp_trace) = {
	.opts = PTRACE_O_TRACESECCOMP,
	.filter = { { GETPPID, ANY_ARG, SECCOMP_RET_TRACE | TRACE_DATA } },
	.prog = {
		{ GETPPID, .want = 0x9191 }, { GETPPID, .want = V_REAL },
		{ GETPPID, .want = 0x9393 }, { GETPPID, .want = V_REAL },
	},
	.steps = {
		START(SYSEMU),
		{ ENTRY, GETPPID, SYSCALL, .set = 0x9191 },
		{ EXIT, GETPPID, SYSCALL, .rval = 0x9191 },
		{ ENTRY, GETPPID, SYSEMU },
		{ SECCOMP, GETPPID, SYSEMU },
		{ ENTRY, GETPPID, CONT, .set = 0x9393 },
		{ SECCOMP, GETPPID, CONT },
		{ EXITED, 0 },
	},
};

/*
 * A straight line for the single-step tests, with label k at L(k):
 *	mov $getpid, %eax; SC; L0: mov $getppid, %eax; L1: SC;
 *	L2: mov %eax, ARG0; L3: mov $gettid, %eax; L4: SC; L5: SC;
 *	L6: nop; L7: mov $getpid, %eax; L8: SC; L9:
 * The entry instructions at L4 and L5 run back to back, the second
 * with whatever the tracer left in AX.
 */
static const int seq_labels[] = { 0, 5, 7, 9, 14, 16, 18, 19, 24, 26 };

#define SEQ_SYSCALL	"mov %[p], %%eax\n\tsyscall\n"			\
			"0:\tmov %[pp], %%eax\n\tsyscall\n\t"		\
			"mov %%eax, %%edi\n\tmov %[tid], %%eax\n\t"	\
			"syscall\n\tsyscall\n\tnop\n\t"			\
			"mov %[p], %%eax\n\tsyscall"
#define SEQ_INT80	"mov %[p], %%eax\n\tint $0x80\n"		\
			"0:\tmov %[pp], %%eax\n\tint $0x80\n\t"		\
			"mov %%eax, %%ebx\n\tmov %[tid], %%eax\n\t"	\
			"int $0x80\n\tint $0x80\n\tnop\n\t"		\
			"mov %[p], %%eax\n\tint $0x80"

static void seq(struct tracee *t)
{
#ifdef __x86_64__
	if (t->method == M_SYSCALL) {
		__asm__ volatile("lea 0f(%%rip), %%r11\n\t"
				 "mov %%r11, %[l0]\n\t"
				 SEQ_SYSCALL
				 : [l0] "=m" (t->shm->ip)
				 : [p] "i" (__NR_getpid), [pp] "i" (__NR_getppid),
				   [tid] "i" (__NR_gettid)
				 : "rax", "rdi", "rcx", "r11", "memory");
		return;
	}
	__asm__ volatile("lea 0f(%%rip), %%r11\n\t"
			 "mov %%r11, %[l0]\n\t"
			 SEQ_INT80
			 : [l0] "=m" (t->shm->ip)
			 : [p] "i" (20), [pp] "i" (64), [tid] "i" (224)
			 : "rax", "rbx", "r8", "r9", "r10", "r11", "memory");
#else
	__asm__ volatile("call 9f\n"
			 "9:\taddl $0f - 9b, (%%esp)\n\t"
			 "popl %[l0]\n\t"
			 SEQ_INT80
			 : [l0] "=m" (t->shm->ip)
			 : [p] "i" (__NR_getpid), [pp] "i" (__NR_getppid),
			   [tid] "i" (__NR_gettid)
			 : "eax", "ebx", "memory");
#endif
}

/* The single-step tests: for the methods with a straight line */
FIXTURE(sysemu_seq) {
	struct tracee t;
};

FIXTURE_VARIANT(sysemu_seq) {
	int method;
};

#ifdef __x86_64__
FIXTURE_VARIANT_ADD(sysemu_seq, syscall) { .method = M_SYSCALL };
#endif
FIXTURE_VARIANT_ADD(sysemu_seq, int80) { .method = M_INT80 };

FIXTURE_SETUP(sysemu_seq)
{
	setup_tracee(_metadata, &self->t, variant->method, true);
}

FIXTURE_TEARDOWN(sysemu_seq)
{
	reap(&self->t);
}

#define SEQ_SCENARIO	.body = seq, .labels = seq_labels

/*
 * PTRACE_SYSEMU_SINGLESTEP: a trap after every instruction and exactly
 * one stop, at entry, for each entry instruction, none executed, no
 * exit trap; back-to-back calls give back-to-back stops.
 */
WALK_TEST(sysemu_seq, sysemu_singlestep) = {
	SEQ_SCENARIO,
	.steps = {
		START(SYSEMU),
		{ ENTRY, GETPID, SSS, .ip = L(0) },
		{ TRAP, TRAP_TRACE, SSS, .rval = V_NR(GETPPID), .ip = L(1) },
		{ ENTRY, GETPPID, SSS, .set = 0x1234, .ip = L(2) },
		{ TRAP, TRAP_TRACE, SSS, .rval = 0x1234, .ip = L(3) },
		{ TRAP, TRAP_TRACE, SSS, .rval = V_NR(GETTID), .ip = L(4) },
		{ ENTRY, GETTID, SSS, .set = V_NR(GETPID), .ip = L(5) },
		{ ENTRY, GETPID, SSS, .set = 0x77, .ip = L(6) },
		{ TRAP, TRAP_TRACE, SSS, .rval = 0x77, .ip = L(7) },
		{ TRAP, TRAP_TRACE, SSS, .rval = V_NR(GETPID), .ip = L(8) },
		{ ENTRY, GETPID, CONT, .ip = L(9) },
		{ EXITED, 0 },
	},
};

/*
 * The same under PTRACE_SINGLESTEP: the calls run, each gives one
 * TRAP_BRKPT where SYSEMU_SINGLESTEP gives its entry stop.
 */
WALK_TEST(sysemu_seq, singlestep) = {
	SEQ_SCENARIO,
	.steps = {
		START(SYSEMU),
		{ ENTRY, GETPID, STEP, .ip = L(0) },
		{ TRAP, TRAP_BRKPT, STEP, .rval = V_SKIPPED, .ip = L(0) },
		{ TRAP, TRAP_TRACE, STEP, .rval = V_NR(GETPPID), .ip = L(1) },
		{ TRAP, TRAP_BRKPT, STEP, .rval = V_PPID, .set = 0x1234,
		  .ip = L(2) },
		{ TRAP, TRAP_TRACE, STEP, .rval = 0x1234, .ip = L(3) },
		{ TRAP, TRAP_TRACE, STEP, .rval = V_NR(GETTID), .ip = L(4) },
		{ TRAP, TRAP_BRKPT, STEP, .rval = V_PID,
		  .set = V_NR(GETPID), .ip = L(5) },
		{ TRAP, TRAP_BRKPT, STEP, .rval = V_PID, .ip = L(6) },
		{ TRAP, TRAP_TRACE, STEP, .rval = V_PID, .ip = L(7) },
		{ TRAP, TRAP_TRACE, STEP, .rval = V_NR(GETPID), .ip = L(8) },
		{ TRAP, TRAP_BRKPT, CONT, .rval = V_PID, .ip = L(9) },
		{ EXITED, 0 },
	},
};

/*
 * Switching stepping modes at every kind of stop: no stop lost, none
 * twice, no loop on one IP. SYSEMU entry -> SINGLESTEP -> TRAP_BRKPT ->
 * SYSEMU_SINGLESTEP; its entry -> SINGLESTEP (skipped, one TRAP_BRKPT);
 * trap -> SYSEMU_SINGLESTEP; entry -> SYSEMU; SYSEMU -> SYSCALL.
 */
WALK_TEST(sysemu_seq, switch_a) = {
	SEQ_SCENARIO,
	.steps = {
		START(SYSEMU),
		{ ENTRY, GETPID, STEP, .ip = L(0) },
		{ TRAP, TRAP_BRKPT, SSS, .rval = V_SKIPPED, .ip = L(0) },
		{ TRAP, TRAP_TRACE, SSS, .rval = V_NR(GETPPID), .ip = L(1) },
		{ ENTRY, GETPPID, STEP, .set = 0x1234, .ip = L(2) },
		{ TRAP, TRAP_BRKPT, STEP, .rval = 0x1234, .ip = L(2) },
		{ TRAP, TRAP_TRACE, SSS, .rval = 0x1234, .ip = L(3) },
		{ TRAP, TRAP_TRACE, SSS, .rval = V_NR(GETTID), .ip = L(4) },
		{ ENTRY, GETTID, SSS, .set = V_NR(GETPID), .ip = L(5) },
		{ ENTRY, GETPID, SYSEMU, .set = 0x77, .ip = L(6) },
		{ ENTRY, GETPID, SYSCALL, .ip = L(9) },
		{ EXIT, GETPID, CONT, .rval = V_SKIPPED, .ip = L(9) },
		{ EXITED, 0 },
	},
};

/*
 * SYSCALL exit -> SYSEMU_SINGLESTEP; trap -> SYSCALL; SYSCALL entry ->
 * SYSEMU_SINGLESTEP (the call runs, no exit trap); SYSEMU_SINGLESTEP
 * entry -> SYSCALL (skipped, exit stop); exit -> SINGLESTEP (the next
 * call runs, one TRAP_BRKPT); trap -> SYSEMU.
 */
WALK_TEST(sysemu_seq, switch_b) = {
	SEQ_SCENARIO,
	.steps = {
		START(SYSCALL),
		{ ENTRY, GETPID, SYSCALL, .ip = L(0) },
		{ EXIT, GETPID, SSS, .rval = V_PID, .ip = L(0) },
		{ TRAP, TRAP_TRACE, SYSCALL, .rval = V_NR(GETPPID), .ip = L(1) },
		{ ENTRY, GETPPID, SSS, .ip = L(2) },
		{ TRAP, TRAP_TRACE, SSS, .rval = V_PPID, .ip = L(3) },
		{ TRAP, TRAP_TRACE, SSS, .rval = V_NR(GETTID), .ip = L(4) },
		{ ENTRY, GETTID, SYSCALL, .set = V_NR(GETPID), .ip = L(5) },
		{ EXIT, GETTID, STEP, .rval = V_NR(GETPID), .ip = L(5) },
		{ TRAP, TRAP_BRKPT, STEP, .rval = V_PID, .ip = L(6) },
		{ TRAP, TRAP_TRACE, STEP, .rval = V_PID, .ip = L(7) },
		{ TRAP, TRAP_TRACE, SYSEMU, .rval = V_NR(GETPID), .ip = L(8) },
		{ ENTRY, GETPID, CONT, .ip = L(9) },
		{ EXITED, 0 },
	},
};

TEST_HARNESS_MAIN
