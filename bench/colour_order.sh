#!/bin/sh
# bench/colour_order.sh - colour management (issue 13): is converting to
# sRGB after the resize (what AXLE_TO_SRGB does, on few pixels) accurate
# enough against converting before it, and what does each cost?
#
# usage: bench/colour_order.sh [BUILD_DIR] [ROUNDS]
#
# Makes photo-like images (tests/gen_images.py) with Adobe RGB, ProPhoto
# and Display P3 profiles (tests/icc_tool, lcms2), thumbnails them with
# tests/image_tool in both orders, and prints the mean absolute difference
# (levels) of each from the reference: Pillow's ImageCms conversion of the
# full-resolution decode, then its LANCZOS resize (tests/image/colourref.py).
# Then CPU time per thumbnail without conversion, converted after, and
# converted before the resize (image_tool colour-bench, best of ROUNDS).
# Needs a build with lcms2 and Python with Pillow.  Not part of make check.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
rounds=${2:-5}
py=${PYTHON_PIL:-/usr/bin/python3}
tool=$build/tests/image_tool
icc=$build/tests/icc_tool
[ -x "$tool" ] && [ -x "$icc" ] || {
    echo "colour_order: build tests/image_tool and tests/icc_tool in $build first" \
        "(make -C $build tests/image_tool tests/icc_tool)" >&2
    exit 2
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
ref() { "$py" "$top/tests/image/colourref.py" "$@"; }

echo "| image | profile | box | after resize | before resize | no conversion |"
echo "|---|---|---|---|---|---|"
for spec in 3840x2160:640x338:5 2400x1600:480x480:7 1600x1200:400x400:3; do
    size=${spec%%:*}; rest=${spec#*:}; box=${rest%%:*}; seed=${rest#*:}
    "$py" "$top/tests/gen_images.py" photo base.png --size "$size" --seed "$seed"
    for p in adobe prophoto p3; do
        "$icc" $p $p.icc
        ref embed base.png $p.icc $p.jpg
        bw=${box%x*}; bh=${box#*x}
        "$tool" thumb $p.jpg "$bw" "$bh" after.axr srgb >/dev/null
        "$tool" thumb $p.jpg "$bw" "$bh" before.axr srgb-first >/dev/null
        "$tool" thumb $p.jpg "$bw" "$bh" none.axr >/dev/null
        echo "| $size seed $seed | $p | $box | $(ref mad $p.jpg after.axr) |" \
            "$(ref mad $p.jpg before.axr) | $(ref mad $p.jpg none.axr) |"
    done
done
echo
echo "CPU time, 3840x2160 Adobe RGB and ProPhoto JPEGs (q95) to 640x338:"
"$py" "$top/tests/gen_images.py" photo big.png --size 3840x2160 --seed 5
ref embed big.png adobe.icc big-adobe.jpg
ref embed big.png prophoto.icc big-prophoto.jpg
"$tool" colour-bench 640 338 "$rounds" big-adobe.jpg big-prophoto.jpg
