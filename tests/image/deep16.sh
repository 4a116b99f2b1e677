#!/bin/sh
# deep16.sh - 16-bit sources are reduced to 8 bits after the resize, not
# before (issue 13).  tests/image/deep16.py makes 16-bit PNG (RGB, RGBA,
# grey+alpha) and TIFF files whose 2x2 tiles differ below 8-bit precision:
# rounded to 8 bits first, a thumbnail is off by a level almost
# everywhere; averaged at 16 bits it matches the reference (Pillow's
# LANCZOS of the 16-bit values as floats, rounded).  Also a tiled, deflated
# 16-bit TIFF written by libvips, a 16-bit JPEG XL written by cjxl, and a
# 16-bit PNG with a Display P3 profile, converted to sRGB.  10-bit HEIF
# and AVIF (heif-enc) are compared with the same file's 10-bit samples as
# heif-convert decodes them; a camera RAW's 16-bit demosaic, whose
# sub-level tiles must give what a flat field at their mean gives.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
skip() { # REASON [COUNT]
    n=${2:-1}
    while [ "$n" -gt 0 ]; do ok 0 "# SKIP $1"; n=$((n - 1)); done
}
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

# A 10-bit HEIF and a 12-bit AVIF (lossless RGB: the tiles survive; libaom
# 3.6 under heif-enc 1.15 aborts on 10-bit 4:4:4), against the 16-bit PNG
# libheif's heif-convert decodes the same file to.  Reduced to 8 bits while
# decoding, the thumbnail is a level off over much of the image.
lossless="-L -p chroma=444 --matrix_coefficients 0" # RGB, not subsampled YCbCr
deep_heif() { # FILE LABEL BITS [heif-enc options]
    f=$1 label=$2 bits=$3
    shift 3
    if ! heif-enc "$@" $lossless -b "$bits" -o "$f" rgb16.png >/dev/null 2>&1; then
        skip "heif-enc cannot write a $bits-bit lossless $label" 2
        return
    elif "$TOOL" probe "$f" | grep -q "built without"; then
        skip "libaxle was built without libheif" 2
        return
    fi
    heif-convert "$f" "$f.png" >/dev/null 2>&1
    is "$("$TOOL" thumb "$f" 120 40 "$f.axr")" "120x40 channels=3" "$f thumbnailed"
    set -- $(deep check-ref "$f.axr" 120 40 "$f.png" "$bits") "$f"
    at_most "${1:-99}" 0.05 "$3: mean difference from its $bits-bit decode"
}
if command -v heif-enc >/dev/null && command -v heif-convert >/dev/null; then
    deep_heif rgb10.heic HEIF 10
    deep_heif rgb12.avif AVIF 12 -A
else
    skip "no heif-enc or heif-convert (Debian: libheif-examples)" 4
fi

# Camera RAW (tests/image/make_raw.py's DNG): a ramp in tiles with one
# pixel of four a level brighter, and the same ramp flat at the tiles'
# mean.  Rounded to 8 bits before the resize, the tiles average a quarter
# level low, a level off wherever the mean's fraction is above 3/4.
deep make-raw tiled.dng tiled
deep make-raw flat.dng flat
if "$TOOL" probe tiled.dng | grep -q "^camera-raw"; then
    "$TOOL" thumb tiled.dng 120 40 tiled.axr >/dev/null
    "$TOOL" thumb flat.dng 120 40 flat.axr >/dev/null
    set -- $(deep diff tiled.axr flat.axr)
    at_most "${1:-99}" 0.05 "RAW: sub-level tiles average as their mean does"
    at_most "${2:-99}" 1 "RAW: largest difference from the flat field"
else
    skip "libaxle was built without libraw" 2
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
    # A 10-bit HEIF keeps the profile (heif-enc copies it): converted too.
    if [ -f rgb10.heic.axr ] && heif-enc $lossless -b 10 -o p3_10.heic p3_16.png \
        >/dev/null 2>&1; then
        "$TOOL" thumb p3_10.heic 120 40 p3h.axr srgb >/dev/null
        at_most "$("$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/colourref.py" mad p3_16.png \
            p3h.axr)" 2 "10-bit HEIF in Display P3 converted to sRGB"
    else
        skip "no 10-bit HEIF"
    fi
else
    skip "no icc_tool or no colour management"
fi
done_testing
