#!/bin/bash
# bench/scale.sh - axle at 100,000 images (issue 11 item 7, issue 12's
# small images): the thumbnail pipeline on N tiny JPEGs, cold, then
# re-run with nothing changed (every step reused), then with one exported
# file removed, so that the export alone runs again, under `strace -c -f`
# (system calls per exported file); and a no-op run under strace, whose
# stat calls per photo are the no-op's floor.
#
# usage: bench/scale.sh [--build DIR] [--count N] [--runs R] [--no-strace]
#                       [--photo-size WxH] [--results DIR]
#
#   --build DIR   the build folder to measure (default: the installed axle)
#   --count N     images (100000): 1,000 different 64x48 JPEGs made once in
#                 bench/.corpus-tiny, hard-linked into folders of 1,000
#   --photo-size WxH  the 1,000 JPEGs' size (64x48), made once in
#                 bench/.corpus-tiny-WxH for a size other than 64x48
#   --runs R      timed no-op re-runs (5); the median is shown
#   --no-strace   leave out the export under strace (which an axle that
#                 reads job.json a byte per call makes take many minutes)
#
# Prints: cold run CPU (user + system of every process) and wall time; the
# no-op re-run's wall time, CPU and the core's maximum RSS (a re-run forks
# no job, so /usr/bin/time's figure is the core's); the export's system
# calls per file.  The targets: no-op < 0.2 s, core memory flat in N.
# A benchmark, never part of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
build='' count=100000 runs=5 results='' use_strace=1 photo_size=64x48
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift ;;
    --count) count=$2; shift ;;
    --runs) runs=$2; shift ;;
    --photo-size) photo_size=$2; shift ;;
    --no-strace) use_strace=0 ;;
    --results) results=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
