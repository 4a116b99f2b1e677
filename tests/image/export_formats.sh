#!/bin/sh
# export_formats.sh - export_images' formats and what its files carry, read
# back by Pillow (AVIF through libheif's heif-convert): png and avif of the
# right size and pixels; jpeg `progressive` and `subsampling`, also at the
# quality a stored thumbnail would pass through at; `metadata: keep` copies
# the photo's EXIF without its IFD1 thumbnail and with orientation 1,
# `strip` (the default) copies none; `colour: keep` thumbnails carry the
# photo's profile into every format, equal to the source's, `colour: srgb`
# ones none (store: raw ones warn that they cannot keep it); every file
# carries its job's recipe in its XMP, and `axle which` finds
# it; the same run gives the same bytes; bad values are refused naming the
# option.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
ICC="$AXLE_BUILDDIR/tests/icc_tool"
[ -x "$ICC" ] || skip_all "built without lcms2 (tests/icc_tool makes the profile)"
command -v heif-convert >/dev/null || skip_all "no heif-convert (libheif-examples)"
chk() { "$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/exportcheck.py" "$@"; }

"$ICC" adobe adobe.icc
mkdir in
chk photo in/plain.jpg
chk photo in/adobe.jpg adobe.icc
adobe_sha=$(chk sha adobe.icc)

cat >p.yaml <<'EOF'
workdir: wd
jobs:
  import:
    method: import_images
    options: {files: in}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 200}
  kept:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 200, colour: keep}
  jpg:
    method: export_images
    datasets: {source: thumbs}
    options: {format: jpeg, quality: 95}
  prog:
    method: export_images
    datasets: {source: thumbs}
    options: {format: jpeg, quality: 95, progressive: true}
  sub420:
    method: export_images
    datasets: {source: thumbs}
    options: {format: jpeg, quality: 95, subsampling: 420}
  sub444:
    method: export_images
    datasets: {source: thumbs}
    options: {format: jpeg, quality: 80, subsampling: 444}
  keepjpg:
    method: export_images
    datasets: {source: thumbs}
    options: {format: jpeg, quality: 95, metadata: keep}
  png:
    method: export_images
    datasets: {source: thumbs}
    options: {format: png}
  avif:
    method: export_images
    datasets: {source: thumbs}
    options: {format: avif, quality: 80}
  kept_jpg:
    method: export_images
    datasets: {source: kept}
    options: {format: jpeg, quality: 90, metadata: keep}
  kept_webp:
    method: export_images
    datasets: {source: kept}
    options: {format: webp, metadata: keep}
  kept_png:
    method: export_images
    datasets: {source: kept}
    options: {format: png, metadata: keep}
  kept_avif:
    method: export_images
    datasets: {source: kept}
    options: {format: avif, metadata: keep}
EOF
"$AXLE" run p.yaml --slices 2 >run.out 2>run.err; st=$?
is "$st" 0 "the pipeline with every format and option runs"
sed 's/^/# /' run.err | head -20
out() { echo "wd/$(awk -v s="$1" '$1 == s { print $2 }' run.out)/output/$2"; }

# -- each format: the right size and pixels ------------------------------
for step in jpg:plain.jpg png:plain.png avif:plain.avif kept_webp:plain.webp; do
    f=$(out "${step%%:*}" "${step#*:}")
    check "$f exists" -- test -f "$f"
    is "$(chk size "$f")" 150x200 "$f: 150x200, turned upright as the photo's EXIF says"
    at_least "$(chk psnr "$f" in/plain.jpg)" 38 "$f: the photo's pixels"
done
check "the png is a PNG" -- sh -c "head -c 8 '$(out png plain.png)' | od -c | grep -q 'P   N   G'"
check "the avif is an AVIF" -- grep -q 'ftypavif' "$(out avif plain.avif)"

# -- jpeg: progressive and subsampling ----------------------------------
is "$(chk progressive "$(out jpg plain.jpg)")" 0 "by default a JPEG is baseline"
is "$(chk progressive "$(out prog plain.jpg)")" 1 \
    "progressive: true at the stored quality is progressive (no pass-through)"
is "$(chk sampling "$(out jpg plain.jpg)")" 0 "by default quality 95 is 4:4:4"
is "$(chk sampling "$(out sub420 plain.jpg)")" 2 \
    "subsampling: 420 at quality 95 is 4:2:0 (no pass-through)"
is "$(chk sampling "$(out sub444 plain.jpg)")" 0 "subsampling: 444 at quality 80 is 4:4:4"
at_least "$(chk psnr "$(out prog plain.jpg)" in/plain.jpg)" 38 "the progressive JPEG's pixels"

