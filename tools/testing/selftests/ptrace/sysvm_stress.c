// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized stress test of the resume requests against a model that
 * predicts every stop.
 *
 * A few tracees, seized by one tracer, each run a cycle of eight system
 * calls, call number seq being cycle position seq % 8 (its number is in
 * an argument the call ignores, but for clone):
 *	read(ctl pipe)		blocks while the tracer holds bytes back
 *	getppid()
 *	write(data pipe, seq)	its side effect, checked in order
 *	getpid()		the tracee's filter: SECCOMP_RET_TRACE
 *	tgkill(self, SIGUSR1)	ignored: a signal-delivery stop, if traced
 *	gettid()
 *	clone(SIGCHLD)		PTRACE_EVENT_FORK; the child is killed
 *	execve(self) or getppid()  in the last cycle of its life: the
 *				new image exits at once (EXEC_MARK)
 *
 * The tracer resumes each stop with a random request: PTRACE_SYSCALL,
 * PTRACE_SYSVM with each flag value, PTRACE_SYSEMU (x86), PTRACE_CONT,
 * PTRACE_DETACH (the tracee then runs untraced up to its next read,
 * where it is seized again) or SIGKILL; before it, sometimes a request
 * that must fail (EINVAL, EIO) and change nothing. From the request and
 * the syscall-work state it implies, the model walks the tracee through
 * the phases of its calls (entry, seccomp, execution, exit, signal) to
 * the next stop: its kind, the call and number, the return value at
 * exit stops; and the value each call returns, and which writes reach
 * the pipe. A skipped call returns the architecture's value, or the one
 * the tracer writes at its exit stop with PTRACE_SET_SYSCALL_INFO.
 *
 * Every request type and flag value, and every kind of stop, must be
 * seen a minimum number of times: each variant runs SYSVM_STRESS_SECONDS
 * (default 4), then on until the minimums are met, four times that at
 * most. SYSVM_STRESS_SEED replays a run; SYSVM_STRESS_OPS=N runs N resume
 * requests instead (a soak).
 */
#include "sysvm_common.h"
#include <stdarg.h>
#include <time.h>
#include <sys/ioctl.h>

#define NR_TRACEES	3
#define RING		256	/* calls remembered per tracee */
#define MAGIC		0x5a5a1234L
#define CTL_STOCK	256	/* bytes kept in the ctl pipe */
#define MIN_COUNT	20	/* of every request and stop kind, */
#define MIN_RARE	4	/* of kills, execs and exits */
#define OPTS		(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP |	\
			 PTRACE_O_TRACEFORK | PTRACE_O_TRACEEXEC |		\
			 PTRACE_O_EXITKILL)
#define ANY_PID		(-0x70000100L)	/* a child's pid, not reported */
#ifdef PTRACE_SYSEMU
#define SYSEMU_REQ	PTRACE_SYSEMU
#else
#define SYSEMU_REQ	(-1)
#endif

enum cpos { C_READ, C_GETPPID, C_WRITE, C_GETPID, C_KILL, C_GETTID,
	    C_FORK, C_LAST, NR_CPOS };

enum kind { K_ENTRY, K_EXIT, K_SECCOMP, K_SIG, K_FORK, K_EXEC, K_EXITED,
	    K_KILLED, K_BLOCKED, NR_KINDS };

static const char * const kind_name[NR_KINDS] = {
	"entry", "exit", "seccomp", "signal", "fork event", "exec event",
	"exited", "killed", "blocked in read",
};

enum req { R_SYSCALL, R_SYSVM0, R_SKIPCALL, R_SKIPEXIT, R_BOTH, R_SYSEMU,
	   R_CONT, R_DETACH, R_KILL, R_EINVAL, R_EIO, NR_REQS };

