#!/bin/sh
# quality_fast.sh - the thumbnailer's `quality: high | fast` (issue 12):
# fast decodes a JPEG at the smallest scale that covers the thumbnail
# (margin 1, Pillow's draft()), high (the default) at twice that.  Fast
# stays within the quality bar of the image methods (32 dB against
# Pillow's LANCZOS of the full image) on a photograph and differs from
# high; the default keeps the zone plate at 40 dB or more.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

mkdir photos
gen photo photos/a.jpg --size 1920x1080 --seed 11 --quality 90 >/dev/null
gen zoneplate zone.jpg --size 3840x2160 --quality 95

write() { # write QUALITY: a pipeline with the thumbnailer at that quality
    cat > "p-$1.yaml" <<YAML
workdir: wd
slices: 2
jobs:
  import:
    method: import_images
    options: {files: photos}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [320, 320], store: raw, quality: $1}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {format: webp, quality: 100}
YAML
}
step_job() { awk -v s="$2" '$1 == s {print $2}' "$1"; }
for q in high fast; do
    write $q
    "$AXLE" run "p-$q.yaml" > "$q.out" 2> "$q.err"
    ok $? "quality: $q runs"
    sed 's/^/# /' "$q.out" "$q.err"
done
high=wd/$(step_job high.out export)/output/a.webp
fast=wd/$(step_job fast.out export)/output/a.webp
check "quality: fast is a job of its own" -- test "$high" != "$fast"
is "$(pilref info "$fast")" "RGB 320x180" "fast: the thumbnail's size"
at_least "$(pilref psnr photos/a.jpg "$fast")" 32 "fast: within the quality bar (Pillow's LANCZOS)"
at_least "$(pilref psnr photos/a.jpg "$high")" 32 "high: within the quality bar (Pillow's LANCZOS)"
check "fast and high differ (fast decodes at 1/4, high at 1/2)" -- \
    sh -c "[ \"\$($PYTHON_PIL $AXLE_SRCDIR/tests/image/pilref.py diff $fast $high)\" != 'inf 0' ]"

write best
"$AXLE" run p-best.yaml > best.out 2> best.err
check "an unknown quality is refused" -- test $? -ne 0
contains best.err "quality" "the error names the option"

# The zone plate into 640x338: 40 dB in the default (high) quality; fast
# trades that for speed.
"$TOOL" thumb zone.jpg 640 338 zone-high.axr >/dev/null
"$TOOL" thumb zone.jpg 640 338 zone-fast.axr fast >/dev/null
at_least "$(pilref psnr zone.jpg zone-high.axr)" 40 "zone plate, high: no moire"
zf=$(pilref psnr zone.jpg zone-fast.axr)
echo "# zone plate, fast: $zf dB"
check "zone plate, fast: the moire the margin avoids (under 40 dB)" -- \
    awk -v g="$zf" 'BEGIN { exit !(g + 0 < 40) }'
done_testing
