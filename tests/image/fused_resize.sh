#!/bin/sh
# fused_resize.sh - a JPEG thumbnail goes from the decoder's rows straight
# into the resize (issue 12, decode to resize fused): the pixels are byte
# for byte those of a whole decode at the same scale then resized and
# turned (odd sizes, every EXIF orientation, grey, CMYK, 4:4:4, 4:2:2,
# restart markers, progressive, fast), errors are the same, and the
# decoded image is never whole in memory: the peak is far below the
# two-step path's on a large photo.
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
files="odd.jpg o1.jpg o2.jpg o3.jpg o4.jpg o5.jpg o6.jpg o7.jpg o8.jpg grey.jpg cmyk.jpg
       prog.jpg rst.jpg"
if command -v cjpeg >/dev/null; then
    gen photo base.ppm --size 643x481 --seed 10
    cjpeg -quality 90 -sample 1x1 base.ppm > s444.jpg
    cjpeg -quality 90 -sample 2x1 base.ppm > s422.jpg
    files="$files s444.jpg s422.jpg"
fi

# same FILE BOX_W BOX_H [fast]: the thumbnail and the two-step one match.
same() {
    f=$1; shift
    "$TOOL" thumb "$f" "$@" fused.axr > fused.txt 2>&1
    "$TOOL" thumb "$f" "$@" steps.axr twostep > steps.txt 2>&1
    if cmp -s fused.axr steps.axr; then ok 0 "$f into $*: the same pixels"
    else ok 1 "$f into $*: the same pixels"; sed 's/^/# /' fused.txt steps.txt; fi
}
for f in $files; do
    same "$f" 200 200
    same "$f" 333 0
done
same odd.jpg 640 338
same odd.jpg 0 97
same prog.jpg 640 338
same odd.jpg 120 80 fast
same o6.jpg 120 80 fast

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
is "$(cmp fused.axr steps.axr && echo same)" same "the large photo: the same pixels"
at_most "$fused" "$((steps - 12000))" "the decoded image is never whole in memory"
done_testing
