#!/bin/bash
# bench/mpi_overhead.sh - what `axle run --mpi` costs on one host against a
# plain run, the same work and slice count (issue 16):
#   a) starting: a pipeline whose jobs are all reused, plain against
#      `mpirun -n P ... --mpi` (the launcher, MPI_Init, the ranks' check of
#      each other's libraries);
#   b) per job: K empty jobs (bench/empty_method.c), built against reused,
#      plain and under --mpi; per job = (built - reused) / K, which adds
#      the messages and the other ranks' second prepare;
#   c) work: pipelines/thumbnails.yaml on N small JPEGs, first run, plain
#      and under --mpi.
#
# usage: bench/mpi_overhead.sh --build DIR [--ranks P] [--runs R] [--jobs K]
#                              [--images N] [--results DIR]
#
#   --build DIR   the build folder (core/axle built with MPI, plugins/.libs)
#   --ranks P     MPI ranks (default: online CPUs, at least 2)
#   --runs R      timed repetitions of each figure (5); medians shown
#   --jobs K      empty jobs in b) (20)
#   --images N    64x48 JPEGs in c) (2000), made in the results folder
#
# Slices are the online CPUs in every run.  A benchmark, never part of
# `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

build='' ranks=$NPROC runs=5 jobs=20 images=2000 results=''
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift ;;
    --ranks) ranks=$2; shift ;;
    --runs) runs=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --images) images=$2; shift ;;
    --results) results=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ -n "$build" ] || die "--build DIR is needed"
use_build "$build"
[ "$ranks" -ge 2 ] || ranks=2
MPIRUN=$(command -v mpirun) || die "no mpirun (apt-get install openmpi-bin)"
mpi=("$MPIRUN" --oversubscribe --allow-run-as-root -n "$ranks")
"$AXLE" run --help | grep -q -- --mpi || die "$AXLE has no --mpi"

results=${results:-$BENCH_DIR/.results/mpi-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results"
results=$(cd "$results" && pwd)
scratch=$results/scratch
rm -rf "$scratch"
mkdir -p "$scratch"
summary=$results/summary.md
: > "$summary"
out() { echo "$*" | tee -a "$summary"; }

# time_run LOG CMD...: wall seconds of CMD (in the current folder).
time_run() {
    local log=$1 t0; shift
    t0=$(now)
    "$@" > "$log.out" 2> "$log.err" || die "failed: $* (see $log.err)"
    seconds_since "$t0"
}
counts() { sed -n 's/^[0-9]* jobs: \([0-9]*\) built, \([0-9]*\) reused.*/\1 \2/p' "$1.out"; }
stats() { # seconds on stdin -> "median (min–max)" in ms
    sort -g | awk '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f ms (%.1f–%.1f)\n", m * 1000, v[1] * 1000, v[NR] * 1000 }'
}
median_of() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

out "# axle --mpi overhead, $(date -u '+%Y-%m-%d %H:%M UTC')"
out ""
out "axle: $AXLE; $NPROC slices; $ranks ranks ($("$MPIRUN" --version | head -1)); $runs runs per figure (median, min–max)"
out ""

# ---- b) and a): K empty jobs, built then reused ---------------------------
dir=$scratch/empty
mkdir -p "$dir"
cc_build "$dir/empty_method.so" "$BENCH_DIR/empty_method.c" -shared -fPIC -I"$SRC_DIR/sdk" \
    -L"$BUILD/lib/.libs" -laxle -Wl,-rpath,"$BUILD/lib/.libs"
{
    echo "# $jobs empty jobs; nonce=N gives them all new identities"
    echo "params: {nonce: 0}"
    echo "jobs:"
    for i in $(seq 1 "$jobs"); do
        # shellcheck disable=SC2016 # ${nonce} is for axle, not the shell
        printf '  e%02d:\n    method: ./empty_method.so\n    options: {label: "${nonce}-%d"}\n' "$i" "$i"
    done
} > "$dir/empty.yaml"
# Plain and --mpi runs alternate, so that a machine slowing down (other
# work, the page cache filling) weighs on both alike.
say "a, b) $jobs empty jobs, plain and --mpi in turn, $runs times each"
for r in $(seq 1 "$runs"); do
    for how in plain mpi; do
        if [ $how = plain ]; then run=("$AXLE" run empty.yaml); else run=("${mpi[@]}" "$AXLE" run empty.yaml --mpi); fi
        b=$(cd "$dir" && time_run "$results/$how-built-$r" "${run[@]}" --slices "$NPROC" nonce="$how$r")
        [ "$(counts "$results/$how-built-$r")" = "$jobs 0" ] || die "not all built: $results/$how-built-$r.out"
        u=$(cd "$dir" && time_run "$results/$how-reused-$r" "${run[@]}" --slices "$NPROC" nonce="$how$r")
        [ "$(counts "$results/$how-reused-$r")" = "0 $jobs" ] || die "not all reused: $results/$how-reused-$r.out"
        echo "$b $u" >> "$scratch/$how-times"
    done
done
per_job() { awk -v k="$jobs" '{ print ($1 - $2) / k }' "$scratch/$1-times"; }
out "| measure | plain | --mpi, $ranks ranks |"
out "| --- | ---: | ---: |"
out "| a) $jobs jobs, all reused (start-up) | $(awk '{ print $2 }' "$scratch/plain-times" | stats) | $(awk '{ print $2 }' "$scratch/mpi-times" | stats) |"
out "| b) per empty job: (built - reused) / $jobs | $(per_job plain | stats) | $(per_job mpi | stats) |"

# ---- c) the thumbnail pipeline on N small JPEGs -----------------------------
photos=$scratch/photos
say "c) making $images small JPEGs"
"$PY" "$BENCH_DIR/make_corpus.py" --tiny "$images" --out "$photos" > /dev/null
say "c) thumbnails of $images images, plain and --mpi in turn, $runs times each"
for r in $(seq 1 "$runs"); do
    for how in plain mpi; do
        d=$scratch/thumbs-$how-$r
        mkdir -p "$d"
        if [ $how = plain ]; then run=("$AXLE" run "$SRC_DIR/pipelines/thumbnails.yaml");
        else run=("${mpi[@]}" "$AXLE" run "$SRC_DIR/pipelines/thumbnails.yaml" --mpi); fi
        t=$(cd "$d" && time_run "$results/thumbs-$how-$r" "${run[@]}" --slices "$NPROC" input="$photos")
        echo "$t" >> "$scratch/thumbs-$how"
        rm -rf "$d"
    done
done
out "| c) thumbnails.yaml on $images 64x48 JPEGs, first run | $(stats < "$scratch/thumbs-plain") | $(stats < "$scratch/thumbs-mpi") |"
out ""
out "Results and logs: $results"