# -- metadata: strip | keep ---------------------------------------------
is "$(chk exif "$(out jpg plain.jpg)")" none "metadata: strip (the default) copies no EXIF"
is "$(chk exif "$(out png plain.png)")" none "nor into PNG"
for f in "$(out keepjpg plain.jpg)" "$(out kept_jpg adobe.jpg)" "$(out kept_webp plain.webp)" \
         "$(out kept_png plain.png)" "$(out kept_avif plain.avif)"; do
    chk exif "$f" >exif.txt
    contains exif.txt "make=AxleCam" "$f: metadata: keep copies the camera make"
    contains exif.txt "model=X-1 Test" "$f: and model"
    contains exif.txt "taken=2024:05:06 07:08:09" "$f: and the Exif IFD's DateTimeOriginal"
    contains exif.txt "orientation=1" "$f: orientation 1, the pixels being upright"
    contains exif.txt "ifd1=0" "$f: no IFD1"
    contains exif.txt "thumbnail=0" "$f: nor the embedded thumbnail's bytes"
done

# -- colour: keep carries the profile -------------------------------------
for f in "$(out kept_jpg adobe.jpg)" "$(out kept_webp adobe.webp)" \
         "$(out kept_png adobe.png)" "$(out kept_avif adobe.avif)"; do
    is "$(chk icc "$f")" "$adobe_sha" "$f: colour: keep embeds the photo's profile, unchanged"
done
is "$(chk icc "$(out kept_png plain.png)")" none "a photo without a profile gets none"
for f in "$(out jpg adobe.jpg)" "$(out png adobe.png)" "$(out avif adobe.avif)"; do
    is "$(chk icc "$f")" none "$f: colour: srgb embeds no profile (sRGB implied)"
done
at_least "$(chk psnr "$(out kept_png adobe.png)" in/adobe.jpg)" 38 \
    "colour: keep leaves the pixels as stored"

# raw cells have no room for a profile: said, not silently dropped
cat >raw.yaml <<'EOF2'
workdir: wd
jobs:
  import:
    method: import_images
    options: {files: in}
  rawkept:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 200, colour: keep, store: raw}
EOF2
"$AXLE" run raw.yaml >raw.out 2>raw.err
contains raw.err "'store: raw' keeps no colour profile" \
    "colour: keep with store: raw warns that the profile cannot be kept"

# -- provenance in every format --------------------------------------------
for step in jpg:plain.jpg prog:plain.jpg png:plain.png avif:plain.avif \
            kept_webp:plain.webp kept_avif:adobe.avif; do
    f=$(out "${step%%:*}" "${step#*:}")
    id=$(awk -v s="${step%%:*}" '$1 == s { print $2 }' run.out)
    want=$(chk job-recipe "wd/$id/job.json")
    [ "$want" != none ] || want="(job $id records no recipe)"
    is "$(chk recipe "$f")" "$want" "$f: its XMP carries its job's recipe"
done
for f in "$(out png plain.png)" "$(out avif plain.avif)"; do
    cp "$f" "copy.${f##*.}"
    "$AXLE" which --workdir wd "copy.${f##*.}" >which.out 2>&1
    contains which.out "$(basename "$(dirname "$(dirname "$f")")")" \
        "axle which names the job of a copied ${f##*.}"
done

# -- deterministic ---------------------------------------------------------
mv wd first
"$AXLE" run p.yaml >run2.out 2>&1
same=0 files=0
for f in first/*/output/*; do
    files=$((files + 1))
    cmp -s "$f" "wd/${f#first/}" && same=$((same + 1))
done
is "$same" "$files" "the same run again writes the same bytes in every format"

# -- bad values, named -----------------------------------------------------
# bad NAME OPTIONS NEEDLE: an export with OPTIONS fails saying NEEDLE.
bad() {
    sed -n '1,13p' p.yaml >"$1.yaml"
    printf '  bad:\n    method: export_images\n    datasets: {source: thumbs}\n' >>"$1.yaml"
    printf '    options: {%s}\n' "$2" >>"$1.yaml"
    "$AXLE" run "$1.yaml" >"$1.out" 2>&1; st=$?
    isnt_zero "$st" "$2: refused"
    contains "$1.out" "$3" "$2: the message names it"
}
isnt_zero() { if [ "$1" -ne 0 ]; then ok 0 "$2"; else ok 1 "$2"; fi; }
bad fmt 'format: gif' "option 'format' is 'gif', not one of: jpeg, webp, png, avif"
bad sub 'subsampling: 422' "option 'subsampling' is '422', not one of: auto, 420, 444"
bad meta 'metadata: all' "option 'metadata' is 'all', not one of: strip, keep"
bad prog 'format: png, progressive: true' "option 'progressive: true' is for format jpeg"
bad progw 'format: webp, progressive: true' "option 'progressive: true' is for format jpeg"
bad subw 'format: webp, subsampling: 444' "option 'subsampling: 444' is for formats jpeg and avif"
bad subp 'format: png, subsampling: 420' "option 'subsampling: 420' is for formats jpeg and avif"
done_testing
