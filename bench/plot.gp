# Charts of a bench/run.sh run. Called by run.sh:
#   gnuplot -e "work='<dir with bars.dat, throughput.dat>'; out='<results dir>'; ncol=N; ntp=M; subtitle='...'" bench/plot.gp
# bench.png:      median us per operation, per peer, per scenario (log scale)
# (work/colors_*.gp, written by lib/bench.php, give each peer its color)
# throughput.png: total ops/s against concurrent processes

if (!exists("work")) work = "."
if (!exists("out")) out = "."
if (!exists("ncol")) ncol = 7
if (!exists("ntp")) ntp = 4
if (!exists("subtitle")) subtitle = ""

set datafile missing "NaN"
if (ncol > 0) {
    load work."/colors_bars.gp"
    set terminal pngcairo size 1400,700 enhanced font "DejaVu Sans,11"
    set output out."/bench.png"
    set title "slotlock vs peers: median wall time per operation (lower is better)\n{/*0.8 ".subtitle."}"
    set style data histograms
    set style histogram clustered gap 1
    set style fill solid 0.9 border -1
    set boxwidth 0.9
    set logscale y
    set format y "%g"
    set ylabel "µs per operation (log scale)"
    set xlabel "scenario (acquire + release; k = compound segments; any-of-8 = 7 candidates taken)" noenhanced
    set grid ytics mytics
    set key outside right top vertical Left reverse noenhanced
    set xtics nomirror noenhanced
    set yrange [*:*]
    plot for [i=2:ncol+1] work."/bars.dat" using i:xtic(1) title columnheader(i)
}

if (ntp > 0) {
    load work."/colors_tp.gp"
    set terminal pngcairo size 1000,600 enhanced font "DejaVu Sans,11"
    set output out."/throughput.png"
    unset logscale
    set style data linespoints
    set title "Throughput: total acquire+release pairs/s against concurrent processes (higher is better)\n{/*0.8 ".subtitle."}"
    set logscale x 2
    set xtics (1, 2, 4, 8, 16, 32, 64, 128)
    set xlabel "concurrent processes (pcntl_fork; each on its own slot; one Redis)" noenhanced
    set xrange [0.8:80]
    set ylabel "pairs/s, all processes"
    set yrange [0:*]
    set format y "%.0f"
    set key inside right bottom noenhanced
    set grid xtics ytics
    plot for [i=2:ntp+1] work."/throughput.dat" using 1:i title columnheader(i) lw 2 pt 7
}
