#!/bin/sh
# deep16.sh - 16-bit sources are reduced to 8 bits after the resize, not
# before (issue 13).  tests/image/deep16.py makes 16-bit PNG (RGB, RGBA,
# grey+alpha) and TIFF files whose 2x2 tiles differ below 8-bit precision:
# rounded to 8 bits first, a thumbnail is off by a level almost
# everywhere; averaged at 16 bits it matches the reference (Pillow's
# LANCZOS of the 16-bit values as floats, rounded).  Also a tiled, deflated
# 16-bit TIFF written by libvips, a 16-bit JPEG XL written by cjxl, and a
# 16-bit PNG with a Display P3 profile, converted to sRGB.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
skip() { ok 0 "# SKIP $1"; }
deep() { "$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/deep16.py" "$@"; }
deep make

# thumbs_match FILE CHANNELS: its 120x40 thumbnail (an 8x reduction) has a
# mean difference of at most 0.05 and no pixel more than a level off.
thumbs_match() {
    is "$("$TOOL" thumb "$1" 120 40 "$1.axr")" "120x40 channels=$2" "$1 thumbnailed"
    set -- $(deep check "$1.axr" 120 40) "$1"
    at_most "${1:-99}" 0.05 "$3: mean difference from the 16-bit reference"
    at_most "${2:-99}" 1 "$3: largest difference"
}
thumbs_match rgb16.png 3
thumbs_match rgba16.png 4
thumbs_match greya16.png 2
thumbs_match rgb16.tif 3
is "$("$TOOL" thumb o6_16.png 40 120 o6.axr)" "40x120 channels=3" "orientation 6: turned"
set -- $(deep check o6.axr 120 40 o6)
at_most "${1:-99}" 0.05 "orientation 6: mean difference from the turned reference"

if command -v vips >/dev/null; then
    vips tiffsave rgb16.png tiled16.tif --tile --tile-width 128 --tile-height 128 \
        --compression deflate
    thumbs_match tiled16.tif 3
else
    skip "no vips (Debian: libvips-tools) for a tiled 16-bit TIFF"
fi
if command -v cjxl >/dev/null && ! "$TOOL" probe rgb16.png | grep -q "built without"; then
    cjxl -d 0 rgb16.png rgb16.jxl >/dev/null 2>&1
    if "$TOOL" probe rgb16.jxl | grep -q "^jxl"; then
        thumbs_match rgb16.jxl 3
    else
        skip "libaxle was built without libjxl"
    fi
else
    skip "no cjxl (Debian: libjxl-tools)"
fi

# Colour: converted to sRGB at 16 bits, within the colour bar of 2 levels.
if [ -x "$AXLE_BUILDDIR/tests/icc_tool" ] && "$TOOL" colour rgb16.png >/dev/null 2>&1; then
    "$AXLE_BUILDDIR/tests/icc_tool" p3 p3.icc
    deep make-icc p3.icc p3_16.png
    is "$("$TOOL" colour p3_16.png)" "convert 'Display P3' " "the 16-bit PNG's profile is read"
    "$TOOL" thumb p3_16.png 120 40 p3.axr srgb >/dev/null
    "$TOOL" thumb p3_16.png 120 40 p3.raw.axr >/dev/null
    at_most "$("$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/colourref.py" mad p3_16.png p3.axr)" 2 \
        "16-bit Display P3 converted to sRGB"
    at_least "$("$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/colourref.py" mad p3_16.png \
        p3.raw.axr)" 3 "without the conversion the colours are off"
else
    skip "no icc_tool or no colour management"
fi
done_testing
