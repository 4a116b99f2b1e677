#!/bin/sh
# fused_resize.sh - a JPEG thumbnail goes from the decoder's rows straight
# into the resize (issue 12, decode to resize fused), never as a whole
# decoded image: its peak memory is far below the two-step path's (a
# whole decode at the same scale, then resized and turned).
# Where the decoder gives RGB or grey rows (full-scale decodes, grey,
# CMYK, 4:2:2, progressive files) the pixels are byte for byte the
# two-step path's, at odd sizes, every EXIF orientation, restart markers
# and fast.  A YCbCr JPEG at a reduced scale is resized as its three
# planes and converted after: within 0.1 dB of the two-step path after
# export on photos and a colour zone plate, which keeps >= 40 dB.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"

gen photo odd.jpg --size 1001x777 --seed 3
for o in 1 2 3 4 5 6 7 8; do
    gen photo "o$o.jpg" --size 499x333 --seed 4 --orientation "$o"
done
gen photo grey.jpg --size 603x401 --mode L --seed 5
gen photo cmyk.jpg --size 601x403 --mode CMYK --seed 6
gen photo prog.jpg --size 1921x1081 --seed 7 --progressive
gen photo rst.jpg --size 811x607 --seed 8 --restart 3
rgb="odd.jpg o1.jpg o2.jpg o3.jpg o4.jpg o5.jpg o6.jpg o7.jpg o8.jpg rst.jpg"
other="grey.jpg cmyk.jpg prog.jpg"
if command -v cjpeg >/dev/null; then
    gen photo base.ppm --size 643x481 --seed 10
    cjpeg -quality 90 -sample 1x1 base.ppm > s444.jpg
    cjpeg -quality 90 -sample 2x1 base.ppm > s422.jpg
    rgb="$rgb s444.jpg"
    other="$other s422.jpg"
fi

# thumbs FILE BOX_W BOX_H [fast]: fused.axr/.jpg and steps.axr/.jpg.
thumbs() {
    f=$1 w=$2 h=$3; shift 3
    rm -f fused.axr steps.axr
    for ext in axr jpg; do
        "$TOOL" thumb "$f" "$w" "$h" "fused.$ext" "$@" > fused.txt 2>&1
        "$TOOL" thumb "$f" "$w" "$h" "steps.$ext" twostep "$@" > steps.txt 2>&1
    done
}
# same FILE BOX_W BOX_H [fast]: the two match byte for byte.
same() {
    thumbs "$@"
    if cmp -s fused.axr steps.axr; then ok 0 "$*: the same pixels"
    else ok 1 "$*: the same pixels"; sed 's/^/# /' fused.txt steps.txt; fi
}
# close FILE BOX_W BOX_H [fast]: resized as planes (not the same bytes),
# and within 0.1 dB of the two-step thumbnail against Pillow's LANCZOS
# after export (JPEG q95).
close() {
    thumbs "$@"
    ok "$(cmp -s fused.axr steps.axr; echo $((!$?)))" "$*: resized as planes"
    a=$(pilref psnr "$1" fused.jpg) b=$(pilref psnr "$1" steps.jpg)
    at_least "$a" "$(awk -v b="$b" 'BEGIN { print b - 0.1 }')" "$*: within 0.1 dB of the RGB path"
}

# Full scale: the results are over half the image.
for f in $rgb $other; do
    same "$f" 333 333
done
same odd.jpg 640 338
# Reduced scales.
for f in $other; do
    same "$f" 120 80
    same "$f" 200 0 fast
done
for f in $rgb; do
    close "$f" 120 80
done
close odd.jpg 0 97
close odd.jpg 200 200 fast

# A colour zone plate (a ring in each channel, offset) into 640x338.
gen zoneplate zone-grey.png --size 3840x2160
"$PYTHON_PIL" -c '
from PIL import Image, ImageChops, ImageOps
z = Image.open("zone-grey.png").convert("L")
w, h = z.size
c = Image.merge("RGB", [z, ImageOps.invert(z), ImageChops.offset(z, w // 7, h // 5)])
c.save("zone.jpg", quality=95)'
close zone.jpg 640 338
at_least "$(pilref psnr zone.jpg fused.axr)" 40 "colour zone plate: no moire (default quality)"

# A file cut short: refused the same way.
size=$(wc -c < odd.jpg)
head -c $((size / 2)) odd.jpg > cut.jpg
"$TOOL" thumb cut.jpg 200 200 cut.axr > cut.txt 2>&1
check "a truncated JPEG is refused" -- test $? -ne 0
contains cut.txt "truncated JPEG" "and named truncated"

# Memory: a 6000x4000 JPEG into 1500x1000 decodes at 1/2, 3000x2000 RGB
# (17.6 MB) that the two-step path holds whole and the fused one never.
gen zoneplate big.jpg --size 6000x4000 --quality 75
peak() { "$TOOL" thumb big.jpg 1500 1000 "$1.axr" ${2:-} rss | sed -n 's/^peak \([0-9]*\) kB$/\1/p'; }
fused=$(peak fused)
steps=$(peak steps twostep)
echo "# peak RSS: fused $fused kB, two steps $steps kB"
at_most "$fused" "$((steps - 12000))" "the decoded image is never whole in memory"
done_testing
