// SPDX-License-Identifier: GPL-2.0
/*
 * PTRACE_SYSVM: at a syscall-entry stop the tracer decides, for this one
 * call, to skip it (PTRACE_VM_SKIPCALL) and/or its exit stop
 * (PTRACE_VM_SKIPEXIT). Documentation/userspace-api/ptrace-sysvm.rst.
 *
 * Every test is a table of the stops the tracer must see, walked by
 * walk() (sysvm_common.h). The core is portable: stops are checked with
 * PTRACE_GET_SYSCALL_INFO, return values written with
 * PTRACE_SET_SYSCALL_INFO at exit stops, side effects seen in a pipe.
 * On x86 the same tables also run through int $0x80 (and on i386 through
 * sysenter and the compat-mode syscall instruction), with the registers
 * checked too, and without PTRACE_O_TRACESYSGOOD.
 *
 * Rule (sysvm-abi.md)                        test                 mutants
 * ------------------------------------------ -------------------- -------
 * flags 0 is exactly PTRACE_SYSCALL          flags_0              04
 * the tracee resumes in syscall-tracing mode skipcall_skipexit,   04 11
 *   (also from a seccomp stop)               seccomp_stop
 * SKIPCALL|SKIPEXIT: one stop, not executed  skipcall_skipexit    05 06 12 13
 * SKIPCALL: exit stop; PTRACE_SET_SYSCALL_   skipcall             05 12
 *   INFO there sets the value
 * SKIPEXIT: executed, no exit stop           skipexit             06 13
 * flags last one call: not the next one, not skipexit             -
 *   a restarted one
 * EINVAL for unknown flag bits, at any stop  errors_entry_stop,   01
 *                                            errors_other_stops
 * EIO for a bad signal, before the flags     errors_entry_stop    16
 * ESRCH: not the tracer, or not stopped      errors_entry_stop    -
 * a failed request changes nothing           every err row        01 16
 * EINVAL for flags at a signal, group, exit, errors_other_stops   02
 *   PTRACE_EVENT_EXIT stop
 * entry stops are marked by the kernel, not  siginfo_spoof        03 v1
 *   known by si_code (self-queued, or
 *   PTRACE_SETSIGINFO at signal, exit and
 *   exit-event stops; a real entry stop
 *   with a new si_code still takes flags)
 * SKIPCALL stands when the tracer exits      tracer_exit          10 v1
 * SKIPEXIT dropped at unlink (detach)        vfork_detach         09
 * SKIPEXIT dropped when tracing goes off     fork_cont            08
 * a new task starts with none: SKIPEXIT of   fork_child           17
 *   the fork that made it not inherited
 * SKIPEXIT replaced at a seccomp stop        seccomp_stop         07
 * event stops keep the decision, no flags    event_stops          02 06
 * SKIPCALL at entry: no filter runs (KILL,   seccomp_skipcall     05 12
 *   ERRNO, TRACE, USER_NOTIF)
 * SKIPEXIT alone: the filters apply          seccomp_skipcall     -
 * flags at a seccomp stop; SKIPCALL there    seccomp_stop,        14 15
 *   skips without running the filters again  seccomp_skipcall
 * PTRACE_SYSEMU stops take flags             sysemu_stops         11
 * x86: a skipped call returns AX: written at x86_entry_value      05 12
 *   entry, else -38; a call that runs
 *   overwrites it
 * all of it at random (sysvm_stress.c)       stress.sysvm.run     01 02 05-07
 *                                                                 11-16
 *
 * Mutants are series/mutants/NN-*.patch of the series repository (make
 * mutate): 01 unknown bits accepted, 02 flags at any stop, 03 entry stop
 * known from si_code, 04 PTRACE_SYSVM without SYSCALL_TRACE, 05 SKIPCALL
 * never set, 06 SKIPEXIT never set, 07 resume at an entry stop keeps
 * SKIPEXIT, 08 resume leaving tracing keeps SKIPEXIT, 09 unlink keeps
 * SKIPEXIT, 10 unlink drops SKIPCALL, 11 entry stop unmarked, 12 entry
 * ignores SKIPCALL, 13 exit ignores SKIPEXIT, 14 seccomp stop unmarked,
 * 15 seccomp stop ignores SKIPCALL, 16 flags checked before the signal,
 * 17 fork passes SKIPEXIT on to the child.
 * v1: the first version of the series.
 */
#include "sysvm_common.h"

