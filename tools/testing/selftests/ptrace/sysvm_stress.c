// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized stress test of the ptrace resume requests, PTRACE_SYSVM
 * included, against a reference model of what the tracees must see.
 *
 * Several tracees, some with two or three threads, each thread traced
 * on its own (PTRACE_SEIZE per thread), run a fixed mix of raw system
 * calls (syscall, or int $0x80 in the ia32 build): getppid, write() of
 * a sequence-numbered record to a pipe the tracer reads, gettid,
 * clock_gettime() into a buffer, getpid. Every call carries its
 * sequence number and a tag in argument registers the call ignores, so
 * the tracer knows at an entry stop exactly which call it sees. The
 * tracee records each return value in shared memory and checks it
 * itself: the real value with its side effect, or the tracer's magic
 * value without.
 *
 * One single-threaded tracer waits with waitpid(-1, __WALL) and resumes
 * each stop with a random request: PTRACE_SYSCALL, PTRACE_SYSEMU,
 * PTRACE_SYSEMU_SINGLESTEP, PTRACE_SYSVM with each valid flag value,
 * PTRACE_CONT (then PTRACE_INTERRUPT), PTRACE_SINGLESTEP, PTRACE_DETACH
 * (then PTRACE_SEIZE + PTRACE_INTERRUPT), and SIGKILL of a whole tracee
 * (then a new one takes its place). Invalid requests (unknown flag
 * bits, flags at a stop that is not a syscall-entry stop, a bad signal)
 * must fail and leave the tracee stopped, unchanged.
 *
 * The model predicts, from the stop and the request that resumes it,
 * the kind of the next stop (entry, exit, single-step trap, interrupt)
 * and the sequence number of the call it belongs to, and whether each
 * call the tracer saw at its entry is executed or skipped. A call whose
 * entry was not reported (free running after PTRACE_CONT or a detach,
 * stepped over) must have been executed. Every call is checked against
 * its return value and, for write(), the pipe.
 *
 * SYSVM_STRESS_SECONDS (or --seconds=N) sets the run time of each of
 * the two stress cases (default 10 s, 20 s in all); SYSVM_STRESS_SEED
 * (or --seed=N) replays the random choices of a run, which are drawn
 * per thread so that they do not depend on the order of wait events.
 *
 * The other cases check that PTRACE_SYSVM does not widen what a
 * process may do: only the tracer thread can use it, the tracee's
 * seccomp filters still apply to a call that runs, nothing of a
 * decision survives a detach or an execve, and a process that may not
 * attach still may not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "linux/ptrace.h"

#include "../kselftest_harness.h"

#ifndef PTRACE_SYSVM
#define PTRACE_SYSVM		0x4213
#endif
#ifndef PTRACE_VM_SKIPCALL
#define PTRACE_VM_SKIPCALL	0x1
#endif
#ifndef PTRACE_VM_SKIPEXIT
#define PTRACE_VM_SKIPEXIT	0x2
#endif
#ifndef PTRACE_SYSEMU
#define PTRACE_SYSEMU		31
#endif
#ifndef PTRACE_SYSEMU_SINGLESTEP
#define PTRACE_SYSEMU_SINGLESTEP 32
#endif
#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ		1031
#endif
#ifndef TRAP_BRKPT
#define TRAP_BRKPT		1
#endif
#ifndef TRAP_TRACE
#define TRAP_TRACE		2
#endif
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif

#if defined(__x86_64__)
#define ARCH_NATIVE		AUDIT_ARCH_X86_64
#define REG_RET			offsetof(struct user, regs.rax)
#elif defined(__i386__)
#define ARCH_NATIVE		AUDIT_ARCH_I386
#define REG_RET			offsetof(struct user, regs.eax)
#else
#error "x86 only: the tracees make raw system calls"
#endif

/*
 * The 64-bit time variant: ia32 kernels without COMPAT_32BIT_TIME have
 * no other clock_gettime().
 */
#ifdef __NR_clock_gettime64
#define NR_CLOCK		__NR_clock_gettime64
#else
#define NR_CLOCK		__NR_clock_gettime
#endif

#define NR_TRACEES		4
#define MAX_THREADS		3
#define RING			0x10000	/* calls remembered per thread */
#define MAGIC			0x5a5a1234L	/* return value of a skipped call */
#define TAG			0x5ca1ab00UL	/* | thread index, in argument 4 */
#define WAIT_TIMEOUT		30.0		/* seconds for any expected event */
#define DEFAULT_SECONDS		10
#define MAX_SECONDS		500
#define EXEC_HELPER		"--sysvm-stress-exec-helper"

/*
 * Raw system calls with five arguments: arguments 3 and 4 carry the
 * sequence number and TAG | thread; none of the calls used here looks
 * at them. The ia32 build enters with int $0x80.
 */
static inline long raw5(long nr, long a0, long a1, long a2, long a3, long a4)
{
	long ret;
#ifdef __x86_64__
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;

	__asm__ volatile ("syscall"
			  : "=a" (ret)
			  : "a" (nr), "D" (a0), "S" (a1), "d" (a2), "r" (r10),
			    "r" (r8)
			  : "rcx", "r11", "memory");
#else
	__asm__ volatile ("int $0x80"
			  : "=a" (ret)
			  : "a" (nr), "b" (a0), "c" (a1), "d" (a2), "S" (a3),
			    "D" (a4)
			  : "memory");
#endif
	return ret;
}

static long sys_ptrace(long req, pid_t pid, unsigned long addr,
		       unsigned long data)
{
	return syscall(__NR_ptrace, req, pid, addr, data);
}

/*
 * Sleep with the 64-bit time call: ia32 C libraries fall back to the
 * time32 one, which kernels without COMPAT_32BIT_TIME lack, and then
 * do not sleep at all.
 */
#ifdef __NR_clock_nanosleep_time64
#define NR_NANOSLEEP		__NR_clock_nanosleep_time64
#else
#define NR_NANOSLEEP		__NR_clock_nanosleep
#endif

