#!/bin/sh
# colour_pipeline.sh - the thumbnailer's `colour` option through `axle
# run`: by default Adobe RGB and Display P3 photos are exported in sRGB
# (close to Pillow's ImageCms reference), the job's result counts the
# conversions per profile over two slices, a broken profile is named on
# stderr and counted; `colour: keep` leaves pixels as stored and counts
# them as kept; a photo without a profile gives the same file either way.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
ICC="$AXLE_BUILDDIR/tests/icc_tool"
[ -x "$ICC" ] || skip_all "built without lcms2 (tests/icc_tool)"
ref() { "$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/colourref.py" "$@"; }

"$ICC" adobe adobe.icc
"$ICC" p3 p3.icc
mkdir in
gen photo base.png --size 1600x1200 --seed 11
ref embed base.png adobe.icc in/adobe1.jpg
ref embed base.png adobe.icc in/adobe2.jpg
ref embed base.png p3.icc in/p3.jpg
"$PYTHON_PIL" - <<'PY'
from PIL import Image
im = Image.open("base.png")
im.save("in/plain.jpg", quality=95)
im.save("in/broken.jpg", quality=95, icc_profile=b"not a profile" * 20)
PY

cat >colour.yaml <<'EOF'
params:
  colour: srgb
jobs:
  import:
    method: import_images
    options: {files: in}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 400, colour: "${colour}", sizes: {small: 200}}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {format: jpeg, quality: 95}
  export_small:
    method: export_images
    datasets: {source: thumbs}
    options: {column: small, format: jpeg, quality: 95}
EOF

job_dir() { awk -v s="$2" '$1 == s { print $2 }' "$1"; }
# result JOB OUT: the job's result as a text file (it has no newline).
result() { { cat "axle-work/$1/result.json"; echo; } >"$2"; }

"$AXLE" run colour.yaml --slices 2 >srgb.out 2>srgb.err; st=$?
is "$st" 0 "the default run succeeds"
result "$(job_dir srgb.out thumbs)" srgb.json
out=axle-work/$(job_dir srgb.out export)/output
contains srgb.json '"converted": {"Adobe RGB (1998)": 2, "Display P3": 1}' \
    "the result counts conversions per profile, over both slices"
contains srgb.json '"unconverted": {"(broken profile)": 1}' \
    "the broken profile is counted"
contains srgb.err "broken.jpg: colour profile taken as sRGB: unreadable ICC profile" \
    "the broken profile is named on stderr with the reason"
is "$(grep -c 'adobe1.jpg\|adobe2.jpg\|p3.jpg' srgb.err)" 0 \
    "conversions are not warned about one by one"
# Exported at q95, an sRGB photo is 2 levels from its reference already;
# a converted one may be at most half a level further.
loss=$(ref mad in/plain.jpg "$out/plain.jpg")
at_most "$(ref mad in/adobe1.jpg "$out/adobe1.jpg")" "$(awk -v l="$loss" 'BEGIN { print l + 0.5 }')" \
    "Adobe RGB exported in sRGB"
at_most "$(ref mad in/p3.jpg "$out/p3.jpg")" "$(awk -v l="$loss" 'BEGIN { print l + 0.5 }')" \
    "Display P3 exported in sRGB"
# Every size of `sizes` is converted, not only the first.
sout=axle-work/$(job_dir srgb.out export_small)/output
sloss=$(ref mad in/plain.jpg "$sout/plain.jpg")
at_most "$(ref mad in/adobe1.jpg "$sout/adobe1.jpg")" "$(awk -v l="$sloss" 'BEGIN { print l + 0.5 }')" \
    "Adobe RGB in sRGB in the 'sizes' column too"

"$AXLE" run colour.yaml colour=keep >keep.out 2>keep.err; st=$?
is "$st" 0 "the run with colour: keep succeeds"
result "$(job_dir keep.out thumbs)" keep.json
kout=axle-work/$(job_dir keep.out export)/output
contains keep.json '"kept": {"(broken profile)": 1, "Adobe RGB (1998)": 2, "Display P3": 1}' \
    "keep counts the profiles kept"
is "$(ref diff "$kout/adobe1.jpg" "$out/plain.jpg")" 0.000 \
    "keep: the pixels of the same photo without a profile"
at_least "$(ref mad in/adobe1.jpg "$kout/adobe1.jpg")" 3 "keep: not converted"
is "$(ref diff "$out/plain.jpg" "$kout/plain.jpg")" 0.000 "no profile: the same pixels either way"
done_testing
