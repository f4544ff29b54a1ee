# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Shared helpers of the PTRACE_SYSVM harness, sourced by the scripts in
# this directory.  Every step is a function run by step(): it says what it
# does, how long it took, and on failure names itself and its log.
#
# Knobs (environment or make variables):
#   SYSVM_CACHE       cache directory (kernel source, builds, run logs)
#   KVER              expected upstream version prefix of linux-source (7.3)
#   KSRC, KBASE       use this kernel git tree / base commit instead of Debian's
#   PATCHES           directory holding the series (default: patches-$KVER/
#                     if there is one, else patches/)
#   CONFIG_FRAGMENTS  extra Kconfig fragments, space separated
#   DEBUG=1           add scripts/debug.config (KASAN, lockdep, ...)
#   JOBS              make -j (default: nproc)
#   ARCH              x86_64 (default), riscv64, s390x, ppc64le: see arch.sh
#   KVM, QEMU_CPU, QEMU_MEM, QEMU_SMP, QEMU_ICOUNT, BOOT_TIMEOUT   see steps.sh

REPO=$(cd "$(dirname "$0")/.." && pwd -P)
# shellcheck disable=SC2034
SCRIPTS=$REPO/scripts
SYSVM_CACHE=${SYSVM_CACHE:-/var/cache/ptrace-sysvm}
KVER=${KVER:-7.3}
JOBS=${JOBS:-$(nproc)}
# A series of its own for another base (patches-6.12/), else patches/.
[ -n "${PATCHES:-}" ] || [ ! -d "$REPO/patches-$KVER" ] ||
	PATCHES=$REPO/patches-$KVER
PATCHES=${PATCHES:-$REPO/patches}
KSRC=${KSRC:-}
KBASE=${KBASE:-HEAD}
CONFIG_FRAGMENTS=${CONFIG_FRAGMENTS:-}
# DEBUG=1: a debug kernel (KASAN, UBSAN, lockdep, ...: scripts/debug.config),
# in a build directory of its own.
if [ "${DEBUG:-0}" = 1 ]; then
	CONFIG_FRAGMENTS="$SCRIPTS/debug.config${CONFIG_FRAGMENTS:+ $CONFIG_FRAGMENTS}"
	# The debug kernel runs the stress test about twenty times slower:
	# 40 s per variant reach its minimum of every request and stop kind.
	SYSVM_STRESS_SECONDS=${SYSVM_STRESS_SECONDS:-40}
fi
# The stress test's own default, 4 s per variant, reaches its minimum of
# rare requests (detaches, kills) with little to spare under TCG; when
# it falls short (a loaded host), the test runs on, up to four times
# its time.  8 s here, twice that on the other architectures (arch.sh).
# Not exported: a script run from this one (make check's vmtest-debug)
# picks its own default.
SYSVM_STRESS_SECONDS=${SYSVM_STRESS_SECONDS:-8}
# shellcheck disable=SC2034
BRANCH=${SYSVM_BRANCH:-sysvm-harness}
MAKE=${MAKE:-make}
. "$SCRIPTS/arch.sh"
export SYSVM_CACHE KVER JOBS PATCHES KSRC KBASE CONFIG_FRAGMENTS

# Commits made by the harness itself are reproducible.
harness_ident()
{
	GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-sysvm-harness}
	GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-sysvm-harness@localhost}
	GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-sysvm-harness}
	GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-sysvm-harness@localhost}
	export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	export GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
}

die()
{
	echo "error: $*" >&2
	exit 1
}

# Print to the terminal (fd 3 while a step runs) and to the step's log.
info()
{
	echo "    $*" >&3
	echo "$*"
}

# One run directory per top-level invocation; nested scripts share it.
run_dir_init()
{
	if [ -z "${RUN_DIR:-}" ]; then
		{ mkdir -p "$SYSVM_CACHE/runs" && [ -w "$SYSVM_CACHE/runs" ]; } 2>/dev/null ||
			die "cannot create $SYSVM_CACHE: set SYSVM_CACHE=<a writable directory>"
		RUN_DIR=$SYSVM_CACHE/runs/$(date +%Y%m%d-%H%M%S)-$$
		mkdir -p "$RUN_DIR"
		ln -sfn "$RUN_DIR" "$SYSVM_CACHE/runs/last"
		# Keep the last 20 runs, and every run still going (its
		# directory ends in the pid of its script).
		find "$SYSVM_CACHE/runs" -mindepth 1 -maxdepth 1 -type d -name '2*' |
			LC_ALL=C sort | head -n -20 | while read -r _d; do
				kill -0 "${_d##*-}" 2>/dev/null || rm -rf "$_d"
			done
	fi
	mkdir -p "$RUN_DIR"
	STATE=$RUN_DIR/state
	touch "$STATE"
	export RUN_DIR STATE
	exec 3>&1
}