static void sleep_us(long us)
{
	long long ts[2] = { us / 1000000, us % 1000000 * 1000 };

	syscall(NR_NANOSLEEP, CLOCK_MONOTONIC, 0, ts, NULL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- */
/* The tracee side: a fixed mix of checkable calls                   */

enum call_type { C_GETPPID, C_WRITE, C_GETTID, C_CLOCK, C_GETPID, C_WRITE2,
		 NR_CALL_TYPES };

static const char * const call_name[NR_CALL_TYPES] = {
	"getppid", "write", "gettid", "clock_gettime", "getpid", "write",
};

static int call_type(uint32_t seq)
{
	return seq % NR_CALL_TYPES;
}

static long call_nr(uint32_t seq)
{
	switch (call_type(seq)) {
	case C_GETPPID:	return __NR_getppid;
	case C_GETTID:	return __NR_gettid;
	case C_CLOCK:	return NR_CLOCK;
	case C_GETPID:	return __NR_getpid;
	default:	return __NR_write;
	}
}

static int is_write(uint32_t seq)
{
	return call_nr(seq) == __NR_write;
}

struct thread_slot {
	int tid;
	uint32_t done;		/* last call completed and recorded */
	int err;		/* the tracee's own check failed ... */
	uint32_t err_seq;	/* ... on this call */
	long err_ret;		/* ... with this return value */
	uint32_t nskipped;
	int32_t ret[RING];	/* return value of call seq, at seq % RING */
};

struct tracee_shm {
	int go;
	int nready;
	long ppid;
	struct thread_slot th[MAX_THREADS];
};

struct thread_arg {
	struct tracee_shm *shm;
	int idx;
	int wfd;
};

static void tracee_loop(struct tracee_shm *shm, int idx, int wfd)
{
	struct thread_slot *ts = &shm->th[idx];
	long tgid = raw5(__NR_getpid, 0, 0, 0, 0, 0);
	long tid = raw5(__NR_gettid, 0, 0, 0, 0, 0);
	unsigned long tag = TAG | idx;
	uint32_t seq;

	ts->tid = tid;
	__atomic_add_fetch(&shm->nready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&shm->go, __ATOMIC_ACQUIRE))
		__asm__ volatile ("pause" ::: "memory");

	for (seq = 1; ; seq++) {
		long long clk[2] = { -1, -1 };	/* __kernel_timespec */
		uint32_t rec[2] = { tag, seq };
		long ret, want;
		int effect = 1, bad;

		switch (call_type(seq)) {
		case C_GETPPID:
			ret = raw5(__NR_getppid, 0, 0, 0, seq, tag);
			want = shm->ppid;
			break;
		case C_GETTID:
			ret = raw5(__NR_gettid, 0, 0, 0, seq, tag);
			want = tid;
			break;
		case C_GETPID:
			ret = raw5(__NR_getpid, 0, 0, 0, seq, tag);
			want = tgid;
			break;
		case C_CLOCK:
			ret = raw5(NR_CLOCK, CLOCK_MONOTONIC, (long)clk, 0,
				   seq, tag);
			want = 0;
			effect = clk[0] != -1 || clk[1] != -1;
			break;
		default:
			ret = raw5(__NR_write, wfd, (long)rec, sizeof(rec),
				   seq, tag);
			want = sizeof(rec);
			break;
		}
		/* Executed with its effect, or skipped without */
		if (ret == MAGIC)
			bad = effect != (call_type(seq) != C_CLOCK);
		else
			bad = ret != want || !effect;
		if (bad && !ts->err) {
			ts->err_seq = seq;
			ts->err_ret = ret;
			__atomic_store_n(&ts->err, 1, __ATOMIC_RELEASE);
		}
		ts->ret[seq % RING] = ret;
		if (ret == MAGIC)
			ts->nskipped++;
		__atomic_store_n(&ts->done, seq, __ATOMIC_RELEASE);
	}
}

static void *tracee_thread(void *p)
{
	struct thread_arg *a = p;

	tracee_loop(a->shm, a->idx, a->wfd);
	return NULL;
}

static void tracee_main(struct tracee_shm *shm, int nthreads, int wfd)
{
	static struct thread_arg args[MAX_THREADS];
	pthread_t t;
	int i;

	for (i = 1; i < nthreads; i++) {
		args[i].shm = shm;
		args[i].idx = i;
		args[i].wfd = wfd;
		if (pthread_create(&t, NULL, tracee_thread, &args[i]))
			_exit(2);
	}
	tracee_loop(shm, 0, wfd);
}

/* ---------------------------------------------------------------- */
/* The tracer side                                                  */

enum stop_kind { K_NONE, K_ENTRY, K_EXIT, K_STEP, K_INTR, NR_KINDS };
#define M(k)	(1U << (k))

static const char * const kind_name[NR_KINDS] = {
	"none", "syscall-entry", "syscall-exit", "single-step trap",
	"interrupt (PTRACE_EVENT_STOP)",
};

enum req { R_SYSCALL, R_SYSEMU, R_SYSEMU_SS, R_SYSVM, R_CONT, R_SINGLESTEP,
	   R_DETACH, R_KILL, NR_REQS };

static const long req_code[NR_REQS] = {
	PTRACE_SYSCALL, PTRACE_SYSEMU, PTRACE_SYSEMU_SINGLESTEP, PTRACE_SYSVM,
	PTRACE_CONT, PTRACE_SINGLESTEP, PTRACE_DETACH, 0,
};

static const char * const req_name[NR_REQS] = {
	"PTRACE_SYSCALL", "PTRACE_SYSEMU", "PTRACE_SYSEMU_SINGLESTEP",
	"PTRACE_SYSVM", "PTRACE_CONT", "PTRACE_SINGLESTEP", "PTRACE_DETACH",
	"SIGKILL",
};

enum thr_state { T_STOPPED, T_WAIT, T_FREE, T_DETACHED, T_DEAD };

#define HIST	16

struct hist {
	unsigned long step;
	int kind;
	uint32_t seq;
	int req;
	unsigned long flags;
	long err;		/* errno of a request that had to fail */
};

struct tracee;

struct thr {
	struct tracee *tr;
	int idx;
	pid_t tid;
	enum thr_state state;
	int kind;		/* of the stop it is in */
	unsigned int expect;	/* kinds the next stop may be */
	uint32_t expect_seq;	/* 0: any call, else this one */
	int emu_next;		/* the next entry stop is a SYSEMU stop */
	int emu_entry;		/* the current entry stop is one */
	uint32_t cur_seq;	/* call of the current entry/exit stop */
	int exit_skip;		/* that call was skipped */
	int dec_valid;		/* a decision on call dec_seq is pending */
	uint32_t dec_seq;
	int dec_skip;
	uint32_t checked;	/* calls up to here are verified */
	uint32_t exp_skips;	/* skipped calls up to checked */
	uint32_t exp_skipped_writes;
	uint32_t nrecs;		/* write records received */
	uint32_t piped_last;
	uint32_t *piped;	/* seq of each write record received */
	double deadline, wake_at;
	uint64_t rng;
	int died;
	unsigned int nhist;
	struct hist hist[HIST];
};

enum { TR_NONE, TR_ALIVE, TR_DYING };

struct tracee {
	int slot, gen, state, nthreads;
	pid_t pid;
	int rfd;
	struct tracee_shm *shm;
	double deadline;
	unsigned char pbuf[8];
	int pbuf_len;
	struct thr th[MAX_THREADS];
};

struct stress {
	uint64_t seed;
	int use_sysvm;
	double end;
	pid_t self;
	unsigned long step;
	int failed;
	char msg[4096];
	struct tracee tr[NR_TRACEES];
	/* summary */
	unsigned long nreq[NR_REQS], nsysvm_flags[4];
	unsigned long nstops[NR_KINDS], ninterrupt, nreattach, nspawn;
	unsigned long neinval, neio, nexec, nring, nskip_total;
};

static struct stress *G;	/* for the watchdog */

static uint64_t rnd(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static uint64_t mix(uint64_t x)
{
	/* splitmix64 finalizer */
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void hist_add(struct thr *t, int req, unsigned long flags, long err)
{
	struct hist *h = &t->hist[t->nhist++ % HIST];

	h->step = G->step;
	h->kind = t->kind;
	h->seq = t->cur_seq;
	h->req = req;
	h->flags = flags;
	h->err = err;
}

static void fail(struct stress *st, struct thr *t, const char *fmt, ...)
	__printf(3, 4);

static void fail(struct stress *st, struct thr *t, const char *fmt, ...)
{
	size_t n;
	va_list ap;
	unsigned int i;

	if (st->failed)
		return;
	st->failed = 1;
	n = snprintf(st->msg, sizeof(st->msg), "seed %llu step %lu: ",
		     (unsigned long long)st->seed, st->step);
	va_start(ap, fmt);
	n += vsnprintf(st->msg + n, sizeof(st->msg) - n, fmt, ap);
	va_end(ap);
	if (!t || n >= sizeof(st->msg))
		return;
	n += snprintf(st->msg + n, sizeof(st->msg) - n,
		      "\n#  tracee %d gen %d thread %d tid %d; its last requests:",
		      t->tr->slot, t->tr->gen, t->idx, t->tid);
	for (i = t->nhist > HIST ? t->nhist - HIST : 0; i < t->nhist; i++) {
		struct hist *h = &t->hist[i % HIST];

		if (n >= sizeof(st->msg))
			break;
		n += snprintf(st->msg + n, sizeof(st->msg) - n,
			      "\n#   step %lu at %s (call #%u %s): %s flags %#lx%s%s",
			      h->step, kind_name[h->kind], h->seq,
			      call_name[call_type(h->seq)], req_name[h->req],
			      h->flags, h->err ? " -> failed " : "",
			      h->err ? strerror(h->err) : "");
	}
}

static struct thr *find_thr(struct stress *st, pid_t tid)
{
	int i, j;

	for (i = 0; i < NR_TRACEES; i++) {
		struct tracee *tr = &st->tr[i];

		if (tr->state == TR_NONE)
			continue;
		for (j = 0; j < tr->nthreads; j++)
			if (tr->th[j].tid == tid && tr->th[j].state != T_DEAD)
				return &tr->th[j];
	}
	return NULL;
}

/* Read every write() record that reached the pipe */
static void drain(struct stress *st, struct tracee *tr)
{
	unsigned char buf[8192];
	ssize_t n, i;
	int avail = 0;

	/*
	 * What is in the pipe now, not more: free-running threads may
	 * write as fast as we read.
	 */
	if (ioctl(tr->rfd, FIONREAD, &avail) || avail <= 0)
		return;
	while (avail > 0 &&
	       (n = read(tr->rfd, buf, avail < (int)sizeof(buf) ?
			 avail : (int)sizeof(buf))) > 0) {
		avail -= n;
		for (i = 0; i < n; i++) {
			uint32_t rec[2];
			struct thr *t;
			unsigned int idx;

			tr->pbuf[tr->pbuf_len++] = buf[i];
			if (tr->pbuf_len < 8)
				continue;
			tr->pbuf_len = 0;
			memcpy(rec, tr->pbuf, sizeof(rec));
			idx = rec[0] - TAG;
			if (idx >= (unsigned int)tr->nthreads) {
				fail(st, NULL, "tracee %d: bad pipe record %#x %u",
				     tr->slot, rec[0], rec[1]);
				return;
			}
			t = &tr->th[idx];
			if (rec[1] <= t->piped_last || !is_write(rec[1])) {
				fail(st, t, "pipe record of call #%u after #%u",
				     rec[1], t->piped_last);
				return;
			}
			t->piped_last = rec[1];
			t->piped[rec[1] % RING] = rec[1];
			t->nrecs++;
		}
	}
}

static uint32_t writes_upto(uint32_t n)
{
	uint32_t w = n / NR_CALL_TYPES * 2, s;

	for (s = n - n % NR_CALL_TYPES + 1; s <= n; s++)
		w += is_write(s);
	return w;
}

/*
 * Every call the thread completed since the last check: skipped iff the
 * model decided so at its entry stop, executed (with its write in the
 * pipe) otherwise. Each call still in the ring is checked on its own,
 * and all of them by the counts of skipped calls and of records.
 */
static void verify(struct stress *st, struct thr *t)
{
	struct thread_slot *ts = &t->tr->shm->th[t->idx];
	uint32_t done = __atomic_load_n(&ts->done, __ATOMIC_ACQUIRE);
	uint32_t s, first, nskipped, recs;
	int next_skip;

	drain(st, t->tr);
	if (__atomic_load_n(&ts->err, __ATOMIC_ACQUIRE)) {
		fail(st, t, "the tracee saw %ld from call #%u (%s)",
		     ts->err_ret, ts->err_seq, call_name[call_type(ts->err_seq)]);
		return;
	}
	if (done < t->checked) {
		fail(st, t, "thread went back from call #%u to #%u",
		     t->checked, done);
		return;
	}
	first = t->checked + 1;
	if (done - t->checked >= RING - 2) {
		first = done - (RING - 2);
		st->nring++;
	}
	for (s = first; s <= done && !st->failed; s++) {
		int skip = t->dec_valid && s == t->dec_seq && t->dec_skip;
		int32_t r = ts->ret[s % RING];
		int skipped = r == MAGIC;

		if (skip != skipped)
			fail(st, t, "call #%u (%s) returned %d: it must be %s",
			     s, call_name[call_type(s)], r,
			     skip ? "skipped" : "executed");
		else if (is_write(s) && (t->piped[s % RING] == s) == skip)
			fail(st, t, "write #%u %s the pipe", s,
			     skip ? "skipped, yet reached" : "executed, yet not in");
	}
	if (t->dec_valid && t->dec_seq <= done) {
		if (t->dec_skip && t->dec_seq > t->checked) {
			t->exp_skips++;
			st->nskip_total++;
			t->exp_skipped_writes += is_write(t->dec_seq);
		}
		t->dec_valid = 0;
	}
	st->nexec += done - t->checked;
	t->checked = done;
	if (st->failed)
		return;

	/*
	 * The thread may be stopped between its call #done+1 and the
	 * store of done: that call may already be counted, or piped.
	 */
	next_skip = t->dec_valid && t->dec_seq == done + 1 && t->dec_skip;
	nskipped = ts->nskipped;
	if (nskipped != t->exp_skips && nskipped != t->exp_skips + next_skip)
		fail(st, t, "%u calls skipped up to #%u, the model says %u",
		     nskipped, done, t->exp_skips);
	recs = t->nrecs - (t->piped_last > done);
	if (recs != writes_upto(done) - t->exp_skipped_writes)
		fail(st, t, "%u write records up to call #%u, the model says %u",
		     recs, done, writes_upto(done) - t->exp_skipped_writes);
}

static void kill_tracee(struct stress *st, struct tracee *tr)
{
	int j;

	if (tr->state != TR_ALIVE)
		return;
	kill(tr->pid, SIGKILL);
	tr->state = TR_DYING;
	tr->deadline = now_s() + WAIT_TIMEOUT;
	/*
	 * Traced threads are reported to us one by one; the leader is our
	 * child and reported even when detached; other detached threads
	 * are not reported at all.
	 */
	for (j = 0; j < tr->nthreads; j++) {
		struct thr *t = &tr->th[j];

		if (t->state == T_DETACHED && t->tid != tr->pid)
			t->state = T_DEAD;
	}
}

static int tracee_gone(struct tracee *tr)
{
	int j;

	for (j = 0; j < tr->nthreads; j++)
		if (tr->th[j].state != T_DEAD)
			return 0;
	return 1;
}

static void release_tracee(struct stress *st, struct tracee *tr)
{
	char path[64];
	int j;

	/* No thread of it may be left behind */
	for (j = 0; j < tr->nthreads; j++) {
		snprintf(path, sizeof(path), "/proc/%d", tr->th[j].tid);
		if (!access("/proc/self", F_OK) && !access(path, F_OK))
			fail(st, &tr->th[j], "thread %d still exists",
			     tr->th[j].tid);
		free(tr->th[j].piped);
		tr->th[j].piped = NULL;
	}
	close(tr->rfd);
	munmap(tr->shm, sizeof(*tr->shm));
	tr->state = TR_NONE;
}

static void spawn_tracee(struct stress *st, struct tracee *tr)
{
	uint64_t base = mix(st->seed ^ ((uint64_t)tr->slot << 40) ^
			    ((uint64_t)(tr->gen + 1) << 20));
	int fds[2], j;
	double deadline;

	memset(tr->th, 0, sizeof(tr->th));
	tr->gen++;
	tr->nthreads = 1 + (tr->slot + mix(base)) % MAX_THREADS;
	tr->pbuf_len = 0;
	tr->shm = mmap(NULL, sizeof(*tr->shm), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tr->shm == MAP_FAILED) {
		fail(st, NULL, "mmap: %s", strerror(errno));
		return;
	}
	tr->shm->ppid = st->self;
	if (pipe2(fds, O_CLOEXEC)) {
		fail(st, NULL, "pipe: %s", strerror(errno));
		return;
	}
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	fcntl(fds[0], F_SETPIPE_SZ, 1 << 20);
	tr->pid = fork();
	if (tr->pid < 0) {
		fail(st, NULL, "fork: %s", strerror(errno));
		return;
	}
	if (tr->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != st->self)
			_exit(1);
		close(fds[0]);
		tracee_main(tr->shm, tr->nthreads, fds[1]);
	}
	close(fds[1]);
	tr->rfd = fds[0];
	tr->state = TR_ALIVE;
	st->nspawn++;

	deadline = now_s() + WAIT_TIMEOUT;
	while (__atomic_load_n(&tr->shm->nready, __ATOMIC_ACQUIRE) <
	       tr->nthreads) {
		if (now_s() > deadline) {
			fail(st, NULL, "tracee %d did not start", tr->slot);
			return;
		}
		sleep_us(1000);
	}
	for (j = 0; j < tr->nthreads; j++) {
		struct thr *t = &tr->th[j];

		t->tr = tr;
		t->idx = j;
		t->tid = tr->shm->th[j].tid;
		t->rng = mix(base + j + 1);
		t->piped = calloc(RING, sizeof(*t->piped));
		if (!t->piped) {
			fail(st, t, "out of memory");
			return;
		}
		st->step++;
		if (sys_ptrace(PTRACE_SEIZE, t->tid, 0, PTRACE_O_TRACESYSGOOD) ||
		    sys_ptrace(PTRACE_INTERRUPT, t->tid, 0, 0)) {
			fail(st, t, "PTRACE_SEIZE/INTERRUPT: %s", strerror(errno));
			t->state = T_DETACHED;
			return;
		}
		t->state = T_WAIT;
		t->expect = M(K_INTR);
		t->deadline = now_s() + WAIT_TIMEOUT;
	}
	__atomic_store_n(&tr->shm->go, 1, __ATOMIC_RELEASE);
}

/* The tracee must still be in the stop it was in, unchanged */
static void check_still_stopped(struct stress *st, struct thr *t, int op)
{
	struct ptrace_syscall_info info;
	int status;
	pid_t p = waitpid(t->tid, &status, __WALL | WNOHANG);

	if (p != 0) {
		fail(st, t, "a failed request resumed the tracee (wait: %d %#x)",
		     p, status);
		return;
	}
	memset(&info, 0, sizeof(info));
	if (sys_ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(info),
		       (unsigned long)&info) <= 0 || info.op != op)
		fail(st, t, "stop changed after a failed request (op %d, was %d)",
		     info.op, op);
}

/*
 * Requests that must fail: unknown flag bits, flags at a stop that is
 * not a syscall-entry stop, an invalid signal.
 */
static void try_invalid(struct stress *st, struct thr *t, int op)
{
	static const unsigned long bad_flags[] = {
		4, 8, 0x10, 5, 7, 1UL << 31, ~0UL,
	};
	unsigned long flags;
	long ret, want;
	uint64_t r = rnd(&t->rng);

	if (r % 3 == 0) {
		/* a bad signal, with valid flags: EIO as for every request */
		flags = t->kind == K_ENTRY ? (r >> 8) % 4 : 0;
		st->step++;
		errno = 0;
		ret = sys_ptrace(PTRACE_SYSVM, t->tid, flags, 0x4000 + r % 8);
		want = EIO;
	} else {
		if (t->kind != K_ENTRY && r % 3 == 1)
			flags = 1 + (r >> 8) % 3;
		else
			flags = bad_flags[(r >> 8) % ARRAY_SIZE(bad_flags)];
		st->step++;
		errno = 0;
		ret = sys_ptrace(PTRACE_SYSVM, t->tid, flags, 0);
		want = EINVAL;
	}
	hist_add(t, R_SYSVM, flags, errno);
	if (ret != -1 || errno != want) {
		fail(st, t, "PTRACE_SYSVM flags %#lx at a %s stop: %ld (%s), want %s",
		     flags, kind_name[t->kind], ret, strerror(errno),
		     strerror(want));
		return;
	}
	if (want == EIO)
		st->neio++;
	else
		st->neinval++;
	check_still_stopped(st, t, op);
}

static void classic_invalid(struct stress *st, struct thr *t, int op)
{
	long ret;

	st->step++;
	errno = 0;
	ret = sys_ptrace(PTRACE_SYSCALL, t->tid, 0, 0x4000);
	hist_add(t, R_SYSCALL, 0, errno);
	if (ret != -1 || errno != EIO) {
		fail(st, t, "PTRACE_SYSCALL with signal 0x4000: %ld (%s)",
		     ret, strerror(errno));
		return;
	}
	st->neio++;
	check_still_stopped(st, t, op);
}

static int pick_request(struct stress *st, struct thr *t, unsigned long *flags)
{
	/* weights of SYSCALL SYSEMU SYSEMU_SS SYSVM CONT SINGLESTEP */
	static const int w[] = { 3, 2, 1, 8, 1, 1 };
	uint64_t r = rnd(&t->rng);
	int total = 0, i;

	*flags = 0;
	for (i = 0; i < (int)ARRAY_SIZE(w); i++)
		if (i != R_SYSVM || st->use_sysvm)
			total += w[i];
	r %= total;
	for (i = 0; i < (int)ARRAY_SIZE(w); i++) {
		if (i == R_SYSVM && !st->use_sysvm)
			continue;
		if (r < (uint64_t)w[i])
			break;
		r -= w[i];
	}
	if (i == R_SYSVM && t->kind == K_ENTRY)
		*flags = rnd(&t->rng) % 4;
	return i;
}

/* What the model expects after resuming @t's stop with @req/@flags */
static void model_resume(struct thr *t, int req, unsigned long flags)
{
	int entry = t->kind == K_ENTRY;
	int exit = t->kind == K_EXIT;

	t->expect_seq = 0;
	if (entry) {
		/* The call is skipped by SYSEMU mode or by SKIPCALL, only */
		t->dec_valid = 1;
		t->dec_seq = t->cur_seq;
		t->dec_skip = t->emu_entry ||
			(req == R_SYSVM && (flags & PTRACE_VM_SKIPCALL));
		t->exit_skip = t->dec_skip;
	}
	switch (req) {
	case R_SYSCALL:
	case R_SYSVM:
		t->emu_next = 0;
		if (entry && !(flags & PTRACE_VM_SKIPEXIT)) {
			t->expect = M(K_EXIT);
			t->expect_seq = t->cur_seq;
		} else {
			t->expect = M(K_ENTRY);
			if (entry || exit)
				t->expect_seq = t->cur_seq + 1;
		}
		break;
	case R_SYSEMU:
		/* no exit stop for this call, the next one stops at entry */
		t->emu_next = 1;
		t->expect = M(K_ENTRY);
		if (entry || exit)
			t->expect_seq = t->cur_seq + 1;
		break;
	case R_SYSEMU_SS:
		/*
		 * From a stop in user code the next instruction may be the
		 * system call itself; from an entry or exit stop the tracee
		 * returns to user mode and traps after one instruction.
		 */
		t->emu_next = 1;
		t->expect = M(K_STEP);
		if (!entry && !exit)
			t->expect |= M(K_ENTRY);
		break;
	case R_SINGLESTEP:
		t->expect = M(K_STEP);
		break;
	}
}

static void resume(struct stress *st, struct thr *t)
{
	struct ptrace_syscall_info info;
	unsigned long flags = 0;
	uint64_t r = rnd(&t->rng) % 1000;
	int req, op;

	memset(&info, 0, sizeof(info));
	sys_ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(info),
		   (unsigned long)&info);
	op = info.op;

	if (r < 3) {
		st->step++;
		st->nreq[R_KILL]++;
		hist_add(t, R_KILL, 0, 0);
		kill_tracee(st, t->tr);
		return;
	}
	if (rnd(&t->rng) % 4 == 0) {
		if (st->use_sysvm)
			try_invalid(st, t, op);
		else
			classic_invalid(st, t, op);
		if (st->failed)
			return;
	}
	if (r < 10)
		req = R_DETACH;
	else
		req = pick_request(st, t, &flags);

	st->step++;
	st->nreq[req]++;
	if (req == R_SYSVM)
		st->nsysvm_flags[flags]++;
	hist_add(t, req, flags, 0);
	if (sys_ptrace(req_code[req], t->tid, flags, 0)) {
		t->hist[(t->nhist - 1) % HIST].err = errno;
		fail(st, t, "%s flags %#lx at a %s stop: %s", req_name[req],
		     flags, kind_name[t->kind], strerror(errno));
		return;
	}
	/* At an entry stop, a detach or PTRACE_CONT decides the call too */
	model_resume(t, req, flags);
	switch (req) {
	case R_CONT:
		t->state = T_FREE;
		t->wake_at = now_s() + (rnd(&t->rng) % 1000) / 1e6;
		break;
	case R_DETACH:
		t->state = T_DETACHED;
		t->wake_at = now_s() + (rnd(&t->rng) % 1000) / 1e6;
		break;
	default:
		t->state = T_WAIT;
		t->deadline = now_s() + WAIT_TIMEOUT;
		break;
	}
}

