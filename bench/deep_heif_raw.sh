#!/bin/bash
# bench/deep_heif_raw.sh - what decoding HEIF/AVIF of more than 8 bits and
# camera RAW's demosaic at 16 bits costs (issue 13, deep2), in instructions
# (callgrind: the machine is shared, wall time is not a measure here) of
# one `image_tool thumb` into 256 px, before and after:
#
#   heic10   a 10-bit HEIF (heif-enc -b 10 from a 16-bit PNG): the 16-bit
#            decode and resize
#   heic8    an 8-bit HEIF (heif-enc -q 90): the 8-bit path, after a look
#            at the file's bit depth
#   dng      a DNG without a preview (tests/image/make_raw.py): the
#            half-size demosaic, at 16 bits
#   dngprev  a DNG whose JPEG preview serves: the 8-bit path, after a look
#            at the preview
#
# usage: bench/deep_heif_raw.sh --build DIR --before DIR [--size WxH]
#
#   --build DIR   the build measured ("after"); its tests/image_tool built
#                 (make check TESTS= builds it)
#   --before DIR  the build compared with ("before")
#   --size WxH    the photo's size (1600x1000), made by tests/gen_images.py
#
# Not a test; never part of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

size=1600x1000 build='' before=''
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift ;;
    --before) before=$2; shift ;;
    --size) size=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ -n "$build" ] && [ -n "$before" ] || die "give --build DIR and --before DIR"
build=$(cd "$build" && pwd) before=$(cd "$before" && pwd)
for dir in "$build" "$before"; do
    [ -x "$dir/tests/.libs/image_tool" ] || die "$dir/tests/image_tool is not built"
done
for t in heif-enc valgrind callgrind_annotate vips; do
    command -v $t >/dev/null || die "$t is missing"
done
work=$(mktemp -d "${TMPDIR:-/tmp}/axle-deep2.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
"$PY" "$SRC_DIR/tests/gen_images.py" photo photo.png --size "$size" --seed 3
vips colourspace photo.png photo16.png rgb16
heif-enc -b 10 -q 90 -o heic10.heic photo16.png >/dev/null
heif-enc -q 90 -o heic8.heic photo.png >/dev/null
"$PY" -c 'from PIL import Image, ImageOps
ImageOps.invert(Image.open("photo.png").convert("RGB")).save("preview.jpg", quality=92)'
"$PY" "$SRC_DIR/tests/image/make_raw.py" photo.png dng.dng
"$PY" "$SRC_DIR/tests/image/make_raw.py" photo.png dngprev.dng --preview preview.jpg

# instructions BUILD FILE: callgrind's total for one thumbnail.
instructions() {
    rm -f cg.out
    LD_LIBRARY_PATH=$1/lib/.libs valgrind --tool=callgrind --callgrind-out-file=cg.out \
        "$1/tests/.libs/image_tool" thumb "$2" 256 256 out.axr >/dev/null 2>&1 ||
        die "image_tool thumb $2 failed with $1"
    callgrind_annotate cg.out | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}

for f in heic10.heic heic8.heic dng.dng dngprev.dng; do
    b=$(instructions "$before" $f) a=$(instructions "$build" $f)
    printf '%s: before %s, after %s instructions (%+.1f%%)\n' "$f" "$b" "$a" \
        "$(awk -v a="$a" -v b="$b" 'BEGIN { print (a - b) * 100 / b }')"
done
