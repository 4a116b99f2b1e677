#!/bin/bash
# bench/cpu_ab.sh - CPU per photo of the thumbnail pipeline with two
# libaxle builds, runs alternating, so that a change of libaxle is
# measured against the one before it on the same loaded machine
# (BENCHMARKS.md "CPU per photo, third pass").  CPU time (task-clock of
# `axle run` and its slices, from `perf stat`, else user+sys from
# /usr/bin/time), never wall time: the shared machine makes noise of that.
#
# usage: bench/cpu_ab.sh --build DIR --lib-a DIR [--lib-b DIR] [--images N]
#                        [--runs R] [--corpus DIR]
#
#   --build DIR   the build whose axle and methods run (DIR/core, plugins)
#   --lib-a DIR   a folder holding the libaxle.so.* to compare ("before":
#                 e.g. a copy of DIR/lib/.libs made before the change)
#   --lib-b DIR   the other one (default: DIR/lib/.libs, "after")
#   --images N    4K JPEGs of the generated corpus (40; make_corpus.py)
#   --corpus DIR  a folder of your own JPEGs instead
#   --runs R      runs of each build and quality, alternating (5)
#
# Runs pipelines/thumbnails.yaml cold into 640x338 with 2 slices, as is
# (quality: high) and with the thumbnailer's `quality: fast`; prints the
# CPU ms per photo of each, min and median.  A benchmark, never part of
# `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

build='' lib_a='' lib_b='' images=40 corpus='' runs=5
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift ;;
    --lib-a) lib_a=$2; shift ;;
    --lib-b) lib_b=$2; shift ;;
    --images) images=$2; shift ;;
    --corpus) corpus=$2; shift ;;
    --runs) runs=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ -n "$build" ] || die "--build DIR is required"
build=$(cd "$build" && pwd)
[ -x "$build/core/.libs/axle" ] || die "$build/core/.libs/axle is not built"
lib_b=${lib_b:-$build/lib/.libs}
for d in "$lib_a" "$lib_b"; do
    [ -n "$d" ] && ls "$d"/libaxle.so.* > /dev/null 2>&1 || die "no libaxle.so.* in '$d'"
done

if [ -z "$corpus" ]; then
    corpus=$BENCH_DIR/.corpus
    "$PY" "$BENCH_DIR/make_corpus.py" --out "$corpus" --count "$images" --webp-count 0 >&2
    mapfile -t files < <(find "$corpus/jpeg" -name '*.jpg' | sort | head -n "$images")
else
    mapfile -t files < <(find "$corpus" -maxdepth 1 -iname '*.jp*g' | sort)
fi
n=${#files[@]}
[ "$n" -gt 0 ] || die "no JPEGs in $corpus"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/in"
ln -s "${files[@]}" "$scratch/in/"
fast=$scratch/thumbnails-fast.yaml
sed 's/options: {size: "${size}",/options: {size: "${size}", quality: fast,/' \
    "$SRC_DIR/pipelines/thumbnails.yaml" > "$fast"
grep -q 'quality: fast' "$fast" || die "cannot add quality: fast to thumbnails.yaml"
use_perf=$(perf stat -e task-clock -x, true 2>&1 > /dev/null | grep -c task-clock || true)

# cpu_ms LIBDIR PIPELINE: CPU ms per photo of one cold run.
cpu_ms() {
    local wd=$scratch/wd
    rm -rf "$wd"
    mkdir "$wd"
    warm "${files[@]}"
    if [ "$use_perf" -gt 0 ]; then
        (cd "$wd" && LD_LIBRARY_PATH=$1 AXLE_METHOD_PATH=$build/plugins/.libs \
            perf stat -x, -e task-clock -o "$scratch/cpu" "$build/core/.libs/axle" run "$2" \
            --slices 2 "input=$scratch/in" "size=[640,338]" > "$scratch/log" 2>&1) ||
            die "axle failed: $(tail -3 "$scratch/log")"
        awk -F, -v n="$n" '$3 == "task-clock" { printf "%.2f\n", $1 / n }' "$scratch/cpu"
    else
        (cd "$wd" && LD_LIBRARY_PATH=$1 AXLE_METHOD_PATH=$build/plugins/.libs \
            timed "$scratch/cpu" "$build/core/.libs/axle" run "$2" \
            --slices 2 "input=$scratch/in" "size=[640,338]" > "$scratch/log" 2>&1) ||
            die "axle failed: $(tail -3 "$scratch/log")"
        awk -v n="$n" '{ printf "%.2f\n", 1000 * ($1 + $2) / n }' "$scratch/cpu"
    fi
}

for r in $(seq "$runs"); do
    for q in high fast; do
        pipe=$SRC_DIR/pipelines/thumbnails.yaml
        [ "$q" = fast ] && pipe=$fast
        echo "a $q $(cpu_ms "$lib_a" "$pipe")" >> "$scratch/all"
        echo "b $q $(cpu_ms "$lib_b" "$pipe")" >> "$scratch/all"
    done
    say "run $r of $runs done"
done

echo "| $n photos, CPU ms per photo ($([ "$use_perf" -gt 0 ] && echo task-clock || echo user+sys)) | min | median | runs |"
echo "| --- | ---: | ---: | --- |"
for q in high fast; do
    for which in a b; do
        vals=$(awk -v w="$which" -v q="$q" '$1 == w && $2 == q { print $3 }' "$scratch/all")
        lib=$lib_a
        [ "$which" = b ] && lib=$lib_b
        echo "| quality: $q, $lib | $(sort -g <<< "$vals" | head -1) | $(median <<< "$vals") |" \
             "$(tr '\n' ' ' <<< "$vals")|"
    done
done
