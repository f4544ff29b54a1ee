# SPDX-License-Identifier: GPL-2.0
#
# Charts for scripts/bench.  Called as
#   gnuplot -e "dir='DIR'; runs=N" scripts/bench-plot.gp
# with OUTDIR holding the tables scripts/bench pivoted out of results.csv
# (one row per mechanism, one column per run, "?" where there is no value):
#   ns.dat        median ns per call
#   ratio.dat     ratio to PTRACE_SYSCALL on the same kernel
#   slowdown.dat  file-tree copy time over the untraced copy
# N is the number of runs (columns after the first), the same in all three.

set terminal pngcairo size 2400,900 font "Sans,10"
set termoption noenhanced
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9 relative
set xtics rotate by 30 right nomirror
set grid ytics
set key top left autotitle columnhead
set bmargin 9
set offsets graph 0, graph 0, graph 0.12, graph 0

# x of the bar for column c (2..k+1) of k in cluster i (row 0, 1, ...)
bx(i, c, k) = i + (c - 2 - (k - 1) / 2.0) / (k + 1.0)

set output dir . "/ns-per-call.png"
set title "Cost of one intercepted getppid() per mechanism (median ns/call, log scale)\n" . \
	"TCG: emulation time, only ratios mean anything; -icount: instructions per call; n/a: no bar"
set ylabel "ns per call (log)"
set logscale y
set yrange [*:*]
plot for [c=2:runs + 1] dir . "/ns.dat" using c:xtic(1), \
     for [c=2:runs + 1] dir . "/ns.dat" using (bx($0, c, runs)):(column(c)):\
	(sprintf("%.0f", column(c))) with labels rotate by 90 left \
	offset 0,0.3 font "Sans,7" notitle

unset logscale y
set output dir . "/ratios.png"
set multiplot layout 1,2 title "Ratios (meaningful under TCG too)"
set title "per call, relative to PTRACE_SYSCALL on the same kernel\n" . \
	"target: SYSVM SKIPEXIT <= 0.6"
set ylabel "x PTRACE_SYSCALL"
set key top right
set yrange [0:*]
set arrow 1 from graph 0, first 0.6 to graph 1, first 0.6 nohead \
	dashtype 2 lc rgb "red"
set arrow 2 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "gray40"
plot for [c=2:runs + 1] dir . "/ratio.dat" using c:xtic(1), \
     for [c=2:runs + 1] dir . "/ratio.dat" using (bx($0, c, runs)):(column(c)):\
	(sprintf("%.2f", column(c))) with labels rotate by 90 left \
	offset 0,0.3 font "Sans,7" notitle
unset arrow 1
set arrow 2 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "gray40"
set title "file-tree copy: time relative to the untraced copy"
set ylabel "slowdown (x untraced)"
plot for [c=2:runs + 1] dir . "/slowdown.dat" using c:xtic(1), \
     for [c=2:runs + 1] dir . "/slowdown.dat" using (bx($0, c, runs)):(column(c)):\
	(sprintf("%.2f", column(c))) with labels rotate by 90 left \
	offset 0,0.3 font "Sans,7" notitle
unset multiplot