FIXTURE(sysvm) {
	struct tracee t;
};

FIXTURE_VARIANT(sysvm) {
	int method;
	bool sysgood;
};

FIXTURE_VARIANT_ADD(sysvm, native) { .method = M_LIBC, .sysgood = true };
#ifdef SYSVM_X86
FIXTURE_VARIANT_ADD(sysvm, native_nosysgood) { .method = M_LIBC };
FIXTURE_VARIANT_ADD(sysvm, int80) { .method = M_INT80, .sysgood = true };
FIXTURE_VARIANT_ADD(sysvm, int80_nosysgood) { .method = M_INT80 };
#endif
#if SYSVM_I386
FIXTURE_VARIANT_ADD(sysvm, sysenter) { .method = M_SYSENTER, .sysgood = true };
FIXTURE_VARIANT_ADD(sysvm, syscall) { .method = M_SYSCALL, .sysgood = true };
#endif

FIXTURE_SETUP(sysvm)
{
	setup_tracee(_metadata, &self->t, variant->method, variant->sysgood);
}

FIXTURE_TEARDOWN(sysvm)
{
	reap(&self->t);
}

#define START		{ SIG, SIGSTOP, SYSVM }

/* Run with PTRACE_SYSVM(0) and with PTRACE_SYSCALL: the same stops */
TEST_F(sysvm, flags_0)
{
	static const struct scenario sc = {
		.pipe_bytes = 1,
		.prog = {
			{ GETPPID, .want = V_REAL }, { WRITE, .want = V_REAL },
			{ READ, .want = V_REAL },
		},
		.steps = {
			START,
			{ ENTRY, GETPPID, SYSVM },
			{ EXIT, GETPPID, SYSVM, .rval = V_REAL },
			{ ENTRY, WRITE, SYSVM },
			{ EXIT, WRITE, SYSVM, .rval = V_REAL },
			{ ENTRY, READ, SYSVM, .act = A_SIGUSR1 },
			{ EXIT, READ, SYSVM, .rval = -ERESTARTSYS },
			{ SIG, SIGUSR1, SYSVM },
			{ ENTRY, READ, SYSVM, .act = A_FILL },
			{ EXIT, READ, SYSVM, .rval = V_REAL },
			{ ENTRY, EXIT_GROUP, SYSVM },
			{ EXITED, 0 },
		},
	};

	self->t.as_syscall = true;
	walk(_metadata, &self->t, &sc);
	self->t.as_syscall = false;
	walk(_metadata, &self->t, &sc);
}

/* One stop per call, nothing executed, then tracing as usual */
WALK_TEST(sysvm, skipcall_skipexit) = {
	.prog = {
		{ EXIT_GROUP, 3, .want = V_SKIPPED },
		{ GETPPID, .want = V_SKIPPED }, { WRITE, .want = V_SKIPPED },
		{ GETPPID, .want = V_REAL },
	},
	.steps = {
		START,
		{ ENTRY, EXIT_GROUP, SYSVM, BOTH },
		{ ENTRY, GETPPID, SYSVM, BOTH },
		{ ENTRY, WRITE, SYSVM, BOTH },
		{ ENTRY, GETPPID, SYSVM },
		{ EXIT, GETPPID, SYSVM, .rval = V_REAL },
		{ ENTRY, EXIT_GROUP, SYSVM },
		{ EXITED, 0 },
	},
};

/* Skipped with its exit stop: the tracer sets the value there */
WALK_TEST(sysvm, skipcall) = {
	.pipe_bytes = 1,
	.prog = {
		{ GETPPID, .want = 4242 }, { GETPPID, .want = V_REAL },
		{ WRITE, .want = -EXDEV }, { WRITE, .want = V_SKIPPED },
		{ WRITE, .want = V_REAL },
	},
	.steps = {
		START,
		{ ENTRY, GETPPID, SYSVM, SKIPCALL },
		{ EXIT, GETPPID, SYSVM, .rval = V_SKIPPED, .set = 4242 },
		{ ENTRY, GETPPID, SYSVM },
		{ EXIT, GETPPID, SYSVM, .rval = V_REAL },
		{ ENTRY, WRITE, SYSVM, SKIPCALL },
		{ EXIT, WRITE, SYSVM, .rval = V_SKIPPED, .set = -EXDEV },
		{ ENTRY, WRITE, SYSVM, SKIPCALL },
		{ EXIT, WRITE, SYSVM, .rval = V_SKIPPED },
		{ ENTRY, WRITE, SYSVM },
		{ EXIT, WRITE, SYSVM, .rval = V_REAL },
		{ ENTRY, EXIT_GROUP, SYSVM },
		{ EXITED, 0 },
	},
};