static void handle_stop(struct stress *st, struct thr *t, int status)
{
	struct thread_slot *ts = &t->tr->shm->th[t->idx];
	struct ptrace_syscall_info info;
	int sig = WSTOPSIG(status), event = status >> 16, kind;

	memset(&info, 0, sizeof(info));
	if (sig == (SIGTRAP | 0x80)) {
		if (sys_ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(info),
			       (unsigned long)&info) <= 0) {
			fail(st, t, "PTRACE_GET_SYSCALL_INFO: %s", strerror(errno));
			return;
		}
		kind = info.op == PTRACE_SYSCALL_INFO_ENTRY ? K_ENTRY :
		       info.op == PTRACE_SYSCALL_INFO_EXIT ? K_EXIT : K_NONE;
	} else if (sig == SIGTRAP && event == PTRACE_EVENT_STOP) {
		kind = K_INTR;
	} else if (sig == SIGTRAP && !event) {
		siginfo_t si;

		if (sys_ptrace(PTRACE_GETSIGINFO, t->tid, 0, (unsigned long)&si) ||
		    (si.si_code != TRAP_TRACE && si.si_code != TRAP_BRKPT)) {
			fail(st, t, "SIGTRAP with si_code %d", si.si_code);
			return;
		}
		kind = K_STEP;
	} else {
		fail(st, t, "unexpected stop, status %#x", status);
		return;
	}
	if (kind == K_NONE) {
		fail(st, t, "syscall stop with op %d", info.op);
		return;
	}
	st->nstops[kind]++;
	if (t->state != T_WAIT || !(t->expect & M(kind))) {
		unsigned int k;
		char want[256] = "";

		for (k = 1; k < NR_KINDS; k++)
			if (t->state == T_WAIT && (t->expect & M(k)))
				snprintf(want + strlen(want),
					 sizeof(want) - strlen(want), "%s%s",
					 *want ? " or " : "", kind_name[k]);
		t->kind = kind;
		fail(st, t, "got a %s stop, expected %s", kind_name[kind],
		     *want ? want : "no stop");
		return;
	}
	t->kind = kind;
	t->state = T_STOPPED;
	verify(st, t);
	if (st->failed)
		return;

	if (kind == K_ENTRY) {
		uint32_t seq = info.entry.args[3];

		if (info.entry.args[4] != (TAG | t->idx)) {
			fail(st, t, "entry stop of a foreign call, nr %llu",
			     (unsigned long long)info.entry.nr);
			return;
		}
		t->cur_seq = seq;
		t->emu_entry = t->emu_next;
		if (seq != ts->done + 1 || (t->expect_seq && seq != t->expect_seq) ||
		    info.entry.nr != (unsigned long)call_nr(seq) ||
		    info.arch != ARCH_NATIVE) {
			fail(st, t, "entry stop of call #%u nr %llu, expected #%u (done #%u)",
			     seq, (unsigned long long)info.entry.nr,
			     t->expect_seq, ts->done);
			return;
		}
		/* A skipped call returns this */
		if (sys_ptrace(PTRACE_POKEUSR, t->tid, REG_RET, MAGIC)) {
			fail(st, t, "PTRACE_POKEUSR: %s", strerror(errno));
			return;
		}
	} else if (kind == K_EXIT) {
		long want;

		if (t->cur_seq != t->expect_seq) {
			fail(st, t, "exit stop of call #%u, expected #%u",
			     t->cur_seq, t->expect_seq);
			return;
		}
		if (t->exit_skip)
			want = MAGIC;
		else if (call_type(t->cur_seq) == C_GETPPID)
			want = st->self;
		else if (call_type(t->cur_seq) == C_GETTID)
			want = t->tid;
		else if (call_type(t->cur_seq) == C_GETPID)
			want = t->tr->pid;
		else if (call_type(t->cur_seq) == C_CLOCK)
			want = 0;
		else
			want = 8;
		if ((long)info.exit.rval != want || info.exit.is_error) {
			fail(st, t, "exit stop of call #%u (%s): rval %lld, want %ld",
			     t->cur_seq, call_name[call_type(t->cur_seq)],
			     (long long)info.exit.rval, want);
			return;
		}
	}
	resume(st, t);
}

