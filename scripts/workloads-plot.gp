# SPDX-License-Identifier: GPL-2.0
#
# Chart of scripts/sample-test --bench (make bench), called as
#   gnuplot -e "dir='DIR'" scripts/workloads-plot.gp
# DIR/workloads.dat: a header "workload MODE...", then a row per workload
# and run (timed TCG, -icount) with each mode's time over the untraced one.

set terminal pngcairo size 1200,600 font "Sans,10"
set termoption noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9 relative
set xtics rotate by 20 right nomirror
set grid ytics
set key top left autotitle columnhead
set yrange [0:*]
set offsets graph 0, graph 0, graph 0.1, graph 0
set output dir . "/workloads.png"
set title "Real programs under samples/ptrace/sysvm-pvm: time relative to untraced\n" . \
	"tcg: wall time under TCG; icount: instructions (-icount shift=0)"
set ylabel "x untraced"
n = system("head -n 1 '" . dir . "/workloads.dat' | wc -w") - 1
bx(i, c, k) = i + (c - 2 - (k - 1) / 2.0) / (k + 1.0)
plot for [c=2:n + 1] dir . "/workloads.dat" using c:xtic(1), \
     for [c=2:n + 1] dir . "/workloads.dat" using (bx($0, c, n)):(column(c)):\
	(sprintf("%.2f", column(c))) with labels offset 0,0.6 font "Sans,8" notitle
