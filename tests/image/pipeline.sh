#!/bin/sh
# pipeline.sh - pipelines/thumbnails.yaml end to end through `axle run`:
# exact thumbnail sizes, bad files named while good ones go through,
# export names (subfolders kept, collisions), the shape histogram, reuse
# on a second run, and only thumbs and export rebuilt when size changes.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

PIPE="$AXLE_SRCDIR/pipelines/thumbnails.yaml"
mkdir in
cp -R "$AXLE_SRCDIR/pipelines/samples/." in/
gen bad bad
cp bad/truncated.jpg in/broken.jpg   # headers whole: imported, thumbnail fails
cp bad/text.webp in/notes.webp       # not an image: not imported
cp in/harbour.jpg in/meadow.jpg      # meadow.jpg and meadow.webp collide on export

# run NAME ARGS...: stdout in NAME.out, stderr in NAME.err, status in $st.
run() {
    name=$1; shift
    "$AXLE" run "$PIPE" "$@" >"$name.out" 2>"$name.err"; st=$?
    sed 's/^/# /' "$name.out"
}
# step_word FILE STEP: the word after the job id on STEP's line.
step_word() { awk -v s="$2" '$1 == s { print $3 }' "$1"; }
step_job() { awk -v s="$2" '$1 == s { print $2 }' "$1"; }

run first input=in size=[128,128]
is "$st" 0 "first run succeeds"
for s in import thumbs export shapes; do
    is "$(step_word first.out $s)" built "first run builds $s"
done
contains first.err "notes.webp: not an image" "the text file is named with its reason"
contains first.err "broken.jpg: truncated JPEG" "the truncated JPEG is named with its reason"
contains first.out "items skipped" "the summary counts the skipped files"

out="axle-work/$(step_job first.out export)/output"
check "export folder exists" -- test -d "$out"
# Every good image has a file of exactly PIL's thumbnail() size; the bad
# ones have none.
"$PYTHON_PIL" - "$out" >sizes.txt <<'PY'
import os, sys
from PIL import Image, ImageOps
out = sys.argv[1]
for root, _, files in os.walk("in"):
    for f in sorted(files):
        src = os.path.join(root, f)
        rel = os.path.relpath(src, "in")
        try:
            im = ImageOps.exif_transpose(Image.open(src))
            im.load()
        except Exception:
            continue
        im.thumbnail((128, 128))
        stem = os.path.splitext(rel)[0]
        name = stem + ".jpg"
        if rel == "meadow.webp":
            name = "meadow.webp.jpg"  # meadow.jpg sorts first and keeps meadow.jpg
        path = os.path.join(out, name)
        got = Image.open(path).size if os.path.exists(path) else None
        print(rel, "ok" if got == im.size else f"want {im.size} got {got}")
PY
sed 's/^/# /' sizes.txt
is "$(grep -c ' ok$' sizes.txt)" 11 "11 good images exported at PIL's thumbnail size"
is "$(grep -vc ' ok$' sizes.txt)" 0 "no exported size differs"
check "subfolders kept: 2023/lake.jpg" -- test -f "$out/2023/lake.jpg"
check "subfolders kept: 2024/lake.jpg" -- test -f "$out/2024/lake.jpg"
check "collision: meadow.webp exported as meadow.webp.jpg" -- test -f "$out/meadow.webp.jpg"
check "no file for the truncated image" -- test ! -e "$out/broken.jpg"
check "no file for the text file" -- test ! -e "$out/notes.jpg"
is "$(pilref info "$out/street-grey.jpg")" "L 128x128" "greyscale stays greyscale"
is "$(pilref info "$out/phone-rotated.jpg")" "RGB 96x128" "EXIF orientation 6 applied"

"$AXLE" job shapes >shapes.txt 2>&1
contains shapes.txt "960x720" "axle job shapes shows the histogram"
shapes_dir="axle-work/$(step_job first.out shapes)"
contains "$shapes_dir/result.json" '"640x480": 2' "shape result counts both 640x480 images"
"$AXLE" job export >export.txt 2>&1
contains export.txt "output/2023/lake.jpg" "axle job export lists the registered files"

run second input=in size=[128,128]
for s in import thumbs export shapes; do
    is "$(step_word second.out $s)" reused "second run reuses $s"
done

run third input=in size=[64,64]
is "$(step_word third.out import)" reused "new size: import reused"
is "$(step_word third.out shapes)" reused "new size: shapes reused"
is "$(step_word third.out thumbs)" built "new size: thumbs rebuilt"
is "$(step_word third.out export)" built "new size: export rebuilt"
out3="axle-work/$(step_job third.out export)/output"
is "$(pilref info "$out3/harbour.jpg")" "RGB 64x43" "new size applied"

# on_error: fail stops the run, naming the file.
sed 's/options: {files: "${input}"}/options: {files: "${input}", on_error: fail}/' "$PIPE" >strict.yaml
"$AXLE" run strict.yaml input=in >strict.out 2>strict.err; st=$?
is "$st" 1 "on_error: fail makes the run fail"
contains strict.err "notes.webp" "and the error names the file"
done_testing
