#!/bin/sh
# formats.sh - every supported kind of JPEG and WebP is recognised by its
# content (not its name) and decodes to what Pillow decodes.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"

gen photo base.jpg --size 320x200
gen photo prog.jpg --size 320x200 --progressive
gen photo restart.jpg --size 320x200 --restart 1
gen photo arith.jpg --size 320x200 --arithmetic
gen photo grey.jpg --size 320x200 --mode L
gen photo cmyk.jpg --size 320x200 --mode CMYK
gen photo lossy.webp --size 320x200
gen photo lossless.webp --size 320x200 --lossless
gen photo alpha.webp --size 320x200 --mode RGBA
cp base.jpg 'really a jpeg.webp'
cp lossy.webp 'really a webp.JPEG'

probe_is() { # FILE EXPECTED
    is "$("$TOOL" probe "$1")" "$2" "probe $1"
}
probe_is base.jpg "jpeg 320x200 channels=3 orientation=1"
probe_is prog.jpg "jpeg 320x200 channels=3 orientation=1"
probe_is restart.jpg "jpeg 320x200 channels=3 orientation=1"
probe_is arith.jpg "jpeg 320x200 channels=3 orientation=1"
probe_is grey.jpg "jpeg 320x200 channels=1 orientation=1"
probe_is cmyk.jpg "jpeg 320x200 channels=4 orientation=1"
probe_is lossy.webp "webp 320x200 channels=3 orientation=1"
probe_is lossless.webp "webp 320x200 channels=3 orientation=1"
probe_is alpha.webp "webp 320x200 channels=4 orientation=1"
probe_is 'really a jpeg.webp' "jpeg 320x200 channels=3 orientation=1"
probe_is 'really a webp.JPEG' "webp 320x200 channels=3 orientation=1"

# The markers the generator was asked for are really there.
check "progressive file has SOF2" -- "$PYTHON_PIL" -c \
    'import sys; d=open("prog.jpg","rb").read(); sys.exit(b"\xff\xc2" not in d)'
check "restart file has RST markers" -- "$PYTHON_PIL" -c \
    'import sys; d=open("restart.jpg","rb").read(); sys.exit(b"\xff\xd0" not in d or b"\xff\xdd" not in d)'
check "arithmetic file has SOF9" -- "$PYTHON_PIL" -c \
    'import sys; d=open("arith.jpg","rb").read(); sys.exit(b"\xff\xc9" not in d)'

# Full decodes against Pillow's: the same libjpeg-turbo and libwebp, so
# equal up to Pillow's own CMYK and WebP conversions.
for f in base.jpg prog.jpg restart.jpg arith.jpg grey.jpg cmyk.jpg lossy.webp \
         lossless.webp alpha.webp; do
    "$TOOL" decode "$f" 0 0 "$f.axr" >/dev/null
    set -- $(pilref diff "$f.axr" "$f")
    at_most "${2:-999}" 2 "$f decodes as Pillow decodes it (largest difference)"
done
is "$(pilref info lossless.webp.axr)" "RGB 320x200" "lossless WebP: RGB"
is "$(pilref info alpha.webp.axr)" "RGBA 320x200" "alpha WebP keeps its alpha"
is "$(pilref info grey.jpg.axr)" "L 320x200" "greyscale JPEG stays one channel"
is "$(pilref info cmyk.jpg.axr)" "RGB 320x200" "CMYK JPEG becomes RGB"

# Encoding: JPEG and WebP that Pillow reads back.
"$TOOL" encode base.jpg jpeg 90 out.jpg >/dev/null
is "$(pilref info out.jpg)" "RGB 320x200" "encoded JPEG opens in Pillow"
"$TOOL" encode alpha.webp webp 90 out.webp >/dev/null
is "$(pilref info out.webp)" "RGBA 320x200" "encoded WebP keeps alpha"
"$TOOL" encode alpha.webp jpeg 90 flat.jpg >/dev/null
is "$(pilref info flat.jpg)" "RGB 320x200" "alpha flattened for JPEG"
"$TOOL" encode grey.jpg jpeg 90 grey-out.jpg >/dev/null
is "$(pilref info grey-out.jpg)" "L 320x200" "grey encodes as grey"
done_testing