/*
 * Executed, no exit stop; the next call has its own. A read() under
 * SKIPEXIT interrupted by a signal: no exit stop; restarted, it is a
 * new call with a new entry stop and its own decision.
 */
WALK_TEST(sysvm, skipexit) = {
	.pipe_bytes = 1,
	.prog = {
		{ GETPPID, .want = V_REAL }, { WRITE, .want = V_REAL },
		{ GETPPID, .want = V_REAL }, { READ, .want = V_REAL },
		{ READ, .want = V_SKIPPED },
	},
	.steps = {
		START,
		{ ENTRY, GETPPID, SYSVM, SKIPEXIT },
		{ ENTRY, WRITE, SYSVM, SKIPEXIT },
		{ ENTRY, GETPPID, SYSVM },
		{ EXIT, GETPPID, SYSVM, .rval = V_REAL },
		{ ENTRY, READ, SYSVM, SKIPEXIT, .act = A_SIGUSR1 },
		{ SIG, SIGUSR1, SYSVM },
		{ ENTRY, READ, SYSVM, .act = A_FILL },
		{ EXIT, READ, SYSVM, .rval = V_REAL },
		{ ENTRY, READ, SYSVM, .act = A_SIGUSR1 },
		{ EXIT, READ, SYSVM, .rval = -ERESTARTSYS },
		{ SIG, SIGUSR1, SYSVM },
		{ ENTRY, READ, SYSVM, BOTH },
		{ ENTRY, EXIT_GROUP, SYSVM, SKIPEXIT },
		{ EXITED, 0 },
	},
};

/* Refused requests change nothing: the next one acts as if alone */
WALK_TEST(sysvm, errors_entry_stop) = {
	.pipe_bytes = 1,
	.prog = {
		{ WRITE, .want = V_REAL }, { WRITE, .want = V_SKIPPED },
		{ READ, .want = V_REAL },
	},
	.steps = {
		START,
		{ ENTRY, WRITE, SYSVM, 0x4, 0, EINVAL },
		{ ENTRY, WRITE, SYSVM, SKIPCALL | 0x4, 0, EINVAL },
		{ ENTRY, WRITE, SYSVM, BOTH | HIGHBIT, 0, EINVAL },
		{ ENTRY, WRITE, SYSVM, ~0UL, 0, EINVAL },
		{ ENTRY, WRITE, SYSVM, BOTH, 65, EIO },
		{ ENTRY, WRITE, SYSVM, ~0UL, -1, EIO },
		{ ENTRY, WRITE, BY_CHILD, BOTH, 0, ESRCH },
		{ ENTRY, WRITE, BY_THREAD, BOTH, 0, ESRCH },
		{ ENTRY, WRITE, NOREQ, .act = A_BADSIG },
		{ ENTRY, WRITE, SYSVM },
		{ EXIT, WRITE, SYSVM, .rval = V_REAL },
		{ ENTRY, WRITE, SYSVM, BOTH },
		{ ENTRY, READ, SYSVM, SKIPEXIT },
		{ RUNNING, 0, SYSVM, BOTH, 0, ESRCH },
		{ RUNNING, 0, SYSVM, 0, 0, ESRCH, .act = A_FILL },
		{ ENTRY, EXIT_GROUP, SYSVM },
		{ EXITED, 0 },
	},
};

