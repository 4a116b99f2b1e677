#!/bin/bash
# compaction.sh - the run at a chain's 16-link limit against a cold run
# and an ordinary incremental run (issue 11 item 2: compaction without a
# cold build).
#
#   bench/compaction.sh [--build DIR] [--images N] [--add K] [--size WxH] [--photo WxH]
#
# Makes N photos (bench/make_corpus.py, default 1000 of 1920x1080), runs
# pipelines/thumbnails.yaml's steps cold on them, then on one workdir adds
# K photos per run (default 1% of N) for 16 runs: runs 1-15 grow the chain
# to 16 links, run 16 is at the limit (once a cold build; now built on an
# older job of the chain).  Prints each kind of run's CPU (user + sys of
# the core and every job, /usr/bin/time) and its share of the cold run's,
# the CPU a cold build on the final folder takes (what the limit used to
# cost), and the compaction's cost per run amortised over the 17 runs of
# a chain either way.  The exported files are compared with that cold run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

build= images=1000 add= size=640x338 photo=1920x1080
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --add) add=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --photo) photo=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
done
use_build "$build"
add=${add:-$(( (images + 99) / 100 ))}
runs=16

chain_workdir compaction "$photo" $((images + runs * add)) "$images" "$size"

# run NAME [wd=...]: one run, its CPU seconds into $cpu
run() {
    local name=$1; shift
    timed "$work/$name.time" "$AXLE" run "$work/p.yaml" "$@" >"$work/$name.out" \
        2>"$work/$name.err" || { cat "$work/$name.err" >&2; die "run $name failed"; }
    cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$work/$name.time")
}
line() { # line WHAT CPU
    awk -v w="$1" -v c="$2" -v cold="$cold_cpu" \
        'BEGIN { printf "%-44s cpu %7.2f s  %6.2f%% of cold\n", w, c, 100 * c / cold }'
}

echo "photos: $images of $photo, +$add a run, thumbnails $size, slices $NPROC; CPU = user + sys"
run cold
cold_cpu=$cpu
line "cold run" "$cpu"
inc_sum=0
for r in $(seq 1 $runs); do
    for f in "${all[@]:$((images + (r - 1) * add)):$add}"; do cp "$corpus/jpeg/$f" "$work/in/"; done
    run r$r
    [ "$r" -lt "$runs" ] && inc_sum=$(awk -v a="$inc_sum" -v c="$cpu" 'BEGIN { print a + c }')
done
inc=$(awk -v a="$inc_sum" -v n=$((runs - 1)) 'BEGIN { printf "%.2f", a / n }')
line "incremental run (+$add, mean of $((runs - 1)))" "$inc"
compaction=$cpu
line "run at the limit (+$add): compaction" "$compaction"
grep '^import' "$work/r$runs.out" | sed 's/.*(built/  (built/' | cut -c1-100
run final wd=cold
line "cold build on the final folder (before)" "$cpu"
awk -v c="$compaction" -v cold="$cpu" -v inc="$inc" -v ref="$cold_cpu" -v n=$((runs + 1)) 'BEGIN {
    printf "extra cost of the compaction per run over a chain of %d runs: %.2f%% of cold (a cold build at the limit: %.2f%%)\n",
        n, 100 * (c - inc) / n / ref, 100 * (cold - inc) / n / ref }'
if diff -r "$work/wd/latest/export/output" "$work/cold/latest/export/output" >/dev/null; then
    echo "exported files: the same bytes as a cold run on the final folder"
else
    echo "exported files: DIFFER from a cold run on the final folder"
fi