static void handle_event(struct stress *st, pid_t pid, int status)
{
	struct thr *t = find_thr(st, pid);

	if (!t) {
		fail(st, NULL, "wait event %#x of unknown pid %d", status, pid);
		return;
	}
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (t->tr->state != TR_DYING ||
		    !WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
			fail(st, t, "thread ended, status %#x", status);
			return;
		}
		t->state = T_DEAD;
		return;
	}
	if (t->tr->state == TR_DYING)
		return;		/* SIGKILL is on its way */
	handle_stop(st, t, status);
}

/* Interrupt free-running threads, re-attach detached ones, time out */
static int timers(struct stress *st)
{
	double now = now_s();
	int i, j, busy = 0;

	for (i = 0; i < NR_TRACEES; i++) {
		struct tracee *tr = &st->tr[i];

		if (tr->state == TR_NONE)
			continue;
		if (tr->state == TR_DYING) {
			if (tracee_gone(tr)) {
				release_tracee(st, tr);
				if (now < st->end && !st->failed)
					spawn_tracee(st, tr);
				busy = 1;
			} else if (now > tr->deadline) {
				fail(st, NULL, "tracee %d pid %d not reaped %.0f s after SIGKILL",
				     tr->slot, tr->pid, WAIT_TIMEOUT);
			}
			continue;
		}
		if (st->failed)
			continue;
		drain(st, tr);
		for (j = 0; j < tr->nthreads; j++) {
			struct thr *t = &tr->th[j];

			if (t->state == T_WAIT && now > t->deadline) {
				fail(st, t, "no stop within %.0f s (hang)",
				     WAIT_TIMEOUT);
			} else if (t->state == T_FREE && now >= t->wake_at) {
				st->step++;
				st->ninterrupt++;
				if (sys_ptrace(PTRACE_INTERRUPT, t->tid, 0, 0))
					fail(st, t, "PTRACE_INTERRUPT: %s",
					     strerror(errno));
				t->kind = K_NONE;
				t->state = T_WAIT;
				t->expect = M(K_INTR);
				t->deadline = now + WAIT_TIMEOUT;
				busy = 1;
			} else if (t->state == T_DETACHED && now >= t->wake_at) {
				st->step++;
				st->nreattach++;
				if (sys_ptrace(PTRACE_SEIZE, t->tid, 0,
					       PTRACE_O_TRACESYSGOOD) ||
				    sys_ptrace(PTRACE_INTERRUPT, t->tid, 0, 0))
					fail(st, t, "re-attach: %s",
					     strerror(errno));
				t->kind = K_NONE;
				t->state = T_WAIT;
				t->expect = M(K_INTR);
				t->deadline = now + WAIT_TIMEOUT;
				busy = 1;
			}
		}
	}
	return busy;
}