/* Flags at a signal, group, exit or exit-event stop: EINVAL */
WALK_TEST(sysvm, errors_other_stops) = {
	.opts = PTRACE_O_TRACEEXIT,
	.prog = { { GETPPID, .want = V_REAL } },
	.steps = {
		{ SIG, SIGSTOP, SYSVM, SKIPCALL, 0, EINVAL },
		{ SIG, SIGSTOP, SYSVM, SKIPEXIT, 0, EINVAL },
		{ SIG, SIGSTOP, SYSVM, 0x4, 0, EINVAL },
		{ SIG, SIGSTOP, SYSVM, 0, 65, EIO },
		{ SIG, SIGSTOP, SYSVM, 0, SIGSTOP },
		{ GSTOP, SIGSTOP, SYSVM, SKIPCALL, 0, EINVAL },
		{ GSTOP, SIGSTOP, SYSVM, BOTH, 0, EINVAL },
		{ GSTOP, SIGSTOP, SYSVM },
		{ ENTRY, GETPPID, SYSVM },
		{ EXIT, GETPPID, SYSVM, SKIPCALL, 0, EINVAL, .rval = V_REAL },
		{ EXIT, GETPPID, SYSVM, SKIPEXIT, 0, EINVAL },
		{ EXIT, GETPPID, SYSVM, BOTH, 0, EINVAL },
		{ EXIT, GETPPID, SYSVM },
		{ ENTRY, EXIT_GROUP, SYSVM },
		{ EVENT, EV_EXIT, SYSVM, SKIPCALL, 0, EINVAL },
		{ EVENT, EV_EXIT, SYSVM, BOTH, 0, EINVAL },
		{ EVENT, EV_EXIT, SYSVM },
		{ EXITED, 0 },
	},
};

/*
 * Whatever the siginfo of a stop says, only a real syscall-entry or
 * seccomp stop takes flags: a SIGTRAP the tracee queued itself with a
 * seccomp si_code, si_code rewritten by the tracer at a signal stop,
 * an exit stop and the exit-event stop of a tracee killed by SIGHUP
 * (event message 1, as at an entry stop); and a real entry stop whose
 * si_code the tracer changed still takes them.
 */
#define SI_SYSGOOD	(SIGTRAP | 0x80)
#define SI_SECCOMP	(SIGTRAP | PTRACE_EVENT_SECCOMP << 8)

WALK_TEST(sysvm, siginfo_spoof) = {
	.opts = PTRACE_O_TRACEEXIT,
	.prog = {
		{ RAISE, SIGTRAP, SI_SECCOMP, .want = 0 },
		{ RAISE, SIGUSR2, .want = 0 }, { GETPPID, .want = V_SKIPPED },
		{ RAISE, SIGHUP, .want = V_NOTRUN },
	},
	.steps = {
		START,
		{ ENTRY, RAISE, SYSVM },
		{ EXIT, RAISE, SYSVM, .rval = 0 },
		{ SIG, SIGTRAP, SYSVM, BOTH, 0, EINVAL },
		{ SIG, SIGTRAP, SYSVM, SKIPCALL, 0, EINVAL },
		{ SIG, SIGTRAP, SYSVM },
		{ ENTRY, RAISE, SYSVM },
		{ EXIT, RAISE, SYSVM, .rval = 0 },
		{ SIG, SIGUSR2, SYSVM, BOTH, 0, EINVAL, .act = A_SI,
		  .set = SI_SECCOMP },
		{ SIG, SIGUSR2, SYSVM, BOTH, 0, EINVAL, .act = A_SI,
		  .set = SI_SYSGOOD },
		{ SIG, SIGUSR2, SYSVM },
		{ ENTRY, GETPPID, SYSVM, SKIPCALL, .act = A_SI,
		  .set = SI_USER },
		{ EXIT, GETPPID, SYSVM, BOTH, 0, EINVAL, .rval = V_SKIPPED,
		  .act = A_SI, .set = SI_SYSGOOD },
		{ EXIT, GETPPID, SYSVM, SKIPCALL, 0, EINVAL, .act = A_SI,
		  .set = SI_SECCOMP },
		{ EXIT, GETPPID, SYSVM },
		{ ENTRY, RAISE, SYSVM },
		{ EXIT, RAISE, SYSVM, .rval = 0 },
		{ SIG, SIGHUP, SYSVM, 0, SIGHUP },
		{ EVENT, EV_EXIT, SYSVM, BOTH, 0, EINVAL, .rval = SIGHUP,
		  .act = A_SI, .set = SI_SYSGOOD },
		{ EVENT, EV_EXIT, SYSVM, BOTH, 0, EINVAL, .act = A_SI,
		  .set = SI_SECCOMP },
		{ EVENT, EV_EXIT, SYSVM },
		{ KILLED, SIGHUP },
	},
};

/*
 * Stops inside a call (fork, vfork, vfork-done, exec events) keep the
 * decision of its entry stop when resumed in tracing mode, and take no
 * flags. The exec'd program is killed at its first entry stop.
 */
