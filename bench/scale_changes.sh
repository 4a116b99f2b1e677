#!/bin/bash
# bench/scale_changes.sh - small changes at scale (issue 11 item 7):
# touching, changing or removing one photo of N costs at most 1% of a
# cold run's CPU, adding 1% at most 3%.
#
# usage: bench/scale_changes.sh [--build DIR] [--count N] [--strace]
#                               [--photo-size WxH] [--results DIR]
#
# Runs bench/scale.sh (its corpus of N links to 1,000 tiny JPEGs, a cold
# run and one no-op), then on its corpus and workdir: one photo touched,
# one changed (another photo's bytes), one removed, 1% added; each run's
# CPU (user + system of the core and every job, /usr/bin/time) against
# the cold run's, and with --strace each run's system calls (strace -c -f,
# a second workdir state is not needed: strace adds CPU, so the timed
# runs are without it and each strace'd run repeats a change of its own).
# A benchmark, never part of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
build='' count=100000 results='' use_strace=0 photo_size=64x48
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift ;;
    --count) count=$2; shift ;;
    --strace) use_strace=1 ;;
    --photo-size) photo_size=$2; shift ;;
    --results) results=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
results=${results:-$BENCH_DIR/.results/scale-changes-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results"
results=$(cd "$results" && pwd)
"$BENCH_DIR/scale.sh" ${build:+--build "$build"} --count "$count" --runs 1 \
    --photo-size "$photo_size" \
    --no-strace --results "$results" >&2
use_build "$build"
corpus=$results/corpus work=$results/work
pipeline=$SRC_DIR/pipelines/thumbnails.yaml
cpu() { awk '{ printf "%.2f", $1 + $2 }' "$1.time"; }
cold=$(cpu "$results/cold")

run_changed() {  # run_changed NAME: the pipeline timed, then its strace'd twin
    local log=$results/$1
    (cd "$work" && timed "$log.time" "$AXLE" run "$pipeline" input="$corpus" \
        > "$log.out" 2> "$log.err") || die "axle failed: see $log.err"
}
strace_changed() {  # strace_changed NAME: the same kind of change, under strace
    local log=$results/$1-strace
    (cd "$work" && strace -c -f -o "$log.txt" "$AXLE" run "$pipeline" \
        input="$corpus" > "$log.out" 2> "$log.err") || die "axle failed: see $log.err"
}
calls() {  # calls NAME SYSCALL: its count in NAME's strace summary
    awk -v s="$2" '$NF == s { n = $4 } END { print n + 0 }' "$results/$1-strace.txt"
}

# distinct victims, in folders the other changes do not touch
touch_one=$corpus/d0000/$(ls "$corpus/d0000" | sed -n 1p)
change_one=$corpus/d0001/$(ls "$corpus/d0001" | sed -n 1p)
other=$corpus/d0001/$(ls "$corpus/d0001" | sed -n 2p)
remove_one=$corpus/d0002/$(ls "$corpus/d0002" | sed -n 1p)

do_change() {  # do_change KIND [SUFFIX]
    case $1 in
    # the corpus is hard links to 1,000 files: a photo gets an inode of
    # its own (same size and time) before it is touched
    touch) cp -p "$touch_one" "$touch_one.tmp"; mv "$touch_one.tmp" "$touch_one"
           touch "$touch_one" ;;
    change) rm -f "$change_one"; cp "$other" "$change_one"; touch "$change_one" ;;
    remove) rm -f "$remove_one"; remove_one=$corpus/d0002/$(ls "$corpus/d0002" | sed -n 1p) ;;
    add)
        local dir=$corpus/added$2 n=$(( (count + 99) / 100 )) i
        mkdir -p "$dir"
        mapfile -t base < <(ls "$corpus/d0003" | head -1000)
        for ((i = 0; i < n; i++)); do cp "$corpus/d0003/${base[i % ${#base[@]}]}" "$dir/a$i.jpg"; done
        ;;
    esac
}

: > "$results/changes.md"
row() { echo "$*" | tee -a "$results/changes.md"; }
row "# small changes at $count images, $(date -u '+%Y-%m-%d %H:%M UTC')"
row ""
row "axle: $AXLE; cold run CPU $cold s"
row ""
row "| run | CPU s | % of cold | steps built |"
row "| --- | ---: | ---: | --- |"
for kind in touch change remove add; do
    do_change "$kind" 1
    run_changed "$kind"
    c=$(cpu "$results/$kind")
    built=$(grep -cE '^[a-z_]+ +[^ ]+ +built ' "$results/$kind.out" || true)
    row "| $kind | $c | $(awk -v c="$c" -v k="$cold" 'BEGIN { printf "%.2f", 100 * c / k }') | $built |"
done
if [ "$use_strace" = 1 ]; then
    row ""
    row "| run under strace -c -f | newfstatat | link | rename | write | readlink | all |"
    row "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for kind in touch change remove; do
        do_change "$kind" 2
        strace_changed "$kind"
        all=$(awk '$NF == "total" { print $4 }' "$results/$kind-strace.txt")
        row "| $kind | $(calls "$kind" newfstatat) | $(calls "$kind" link) | $(( $(calls "$kind" rename) + $(calls "$kind" renameat) + $(calls "$kind" renameat2) )) | $(calls "$kind" write) | $(calls "$kind" readlink) | $all |"
    done
fi
say "logs and changes.md in $results"
