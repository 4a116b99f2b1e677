#!/bin/sh
# jxl_dc.sh - JPEG XL shrink-on-load (issue 13): a lossy (VarDCT) file is
# decoded from its DC pass, 1/8 scale, when that covers the size asked at
# the JPEG margin of 2 (1 with AXLE_DECODE_FAST), as libjpeg's DCT scaling
# does for JPEG; a lossless file, which has no DC pass, is decoded whole.
# Thumbnails from the DC pass stay within the quality bar against Pillow's
# LANCZOS of the full decode (djxl's): a photo and a zone plate.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
printf '\377\012\000\000' > sig.jxl
"$TOOL" probe sig.jxl | grep -q "built without libjxl" &&
    skip_all "libaxle was built without libjxl (./setup.sh installs it)"
command -v cjxl >/dev/null && command -v djxl >/dev/null ||
    skip_all "no cjxl/djxl (Debian: libjxl-tools; ./setup.sh installs it)"

gen photo photo.png --size 2400x1600 --seed 4
gen zoneplate zone.png --size 2400x1600
cjxl -d 1 photo.png photo.jxl >/dev/null 2>&1
cjxl -d 1 zone.png zone.jxl >/dev/null 2>&1
cjxl -d 0 photo.png lossless.jxl >/dev/null 2>&1
djxl photo.jxl photo.full.png >/dev/null 2>&1
djxl zone.jxl zone.full.png >/dev/null 2>&1

# The decode's size says which pass was used.
is "$("$TOOL" decode photo.jxl 150 100 d.axr)" "300x200 channels=3" \
    "a 150x100 wish: the DC pass (1/8, 300x200: twice the wish)"
is "$("$TOOL" decode photo.jxl 151 100 d.axr)" "2400x1600 channels=3" \
    "a wish the DC pass covers less than twice: every pixel"
is "$("$TOOL" decode photo.jxl 0 0 d.axr)" "2400x1600 channels=3" "no wish: every pixel"
is "$("$TOOL" decode lossless.jxl 150 100 d.axr)" "2400x1600 channels=3" \
    "a lossless file has no DC pass: every pixel"
"$TOOL" decode lossless.jxl 150 100 l.axr >/dev/null
set -- $(pilref diff l.axr photo.png)
is "${2:-x}" 0 "and its pixels are the very ones"

# Thumbnails from the DC pass against the full decode.
"$TOOL" thumb photo.jxl 150 150 p.axr >/dev/null
at_least "$(pilref psnr photo.full.png p.axr)" 40 "photo, 150 px from the DC pass"
"$TOOL" thumb zone.jxl 150 150 z.axr >/dev/null
at_least "$(pilref psnr zone.full.png z.axr)" 34 "zone plate, 150 px from the DC pass"
"$TOOL" thumb photo.jxl 300 300 pf.axr fast >/dev/null
at_least "$(pilref psnr photo.full.png pf.axr)" 35 "fast: photo, 300 px from the DC pass (margin 1)"
done_testing