static void on_alarm(int sig)
{
	char buf[160];
	int i, n;

	n = snprintf(buf, sizeof(buf),
		     "# stress run hung: seed %llu step %lu\n",
		     G ? (unsigned long long)G->seed : 0ULL, G ? G->step : 0);
	if (write(2, buf, n) < 0)
		n = 0;
	for (i = 0; G && i < NR_TRACEES; i++)
		if (G->tr[i].state != TR_NONE)
			kill(G->tr[i].pid, SIGKILL);
	_exit(KSFT_FAIL);
}

static void run_stress(struct stress *st, int seconds)
{
	int i, status;
	double stop_at, last_timers = 0;

	G = st;
	st->self = getpid();
	signal(SIGALRM, on_alarm);
	alarm(seconds + 3 * WAIT_TIMEOUT);
	st->end = now_s() + seconds;
	for (i = 0; i < NR_TRACEES && !st->failed; i++) {
		st->tr[i].slot = i;
		spawn_tracee(st, &st->tr[i]);
	}

	for (;;) {
		int live = 0;
		pid_t p;

		if (now_s() >= st->end || st->failed)
			for (i = 0; i < NR_TRACEES; i++)
				kill_tracee(st, &st->tr[i]);
		for (i = 0; i < NR_TRACEES; i++)
			live += st->tr[i].state != TR_NONE;
		if (!live)
			break;

		p = waitpid(-1, &status, __WALL | WNOHANG);
		if (p > 0) {
			handle_event(st, p, status);
			/* Do not let a stream of stops starve the timers */
			if (now_s() - last_timers > 0.0001) {
				timers(st);
				last_timers = now_s();
			}
			continue;
		}
		if (p < 0) {
			/* No child left: every thread must be accounted for */
			for (i = 0; i < NR_TRACEES; i++) {
				struct tracee *tr = &st->tr[i];
				int j;

				if (tr->state == TR_NONE)
					continue;
				if (tr->state == TR_ALIVE)
					fail(st, NULL, "tracee %d vanished", i);
				for (j = 0; j < tr->nthreads; j++) {
					if (tr->th[j].state != T_DEAD)
						fail(st, &tr->th[j], "never reaped");
					tr->th[j].state = T_DEAD;
				}
				tr->state = TR_DYING;
			}
			timers(st);
			continue;
		}
		last_timers = now_s();
		if (!timers(st))
			sleep_us(50);
	}

	/* Nothing may be left: no child, no thread */
	stop_at = now_s() + WAIT_TIMEOUT;
	while (waitpid(-1, &status, __WALL | WNOHANG) >= 0) {
		if (now_s() > stop_at) {
			fail(st, NULL, "stray children left behind");
			break;
		}
		sleep_us(1000);
	}
	alarm(0);
	G = NULL;
}

