#!/bin/sh
# corrupt_input.sh - damaged JPEG and WebP files whose headers are whole
# (tests/image/corrupt.py) go through import and fail in the thumbnailer:
# each is skipped with the right reason (truncated or corrupt) and gets no
# exported file, while the good images in the same run are exported; the
# decode never hands back pixels it did not write.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

"$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/corrupt.py" in

# The SDK's decode on each file, through image_tool: the reason's words.
decode_says() {  # decode_says FILE WORDS
    rm -f out.axr
    out=$("$TOOL" decode "in/$1" 0 0 out.axr 2>&1); st=$?
    is "$st" 1 "decode of $1 fails"
    case $out in
    *"$2"*) ok 0 "$1: '$2'" ;;
    *) ok 1 "$1: '$2'"; echo "#   got: $out" ;;
    esac
    check "no pixels written for $1" -- test ! -e out.axr
}
decode_says trunc-baseline.jpg "error -4: truncated JPEG"
decode_says trunc-progressive.jpg "error -4: truncated JPEG"
decode_says marker-progressive.jpg "error -4: corrupt JPEG: Unsupported marker type 0x02"
decode_says garbage-baseline.jpg "error -4: corrupt JPEG"
decode_says corrupt-lossless.webp "error -4: corrupt WebP"
decode_says trunc-lossy.webp "error -4: truncated WebP"

"$AXLE" run "$AXLE_SRCDIR/pipelines/thumbnails.yaml" input=in size=[64,64] \
    >run.out 2>run.err; st=$?
sed 's/^/# /' run.out
is "$st" 0 "the run succeeds: bad items are skipped, not fatal"
job() { awk -v s="$1" '$1 == s { print $2 }' run.out; }
import_dir="axle-work/$(job import)"
thumbs_dir="axle-work/$(job thumbs)"
out="axle-work/$(job export)/output"
check "import skipped nothing: every header is whole" -- test ! -e "$import_dir/skipped.json"

# reason FILE: the thumbnailer's skip reason for FILE ("" when not skipped).
reason() {
    "$PYTHON_PIL" -c 'import json, sys
for e in json.load(open(sys.argv[1])):
    if e["file"].endswith("/" + sys.argv[2]) or e["file"] == sys.argv[2]:
        print(e["reason"])' "$thumbs_dir/skipped.json" "$1" 2>/dev/null
}
skipped() {  # skipped FILE WORDS
    r=$(reason "$1")
    case $r in
    "$2"*) ok 0 "$1 skipped: $r" ;;
    *) ok 1 "$1 skipped as '$2...'"; echo "#   got: '$r'" ;;
    esac
    stem=${1%.*}
    check "no exported file for $1" -- test ! -e "$out/$stem.jpg"
}
skipped trunc-baseline.jpg "truncated JPEG"
skipped trunc-progressive.jpg "truncated JPEG"
skipped marker-progressive.jpg "corrupt JPEG: Unsupported marker type 0x02"
skipped garbage-baseline.jpg "corrupt JPEG"
skipped corrupt-lossless.webp "corrupt WebP"
skipped trunc-lossy.webp "truncated WebP"
contains run.err "marker-progressive.jpg: corrupt JPEG" "the skip is named on stderr"
contains run.out "6 items skipped" "the summary counts the six"

is "$(pilref info "$out/good-jpeg.jpg")" "RGB 64x43" "the good JPEG is exported"
is "$(pilref info "$out/good-webp.jpg")" "RGB 64x43" "the good WebP is exported"
is "$(find "$out" -type f | wc -l | tr -d ' ')" 2 "and nothing else is"
done_testing