WALK_TEST(sysvm, event_stops) = {
	.opts = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
		PTRACE_O_TRACEVFORKDONE | PTRACE_O_TRACEEXEC,
	.prog = {
		{ FORK, .want = V_REAL }, { FORK, .want = V_REAL },
		{ VFORK, .want = V_REAL }, { EXECVE, .want = V_NOTRUN },
	},
	.steps = {
		START,
		{ ENTRY, FORK, SYSVM },
		{ EVENT, EV_FORK, SYSVM, SKIPEXIT, 0, EINVAL, .act = A_KILLKID },
		{ EVENT, EV_FORK, SYSCALL },
		{ EXIT, FORK, SYSVM, .rval = V_REAL },
		{ ENTRY, FORK, SYSVM, SKIPEXIT },
		{ EVENT, EV_FORK, SYSVM, SKIPCALL, 0, EINVAL, .act = A_KILLKID },
		{ EVENT, EV_FORK, SYSVM },
		{ ENTRY, VFORK, SYSVM, SKIPEXIT },
		{ EVENT, EV_VFORK, SYSVM, BOTH, 0, EINVAL, .act = A_RELEASE },
		{ EVENT, EV_VFORK, SYSCALL },
		{ EVENT, EV_VDONE, SYSVM, SKIPEXIT, 0, EINVAL },
		{ EVENT, EV_VDONE, SYSVM },
		{ ENTRY, EXECVE, SYSVM, SKIPEXIT },
		{ EVENT, EV_EXEC, SYSVM, SKIPCALL, 0, EINVAL },
		{ EVENT, EV_EXEC, SYSCALL },
		{ ENTRY, OTHER, NOREQ, .act = A_KILL },
		{ KILLED, SIGKILL },
	},
};

/*
 * SKIPEXIT dropped when the tracee leaves its tracer: detached at the
 * vfork event, re-seized while it waits for the child, resumed with
 * PTRACE_SYSCALL at the vfork-done stop, it reports the exit stop.
 */
WALK_TEST(sysvm, vfork_detach) = {
	.opts = PTRACE_O_TRACEVFORK | PTRACE_O_TRACEVFORKDONE,
	.prog = { { VFORK, .want = V_REAL } },
	.steps = {
		START,
		{ ENTRY, VFORK, SYSVM, SKIPEXIT },
		{ EVENT, EV_VFORK, PTRACE_DETACH, .act = A_REATTACH },
		{ RUNNING, 0, NOREQ, .act = A_RELEASE },
		{ EVENT, EV_VDONE, SYSCALL },
		{ EXIT, VFORK, SYSVM, .rval = V_REAL },
		{ ENTRY, EXIT_GROUP, SYSVM },
		{ EXITED, 0 },
	},
};

/*
 * SKIPEXIT dropped when a request leaves syscall tracing off: fork #1
 * resumed with PTRACE_CONT at its event stop, fork #2 (not traced at
 * entry) resumed with PTRACE_SYSCALL at its event stop reports its exit.
 */
WALK_TEST(sysvm, fork_cont) = {
	.opts = PTRACE_O_TRACEFORK,
	.prog = {
		{ FORK, .want = V_REAL }, { FORK, .want = V_REAL },
	},
	.steps = {
		START,
		{ ENTRY, FORK, SYSVM, SKIPEXIT },
		{ EVENT, EV_FORK, PTRACE_CONT, .act = A_KILLKID },
		{ EVENT, EV_FORK, SYSCALL, .act = A_KILLKID },
		{ EXIT, FORK, SYSVM, .rval = V_REAL },
		{ ENTRY, EXIT_GROUP, SYSVM },
		{ EXITED, 0 },
	},
};

/* Seccomp rules of the tracee */
#define KILL_GETPPID	{ GETPPID, ANY_ARG, SECCOMP_RET_KILL_PROCESS }
#define EXDEV_GETPID	{ GETPID, ANY_ARG, SECCOMP_RET_ERRNO | EXDEV }
#define TRACE_WRITE	{ WRITE, ANY_ARG, SECCOMP_RET_TRACE | TRACE_DATA }
#define NOTIFY_READ	{ READ, ANY_ARG, SECCOMP_RET_USER_NOTIF }

/*
 * SKIPCALL at the entry stop: none of the tracee's filters runs (a
 * USER_NOTIF would block it for good); SKIPEXIT alone: all of them do.
 */
