#!/bin/bash
# chains.sh - incremental runs against a cold run (issue 11 item 7's
# targets: adding 1% of the photos costs at most 3% of a cold run's CPU;
# touching, changing or removing one at most 1%).
#
#   bench/chains.sh [--build DIR] [--images N] [--size WxH] [--photo WxH]
#
# Makes N photos (bench/make_corpus.py, default 200 of 1920x1080), runs
# pipelines/thumbnails.yaml cold on them, then on one workdir: adds 1%
# more, touches one, changes one (another photo's bytes), removes one;
# each run's CPU (user + sys of the core and every job, /usr/bin/time)
# and wall time, and its share of the cold run's CPU, are printed.  A
# last cold run on the final folder checks that the exported files are
# the same bytes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

build= images=200 size=640x338 photo=1920x1080
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --photo) photo=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
done
use_build "$build"

add=$(( (images + 99) / 100 ))
chain_workdir chains "$photo" $((images + add + 1)) "$images" "$size"

# run NAME [wd=...]: one run, its CPU seconds into $cpu
run() {
    local name=$1; shift
    local t0; t0=$(now)
    timed "$work/$name.time" "$AXLE" run "$work/p.yaml" "$@" >"$work/$name.out" \
        2>"$work/$name.err" || { cat "$work/$name.err" >&2; die "run $name failed"; }
    wall=$(seconds_since "$t0")
    cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$work/$name.time")
}
report() { # report WHAT
    awk -v w="$1" -v c="$cpu" -v t="$wall" -v cold="$cold_cpu" -v n="$(grep -c 'built incrementally' "$work/$2.out" || true)" \
        'BEGIN { printf "%-26s cpu %7.2f s  wall %7.2f s  %6.2f%% of cold  (%d steps incremental)\n", w, c, t, 100 * c / cold, n }'
}

echo "photos: $images of $photo, thumbnails $size, slices $NPROC"
run cold
cold_cpu=$cpu
awk -v c="$cpu" -v t="$wall" 'BEGIN { printf "%-26s cpu %7.2f s  wall %7.2f s\n", "cold run", c, t }'

for f in "${all[@]:$images:$add}"; do cp "$corpus/jpeg/$f" "$work/in/"; done
run add; report "add $add (1%)" add
touch "$work/in/${all[0]}"
run touch; report "touch one" touch
cp "$corpus/jpeg/${all[$((images + add))]}" "$work/in/${all[1]}"
run change; report "change one" change
rm "$work/in/${all[2]}"
run remove; report "remove one" remove
run noop; report "no change (all reused)" noop

run final wd=cold
if diff -r "$work/wd/latest/export/output" "$work/cold/latest/export/output" >/dev/null; then
    echo "exported files: the same bytes as a cold run on the final folder"
else
    echo "exported files: DIFFER from a cold run on the final folder"
fi
