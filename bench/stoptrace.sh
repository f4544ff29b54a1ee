#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# stoptrace.sh MODE CPUS funcs|graph [K]: in the guest of the ftrace
# kernel (bench/ftrace.config), record K (default 2) intercepted calls of
# /stoptrace (bench/stoptrace.c) after 2000 untraced ones, with the
# scheduler's events and either the key functions of a stop with their
# durations (funcs) or the whole call graph of both sides (graph).
# bench/README-analysis.md has the commands and what they showed.
set -eu
T=/sys/kernel/tracing
[ -e $T/tracing_on ] || mount -t tracefs nodev $T
echo 0 >$T/tracing_on
echo nop >$T/current_tracer
echo 16384 >$T/buffer_size_kb
: >$T/trace
: >$T/set_ftrace_filter
: >$T/set_graph_function
for e in sched/sched_switch sched/sched_waking sched/sched_wakeup \
	sched/sched_wait_task sched/sched_migrate_task power/cpu_idle \
	irq_vectors/reschedule_entry irq_vectors/call_function_single_entry; do
	[ ! -e $T/events/$e/enable ] || echo 1 >$T/events/$e/enable
done
case $3 in
funcs)
	# Functions a ptrace stop or a USER_NOTIF round trip goes through;
	# each one timed (function_graph), none of their callees.
	for f in ptrace_notify ptrace_stop do_notify_parent_cldstop \
		__wake_up_parent __wake_up_sync_key __x64_sys_wait4 do_wait \
		__do_wait wait_consider_task __x64_sys_ptrace \
		ptrace_check_attach wait_task_inactive ptrace_request \
		arch_ptrace wake_up_state wake_up_state_on_current_cpu \
		__wake_up_on_current_cpu try_to_wake_up ttwu_queue_wakelist \
		select_task_rq_fair schedule schedule_idle \
		seccomp_notify_ioctl __x64_sys_write; do
		echo "$f" >>$T/set_ftrace_filter 2>/dev/null ||
			echo "stoptrace.sh: no function $f to trace"
	done ;;
graph)
	echo do_syscall_64 >$T/set_graph_function ;;
*)
	echo "usage: $0 sysvm|sysemu|notif|notif-sync 0|1|2 funcs|graph [K]" >&2
	exit 2 ;;
esac
echo function_graph >$T/current_tracer
echo funcgraph-proc >$T/trace_options
echo funcgraph-abstime >$T/trace_options
/stoptrace "$1" "$2" 2000 "${4:-2}"
echo "--- trace ($1, $2 CPU(s), $3)"
cat $T/trace
