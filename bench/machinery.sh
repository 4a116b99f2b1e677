#!/bin/bash
# bench/machinery.sh - what axle itself costs, with the work taken away
# (issues 2 and 5):
#   a) a no-op re-run of a 1,000-step pipeline (test_counter steps, each
#      with its own options), flat and as one chain of inputs;
#   b) the cost of an empty 2-slice job: a pipeline of K steps of
#      bench/empty_method.c, all built (new options each run) against the
#      same pipeline all reused; per job = (built - reused) / K;
#   c) a no-op re-run of pipelines/thumbnails.yaml on 10,000 small JPEGs.
#
# usage: bench/machinery.sh --build DIR [--runs R] [--steps N] [--jobs K]
#                           [--tiny N] [--only "a b c"] [--results DIR]
#
#   --build DIR   the build folder (its core/axle, plugins/.libs, lib/.libs
#                 and tests/methods/.libs; test_counter is built if missing)
#   --runs R      timed repetitions of each measurement (5); medians shown
#   --steps N     steps of the long pipeline (1000)
#   --jobs K      empty jobs per pipeline in b) (20)
#   --tiny N      images in c) (10000), made once in bench/.corpus-tiny
#
# A benchmark, never part of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

build='' runs=5 steps=1000 jobs=20 tiny=10000 only="a b c" results=''
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift ;;
    --runs) runs=$2; shift ;;
    --steps) steps=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --tiny) tiny=$2; shift ;;
    --only) only=$2; shift ;;
    --results) results=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ -n "$build" ] || die "--build DIR is needed (the test methods live in a build tree)"
use_build "$build"
[ "$jobs" -ge 2 ] || die "--jobs must be at least 2"

results=${results:-$BENCH_DIR/.results/machinery-$(date +%Y%m%d-%H%M%S)}
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

# summary_counts LOG: "built reused" from axle's summary line.
summary_counts() {
    sed -n 's/^[0-9]* jobs: \([0-9]*\) built, \([0-9]*\) reused.*/\1 \2/p' "$1.out"
}

out "# axle machinery benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
out ""
out "axle: $AXLE; $NPROC slices; $runs timed runs per figure (median, min–max)"
out ""

stats() { # values on stdin -> "median (min–max)" in ms or s
    sort -g | awk -v unit="$1" '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        f = unit == "ms" ? 1000 : 1
        printf "%.1f %s (%.1f–%.1f)\n", m * f, unit, v[1] * f, v[NR] * f }'
}
median_of() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---- a) a no-op re-run of a long pipeline --------------------------------
long_pipeline() { # FILE STEPS chain|flat COUNTER
    {
        echo "# $2 test_counter steps ($3), made by bench/machinery.sh"
        echo "jobs:"
        for i in $(seq 1 "$2"); do
            printf '  s%04d:\n    method: test_counter\n' "$i"
            if [ "$3" = chain ] && [ "$i" -gt 1 ]; then
                printf '    datasets: {source: s%04d}\n' $((i - 1))
            fi
            printf '    options: {counter: "%s", value: %d, label: "step %d"}\n' "$4" $((i % 7 + 1)) "$i"
        done
    } > "$1"
}

if [[ " $only " == *" a "* ]]; then
    counter_so=$BUILD/tests/methods/.libs/test_counter.so
    if [ ! -f "$counter_so" ]; then
        say "building test_counter in $BUILD"
        make -C "$BUILD" -s tests/methods/test_counter.la > /dev/null || die "cannot build test_counter"
    fi
    export AXLE_METHOD_PATH=$BUILD/tests/methods/.libs:$AXLE_METHOD_PATH
    out "## a) no-op re-run of a $steps-step pipeline"
    out ""
    out "| pipeline | first run (builds all) | re-run, all reused |"
    out "| --- | ---: | ---: |"
    for shape in flat chain; do
        dir=$scratch/long-$shape
        mkdir -p "$dir"
        counter=$dir/counter.txt
        long_pipeline "$dir/long.yaml" "$steps" "$shape" "$counter"
        say "a) $shape: first run builds $steps jobs"
        first=$(cd "$dir" && time_run "$results/long-$shape-build" "$AXLE" run long.yaml --slices "$NPROC")
        [ "$(summary_counts "$results/long-$shape-build")" = "$steps 0" ] ||
            die "the first run did not build $steps jobs: $results/long-$shape-build.out"
        lines=$(wc -l < "$counter")
        for r in $(seq 1 "$runs"); do
            (cd "$dir" && time_run "$results/long-$shape-rerun-$r" "$AXLE" run long.yaml --slices "$NPROC")
            echo
            [ "$(summary_counts "$results/long-$shape-rerun-$r")" = "0 $steps" ] ||
                die "a re-run did not reuse all $steps jobs: $results/long-$shape-rerun-$r.out"
        done > "$scratch/times"
        # A reused job runs no method code: the counter file did not grow.
        [ "$(wc -l < "$counter")" = "$lines" ] || die "a re-run ran method code ($counter grew)"
        out "| $steps test_counter steps, $shape | $(printf '%.1f s' "$first") | $(stats ms < "$scratch/times") |"
        rm -rf "$dir/axle-work"
    done
    out ""
fi