WALK_TEST(sysvm, seccomp_skipcall) = {
	.opts = PTRACE_O_TRACESECCOMP,
	.filter = { KILL_GETPPID, EXDEV_GETPID, TRACE_WRITE, NOTIFY_READ },
	.filter_flags = SECCOMP_FILTER_FLAG_NEW_LISTENER,
	.prog = {
		{ GETPPID, .want = V_SKIPPED }, { GETPID, .want = V_SKIPPED },
		{ WRITE, .want = V_SKIPPED },
		{ READ, .want = V_SKIPPED }, { GETPID, .want = -EXDEV },
		{ WRITE, .want = V_SKIPPED }, { GETPPID, .want = V_NOTRUN },
	},
	.steps = {
		START,
		{ ENTRY, GETPPID, SYSVM, BOTH },
		{ ENTRY, GETPID, SYSVM, SKIPCALL },
		{ EXIT, GETPID, SYSVM, .rval = V_SKIPPED },
		{ ENTRY, WRITE, SYSVM, BOTH },
		{ ENTRY, READ, SYSVM, SKIPCALL },
		{ EXIT, READ, SYSVM, .rval = V_SKIPPED },
		{ ENTRY, GETPID, SYSVM, SKIPEXIT },
		{ ENTRY, WRITE, SYSVM, SKIPEXIT },
		{ SECCOMP, WRITE, SYSVM, BOTH },
		{ ENTRY, GETPPID, SYSVM, SKIPEXIT },
		{ KILLED, SIGSYS },
	},
};

/*
 * PTRACE_EVENT_SECCOMP stops (after PTRACE_CONT) take flags, and resume
 * in tracing mode. SKIPCALL there skips the call without running the
 * filters again: changing the argument to 2 gets EXDEV from them only
 * when the call goes on. The seccomp stop replaces the decision taken
 * at the entry stop of the call.
 */
WALK_TEST(sysvm, seccomp_stop) = {
	.opts = PTRACE_O_TRACESECCOMP,
	.filter = {
		{ GETPPID, 1, SECCOMP_RET_TRACE | TRACE_DATA },
		{ GETPPID, 2, SECCOMP_RET_ERRNO | EXDEV }, TRACE_WRITE,
	},
	.pipe_bytes = 1,
	.prog = {
		{ GETPPID, 1, .want = V_SKIPPED },
		{ GETPID, .want = V_REAL }, { GETPPID, 1, .want = 66 },
		{ GETPPID, 1, .want = -EXDEV }, { GETPPID, 1, .want = V_REAL },
		{ GETPPID, 1, .want = V_REAL }, { WRITE, .want = V_REAL },
	},
	.steps = {
		{ SIG, SIGSTOP, PTRACE_CONT },
		{ SECCOMP, GETPPID, SYSVM, 0x4, 0, EINVAL },
		{ SECCOMP, GETPPID, SYSVM, BOTH },
		{ ENTRY, GETPID, SYSVM },
		{ EXIT, GETPID, SYSVM, .rval = V_REAL },
		{ ENTRY, GETPPID, PTRACE_CONT },
		{ SECCOMP, GETPPID, SYSVM, SKIPCALL, .act = A_ARG0, .set = 2 },
		{ EXIT, GETPPID, SYSVM, .rval = V_SKIPPED, .set = 66 },
		{ ENTRY, GETPPID, PTRACE_CONT },
		{ SECCOMP, GETPPID, SYSVM, .act = A_ARG0, .set = 2 },
		{ EXIT, GETPPID, SYSVM, .rval = -EXDEV },
		{ ENTRY, GETPPID, PTRACE_CONT },
		{ SECCOMP, GETPPID, SYSVM, SKIPEXIT },
		{ ENTRY, GETPPID, PTRACE_CONT },
		{ SECCOMP, GETPPID, SYSVM },
		{ EXIT, GETPPID, SYSVM, .rval = V_REAL },
		{ ENTRY, WRITE, SYSVM, SKIPEXIT },
		{ SECCOMP, WRITE, SYSCALL },
		{ EXIT, WRITE, SYSVM, .rval = V_REAL },
		{ ENTRY, EXIT_GROUP, SYSVM },
		{ EXITED, 0 },
	},
};

#ifdef PTRACE_SYSEMU
/*
 * PTRACE_SYSEMU stops are entry stops: the call is skipped already,
 * SKIPEXIT drops the exit stop that tracing mode would report.
 */
