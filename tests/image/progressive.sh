#!/bin/sh
# progressive.sh - a progressive JPEG decoded for a small result stops
# after the scans the result can show (issue 12): scans are skipped, the
# thumbnail stays within 40 dB of the one from the whole file (a baseline
# copy with the same coefficients, made by jpegtran), a full-size decode
# is unchanged, a file cut short in the skipped scans is still refused as
# truncated, and a progressive zone plate keeps >= 40 dB against Pillow.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
command -v jpegtran >/dev/null || skip_all "jpegtran is missing (libjpeg-turbo-progs)"

gen photo prog.jpg --size 1920x1080 --seed 7 --quality 90 --progressive
jpegtran -copy all prog.jpg > base.jpg   # the same coefficients, in one scan
gen zoneplate zone-base.jpg --size 3840x2160 --quality 95
jpegtran -copy all -progressive zone-base.jpg > zone.jpg

# thumb FILE BOX_W BOX_H OUT [fast]: image_tool's output in $out, status $st.
thumb() { "$TOOL" thumb "$@" >out.txt 2>&1; st=$?; out=$(cat out.txt); sed 's/^/# /' out.txt; }
skipped() { echo "$out" | sed -n 's/^skipped \([0-9]*\) progressive scans$/\1/p'; }

# Thumbnail sizes: 1/8, 1/4 and (the closest to full size that still
# skips) 1/2 of the image, each in the default and the fast quality.
for case in "240 240" "480 480" "960 960" "240 240 fast" "480 480 fast"; do
    set -- $case
    name="$1${3:+-$3}"
    thumb prog.jpg "$1" "$2" "p-$name.axr" ${3:-}
    is "$st" 0 "$name: the progressive thumbnail is made"
    at_least "$(skipped)" 1 "$name: refinement scans were skipped"
    thumb base.jpg "$1" "$2" "b-$name.axr" ${3:-}
    is "$(skipped)" "" "$name: a baseline file has no scans to skip"
    at_least "$(pilref diff "p-$name.axr" "b-$name.axr" | cut -d' ' -f1)" 40 \
        "$name: within 40 dB of the thumbnail from every scan"
    at_least "$(pilref psnr prog.jpg "p-$name.axr")" 32 \
        "$name: within the quality bar of Pillow's LANCZOS of the full image"
done

# Full size, and a result under twice smaller: every scan, the same pixels.
"$TOOL" decode prog.jpg 0 0 p-full.axr >/dev/null
"$TOOL" decode base.jpg 0 0 b-full.axr >/dev/null
is "$(pilref diff p-full.axr b-full.axr)" "inf 0" "a full decode reads every scan"
thumb prog.jpg 1200 1200 p-near.axr
is "$(skipped)" "" "a result under twice smaller skips nothing"

# Cut inside the last scans, which the small decode does not decode: the
# file is still truncated.
size=$(wc -c < prog.jpg)
head -c $((size - 2000)) prog.jpg > cut.jpg
thumb cut.jpg 240 240 cut.axr
check "a progressive file cut short is refused" -- test "$st" -ne 0
contains out.txt "truncated JPEG" "and named truncated"

# The zone plate, progressive, into 640x338 in the default quality.
thumb zone.jpg 640 338 zone.axr
at_least "$(skipped)" 1 "zone plate: scans skipped"
at_least "$(pilref psnr zone-base.jpg zone.axr)" 40 "zone plate: no moire (default quality)"
done_testing