static int sysvm_probe(void)
{
	int status, err = 0;
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	if (pid < 0)
		return -1;
	if (sys_ptrace(PTRACE_SEIZE, pid, 0, 0) ||
	    sys_ptrace(PTRACE_INTERRUPT, pid, 0, 0) ||
	    waitpid(pid, &status, __WALL) != pid) {
		err = -1;
	} else {
		errno = 0;
		sys_ptrace(PTRACE_SYSVM, pid, ~0UL, 0);
		err = errno;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, __WALL);
	return err;
}

static uint64_t opt_seed;
static int opt_seed_set, opt_seconds;

FIXTURE(stress) {
	struct stress st;
	int seconds;
};

FIXTURE_VARIANT(stress) {
	int use_sysvm;
};

/* PTRACE_SYSVM left out: runs on every kernel */
FIXTURE_VARIANT_ADD(stress, classic) {
	.use_sysvm = 0,
};

FIXTURE_VARIANT_ADD(stress, sysvm) {
	.use_sysvm = 1,
};

FIXTURE_SETUP(stress)
{
	const char *e;

	memset(&self->st, 0, sizeof(self->st));
	self->seconds = DEFAULT_SECONDS;
	e = getenv("SYSVM_STRESS_SECONDS");
	if (e)
		self->seconds = atoi(e);
	if (opt_seconds)
		self->seconds = opt_seconds;
	if (self->seconds < 1)
		self->seconds = 1;
	if (self->seconds > MAX_SECONDS)
		self->seconds = MAX_SECONDS;
	e = getenv("SYSVM_STRESS_SEED");
	if (opt_seed_set)
		self->st.seed = opt_seed;
	else if (e)
		self->st.seed = strtoull(e, NULL, 0);
	else
		self->st.seed = mix(time(NULL) ^ ((uint64_t)getpid() << 32));
	self->st.use_sysvm = variant->use_sysvm;
	ksft_print_msg("%s: seed %llu (replay: SYSVM_STRESS_SEED=%llu), %d s\n",
		       variant->use_sysvm ? "with PTRACE_SYSVM" :
		       "PTRACE_SYSVM excluded",
		       (unsigned long long)self->st.seed,
		       (unsigned long long)self->st.seed, self->seconds);
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, run, MAX_SECONDS + 4 * (int)WAIT_TIMEOUT)
{
	struct stress *st = &self->st;
	unsigned long total = 0;
	int i, probe = sysvm_probe();

	if (variant->use_sysvm && probe == EIO)
		SKIP(return, "PTRACE_SYSVM not supported (probe: EIO)");
	ASSERT_NE(-1, probe) TH_LOG("cannot probe for PTRACE_SYSVM");
	if (variant->use_sysvm)
		ASSERT_EQ(EINVAL, probe) TH_LOG("probe: %s", strerror(probe));

	run_stress(st, self->seconds);

	for (i = 0; i < NR_REQS; i++)
		total += st->nreq[i];
	ksft_print_msg("seed %llu: %lu resume requests in %lu steps, %lu tracees\n",
		       (unsigned long long)st->seed, total, st->step, st->nspawn);
	ksft_print_msg("  calls checked: %lu executed, %lu skipped\n",
		       st->nexec - st->nskip_total, st->nskip_total);
	for (i = 0; i < NR_REQS; i++)
		if (i != R_SYSVM || st->use_sysvm)
			ksft_print_msg("  %-25s %lu\n", req_name[i], st->nreq[i]);
	if (st->use_sysvm)
		ksft_print_msg("  PTRACE_SYSVM flags 0 %lu, SKIPCALL %lu, SKIPEXIT %lu, both %lu\n",
			       st->nsysvm_flags[0], st->nsysvm_flags[1],
			       st->nsysvm_flags[2], st->nsysvm_flags[3]);
	ksft_print_msg("  PTRACE_INTERRUPT %lu, re-attach %lu, must-fail EINVAL %lu, EIO %lu\n",
		       st->ninterrupt, st->nreattach, st->neinval, st->neio);
	ksft_print_msg("  stops: entry %lu, exit %lu, step %lu, interrupt %lu; overruns %lu\n",
		       st->nstops[K_ENTRY], st->nstops[K_EXIT],
		       st->nstops[K_STEP], st->nstops[K_INTR], st->nring);
	ASSERT_EQ(0, st->failed) TH_LOG("%s", st->msg);
	ASSERT_NE(0, st->nstops[K_ENTRY]) TH_LOG("no syscall stop seen");
}

/* ---------------------------------------------------------------- */
/* Security checks                                                  */

/*
 * A tracee for the single scenarios: traced with PTRACE_TRACEME, stops
 * with SIGSTOP, then runs @fn. The tracer gets to the marked calls with
 * to_marked_entry().
 */
struct shared {
	long ret[4];
	int fd;
	int go;
};

static pid_t start_tracee(struct __test_metadata *_metadata,
			  void (*fn)(struct shared *), struct shared *sh,
			  unsigned long options)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (sys_ptrace(PTRACE_TRACEME, 0, 0, 0))
			_exit(1);
		raise(SIGSTOP);
		fn(sh);
		syscall(__NR_exit_group, 0);
	}
	EXPECT_LT(0, pid);
	EXPECT_EQ(pid, waitpid(pid, &status, __WALL));
	EXPECT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	EXPECT_EQ(0, sys_ptrace(PTRACE_SETOPTIONS, pid, 0,
				PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL |
				options));
	return pid;
}

/*
 * Resume with PTRACE_SYSCALL past unmarked calls (the C library's)
 * to the entry stop of the marked call @seq. Returns 0 or a step.
 */
static int to_marked_entry(pid_t pid, uint32_t seq,
			   struct ptrace_syscall_info *info)
{
	int status, n;

	for (n = 1; n < 1000; n++) {
		if (sys_ptrace(PTRACE_SYSCALL, pid, 0, 0) ||
		    waitpid(pid, &status, __WALL) != pid ||
		    !WIFSTOPPED(status))
			return n;
		if (WSTOPSIG(status) != (SIGTRAP | 0x80))
			continue;
		memset(info, 0, sizeof(*info));
		if (sys_ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(*info),
			       (unsigned long)info) <= 0)
			return n;
		if (info->op == PTRACE_SYSCALL_INFO_ENTRY &&
		    info->entry.args[4] == TAG && info->entry.args[3] == seq)
			return 0;
	}
	return n;
}

static int wait_stop(pid_t pid, struct ptrace_syscall_info *info)
{
	int status;

	if (waitpid(pid, &status, __WALL) != pid)
		return -1;
	memset(info, 0, sizeof(*info));
	if (WIFSTOPPED(status) && WSTOPSIG(status) == (SIGTRAP | 0x80))
		sys_ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(*info),
			   (unsigned long)info);
	return status;
}

static void kill_reap(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	while (waitpid(pid, &status, __WALL) == pid &&
	       !WIFEXITED(status) && !WIFSIGNALED(status))
		;
}

static struct shared *shared_map(void)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return sh == MAP_FAILED ? NULL : sh;
}

static void two_calls(struct shared *sh)
{
	sh->ret[0] = raw5(__NR_getppid, 0, 0, 0, 1, TAG);
	sh->ret[1] = raw5(__NR_getpid, 0, 0, 0, 2, TAG);
}

struct sibling_arg {
	pid_t pid;
	long err[4];
	int done;
};