# Record a result of a step for the steps after it (they run in a
# subshell, see step()).
setvar()
{
	printf "%s='%s'\n" "$1" "$2" >>"$STATE"
	eval "$1=\$2"
}

# step NAME DESCRIPTION FUNCTION [ARGS...]
step()
{
	_name=$1
	_desc=$2
	shift 2
	_log=$RUN_DIR/$_name.log
	echo "==> [$_name] $_desc"
	_t0=$(date +%s)
	# An asynchronous list keeps "set -e" in force inside the function,
	# which an "if" or "||" around it would switch off.  It ignores
	# SIGINT, though: a signal is trapped here and ends the step.
	(set -e; "$@") >"$_log" 2>&1 &
	_pid=$!
	trap 'step_interrupted INT 130' INT
	trap 'step_interrupted TERM 143' TERM
	trap 'step_interrupted HUP 129' HUP
	_rc=0
	wait "$_pid" || _rc=$?
	trap - INT TERM HUP
	_t=$(($(date +%s) - _t0))
	# shellcheck disable=SC1090
	. "$STATE"
	if [ "$_rc" -ne 0 ]; then
		echo "!!! [$_name] FAILED after ${_t}s (exit $_rc); log: $_log"
		echo "--- last lines of $_log:"
		tail -n 25 "$_log" | sed 's/^/    /'
		echo "---"
		exit 1
	fi
	echo "<== [$_name] done in ${_t}s"
}

# A process and its descendants.
proc_tree()
{
	echo "$1"
	for _c in $(ps -o pid= --ppid "$1"); do
		proc_tree "$_c"
	done
}

# step_interrupted SIGNAL STATUS: end the running step's processes (a
# build, QEMU; they ignore SIGINT, see step()), name the step and exit.
step_interrupted()
{
	trap '' INT TERM HUP
	_pids=$(proc_tree "$_pid")
	# shellcheck disable=SC2086
	kill $_pids 2>/dev/null || true
	sleep 1
	# shellcheck disable=SC2086
	kill -KILL $_pids 2>/dev/null || true
	echo "!!! [$_name] interrupted by SIG$1 after $(($(date +%s) - _t0))s; log: $_log"
	exit "$2"
}

# lock FD FILE: hold the lock FILE on file descriptor FD until the script
# exits (or unlock); while another run holds it, say so and wait.  A lock
# that a calling script holds (SYSVM_LOCKS) is not taken again: a nested
# script (check runs vmtest...) would wait for its parent forever.
lock()
{
	case "${SYSVM_LOCKS:-} " in
	*" $2 "*) return 0 ;;
	esac
	mkdir -p "$(dirname "$2")"
	eval "exec $1>>\"\$2\""
	if ! flock -n "$1"; then
		echo "    waiting for $2, held by another run ($(cat "$2"))" >&3
		# Without the other locks' descriptors: a wait left behind by
		# a killed run must not keep them held.
		eval "flock $1 $(for _f in 7 8 9; do
			[ "$_f" = "$1" ] || printf '%s>&- ' "$_f"; done)"
	fi
	echo "pid $$, $RUN_DIR" >"$2"
	SYSVM_LOCKS="${SYSVM_LOCKS:-} $2"
	export SYSVM_LOCKS
}

# unlock FD FILE
unlock()
{
	eval "exec $1>&-"
	SYSVM_LOCKS=${SYSVM_LOCKS%%" $2"*}${SYSVM_LOCKS#*" $2"}
}

sha256()
{
	sha256sum "$@" | cut -d' ' -f1
}

# Patches of the series, in order, without the cover letter (also with a
# format-patch -v prefix: v2-0000-cover-letter.patch).
series_patches()
{
	[ -d "$PATCHES" ] || return 0
	find "$PATCHES" -maxdepth 1 -name '*.patch' \
		! -name '*0000-cover-letter.patch' | LC_ALL=C sort
}

# The same in a file, for "while read -r p; do ...; done <"$(series_list)"":
# the paths may hold blanks.
series_list()
{
	series_patches >"$RUN_DIR/series.txt"
	echo "$RUN_DIR/series.txt"
}

series_sha()
{
	series_patches | xargs -r -d '\n' cat | sha256sum | cut -d' ' -f1
}

kmake()
{
	$MAKE -C "$TREE" O="$OUT" ARCH="$KARCH" "$@"
}

# The one summary line; labelled (and counted in SYSVM_COUNTS) when run
# as a part of scripts/check.
summary()
{
	printf '%s%d passed, %d failed, %d skipped\n' \
		"${SYSVM_LABEL:+$SYSVM_LABEL: }" "$1" "$2" "$3"
	[ -z "${SYSVM_COUNTS:-}" ] || echo "$1 $2 $3" >>"$SYSVM_COUNTS"
	[ "$2" -eq 0 ]
}