static const char * const req_name[NR_REQS] = {
	"PTRACE_SYSCALL", "PTRACE_SYSVM(0)", "PTRACE_SYSVM(SKIPCALL)",
	"PTRACE_SYSVM(SKIPEXIT)", "PTRACE_SYSVM(SKIPCALL|SKIPEXIT)",
	"PTRACE_SYSEMU", "PTRACE_CONT", "PTRACE_DETACH", "SIGKILL",
	"must fail: EINVAL", "must fail: EIO",
};

/* Shared with the tracee */
struct tshm {
	long ret[RING];
	unsigned int done;		/* calls completed */
	unsigned int life;		/* cycles before the execve */
	char path[16], env[32];
	char *argv[2], *envp[2];
};

/* Where a tracee is in its call seq: the phase it comes to next */
enum phase { P_ENTRY, P_SECCOMP, P_RUN, P_EXIT, P_SIG };

struct stress;

struct tr {
	struct stress *s;
	int slot, gen;
	pid_t pid;
	int data[2], ctl[2];
	struct tshm *shm;
	unsigned long long rng;
	/* The model, reset for each new tracee */
	unsigned int seq;		/* the call of the stop, or the next call */
	int kind;		/* the stop predicted, then seen */
	bool trace, emu;	/* SYSCALL_TRACE, SYSCALL_EMU */
	bool emu_entry;		/* this entry stop is a PTRACE_SYSEMU one */
	bool skip, skipexit;	/* the call's SKIPCALL, pending SKIPEXIT */
	bool detached, sigpending;
	long val;		/* what call seq returns */
	long want[RING];	/* what each call returned */
	unsigned int checked;	/* calls verified */
	unsigned int writes[RING];	/* seqs of the writes due in the pipe */
	unsigned int wr_head, wr_tail;
};

struct stress {
	struct __test_metadata *md;
	unsigned long long seed;
	bool sysvm, sysemu, failed;
	unsigned long ops, max_ops;
	time_t start, secs;
	unsigned long nreq[NR_REQS], nstop[NR_KINDS], strays;
	struct tr tr[NR_TRACEES];
};