static void *other_thread(void *p)
{
	struct sibling_arg *a = p;
	static const unsigned long flags[] = { 0, 1, 2, 3 };
	int i;

	for (i = 0; i < 4; i++) {
		errno = 0;
		a->err[i] = sys_ptrace(PTRACE_SYSVM, a->pid, flags[i], 0) ?
			    errno : 0;
	}
	__atomic_store_n(&a->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Only the tracer, not a sibling process or another thread, may resume */
TEST(sysvm_only_tracer)
{
	struct ptrace_syscall_info info;
	struct sibling_arg arg = { 0 };
	struct shared *sh = shared_map();
	int status, i;
	pthread_t th;
	pid_t pid, sib;

	if (sysvm_probe() != EINVAL)
		SKIP(return, "PTRACE_SYSVM not supported");
	ASSERT_TRUE(!!sh);
	pid = start_tracee(_metadata, two_calls, sh, 0);
	ASSERT_EQ(0, to_marked_entry(pid, 1, &info)) kill_reap(pid);

	sib = fork();
	if (sib == 0) {
		arg.pid = pid;
		other_thread(&arg);
		for (i = 0; i < 4; i++)
			if (arg.err[i] != ESRCH)
				_exit(10 + i);
		_exit(0);
	}
	ASSERT_EQ(sib, waitpid(sib, &status, 0)) kill_reap(pid);
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("a sibling process did not get ESRCH (flags %d)",
		       WEXITSTATUS(status) - 10);

	arg.pid = pid;
	ASSERT_EQ(0, pthread_create(&th, NULL, other_thread, &arg))
		kill_reap(pid);
	/*
	 * No pthread_join(): ia32 glibc waits with the time32 futex call,
	 * which kernels without COMPAT_32BIT_TIME lack.
	 */
	pthread_detach(th);
	while (!__atomic_load_n(&arg.done, __ATOMIC_ACQUIRE))
		sleep_us(1000);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(ESRCH, arg.err[i])
			TH_LOG("another thread of the tracer, flags %d", i);

	/* Still in the same stop, with no decision taken */
	EXPECT_EQ(0, waitpid(pid, &status, __WALL | WNOHANG));
	ASSERT_EQ(0, sys_ptrace(PTRACE_SYSVM, pid, 0, 0)) kill_reap(pid);
	status = wait_stop(pid, &info);
	EXPECT_EQ(PTRACE_SYSCALL_INFO_EXIT, info.op)
		TH_LOG("status %#x", status);
	EXPECT_EQ(getpid(), info.exit.rval);
	kill_reap(pid);
}

static const struct {
	const char *name;
	unsigned int action;
} filters[] = {
	{ "RET_ERRNO", SECCOMP_RET_ERRNO | E2BIG },
	{ "RET_KILL_PROCESS", SECCOMP_RET_KILL_PROCESS },
};

static unsigned int filter_action;

static void filtered_calls(struct shared *sh)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_NATIVE, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, filter_action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { ARRAY_SIZE(f), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		syscall(__NR_exit_group, 3);
	two_calls(sh);
}

/* SKIPEXIT passes the call to the kernel: the tracee's filter decides */
TEST(sysvm_skipexit_keeps_seccomp)
{
	struct ptrace_syscall_info info;
	struct shared *sh = shared_map();
	unsigned int i;
	int status;
	pid_t pid;

	if (sysvm_probe() != EINVAL)
		SKIP(return, "PTRACE_SYSVM not supported");
	ASSERT_TRUE(!!sh);
	for (i = 0; i < ARRAY_SIZE(filters); i++) {
		memset(sh, 0, sizeof(*sh));
		filter_action = filters[i].action;
		pid = start_tracee(_metadata, filtered_calls, sh, 0);
		ASSERT_EQ(0, to_marked_entry(pid, 1, &info))
			kill_reap(pid);
		ASSERT_EQ(__NR_getppid, info.entry.nr) kill_reap(pid);
		ASSERT_EQ(0, sys_ptrace(PTRACE_SYSVM, pid,
					PTRACE_VM_SKIPEXIT, 0))
			kill_reap(pid);
		status = wait_stop(pid, &info);
		if (filter_action == SECCOMP_RET_KILL_PROCESS) {
			EXPECT_TRUE(WIFSIGNALED(status) &&
				    WTERMSIG(status) == SIGSYS)
				TH_LOG("%s: status %#x, op %d", filters[i].name,
				       status, info.op);
			if (!WIFSIGNALED(status))
				kill_reap(pid);
			continue;
		}
		/* no exit stop: the next stop is the next call's entry */
		EXPECT_EQ(PTRACE_SYSCALL_INFO_ENTRY, info.op)
			TH_LOG("%s: status %#x", filters[i].name, status);
		EXPECT_EQ(__NR_getpid, info.entry.nr);
		EXPECT_EQ(-E2BIG, sh->ret[0]) TH_LOG("%s", filters[i].name);
		kill_reap(pid);
	}
}

static void spin_then_calls(struct shared *sh)
{
	uint32_t rec[2] = { TAG, 2 };

	/* call 1 under the tracer's decision, then wait for a re-attach */
	sh->ret[0] = raw5(__NR_getppid, 0, 0, 0, 1, TAG);
	while (!__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE))
		__asm__ volatile ("pause" ::: "memory");
	sh->ret[1] = raw5(__NR_write, sh->fd, (long)rec, sizeof(rec), 2, TAG);
}

/*
 * Decide a call with PTRACE_SYSVM, detach at the next stop, re-attach:
 * the next call has an entry and an exit stop under PTRACE_SYSCALL, and
 * runs.
 */
TEST(sysvm_detach_forgets)
{
	static const unsigned long flags[] = {
		0, PTRACE_VM_SKIPCALL, PTRACE_VM_SKIPEXIT,
		PTRACE_VM_SKIPCALL | PTRACE_VM_SKIPEXIT,
	};
	struct ptrace_syscall_info info;
	struct shared *sh = shared_map();
	uint32_t rec[2];
	int fds[2], status, n;
	unsigned int i;
	pid_t pid;

	if (sysvm_probe() != EINVAL)
		SKIP(return, "PTRACE_SYSVM not supported");
	ASSERT_TRUE(!!sh);
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		long want = flags[i] & PTRACE_VM_SKIPCALL ? MAGIC : getpid();

		memset(sh, 0, sizeof(*sh));
		ASSERT_EQ(0, pipe2(fds, O_NONBLOCK));
		sh->fd = fds[1];
		pid = start_tracee(_metadata, spin_then_calls, sh, 0);
		ASSERT_EQ(0, to_marked_entry(pid, 1, &info))
			kill_reap(pid);
		ASSERT_EQ(0, sys_ptrace(PTRACE_POKEUSR, pid, REG_RET, MAGIC))
			kill_reap(pid);
		ASSERT_EQ(0, sys_ptrace(PTRACE_SYSVM, pid, flags[i], 0))
			kill_reap(pid);
		if (!(flags[i] & PTRACE_VM_SKIPEXIT)) {
			status = wait_stop(pid, &info);
			ASSERT_EQ(PTRACE_SYSCALL_INFO_EXIT, info.op)
				{
			TH_LOG("flags %#lx: status %#x", flags[i], status);
			kill_reap(pid);
		}
			EXPECT_EQ(want, info.exit.rval);
		} else {
			/* It spins in user mode: stop it there */
			ASSERT_EQ(0, kill(pid, SIGSTOP));
			status = wait_stop(pid, &info);
			ASSERT_TRUE(WIFSTOPPED(status) &&
				    WSTOPSIG(status) == SIGSTOP)
				{
			TH_LOG("flags %#lx: status %#x", flags[i], status);
			kill_reap(pid);
		}
		}
		ASSERT_EQ(0, sys_ptrace(PTRACE_DETACH, pid, 0, 0))
			kill_reap(pid);
		for (n = 0; n < 5000 && !sh->ret[0]; n++)
			sleep_us(1000);
		EXPECT_EQ(want, sh->ret[0])
			TH_LOG("flags %#lx: call 1 returned %ld after %d ms",
			       flags[i], sh->ret[0], n);

		/* Re-attach and let the tracee make its next call */
		ASSERT_EQ(0, sys_ptrace(PTRACE_SEIZE, pid, 0,
					PTRACE_O_TRACESYSGOOD |
					PTRACE_O_EXITKILL)) kill_reap(pid);
		ASSERT_EQ(0, sys_ptrace(PTRACE_INTERRUPT, pid, 0, 0))
			kill_reap(pid);
		status = wait_stop(pid, &info);
		ASSERT_EQ(PTRACE_EVENT_STOP, status >> 16)
			{
			TH_LOG("flags %#lx: status %#x", flags[i], status);
			kill_reap(pid);
		}
		__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
		ASSERT_EQ(0, sys_ptrace(PTRACE_SYSCALL, pid, 0, 0))
			kill_reap(pid);
		status = wait_stop(pid, &info);
		ASSERT_EQ(PTRACE_SYSCALL_INFO_ENTRY, info.op)
			{
			TH_LOG("flags %#lx: status %#x", flags[i], status);
			kill_reap(pid);
		}
		ASSERT_EQ(2, info.entry.args[3]) kill_reap(pid);
		ASSERT_EQ(0, sys_ptrace(PTRACE_POKEUSR, pid, REG_RET, MAGIC))
			kill_reap(pid);
		ASSERT_EQ(0, sys_ptrace(PTRACE_SYSCALL, pid, 0, 0))
			kill_reap(pid);
		status = wait_stop(pid, &info);
		EXPECT_EQ(PTRACE_SYSCALL_INFO_EXIT, info.op)
			TH_LOG("flags %#lx: status %#x", flags[i], status);
		EXPECT_EQ(8, info.exit.rval);
		EXPECT_EQ(8, read(fds[0], rec, sizeof(rec)));
		EXPECT_EQ(2, rec[1]);
		kill_reap(pid);
		close(fds[0]);
		close(fds[1]);
	}
}