# ---- b) the cost of an empty 2-slice job -----------------------------------
if [[ " $only " == *" b "* ]]; then
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
    say "b) $jobs empty jobs, built then reused, $runs times"
    for r in $(seq 1 "$runs"); do
        b=$(cd "$dir" && time_run "$results/empty-built-$r" "$AXLE" run empty.yaml --slices "$NPROC" nonce="$r")
        [ "$(summary_counts "$results/empty-built-$r")" = "$jobs 0" ] || die "not all built: $results/empty-built-$r.out"
        u=$(cd "$dir" && time_run "$results/empty-reused-$r" "$AXLE" run empty.yaml --slices "$NPROC" nonce="$r")
        [ "$(summary_counts "$results/empty-reused-$r")" = "0 $jobs" ] || die "not all reused: $results/empty-reused-$r.out"
        echo "$b $u"
    done > "$scratch/empty-times"
    # What each job measured itself: seconds.total (the job as the core
    # timed it, fork to collected) and the stages inside it; a total well
    # above its stages is time spent waiting in the core, not in the job.
    find "$dir" -name job.json -exec "$PY" -c 'import json, sys
for p in sys.argv[1:]:
    s = json.load(open(p))["seconds"]
    print(s["total"], s["total"] - s["prepare"] - s["analysis"] - s["synthesis"])' {} + > "$scratch/empty-jobs"
    awk '{ print $1 }' "$scratch/empty-jobs" > "$scratch/empty-inner"
    awk '$2 < 0.05 { print $1 }' "$scratch/empty-jobs" > "$scratch/empty-inner-fast"
    slow=$(awk '$2 >= 0.05' "$scratch/empty-jobs" | wc -l)
    all=$(wc -l < "$scratch/empty-jobs")
    built=$(awk '{ print $1 }' "$scratch/empty-times" | median_of)
    reused=$(awk '{ print $2 }' "$scratch/empty-times" | median_of)
    out "## b) an empty 2-slice job"
    out ""
    out "| measure | value |"
    out "| --- | ---: |"
    out "| run of $jobs empty jobs, all built | $(awk '{ print $1 }' "$scratch/empty-times" | stats ms) |"
    out "| same pipeline, all reused | $(awk '{ print $2 }' "$scratch/empty-times" | stats ms) |"
    out "| **per job: (built - reused) / $jobs** | **$(awk -v b="$built" -v u="$reused" -v k="$jobs" 'BEGIN { printf "%.2f ms", (b - u) / k * 1000 }')** |"
    out "| per job, as the core timed it (job.json seconds.total) | $(stats ms < "$scratch/empty-inner") |"
    out "| jobs whose total exceeds their stages by 50 ms or more | $slow of $all |"
    out "| per job, the other jobs (seconds.total) | $( [ -s "$scratch/empty-inner-fast" ] && stats ms < "$scratch/empty-inner-fast" || echo – ) |"
    out ""
fi

# ---- c) a no-op re-run of the thumbnail pipeline on many small images ----
if [[ " $only " == *" c "* ]]; then
    tinydir=$BENCH_DIR/.corpus-tiny
    have=$( (find "$tinydir" -maxdepth 1 -name '*.jpg' 2> /dev/null || true) | wc -l)
    if [ "$have" -lt "$tiny" ]; then
        say "c) making $tiny small JPEGs in $tinydir"
        "$PY" "$BENCH_DIR/make_corpus.py" --tiny "$tiny" --out "$tinydir"
    fi
    set_dir=$tinydir
    if [ "$(find "$tinydir" -maxdepth 1 -name '*.jpg' | wc -l)" -ne "$tiny" ]; then
        set_dir=$scratch/tiny-set
        mkdir -p "$set_dir"
        mapfile -t tiny_files < <(find "$tinydir" -maxdepth 1 -name '*.jpg' | LC_ALL=C sort)
        printf '%s\n' "${tiny_files[@]:0:$tiny}" | xargs -d '\n' ln -t "$set_dir"
    fi
    dir=$scratch/tiny
    mkdir -p "$dir"
    pipeline=$SRC_DIR/pipelines/thumbnails.yaml
    say "c) first run on $tiny images (builds)"
    first=$(cd "$dir" && time_run "$results/tiny-build" "$AXLE" run "$pipeline" --slices "$NPROC" input="$set_dir")
    n=$(sed -n 's/^\([0-9]*\) jobs: \([0-9]*\) built.*/\2/p' "$results/tiny-build.out")
    [ "$n" -ge 1 ] || die "the first run built nothing: $results/tiny-build.out"
    for r in $(seq 1 "$runs"); do
        (cd "$dir" && time_run "$results/tiny-rerun-$r" "$AXLE" run "$pipeline" --slices "$NPROC" input="$set_dir")
        echo
        grep -q ' 0 built' "$results/tiny-rerun-$r.out" || die "a re-run built something: $results/tiny-rerun-$r.out"
    done > "$scratch/times"
    med=$(median_of < "$scratch/times")
    out "## c) no-op re-run of pipelines/thumbnails.yaml on $tiny small JPEGs (64x48)"
    out ""
    out "| measure | value |"
    out "| --- | ---: |"
    out "| first run (import, thumbnails, export, shapes of $tiny images) | $(printf '%.2f s' "$first") |"
    out "| re-run, all reused | $(stats ms < "$scratch/times") |"
    out "| target (issue 5) | < 500 ms: $(awk -v m="$med" 'BEGIN { print (m < 0.5 ? "met" : sprintf("missed by %.0f ms", (m - 0.5) * 1000)) }') |"
    out ""
fi

rm -rf "$scratch"
say "logs and summary.md in $results"