WALK_TEST(sysvm, sysemu_stops) = {
	.prog = {
		{ WRITE, .want = V_SKIPPED }, { GETPPID, .want = V_SKIPPED },
		{ GETPPID, .want = V_REAL }, { GETPPID, .want = V_SKIPPED },
		{ GETPPID, .want = V_SKIPPED },
	},
	.steps = {
		{ SIG, SIGSTOP, PTRACE_SYSEMU },
		{ ENTRY, WRITE, SYSVM, 0x4, 0, EINVAL },
		{ ENTRY, WRITE, SYSVM },
		{ EXIT, WRITE, PTRACE_SYSEMU, .rval = V_SKIPPED },
		{ ENTRY, GETPPID, SYSVM, SKIPEXIT },
		{ ENTRY, GETPPID, SYSVM },
		{ EXIT, GETPPID, PTRACE_SYSEMU, .rval = V_REAL },
		{ ENTRY, GETPPID, SYSVM, SKIPCALL },
		{ EXIT, GETPPID, PTRACE_SYSEMU, .rval = V_SKIPPED },
		{ ENTRY, GETPPID, SYSVM, BOTH },
		{ ENTRY, EXIT_GROUP, SYSVM },
		{ EXITED, 0 },
	},
};
#endif

#ifdef SYSVM_X86
/* x86: a skipped call returns AX, where the tracer may write at entry */
WALK_TEST(sysvm, x86_entry_value) = {
	.pipe_bytes = 1,
	.prog = {
		{ GETPPID, .want = 4242 }, { WRITE, .want = 4243 },
		{ WRITE, .want = V_REAL },
	},
	.steps = {
		START,
		{ ENTRY, GETPPID, SYSVM, BOTH, .set = 4242 },
		{ ENTRY, WRITE, SYSVM, SKIPCALL, .set = 4243 },
		{ EXIT, WRITE, SYSVM, .rval = 4243 },
		{ ENTRY, WRITE, SYSVM, SKIPEXIT, .set = 4244 },
		{ ENTRY, EXIT_GROUP, SYSVM },
		{ EXITED, 0 },
	},
};
#endif

/*
 * A new task starts with no decision: a child forked by a call resumed
 * with SKIPEXIT, seized while it runs, reports the exit stop of its
 * execve when resumed with PTRACE_SYSCALL at the exec event.
 */