static char exe_path[PATH_MAX];

static void do_exec(struct shared *sh)
{
	char fd[16];

	snprintf(fd, sizeof(fd), "%d", sh->fd);
	execl("/proc/self/exe", exe_path, EXEC_HELPER, fd, (char *)NULL);
	syscall(__NR_exit_group, 4);
}

static int exec_helper(int fd)
{
	uint32_t rec[2] = { TAG, 1 };

	raw5(__NR_write, fd, (long)rec, sizeof(rec), 1, TAG);
	raw5(__NR_exit_group, 0, 0, 0, 2, TAG);
	return 1;
}

/*
 * A decision taken at the entry of execve() holds for that call only:
 * SKIPEXIT hides its exit stop, even when the tracer resumes the
 * PTRACE_EVENT_EXEC stop in between with PTRACE_SYSCALL; every call of
 * the new program has its entry and exit stops and runs.
 */
TEST(sysvm_exec_forgets)
{
	struct ptrace_syscall_info info;
	struct shared *sh = shared_map();
	int fds[2], status, n, calls = 0;
	uint32_t rec[2];
	pid_t pid;

	if (sysvm_probe() != EINVAL)
		SKIP(return, "PTRACE_SYSVM not supported");
	ASSERT_TRUE(!!sh);
	ASSERT_EQ(0, pipe2(fds, O_NONBLOCK));
	sh->fd = fds[1];
	pid = start_tracee(_metadata, do_exec, sh, PTRACE_O_TRACEEXEC);
	for (n = 0; n < 100; n++) {
		ASSERT_EQ(0, sys_ptrace(PTRACE_SYSCALL, pid, 0, 0))
			kill_reap(pid);
		status = wait_stop(pid, &info);
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY &&
		    info.entry.nr == __NR_execve)
			break;
	}
	ASSERT_EQ(__NR_execve, info.entry.nr) kill_reap(pid);
	ASSERT_EQ(0, sys_ptrace(PTRACE_SYSVM, pid, PTRACE_VM_SKIPEXIT, 0))
		kill_reap(pid);
	status = wait_stop(pid, &info);
	ASSERT_EQ(PTRACE_EVENT_EXEC, status >> 16)
		{
			TH_LOG("status %#x", status);
			kill_reap(pid);
		}
	/* Not a syscall-entry stop: no flags here */
	EXPECT_EQ(-1, sys_ptrace(PTRACE_SYSVM, pid, PTRACE_VM_SKIPCALL, 0));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, sys_ptrace(PTRACE_SYSCALL, pid, 0, 0)) kill_reap(pid);

	/* Every call of the new program: entry, then exit, executed */
	for (n = 0; n < 200; n++) {
		status = wait_stop(pid, &info);
		ASSERT_EQ(PTRACE_SYSCALL_INFO_ENTRY, info.op)
			{
			TH_LOG("stop %d after exec: status %#x op %d",
			       n, status, info.op);
			kill_reap(pid);
		}
		if (info.entry.nr == __NR_exit_group)
			break;
		calls++;
		ASSERT_EQ(0, sys_ptrace(PTRACE_POKEUSR, pid, REG_RET, MAGIC))
			kill_reap(pid);
		ASSERT_EQ(0, sys_ptrace(PTRACE_SYSCALL, pid, 0, 0))
			kill_reap(pid);
		status = wait_stop(pid, &info);
		ASSERT_EQ(PTRACE_SYSCALL_INFO_EXIT, info.op)
			{
			TH_LOG("call %d after exec: status %#x", calls, status);
			kill_reap(pid);
		}
		EXPECT_NE(MAGIC, info.exit.rval)
			TH_LOG("call %d after exec was skipped", calls);
		ASSERT_EQ(0, sys_ptrace(PTRACE_SYSCALL, pid, 0, 0))
			kill_reap(pid);
	}
	EXPECT_LT(0, calls);
	EXPECT_EQ(8, read(fds[0], rec, sizeof(rec)));
	EXPECT_EQ(1, rec[1]);
	kill_reap(pid);
	close(fds[0]);
	close(fds[1]);
}

static void sleep_forever(void)
{
	for (;;)
		pause();
}

/* A process that may not attach still may not, and cannot resume */
TEST(attach_still_denied)
{
	static const char * const what[] = {
		"root target", "non-dumpable target of the same uid",
	};
	int status, i;

	if (geteuid() != 0)
		SKIP(return, "needs root to drop to uid 65534");
	for (i = 0; i < 2; i++) {
		pid_t target = fork(), attacker;

		if (target == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (i == 1 &&
			    (setresgid(65534, 65534, 65534) ||
			     setresuid(65534, 65534, 65534) ||
			     prctl(PR_SET_DUMPABLE, 0)))
				_exit(1);
			sleep_forever();
		}
		ASSERT_LT(0, target);
		sleep_us(20000);
		attacker = fork();
		if (attacker == 0) {
			if (setresgid(65534, 65534, 65534) ||
			    setresuid(65534, 65534, 65534))
				_exit(1);
			if (sys_ptrace(PTRACE_ATTACH, target, 0, 0) != -1 ||
			    errno != EPERM)
				_exit(2);
			if (sys_ptrace(PTRACE_SEIZE, target, 0, 0) != -1 ||
			    errno != EPERM)
				_exit(3);
			if (sys_ptrace(PTRACE_SYSVM, target, 0, 0) != -1 ||
			    errno != ESRCH)
				_exit(4);
			_exit(0);
		}
		ASSERT_LT(0, attacker);
		ASSERT_EQ(attacker, waitpid(attacker, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("%s: step %d failed", what[i], WEXITSTATUS(status));
		kill_reap(target);
	}
}

int main(int argc, char **argv)
{
	int i, n = 1;

	if (argc == 3 && !strcmp(argv[1], EXEC_HELPER))
		return exec_helper(atoi(argv[2]));
	if (readlink("/proc/self/exe", exe_path, sizeof(exe_path) - 1) < 0)
		snprintf(exe_path, sizeof(exe_path), "%s", argv[0]);
	/* Our own options; the rest go to the harness */
	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--seconds=", 10)) {
			opt_seconds = atoi(argv[i] + 10);
		} else if (!strncmp(argv[i], "--seed=", 7)) {
			opt_seed = strtoull(argv[i] + 7, NULL, 0);
			opt_seed_set = 1;
		} else {
			argv[n++] = argv[i];
		}
	}
	argv[n] = NULL;
	return test_harness_run(n, argv);
}
