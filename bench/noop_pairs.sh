#!/bin/bash
# bench/noop_pairs.sh - a no-op re-run at N photos, two builds compared in
# interleaved pairs (issue 11 item 7, overlap): wall, user and system time
# of each; with --touch also a run after one photo was touched (the early
# checks' cost when the first step is not reused).
#
# usage: bench/noop_pairs.sh --before DIR --after DIR [--count N]
#                            [--pairs P] [--rt] [--touch] [--results DIR]
#
#   --before DIR, --after DIR   the two build folders
#   --count N     photos (100000), bench/scale.sh's corpus of links
#   --pairs P     interleaved pairs (7); the order alternates per pair
#   --rt          each timed run under `chrt -f 10` (root): on a shared,
#                 loaded machine the run's threads then take the CPUs from
#                 other tenants' processes, so its wall time comes near a
#                 quiet machine's (SCHED_FIFO: threads of one priority run
#                 until they block, not time-sliced; a proxy, not the
#                 lead's quiet-machine figure)
#   --touch       per pair also: one photo touched, then each build runs
#                 (both rebuild the import and build on, incrementally)
#
# Each build has its own workdir over the same corpus (bench/scale.sh
# makes the corpus and the --after workdir; the --before workdir gets a
# cold run of its own).  A benchmark, never part of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
before='' after='' count=100000 pairs=7 rt=0 touch_too=0 results=''
while [ $# -gt 0 ]; do
    case $1 in
    --before) before=$2; shift ;;
    --after) after=$2; shift ;;
    --count) count=$2; shift ;;
    --pairs) pairs=$2; shift ;;
    --rt) rt=1 ;;
    --touch) touch_too=1 ;;
    --results) results=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ -n "$before" ] && [ -n "$after" ] || die "--before and --after are required"
before=$(cd "$before" && pwd) after=$(cd "$after" && pwd)
results=${results:-$BENCH_DIR/.results/noop-pairs-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results"
results=$(cd "$results" && pwd)
pre=()
[ "$rt" = 1 ] && pre=(chrt -f 10)

"$BENCH_DIR/scale.sh" --build "$after" --count "$count" --runs 1 --no-strace \
    --results "$results/after" >&2
corpus=$results/after/corpus
pipeline=$SRC_DIR/pipelines/thumbnails.yaml
mkdir -p "$results/before/work"

run_build() {  # run_build before|after LOG: the pipeline with that build, timed
    local which=$1 log=$2 b
    [ "$which" = before ] && b=$before || b=$after
    local t0; t0=$(now)
    (cd "$results/$which/work" &&
        LD_LIBRARY_PATH=$b/lib/.libs AXLE_METHOD_PATH=$b/plugins/.libs \
            "${pre[@]}" /usr/bin/time -f '%e %U %S' -o "$log.time" \
            "$b/core/.libs/axle" run "$pipeline" input="$corpus" > "$log.out" 2> "$log.err") ||
        die "axle failed: see $log.err"
    # the wall time to the millisecond (time's %e has hundredths), with
    # the fork and exec of time itself (about a millisecond)
    local wall; wall=$(seconds_since "$t0")
    awk -v w="$wall" '{ $1 = w; print }' "$log.time" > "$log.time.tmp" && mv "$log.time.tmp" "$log.time"
}
say "cold run of the --before build"
run_build before "$results/before/cold"

victim=$corpus/d0000/$(ls "$corpus/d0000" | sed -n 1p)
for p in $(seq 1 "$pairs"); do
    order="before after"
    [ $((p % 2)) = 0 ] && order="after before"
    for which in $order; do
        run_build "$which" "$results/$which/noop-$p"
        grep -q "0 built, 4 reused" "$results/$which/noop-$p.out" ||
            die "$which: no-op $p built something"
    done
    if [ "$touch_too" = 1 ]; then
        touch "$victim"
        for which in $order; do run_build "$which" "$results/$which/touch-$p"; done
    fi
done

# stats KIND WHICH: "median (min-max)" of wall, CPU (user+sys), user, sys
stats() {
    local col
    for col in wall cpu user sys; do
        for p in $(seq 1 "$pairs"); do
            awk -v c="$col" '{ v = c == "wall" ? $1 : c == "user" ? $2 : c == "sys" ? $3 : $2 + $3
                               printf "%.3f\n", v }' "$results/$2/$1-$p.time"
        done | sort -n | awk '{ v[NR] = $1 } END {
            printf "%.3f (%.3f-%.3f) | ", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'
    done
}
{
    echo "# no-op pairs, $(date -u '+%Y-%m-%d %H:%M UTC'), $count photos, $pairs pairs${pre:+, chrt -f 10}"
    echo
    echo "before: $before; after: $after; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| run | build | wall s | CPU s | user s | sys s |"
    echo "| --- | --- | ---: | ---: | ---: | ---: |"
    for kind in noop touch; do
        [ "$kind" = touch ] && [ "$touch_too" = 0 ] && continue
        for which in before after; do
            echo "| $kind | $which | $(stats "$kind" "$which" | sed 's/ | $//') |"
        done
    done
} | tee "$results/summary.md"
