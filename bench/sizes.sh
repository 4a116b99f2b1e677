#!/bin/bash
# bench/sizes.sh - three thumbnail sizes from one decode (`sizes`) against
# one size, issue 14: the thumbs step of a cold run, on the same corpus.
#
# usage: bench/sizes.sh [--images N] [--corpus DIR] [--runs R] [--build DIR]
#                       [--crop none|centre|entropy|attention]
#
#   --images N   JPEG images of the generated corpus (100)
#   --corpus DIR a folder of your own images, or where the generated corpus
#                is made/reused (bench/.corpus, shared with thumbs.sh)
#   --runs R     repetitions, alternating one size and three (3)
#   --build DIR  measure the axle of a build folder; default: installed
#   --crop MODE  the crop every size uses (none)
#
# One size: size 1024.  Three sizes: size 1024 plus sizes {medium: 512,
# small: 256}.  Prints each run's CPU seconds and the median ratio.
# A benchmark, never part of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

images=100 corpus='' runs=3 build='' crop=none
while [ $# -gt 0 ]; do
    case $1 in
    --images) images=$2; shift ;;
    --corpus) corpus=$2; shift ;;
    --runs) runs=$2; shift ;;
    --build) build=$2; shift ;;
    --crop) crop=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
use_build "$build"

corpus=${corpus:-$BENCH_DIR/.corpus}
if [ -d "$corpus" ] && [ ! -e "$corpus/corpus.json" ]; then
    input=$corpus
else
    "$PY" "$BENCH_DIR/make_corpus.py" --out "$corpus" --count "$images" --webp-count 0
    input=$corpus/jpeg
fi
input=$(cd "$input" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/axle-sizes.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat >"$work/one.yaml" <<EOF
jobs:
  import: {method: import_images, options: {files: "$input"}}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 1024, crop: $crop}
EOF
sed 's/size: 1024,/size: 1024, sizes: {medium: 512, small: 256},/' "$work/one.yaml" \
    >"$work/three.yaml"

# cpu_seconds PIPELINE: user + system CPU seconds of a cold run (import
# included, the same in both; CPU, not wall time, since a shared machine
# makes wall time noise).
cpu_seconds() {
    rm -rf "$work/w" && mkdir -p "$work/w"
    (cd "$work/w" && timed "$work/time" "$AXLE" run "$1" >/dev/null 2>&1)
    awk '{ printf "%.2f", $1 + $2 }' "$work/time"
}
cat "$input"/* >/dev/null # into the page cache
: >"$work/ratios"
for r in $(seq "$runs"); do
    t1=$(cpu_seconds "$work/one.yaml")
    t3=$(cpu_seconds "$work/three.yaml")
    ratio=$(awk -v a="$t3" -v b="$t1" 'BEGIN { printf "%.2f", a / b }')
    echo "$ratio" >>"$work/ratios"
    echo "run $r: one size ${t1} CPU s, three sizes ${t3} CPU s, ratio $ratio"
done
echo "median ratio (three sizes / one, crop $crop): $(sort -n "$work/ratios" |
    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
