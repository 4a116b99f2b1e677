#!/bin/bash
# import_meta.sh - what the photo metadata columns cost the import (issue
# 13 item 4: import must stay at stat-and-header speed).
#
#   bench/import_meta.sh [--build DIR] [--base DIR] [--images N] [--runs R]
#
# Makes (or reuses) N photos with EXIF in bench/.corpus/meta-N: copies of
# four originals made by tests/image/exif_photos.py (half JPEG 800x600,
# a fifth HEIC from heif-enc, whose Exif item lies at the end of the file,
# the rest PNG and TIFF), each its own file.  Then imports them R times,
# each into a new workdir (`axle run`, slices 2, page cache warm after one
# unmeasured run), with the axle of --build (default: installed) and, for
# the ratio, with the axle of --base (a build without the columns).
# Prints the median wall time and CPU time (perf stat's task-clock, when
# perf is there) of each and after/before (the two builds alternate run by
# run).  --images 1 shows what is per job rather than per photo.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

build= base= images=2000 runs=5
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
done
command -v heif-enc >/dev/null || die "heif-enc is missing (Debian: libheif-examples)"

corpus=$BENCH_DIR/.corpus/meta-$images
if [ ! -f "$corpus/.done" ]; then
    say "making $images photos in $corpus"
    rm -rf "$corpus" && mkdir -p "$corpus/orig"
    exif() { "$PY" "$SRC_DIR/tests/image/exif_photos.py" "$@"; }
    exif full "$corpus/orig/a.jpg" --size 800x600
    heif-enc -q 80 -o "$corpus/orig/a.heic" "$corpus/orig/a.jpg" >/dev/null
    exif full "$corpus/orig/a.png"
    exif full "$corpus/orig/a.tif"
    for i in $(seq 1 "$images"); do
        case $((i % 20)) in
        [0-9]) ext=jpg ;; 1[0-3]) ext=heic ;; 1[4-6]) ext=png ;; *) ext=tif ;;
        esac
        cp "$corpus/orig/a.$ext" "$corpus/p$i.$ext"
    done
    rm -rf "$corpus/orig"
    touch "$corpus/.done"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'workdir: %s\njobs:\n  import:\n    method: import_images\n' "$tmp/wd" \
    > "$tmp/import.yaml"
printf '    options: {files: %s}\n' "$corpus" >> "$tmp/import.yaml"

# one_run BUILD: "WALL CPU" of one import with that build (CPU: perf
# stat's task-clock in ms, children included; "-" without perf).
one_run() {
    (
        use_build "$1"
        rm -rf "$tmp/wd"
        t0=$(now)
        if command -v perf >/dev/null; then
            perf stat -x, -e task-clock -o "$tmp/perf" "$AXLE" run "$tmp/import.yaml" \
                --slices 2 > "$tmp/out"
        else
            echo "-,msec,task-clock" > "$tmp/perf"
            "$AXLE" run "$tmp/import.yaml" --slices 2 > "$tmp/out"
        fi
        echo "$(seconds_since "$t0") $(sed -n 's/,.*task-clock.*//p' "$tmp/perf")"
    )
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# The two builds alternate, so that a busy moment of a shared machine
# falls on both; run 0 warms the page cache and is not counted.
: > "$tmp/after"
: > "$tmp/before"
for r in $(seq 0 "$runs"); do
    a=$(one_run "$build")
    [ -n "$base" ] && b=$(one_run "$base")
    [ "$r" -eq 0 ] && continue
    echo "$a" >> "$tmp/after"
    [ -n "$base" ] && echo "$b" >> "$tmp/before"
done
after=$(cut -d' ' -f1 "$tmp/after" | median)
after_cpu=$(cut -d' ' -f2 "$tmp/after" | median)
say "with the columns (${build:-installed}): median ${after}s, CPU ${after_cpu} ms over $runs imports of $images photos"
if [ -n "$base" ]; then
    before=$(cut -d' ' -f1 "$tmp/before" | median)
    before_cpu=$(cut -d' ' -f2 "$tmp/before" | median)
    say "without ($base): median ${before}s, CPU ${before_cpu} ms"
    awk -v a="$after" -v b="$before" -v ac="$after_cpu" -v bc="$before_cpu" -v n="$images" \
        'BEGIN { printf "import of %d photos: %.3f s -> %.3f s, ratio %.2f", n, b, a, a / b
                 if (bc + 0 > 0) printf "; CPU %.1f ms -> %.1f ms, ratio %.2f", bc, ac, ac / bc
                 printf "\n" }'
fi
