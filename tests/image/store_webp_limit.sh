#!/bin/sh
# store_webp_limit.sh - `store: webp` and WebP's 16383 pixels a side: a
# thumbnail over it is that photo's failure, not the job's (skipped with
# its reason, its row null, the other photos thumbnailed; `on_error:
# fail` fails the job naming it), and a size that makes every thumbnail
# too wide is refused before any work.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

mkdir in
gen photo in/small.jpg --size 120x80 >/dev/null
"$PYTHON_PIL" -c 'from PIL import Image; Image.new("L", (16400, 4), 90).save("in/wide.jpg")'
cat >p.yaml <<'YAML'
params:
  size: 20000
  on_error: skip
  upscale: false
jobs:
  import:
    method: import_images
    options: {files: in}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: "${size}", store: webp, on_error: "${on_error}",
              upscale: "${upscale}", sizes: {tiny: 16}}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {format: webp}
YAML

# A box of 20000 keeps both photos at their own size: 16400 is too wide.
"$AXLE" run p.yaml >run.out 2>run.err; st=$?
is "$st" 0 "the run succeeds: the too-wide thumbnail is skipped, not fatal"
thumbs_dir="axle-work/$(awk '$1 == "thumbs" { print $2 }' run.out)"
out="axle-work/$(awk '$1 == "export" { print $2 }' run.out)/output"
reason=$("$PYTHON_PIL" -c 'import json, sys
for e in json.load(open(sys.argv[1])):
    print(e["file"].split("/")[-1], e["reason"])' "$thumbs_dir/skipped.json" 2>&1)
is "$reason" "wide.jpg a 16400x4 thumbnail is over WebP's 16383 pixels a side (option 'store: webp'): store jpeg or png, or ask for a smaller size" \
    "the skipped list names the photo and why"
contains run.err "wide.jpg: a 16400x4 thumbnail is over WebP's 16383 pixels a side" \
    "the skip is named on stderr"
contains run.out '"skipped":1,"thumbnails":1' "the result counts it, and the other photo's thumbnail"
is "$(pilref info "$out/small.webp")" "RGB 120x80" "the other photo is thumbnailed and exported"
check "the skipped photo is not exported" -- test ! -e "$out/wide.webp"

"$AXLE" run p.yaml on_error=fail >fail.out 2>fail.err; st=$?
is "$st" 1 "with on_error: fail the job fails"
contains fail.err "wide.jpg: a 16400x4 thumbnail is over WebP's 16383 pixels a side" \
    "naming the photo and why"

# An exact size over the limit would make every thumbnail too wide.
"$AXLE" run p.yaml 'size=16384x2!' >exact.out 2>exact.err; st=$?
is "$st" 1 "an exact size over WebP's limit fails the job"
contains exact.err "option 'size' [16384, 2] (exact) makes every thumbnail over WebP's 16383 pixels a side (option 'store: webp'): store jpeg or png, or a smaller size" \
    "before any work, naming the size, the store and the limit"
contains exact.err "prepare() failed" "it stopped in prepare"
# So would one side given with upscale; without, a smaller photo fits.
"$AXLE" run p.yaml size=16400x upscale=true >up.out 2>up.err; st=$?
is "$st" 1 "a width over the limit with upscale fails the job"
contains up.err "prepare() failed: option 'size' [16400, 0] with 'upscale: true' makes every thumbnail over WebP's 16383 pixels a side" \
    "before any work, naming the size and upscale"
"$AXLE" run p.yaml size=16400x >noup.out 2>noup.err; st=$?
is "$st" 0 "without upscale the same size is taken (photos may be smaller)"
done_testing