use_build "$build"
[ -n "$BUILD" ] && export LD_LIBRARY_PATH=$BUILD/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
results=${results:-$BENCH_DIR/.results/scale-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results"
results=$(cd "$results" && pwd)
summary=$results/summary.md
: > "$summary"
out() { echo "$*" | tee -a "$summary"; }

# ---- the corpus: N links to 1,000 small JPEGs, 1,000 a folder ----------
tinydir=$BENCH_DIR/.corpus-tiny
[ "$photo_size" = 64x48 ] || tinydir=$tinydir-$photo_size
have=$( (find "$tinydir" -maxdepth 1 -name '*.jpg' 2> /dev/null || true) | wc -l)
if [ "$have" -lt 1000 ]; then
    say "making 1000 small JPEGs in $tinydir"
    "$PY" "$BENCH_DIR/make_corpus.py" --tiny 1000 --tiny-size "$photo_size" --out "$tinydir"
fi
mapfile -t base < <(find "$tinydir" -maxdepth 1 -name '*.jpg' | LC_ALL=C sort | head -1000)
corpus=$results/corpus
folders=$(( (count + 999) / 1000 ))
say "linking $count images into $corpus ($folders folders)"
for ((f = 0; f < folders; f++)); do
    dir=$(printf '%s/d%04d' "$corpus" "$f")
    mkdir -p "$dir"
    take=$(( count - f * 1000 < 1000 ? count - f * 1000 : 1000 ))
    ln "${base[@]:0:$take}" "$dir/"
done

pipeline=$SRC_DIR/pipelines/thumbnails.yaml
work=$results/work
mkdir -p "$work"
run_axle() {  # run_axle LOG [PARAM=VALUE...]: the pipeline, timed
    local log=$1; shift
    (cd "$work" && timed "$log.time" "$AXLE" run "$pipeline" input="$corpus" "$@" \
        > "$log.out" 2> "$log.err") || die "axle failed: see $log.err"
}
cpu() { awk '{ printf "%.2f", $1 + $2 }' "$1.time"; }
rss_mb() { awk '{ printf "%.1f", $3 / 1024 }' "$1.time"; }

say "cold run on $count images"
t0=$(now)
run_axle "$results/cold"
cold_wall=$(seconds_since "$t0")
grep -q "4 jobs: 4 built" "$results/cold.out" || die "the cold run did not build 4 jobs"

: > "$results/noop.wall"
for r in $(seq 1 "$runs"); do
    t0=$(now)
    run_axle "$results/noop-$r"
    seconds_since "$t0" >> "$results/noop.wall"
    echo >> "$results/noop.wall"
    grep -q "0 built, 4 reused" "$results/noop-$r.out" || die "re-run $r built something"
done
noop=$(grep . "$results/noop.wall" | median)
noop_cpu=$(for r in $(seq 1 "$runs"); do cpu "$results/noop-$r"; echo; done | median)
noop_rss=$(for r in $(seq 1 "$runs"); do rss_mb "$results/noop-$r"; echo; done | median)

noop_calls=''
if [ "$use_strace" = 1 ] && command -v strace > /dev/null; then
    # noop2: the no-op's system calls, the robust figure on a loaded machine
    say "a no-op run under strace -c -f"
    (cd "$work" && strace -c -f -o "$results/noop.strace" "$AXLE" run "$pipeline" \
        input="$corpus" > "$results/noop-strace.out" 2>&1) || die "the no-op under strace failed"
    noop_calls=$(awk -v n="$count" '
        $NF == "newfstatat" || $NF == "statx" || $NF == "stat" || $NF == "lstat" { st += $4 }
        $NF == "total" { all = $4 }
        END { printf "%d in all, %d stat (%.2f a photo)", all, st, st / n }' "$results/noop.strace")
fi

export_line=''
if [ "$use_strace" = 1 ] && command -v strace > /dev/null; then
    # One exported file removed: the export alone is built again, whole.
    say "the export again (one of its files removed) under strace -c -f"
    rm -f "$(find "$work/axle-work/latest/export/" -name '*.jpg' -print -quit)"
    (cd "$work" && strace -c -f -o "$results/export.strace" "$AXLE" run "$pipeline" \
        input="$corpus" > "$results/export.out" 2> "$results/export.err") || true
    if grep -q "1 built" "$results/export.out" 2> /dev/null; then
        # calls is the 4th column whether or not the errors column is empty
        export_line=$(awk -v n="$count" '
            $NF == "mkdir" || $NF == "mkdirat" { mk += $4 }
            $NF ~ /^(openat|renameat|write|close|getrandom|mkdir|mkdirat)$/ { w += $4 }
            $NF == "newfstatat" || $NF == "statx" || $NF == "stat" { st += $4 }
            $NF == "total" { all = $4 }
            END { printf "%.1f system calls per file in all (%.1f creating files, %.1f stat, %.2f mkdir)",
                  all / n, w / n, st / n, mk / n }' "$results/export.strace")
    fi
fi

out "# axle at scale, $(date -u '+%Y-%m-%d %H:%M UTC')"
out ""
out "axle: $AXLE; $NPROC slices; $count images of $photo_size in $folders folders; $runs no-op runs (median)"
out ""
out "| measure | value |"
out "| --- | ---: |"
out "| cold run, CPU (user + system, all processes) | $(cpu "$results/cold") s |"
out "| cold run, wall | $(printf '%.1f' "$cold_wall") s |"
out "| no-op re-run, wall | $(printf '%.3f' "$noop") s |"
out "| no-op re-run, CPU | $noop_cpu s |"
out "| no-op re-run, core max RSS | $noop_rss MB |"
[ -n "$noop_calls" ] && out "| no-op re-run, system calls (strace -c -f) | $noop_calls |"
[ -n "$export_line" ] && out "| export of $count files (strace -c -f) | $export_line |"
out "| target | no-op < 0.2 s: $(awk -v m="$noop" 'BEGIN { print (m < 0.2 ? "met" : sprintf("missed by %.0f ms", (m - 0.2) * 1000)) }') |"
out ""
out "Steps of the last no-op run:"
out ""
sed 's/^/    /' "$results/noop-$runs.out" | tee -a "$summary"
say "logs and summary.md in $results"