/* splitmix64 */
static unsigned long long rnd(unsigned long long *s)
{
	unsigned long long x = *s += 0x9e3779b97f4a7c15ULL;

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static int cpos(struct tr *t, unsigned int seq)
{
	if (seq % NR_CPOS == C_LAST && seq / NR_CPOS != t->shm->life)
		return C_GETPPID;
	return seq % NR_CPOS;
}

static const long cpos_nr[NR_CPOS] = {
	__NR_read, __NR_getppid, __NR_write, __NR_getpid, __NR_tgkill,
	__NR_gettid, __NR_clone, __NR_execve,
};

/* The tracee: the cycle of calls, for ever */
static void tracee(struct tr *t)
{
	struct tshm *shm = t->shm;
	const struct rule trace_getpid[MAX_RULES] = {
		{ GETPID, ANY_ARG, SECCOMP_RET_TRACE | TRACE_DATA },
	};
	pid_t pid = getpid();
	unsigned int seq;
	char c;
	long a[4], ret;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(t->data[0]);
	if (signal(SIGUSR1, SIG_IGN) == SIG_ERR ||
	    signal(SIGCHLD, SIG_IGN) == SIG_ERR ||
	    install_filter(trace_getpid, M_LIBC, 0) < 0)
		_exit(96);
	for (seq = 0;; seq++) {
		int c_pos = cpos(t, seq);

		memset(a, 0, sizeof(a));
		a[3] = seq;
		if (c_pos == C_READ || c_pos == C_WRITE) {
			a[0] = c_pos == C_READ ? t->ctl[0] : t->data[1];
			a[1] = (long)(c_pos == C_READ ? (void *)&c : &seq);
			a[2] = c_pos == C_READ ? 1 : sizeof(seq);
		} else if (c_pos == C_KILL) {
			a[0] = pid;
			a[1] = pid;
			a[2] = SIGUSR1;
		} else if (c_pos == C_FORK) {
			clone_args(a, SIGCHLD);
			a[3] = 0;
		} else if (c_pos == C_LAST) {
			a[0] = (long)shm->path;
			a[1] = (long)shm->argv;
			a[2] = (long)shm->envp;
		}
		ret = syscall(cpos_nr[c_pos], a[0], a[1], a[2], a[3]);
		if (c_pos == C_FORK && !ret)
			_exit(0);
		shm->ret[seq % RING] = ret == -1 ? -errno : ret;
		__atomic_store_n(&shm->done, seq + 1, __ATOMIC_RELEASE);
	}
}

static bool __printf(2, 3) fail(struct tr *t, const char *fmt, ...)
{
	struct __test_metadata *_metadata = t->s->md;
	struct stress *s = t->s;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	TH_LOG("seed %llu, tracee %d.%d, call #%u, %s: %s",
	       (unsigned long long)s->seed, t->slot, t->gen, t->seq,
	       kind_name[t->kind], msg);
	s->failed = true;
	return false;
}

static void advance(struct tr *t, int ph);

static bool spawn(struct tr *t)
{
	struct stress *s = t->s;
	char stock[CTL_STOCK];

	t->gen++;
	t->rng = s->seed ^ ((unsigned long long)t->slot << 48) ^ t->gen;
	memset(&t->seq, 0, sizeof(*t) - offsetof(struct tr, seq));
	memset(t->shm, 0, sizeof(*t->shm));
	t->shm->life = 1 + rnd(&t->rng) % 4;
	snprintf(t->shm->path, sizeof(t->shm->path), "/proc/self/exe");
	snprintf(t->shm->env, sizeof(t->shm->env), "%s=1", EXEC_MARK);
	t->shm->argv[0] = t->shm->path;
	t->shm->envp[0] = t->shm->env;
	if (pipe2(t->data, O_NONBLOCK) || pipe(t->ctl))
		return fail(t, "pipe: %m");
	t->pid = fork();
	if (!t->pid)
		tracee(t);
	close(t->data[1]);
	if (t->pid < 0 || sys_ptrace(PTRACE_SEIZE, t->pid, 0, OPTS))
		return fail(t, "fork or PTRACE_SEIZE: %m");
	/* It runs free up to its first stop */
	memset(stock, 'c', sizeof(stock));
	if (write(t->ctl[1], stock, sizeof(stock)) != sizeof(stock))
		return fail(t, "ctl pipe: %m");
	advance(t, P_ENTRY);
	return true;
}

/*
 * The model: from where the tracee is (@ph of call t->seq), run it to
 * its next stop, noting what each call returns and which write lands.
 */
static void advance(struct tr *t, int ph)
{
	for (;; ph++) {
		int c = cpos(t, t->seq);

		switch (ph) {
		case P_ENTRY:
			t->skip = false;
			t->emu_entry = t->emu;
			t->val = c == C_READ ? 1 : c == C_WRITE ? 4 :
				 c == C_GETPPID ? getpid() :
				 c == C_GETPID || c == C_GETTID ? t->pid : 0;
			if (!t->detached && (t->trace || t->emu)) {
				t->kind = K_ENTRY;
				return;
			}
			break;
		case P_SECCOMP:
			t->skip |= t->emu_entry;
			if (t->skip || c != C_GETPID)
				break;
			if (!t->detached) {
				t->kind = K_SECCOMP;
				return;
			}
			t->skip = true;		/* RET_TRACE with no tracer */
			t->val = ERR_NOSYS;
			break;
		case P_RUN:
			if (t->skip && t->val != ERR_NOSYS)
				t->val = skipped_value(cpos_nr[c]);
			if (t->skip)
				break;
			if (c == C_WRITE)
				t->writes[t->wr_tail++ % RING] = t->seq;
			t->sigpending = c == C_KILL;
			if (c == C_LAST) {
				t->kind = t->detached ? K_EXITED : K_EXEC;
				return;
			}
			if (c == C_READ && t->detached) {
				t->kind = K_BLOCKED;
				return;
			}
			if (c == C_FORK && !t->detached) {
				t->kind = K_FORK;
				return;
			}
			t->val = c == C_FORK ? ANY_PID : t->val;
			break;
		case P_EXIT:
			t->want[t->seq % RING] = t->val;
			if (t->trace && !t->skipexit && !t->detached) {
				t->kind = K_EXIT;
				return;
			}
			t->skipexit = false;
			break;
		default:
			if (t->sigpending && !t->detached) {
				t->sigpending = false;
				t->kind = K_SIG;
				return;
			}
			t->seq++;
			ph = P_ENTRY - 1;
		}
	}
}

/* The calls completed since the last check, and the writes they made */
static bool verify(struct tr *t)
{
	unsigned int done = __atomic_load_n(&t->shm->done, __ATOMIC_ACQUIRE);
	unsigned int rec, n;

	for (n = t->checked; n < done; n++) {
		long got = t->shm->ret[n % RING], want = t->want[n % RING];

		if (got != want && (want != ANY_PID || got <= 0))
			return fail(t, "call #%u returned %ld to the tracee, want %ld",
				    n, got, want);
	}
	t->checked = done;
	while (read(t->data[0], &rec, sizeof(rec)) == sizeof(rec)) {
		if (t->wr_head == t->wr_tail ||
		    rec != t->writes[t->wr_head++ % RING])
			return fail(t, "write #%u in the pipe: not due", rec);
	}
	if (t->wr_head != t->wr_tail)
		return fail(t, "write #%u did not reach the pipe",
			    t->writes[t->wr_head % RING]);
	return true;
}

/* Is the stop @status the one the model predicts? */
static bool model_check(struct tr *t, int status)
{
	struct ptrace_syscall_info info;
	int want = 0, got = status >> 8;
	unsigned long msg = 0;
	long nr = cpos_nr[cpos(t, t->seq)];

	if (t->kind == K_EXITED || t->kind == K_KILLED) {
		if (t->kind == K_EXITED ? status : status != SIGKILL)
			return fail(t, "wait status %#x", status);
		return true;
	}
	if (!WIFSTOPPED(status))
		return fail(t, "wait status %#x", status);
	memset(&info, 0, sizeof(info));
	sys_ptrace(PTRACE_GET_SYSCALL_INFO, t->pid, sizeof(info),
		   (unsigned long)&info);
	sys_ptrace(PTRACE_GETEVENTMSG, t->pid, 0, (unsigned long)&msg);
	switch (t->kind) {
	case K_ENTRY:
	case K_EXIT:
		want = SIGTRAP | 0x80;
		if (info.op != (t->kind == K_ENTRY ? PTRACE_SYSCALL_INFO_ENTRY :
				PTRACE_SYSCALL_INFO_EXIT))
			return fail(t, "syscall stop, op %d", info.op);
		if (t->kind == K_EXIT && info.exit.rval != t->val)
			return fail(t, "exit stop: rval %lld, want %ld",
				    (long long)info.exit.rval, t->val);
		break;
	case K_SECCOMP:
		want = SIGTRAP | PTRACE_EVENT_SECCOMP << 8;
		break;
	case K_SIG:
		want = SIGUSR1;
		break;
	case K_FORK:
	case K_EXEC:
		want = SIGTRAP | (t->kind == K_FORK ? PTRACE_EVENT_FORK :
				  PTRACE_EVENT_EXEC) << 8;
		if (t->kind == K_EXEC ? msg != (unsigned long)t->pid : !msg)
			return fail(t, "event message %lu", msg);
		break;
	}
	if (got != want)
		return fail(t, "wait status %#x, want %#x", status, want << 8);
	if (t->kind <= K_SECCOMP && info.op != PTRACE_SYSCALL_INFO_EXIT &&
	    ((long)info.entry.nr != nr || info.arch != ARCH_NATIVE ||
	     (nr != __NR_clone && info.entry.args[3] != t->seq)))
		return fail(t, "stop of nr %lld arg %lld, want %ld",
			    (long long)info.entry.nr,
			    (long long)info.entry.args[3], nr);
	return verify(t);
}

/* A request that must fail, and leave the tracee as it was */
static bool try_invalid(struct tr *t)
{
	struct stress *s = t->s;
	static const unsigned long bad[] = { 4, 8, 0x10, 5, HIGHBIT | 1, ~0UL };
	bool entry = t->kind == K_ENTRY || t->kind == K_SECCOMP;
	struct ptrace_syscall_info before = { 0 }, after = { 0 };
	unsigned long long r = rnd(&t->rng);
	unsigned long flags = bad[r % ARRAY_SIZE(bad)];
	int err = EINVAL, status;
	long sig = 0;

	if (!s->sysvm || r % 3 == 0) {
		sig = 0x1000;
		err = EIO;
	} else if (!entry && r % 3 == 1) {
		flags = 1 + (r >> 8) % 3;
	}
	sys_ptrace(PTRACE_GET_SYSCALL_INFO, t->pid, sizeof(before),
		   (unsigned long)&before);
	errno = 0;
	if (sys_ptrace(s->sysvm ? PTRACE_SYSVM : PTRACE_SYSCALL, t->pid,
		       s->sysvm ? flags : 0, sig) != -1 || errno != err)
		return fail(t, "flags %#lx, signal %ld: %m, want %s", flags, sig,
			    strerror(err));
	sys_ptrace(PTRACE_GET_SYSCALL_INFO, t->pid, sizeof(after),
		   (unsigned long)&after);
	if (waitpid(t->pid, &status, __WALL | WNOHANG) ||
	    memcmp(&before, &after, sizeof(after)))
		return fail(t, "a failed request changed the tracee");
	s->nreq[err == EIO ? R_EIO : R_EINVAL]++;
	return true;
}

static int pick(struct tr *t)
{
	struct stress *s = t->s;
	bool entry = t->kind == K_ENTRY || t->kind == K_SECCOMP;
	unsigned long long r = rnd(&t->rng) % 1000;
	int req;

	if (r < 4 || (t->kind == K_EXEC && r < 100))
		return R_KILL;
	if (t->kind == K_EXEC)
		return R_CONT;
	if (r < 16)
		return R_DETACH;
	for (;;) {
		req = rnd(&t->rng) % (R_CONT + 2);
		req = req > R_CONT ? R_SYSVM0 : req;
		if ((req >= R_SYSVM0 && req <= R_BOTH && !s->sysvm) ||
		    (req > R_SYSVM0 && req <= R_BOTH && !entry) ||
		    (req == R_SYSEMU && !s->sysemu))
			continue;
		return req;
	}
}

/* Detached: wait until it blocks in read(), seize it, let it read */
static bool reattach(struct tr *t)
{
	char stock[CTL_STOCK];
	int i, status;

	for (i = 0; __atomic_load_n(&t->shm->done, __ATOMIC_ACQUIRE) !=
		    t->seq; i++) {
		if (i > WAIT_TIMEOUT * 1000)
			return fail(t, "detached, it never got to its read");
		usleep(1000);
	}
	if (sys_ptrace(PTRACE_SEIZE, t->pid, 0, OPTS))
		return fail(t, "PTRACE_SEIZE again: %m");
	if (waitpid(t->pid, &status, __WALL | WNOHANG))
		return fail(t, "a stop while detached: %#x", status);
	t->detached = false;
	memset(stock, 'c', sizeof(stock));
	if (write(t->ctl[1], stock, sizeof(stock)) != sizeof(stock))
		return fail(t, "ctl pipe: %m");
	advance(t, P_RUN);
	return true;
}

/* Resume @t's stop with a random request; the model follows */
static bool resume(struct tr *t)
{
	struct stress *s = t->s;
	static const long code[] = {
		PTRACE_SYSCALL, PTRACE_SYSVM, PTRACE_SYSVM, PTRACE_SYSVM,
		PTRACE_SYSVM, SYSEMU_REQ, PTRACE_CONT, PTRACE_DETACH,
	};
	bool entry = t->kind == K_ENTRY || t->kind == K_SECCOMP;
	int req, kind = t->kind, ph, n = 0;
	unsigned long flags = 0;
	char drain[CTL_STOCK];
	struct ptrace_syscall_info info;

	if (rnd(&t->rng) % 8 == 0 && !try_invalid(t))
		return false;
	req = pick(t);
	s->nreq[req]++;
	s->ops++;
	if (req == R_KILL) {
		kill(t->pid, SIGKILL);
		t->kind = K_KILLED;
		return true;
	}
	/* A skipped call: the tracer sets what it returns */
	if (kind == K_EXIT && t->skip) {
		memset(&info, 0, sizeof(info));
		sys_ptrace(PTRACE_GET_SYSCALL_INFO, t->pid, sizeof(info),
			   (unsigned long)&info);
		info.exit.rval = MAGIC;
		if (sys_ptrace(PTRACE_SET_SYSCALL_INFO, t->pid, sizeof(info),
			       (unsigned long)&info))
			return fail(t, "PTRACE_SET_SYSCALL_INFO: %m");
		t->want[t->seq % RING] = MAGIC;
	}
	/* Detached, it must block in its next read() */
	if (req == R_DETACH && (ioctl(t->ctl[0], FIONREAD, &n) ||
				read(t->ctl[0], drain, n) != n))
		return fail(t, "draining the ctl pipe: %m");
	if (req >= R_SKIPCALL && req <= R_BOTH)
		flags = req - R_SYSVM0;
	if (sys_ptrace(code[req], t->pid, flags, 0))
		return fail(t, "%s: %m", req_name[req]);

	/* The syscall work the request leaves, as the ABI says */
	t->trace = req <= R_BOTH;
	t->emu = req == R_SYSEMU;
	t->detached = req == R_DETACH;
	if (entry || !t->trace || t->detached)
		t->skipexit = false;
	t->skipexit |= !!(flags & SKIPEXIT);
	t->skip |= !!(flags & SKIPCALL);
	ph = kind == K_ENTRY ? P_SECCOMP : kind == K_SECCOMP ? P_RUN :
	     kind == K_FORK ? P_EXIT : P_SIG;
	if (kind == K_FORK)
		t->val = t->want[t->seq % RING];
	if (kind == K_EXEC) {
		t->kind = K_EXITED;
		return true;
	}
	advance(t, ph);
	if (t->kind == K_BLOCKED)
		return reattach(t);
	return true;
}

/* Counter @i: request type i, or stop kind i - NR_REQS; its minimum */
static unsigned long count(struct stress *s, int i)
{
	return i < NR_REQS ? s->nreq[i] : s->nstop[i - NR_REQS];
}

static unsigned long min_count(struct stress *s, int i)
{
	if ((!s->sysvm && (i == R_EINVAL || (i >= R_SYSVM0 && i <= R_BOTH))) ||
	    (!s->sysemu && i == R_SYSEMU))
		return 0;
	return i == R_KILL || i >= NR_REQS + K_EXEC ? MIN_RARE : MIN_COUNT;
}

static bool done(struct stress *s)
{
	time_t t = time(NULL) - s->start;
	int i;

	if (s->max_ops)
		return s->ops >= s->max_ops;
	if (t < s->secs)
		return false;
	for (i = 0; i < NR_REQS + K_BLOCKED && t < 4 * s->secs; i++)
		if (count(s, i) < min_count(s, i))
			return false;
	return true;
}

static bool handle(struct tr *t, int status)
{
	struct stress *s = t->s;
	unsigned long msg = 0;

	if (!model_check(t, status))
		return false;
	s->nstop[t->kind]++;
	if (t->kind == K_EXITED || t->kind == K_KILLED) {
		close(t->data[0]);
		close(t->ctl[0]);
		close(t->ctl[1]);
		t->pid = 0;
		return done(s) || spawn(t);
	}
	/* The child of a fork event: killed and reaped */
	if (t->kind == K_FORK) {
		sys_ptrace(PTRACE_GETEVENTMSG, t->pid, 0, (unsigned long)&msg);
		t->want[t->seq % RING] = msg;
		kill_reap(msg);
	}
	if (done(s)) {
		kill(t->pid, SIGKILL);
		t->kind = K_KILLED;
		return true;
	}
	return resume(t);
}

static void run(struct __test_metadata *_metadata, struct stress *s)
{
	int i, status, live;
	pid_t pid;

	s->md = _metadata;
	for (i = 0; i < NR_TRACEES; i++) {
		s->tr[i].s = s;
		s->tr[i].slot = i;
		s->tr[i].shm = mmap(NULL, sizeof(struct tshm),
				    PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		ASSERT_TRUE(s->tr[i].shm != MAP_FAILED);
		ASSERT_TRUE(spawn(&s->tr[i]));
	}
	for (;;) {
		for (i = 0, live = 0; i < NR_TRACEES; i++)
			live += s->tr[i].pid > 0;
		if (!live)
			break;
		pid = wait_for(-1, &status);
		ASSERT_LT(0, pid) TH_LOG("seed %llu: no stop in %d s: %m",
					 (unsigned long long)s->seed,
					 WAIT_TIMEOUT);
		for (i = 0; i < NR_TRACEES && s->tr[i].pid != pid; i++)
			;
		/* A fork child seen before its parent's event stop */
		if (i == NR_TRACEES) {
			kill(pid, SIGKILL);
			s->strays++;
			continue;
		}
		if (!handle(&s->tr[i], status))
			break;
	}
	for (i = 0; i < NR_TRACEES; i++) {
		if (s->tr[i].pid > 0)
			kill_reap(s->tr[i].pid);
		munmap(s->tr[i].shm, sizeof(struct tshm));
	}
}

FIXTURE(stress) {
	struct stress s;
};

FIXTURE_VARIANT(stress) {
	bool sysvm;
};

/* Without PTRACE_SYSVM: the model on any kernel */
FIXTURE_VARIANT_ADD(stress, classic) { .sysvm = false };
FIXTURE_VARIANT_ADD(stress, sysvm) { .sysvm = true };

FIXTURE_SETUP(stress)
{
	const char *e = getenv("SYSVM_STRESS_SEED");

	memset(&self->s, 0, sizeof(self->s));
	self->s.sysvm = variant->sysvm;
	self->s.sysemu = SYSEMU_REQ != -1;
	self->s.seed = e ? strtoull(e, NULL, 0) :
		       time(NULL) ^ ((unsigned long long)getpid() << 32);
	e = getenv("SYSVM_STRESS_OPS");
	self->s.max_ops = e ? strtoul(e, NULL, 0) : 0;
	e = getenv("SYSVM_STRESS_SECONDS");
	self->s.secs = e ? atoi(e) : 4;
	self->s.start = time(NULL);
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, run, 24 * 3600)
{
	struct stress *s = &self->s;
	int i, low = 0;

	if (variant->sysvm && !have_sysvm(_metadata))
		return;
	ksft_print_msg("%s, seed %llu (SYSVM_STRESS_SEED), %ld CPUs online\n",
		       variant->sysvm ? "PTRACE_SYSVM" : "no PTRACE_SYSVM",
		       (unsigned long long)s->seed,
		       sysconf(_SC_NPROCESSORS_ONLN));
	run(_metadata, s);
	ASSERT_FALSE(s->failed);
	for (i = 0; i < NR_REQS + K_BLOCKED; i++) {
		unsigned long n = count(s, i);

		ksft_print_msg("  %-33s %lu%s\n", i < NR_REQS ? req_name[i] :
			       kind_name[i - NR_REQS], n,
			       n < min_count(s, i) ? " (too few)" : "");
		low += n < min_count(s, i);
	}
	ksft_print_msg("  %-33s %lu\n", "fork children seen first", s->strays);
	ASSERT_EQ(0, low) TH_LOG("%d counts below their minimum", low);
}

TEST_HARNESS_MAIN
