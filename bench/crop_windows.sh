#!/bin/bash
# bench/crop_windows.sh - where axle's `crop: entropy` and `crop: attention`
# put the window, against libvips' `vipsthumbnail --smartcrop` on the same
# photos (issue 14): how often the two windows overlap by IoU >= 0.5.
#
# usage: bench/crop_windows.sh [--photos N] [--boxes WxH,...] [--build DIR]
#                              [--corpus DIR] [--verbose]
#
#   --photos N   generated photos (60): bench/crop_windows.py makes varied
#                scenes (textures, faces, saturated flowers, silhouettes on
#                soft backgrounds; landscape and portrait)
#   --boxes LIST thumbnail boxes, comma-separated (256x256,96x256,256x96):
#                the square a grid wants, and strips, whose window has room
#                to move on photos of either orientation
#   --build DIR  the axle of a build folder; default: installed
#   --corpus DIR your own folder of *.jpg instead (upright photos: the
#                windows are found in the photo as stored)
#   --verbose    each photo's windows on stderr
#
# Each crop is found in the photo scaled to cover the box (Pillow,
# Lanczos) where it matches best, so both tools' windows are in one frame.
# `crop: centre` is listed too, as the baseline: the agreement a window
# that ignores the content gets.  Not a timing; never part of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

photos=60 boxes=256x256,96x256,256x96 build='' corpus='' verbose=''
while [ $# -gt 0 ]; do
    case $1 in
    --photos) photos=$2; shift ;;
    --boxes) boxes=$2; shift ;;
    --build) build=$2; shift ;;
    --corpus) corpus=$2; shift ;;
    --verbose) verbose=--verbose ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
use_build "$build"
command -v vipsthumbnail >/dev/null || die "vipsthumbnail is missing (libvips-tools)"

work=$(mktemp -d "${TMPDIR:-/tmp}/axle-crops.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -z "$corpus" ]; then
    corpus=$work/photos
    "$PY" "$BENCH_DIR/crop_windows.py" photos "$corpus" --count "$photos"
fi
corpus=$(cd "$corpus" && pwd)

# pipeline BOX: one thumbnailer and one export (JPEG q95) per crop mode.
pipeline() {
    echo "jobs:"
    echo "  import: {method: import_images, options: {files: \"$corpus\"}}"
    for mode in centre entropy attention; do
        cat <<YAML
  t_$mode:
    method: thumbnailer
    datasets: {source: import}
    options: {size: "$1", crop: $mode}
  e_$mode:
    method: export_images
    datasets: {source: t_$mode}
    options: {quality: 95}
YAML
    done
}

# crops BOX: axle's and vipsthumbnail's crops for one box in $work/BOX,
# then the comparison.
crops() {
    local box=$1 bw=${1%x*} bh=${1#*x} dir=$work/$1 mode f
    mkdir -p "$dir"
    pipeline "$box" >"$dir/crops.yaml"
    (cd "$dir" && "$AXLE" run crops.yaml >run.out 2>run.err) ||
        { cat "$dir/run.err" >&2; die "the axle run failed"; }
    for mode in entropy attention; do
        mkdir -p "$dir/vips_$mode"
        for f in "$corpus"/*.jpg; do
            vipsthumbnail "$f" -s "$box" --smartcrop "$mode" -o "$dir/vips_$mode/%s.png"
        done
    done
    out_of() { echo "$dir/axle-work/$(awk -v s="$1" '$1 == s { print $2 }' "$dir/run.out")/output"; }
    for mode in entropy attention; do
        echo "box $box, crop: $mode"
        "$PY" "$BENCH_DIR/crop_windows.py" compare "$corpus" "$bw" "$bh" $verbose \
            "axle-$mode=$(out_of e_$mode)" "axle-centre=$(out_of e_centre)" \
            "vips-$mode=$dir/vips_$mode" --against "vips-$mode"
    done
}

say "$(ls "$corpus"/*.jpg | wc -l) photos; $(vipsthumbnail --vips-version)"
for box in ${boxes//,/ }; do
    crops "$box"
done
