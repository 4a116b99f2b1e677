#!/bin/sh
# limits.sh - the thumbnailer's limits are checked before any work, each
# with its reason: `size` stops at 65500 (JPEG's largest), and `upscale`
# may not ask for thumbnails over `max_pixels`; the encoder names a
# format's maximum.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

mkdir in
gen photo in/a.jpg --size 120x80
cat >p.yaml <<'YAML'
params:
  size: [64, 64]
  upscale: false
jobs:
  import:
    method: import_images
    options: {files: in}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: "${size}", upscale: "${upscale}", max_pixels: 1000000}
YAML

"$AXLE" run p.yaml size=[65535,64] >big.out 2>big.err; st=$?
is "$st" 2 "size 65535 is refused before any job runs"
contains big.err "option 'size' is 65535, outside 1..65500" "the error names size and the bound"
check "no job was made" -- test ! -d axle-work/axle-work-1

"$AXLE" run p.yaml size=[65500,65500] >edge.out 2>edge.err; st=$?
is "$st" 0 "size 65500 is accepted"
"$AXLE" run p.yaml size=[2000,2000] upscale=true >up.out 2>up.err; st=$?
is "$st" 1 "upscale to 2000x2000 over max_pixels 1000000 fails the job"
contains up.err "option 'size' [2000, 2000] with 'upscale: true' makes thumbnails of up to 4000000 pixels, over 'max_pixels' (1000000)" \
    "the error names size, upscale, max_pixels and the numbers"
thumbs=$(awk '$1 == "thumbs" { print $2 }' up.out)
check "it stopped in prepare: no slice ran" -- sh -c "! ls axle-work/$thumbs/log/analysis-* >/dev/null 2>&1"
"$AXLE" run p.yaml size=[1000,1000] upscale=true >up2.out 2>up2.err; st=$?
is "$st" 0 "upscale within max_pixels works"
"$AXLE" ds thumbs >ds.txt 2>&1
contains ds.txt "thumb" "and makes its thumbnails"

# The encoder names a format's maximum.
"$PYTHON_PIL" -c 'from PIL import Image; Image.new("L", (16384, 2), 90).save("wide.jpg", quality=90)'
out=$("$TOOL" encode wide.jpg webp 90 x.webp 2>&1)
case $out in
*"WebP cannot hold 16384x2 pixels (16383 at most per side)"*) ok 0 "WebP's limit named" ;;
*) ok 1 "WebP's limit named"; echo "#   got: $out" ;;
esac
done_testing
