#!/bin/bash
# bench/formats.sh - thumbnails of every format axle reads, against
# vipsthumbnail (issue 13): the same photos as JPEG (q90), PNG, TIFF (LZW),
# HEIC, AVIF, JPEG XL (distance 1), and camera RAW (DNG) with and without
# the camera's full-size JPEG preview; per format, axle's pipeline (cold
# workdir: import, thumbs, export at JPEG q85) and vipsthumbnail with
# sRGB export, one process per CPU each taking a share of the files, the
# same split as axle's slices.  Wall seconds are the median of --runs.
#
# usage: bench/formats.sh [--photos N] [--size WxH] [--box WxH] [--runs N]
#                         [--build DIR] [--work DIR]
#
#   --photos N   photos per format (12), made by tests/gen_images.py
#   --size WxH   their size (3000x2000)
#   --box WxH    the thumbnail box (256x256)
#   --runs N     runs per tool and format (3)
#   --build DIR  the axle of a build folder; default: installed
#   --work DIR   keep the photos there (made once, reused by later runs);
#                default: a temporary folder
#
# vipsthumbnail reads DNG only through ImageMagick, which Debian's libvips
# has only when imagemagick is installed: "n/a" otherwise.  Not a test;
# never part of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

photos=12 size=3000x2000 box=256x256 runs=3 build='' work=''
while [ $# -gt 0 ]; do
    case $1 in
    --photos) photos=$2; shift ;;
    --size) size=$2; shift ;;
    --box) box=$2; shift ;;
    --runs) runs=$2; shift ;;
    --build) build=$2; shift ;;
    --work) work=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
use_build "$build"
command -v vipsthumbnail >/dev/null || die "vipsthumbnail is missing (libvips-tools)"
command -v heif-enc >/dev/null || die "heif-enc is missing (libheif-examples)"
command -v cjxl >/dev/null || die "cjxl is missing (libjxl-tools)"

if [ -z "$work" ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/axle-formats.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
made=$work/made-$photos-$size
[ -f "$made" ] || say "making $photos photos of $size in 8 formats in $work"
[ -f "$made" ] || mkdir -p "$work/src"
[ -f "$made" ] || for i in $(seq 1 "$photos"); do
    "$PY" "$SRC_DIR/tests/gen_images.py" photo "$work/src/p$i.png" --size "$size" --seed "$i"
done
[ -f "$made" ] || for f in jpeg png tiff heic avif jxl dng-preview dng-raw; do
    mkdir -p "$work/$f"
done
[ -f "$made" ] || for src in "$work"/src/*.png; do
    n=$(basename "$src" .png)
    "$PY" - "$src" "$work" "$n" <<'PY'
import sys
from PIL import Image
src, work, n = sys.argv[1:]
im = Image.open(src).convert("RGB")
im.save(f"{work}/jpeg/{n}.jpg", quality=90)
im.save(f"{work}/png/{n}.png")
im.save(f"{work}/tiff/{n}.tif", compression="tiff_lzw")
PY
    heif-enc -q 80 "$src" -o "$work/heic/$n.heic" >/dev/null 2>&1
    heif-enc -q 80 -p speed=8 "$src" -o "$work/avif/$n.avif" >/dev/null 2>&1
    cjxl -d 1 "$src" "$work/jxl/$n.jxl" >/dev/null 2>&1
    "$PY" "$SRC_DIR/tests/image/make_raw.py" "$src" "$work/dng-preview/$n.dng" \
        --preview "$work/jpeg/$n.jpg"
    "$PY" "$SRC_DIR/tests/image/make_raw.py" "$src" "$work/dng-raw/$n.dng"
done
touch "$made"

w=${box%x*} h=${box#*x}
axle_once() { # DIR: seconds of one cold pipeline run, on a line
    local cwd=$work/cwd t0
    rm -rf "$cwd"; mkdir -p "$cwd"
    warm "$1"/*
    t0=$(now)
    (cd "$cwd" && "$AXLE" run "$SRC_DIR/pipelines/thumbnails.yaml" --slices "$NPROC" \
        "input=$1" "size=[$w,$h]" >run.out 2>run.err) || die "axle failed on $1: $cwd/run.err"
    seconds_since "$t0"; echo
    grep -Eq "[0-9]+ items? skipped" "$cwd/run.out" && die "axle skipped files of $1: $cwd/run.out"
    return 0
}
vips_once() { # DIR: seconds of one vipsthumbnail run, or n/a
    local out=$work/vips-out t0 files chunk
    rm -rf "$out"; mkdir -p "$out"
    files=("$1"/*)
    chunk=$(( (${#files[@]} + NPROC - 1) / NPROC ))
    warm "${files[@]}"
    t0=$(now)
    if printf '%s\n' "${files[@]}" | VIPS_CONCURRENCY=1 xargs -d '\n' -P "$NPROC" \
        -n "$chunk" vipsthumbnail --size "$box" --export-profile srgb \
        -o "$out/%s.jpg[Q=85]" 2>"$work/vips.err"; then
        seconds_since "$t0"; echo
    else
        echo n/a
    fi
}
median_of() { # CMD DIR: the median of --runs runs
    local i
    for i in $(seq 1 "$runs"); do "$1" "$2"; done | median
}

printf '%-12s %8s %8s %7s\n' format axle_s vips_s ratio
for f in jpeg png tiff heic avif jxl dng-preview dng-raw; do
    a=$(median_of axle_once "$work/$f")
    v=$(median_of vips_once "$work/$f")
    ratio=$(awk -v a="$a" -v v="$v" 'BEGIN { if (v == "n/a" || v == "nan" || v + 0 == 0) print "-"; else printf "%.2f", a / v }')
    printf '%-12s %8s %8s %7s\n' "$f" "$a" "$v" "$ratio"
done
