#!/bin/bash
# bench/history_growth.sh - does a no-op run get slower as the run history
# (WORKDIR/runs.jsonl) grows?  (issue 11 item 7, noop2.)  A few photos,
# a cold run, then R no-op runs; the wall time of the first and the last
# BATCH of them (medians).  With an axle that parses the whole history at
# every run the last batch is slower by a time that grows with R; with one
# that reads the history's end they are alike.
#
# usage: bench/history_growth.sh [--build DIR] [--runs R] [--batch B]
#                                [--results DIR]
#
#   --build DIR   the build folder to measure (default: the installed axle)
#   --runs R      no-op runs (600)
#   --batch B     runs in the first and in the last batch (20)
#
# Prints the two medians and the history's size.  A benchmark, never part
# of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
build='' runs=600 batch=20 results=''
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift ;;
    --runs) runs=$2; shift ;;
    --batch) batch=$2; shift ;;
    --results) results=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ "$runs" -ge $((2 * batch)) ] || die "--runs must be at least twice --batch"
use_build "$build"
[ -n "$BUILD" ] && export LD_LIBRARY_PATH=$BUILD/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
results=${results:-$BENCH_DIR/.results/history-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results/photos"
results=$(cd "$results" && pwd)
say "making 20 small JPEGs in $results/photos"
"$PY" "$BENCH_DIR/make_corpus.py" --tiny 20 --out "$results/photos" > /dev/null
cd "$results"
run() { "$AXLE" run "$SRC_DIR/pipelines/thumbnails.yaml" input=photos > run.out 2>&1 ||
            die "axle failed: see $results/run.out"; }
run
: > first.wall
: > last.wall
for r in $(seq 1 "$runs"); do
    t0=$(now)
    run
    t=$(seconds_since "$t0")
    [ "$r" -le "$batch" ] && echo "$t" >> first.wall
    [ "$r" -gt $((runs - batch)) ] && echo "$t" >> last.wall
    grep -q "0 built, 4 reused" run.out || die "no-op run $r built something"
done
echo "axle: $AXLE; 20 photos; $runs no-op runs"
echo "no-op wall, median of runs 1-$batch: $(median < first.wall) s"
echo "no-op wall, median of the last $batch: $(median < last.wall) s"
echo "run history: $(wc -l < axle-work/runs.jsonl) lines, $(wc -c < axle-work/runs.jsonl) bytes"