TEST(fork_child)
{
	static char * const argv[] = { "/proc/self/exe", NULL };
	static char * const envp[] = { EXEC_MARK "=1", NULL };
	struct ptrace_syscall_info info;
	long a[4] = { 0 };
	int go[2], res[2], status, i;
	pid_t tracee, kid;
	char c;

	if (!have_sysvm(_metadata))
		return;
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(res));
	tracee = fork();
	ASSERT_LE(0, tracee);
	if (!tracee) {
		if (read(go[0], &c, 1) != 1 || kill(getpid(), SIGSTOP))
			_exit(1);
		clone_args(a, SIGCHLD);
		kid = do_call(NULL, M_LIBC, FORK, a);
		if (!kid && read(go[0], &c, 1) == 1)
			execve(argv[0], argv, envp);
		_exit(kid <= 0 || write(res[1], &kid, sizeof(kid)) != sizeof(kid));
	}
	ASSERT_EQ(0, sys_ptrace(PTRACE_SEIZE, tracee, 0, PTRACE_O_EXITKILL |
				PTRACE_O_TRACESYSGOOD));
	ASSERT_EQ(1, write(go[1], "g", 1));
	/* SIGSTOP, then the entry stops of clone and of write */
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(tracee, wait_for(tracee, &status));
		ASSERT_TRUE(WIFSTOPPED(status)) TH_LOG("stop %d: %#x", i, status);
		ASSERT_EQ(i ? SIGTRAP | 0x80 : SIGSTOP, WSTOPSIG(status));
		if (i) {
			ASSERT_LT(0, sys_ptrace(PTRACE_GET_SYSCALL_INFO, tracee,
						sizeof(info), (unsigned long)&info));
			ASSERT_EQ(PTRACE_SYSCALL_INFO_ENTRY, info.op);
			ASSERT_EQ(i == 1 ? sys_nr(M_LIBC, FORK) : __NR_write,
				  info.entry.nr);
		}
		ASSERT_EQ(0, i == 2 ? sys_ptrace(PTRACE_DETACH, tracee, 0, 0) :
			     sys_ptrace(PTRACE_SYSVM, tracee, i ? SKIPEXIT : 0, 0));
	}
	ASSERT_EQ(sizeof(kid), read(res[0], &kid, sizeof(kid)));
	ASSERT_EQ(tracee, waitpid(tracee, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, sys_ptrace(PTRACE_SEIZE, kid, 0, PTRACE_O_EXITKILL |
				PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(kid, wait_for(kid, &status));
	ASSERT_EQ(SIGTRAP | PTRACE_EVENT_EXEC << 8, status >> 8);
	ASSERT_EQ(0, sys_ptrace(PTRACE_SYSCALL, kid, 0, 0));
	ASSERT_EQ(kid, wait_for(kid, &status));
	ASSERT_EQ(SIGTRAP | 0x80, WSTOPSIG(status));
	ASSERT_LT(0, sys_ptrace(PTRACE_GET_SYSCALL_INFO, kid, sizeof(info),
				(unsigned long)&info));
	EXPECT_EQ(PTRACE_SYSCALL_INFO_EXIT, info.op)
		TH_LOG("the child's execve() lost its exit stop");
	EXPECT_EQ(0, info.exit.rval);
	kill_reap(kid);
}

/*
 * The tracer, a child of the test: trace a child that unlinks @path,
 * resume unlinkat() with SKIPCALL|SKIPEXIT and exit at once. Pinned to
 * the tracee's CPU at SCHED_FIFO, the tracer runs exit_ptrace() before
 * the tracee looks at its work bits again.
 */
static int run_tracer(struct __test_metadata *_metadata, const char *path,
		      int fd)
{
	struct sched_param sp = { .sched_priority = 1 };
	struct ptrace_syscall_info info;
	cpu_set_t cpus;
	int status, i;
	long ret;
	pid_t pid;

	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		return 10;
	pid = fork();
	if (!pid) {
		/* Not AT_FDCWD: after scv, powerpc would return it */
		int dir = open("/tmp", O_RDONLY | O_DIRECTORY);

		sys_ptrace(PTRACE_TRACEME, 0, 0, 0);
		kill(getpid(), SIGSTOP);
		ret = syscall(__NR_unlinkat, dir, path + strlen("/tmp/"), 0);
		ret = ret == -1 ? -errno : ret;
		_exit(write(fd, &ret, sizeof(ret)) != sizeof(ret));
	}
	if (waitpid(pid, &status, 0) != pid ||
	    sys_ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD))
		return 11;
	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		TH_LOG("no SCHED_FIFO (%m): the race is less likely to show");
	for (i = 0; i < 8; i++) {
		memset(&info, 0, sizeof(info));
		if (sys_ptrace(PTRACE_SYSCALL, pid, 0, 0) ||
		    waitpid(pid, &status, 0) != pid ||
		    sys_ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info),
			       (unsigned long)&info) <= 0)
			return 12;
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY &&
		    info.entry.nr == __NR_unlinkat)
			return sys_ptrace(PTRACE_SYSVM, pid, BOTH, 0) ? 13 : 0;
	}
	return 14;
}

/* SKIPCALL stands when the tracer exits right after the resume */
TEST(tracer_exit)
{
	char path[] = "/tmp/sysvm-unlink-XXXXXX";
	int i, fd, res[2], status;
	long ret;
	pid_t pid;

	if (!have_sysvm(_metadata))
		return;
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	fd = mkstemp(path);
	ASSERT_LE(0, fd) TH_LOG("mkstemp: %m");
	close(fd);
	for (i = 0; i < 5; i++) {
		fd = open(path, O_CREAT | O_WRONLY, 0600);
		ASSERT_LE(0, fd) TH_LOG("%s: %m", path);
		close(fd);
		ASSERT_EQ(0, pipe(res));
		pid = fork();
		if (!pid)
			_exit(run_tracer(_metadata, path, res[1]));
		close(res[1]);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_EQ(0, status) TH_LOG("run %d: tracer status %#x", i, status);
		ASSERT_EQ(sizeof(ret), read(res[0], &ret, sizeof(ret)));
		close(res[0]);
		pid = waitpid(-1, &status, 0);
		ASSERT_LT(0, pid);
		ASSERT_EQ(0, status) TH_LOG("run %d: tracee status %#x", i, status);
		EXPECT_EQ(0, access(path, F_OK))
			TH_LOG("run %d: unlinkat() ran after the tracer exited", i);
		EXPECT_EQ(skipped_value(__NR_unlinkat), ret)
			TH_LOG("run %d: unlinkat() returned %ld", i, ret);
	}
	unlink(path);
}

TEST_HARNESS_MAIN
