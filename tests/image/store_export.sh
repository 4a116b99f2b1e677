#!/bin/sh
# One encode per thumbnail (issue 12): the thumbnailer's `store: jpeg |
# webp | png` stores each thumbnail as export_images writes that format,
# and an export with the same options writes the cells as they are (XMP
# added).  The key property: for every format export writes, the files
# exported from `store: raw` thumbnails and from the matching `store:
# FORMAT` ones are byte for byte the same, XMP included: 4:2:0 and 4:4:4,
# progressive, alpha (JPEG flattens it on white), grey, EXIF-rotated
# photos, and with `colour: keep` (the profile travels; `store: raw`
# keeps none, so there `store: png` is the re-encode path compared).  An
# export whose options do not match re-encodes, correctly.  Options the
# store has no use for are refused, naming them.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
py() { "$PYTHON_PIL" "$@"; }

mkdir photos
gen photo photos/a.jpg --size 1600x1000 --seed 1 >/dev/null
gen photo photos/b.jpg --size 1000x1600 --seed 2 --orientation 6 >/dev/null
gen photo photos/grey.jpg --size 900x600 --seed 3 --mode L >/dev/null
gen photo photos/alpha.webp --size 800x600 --seed 4 --mode RGBA >/dev/null
ICC="$AXLE_BUILDDIR/tests/icc_tool"
with_icc=
if [ -x "$ICC" ]; then # lcms2: a photo with an Adobe RGB profile
    "$ICC" adobe adobe.icc
    gen photo base.png --size 1200x900 --seed 5 >/dev/null
    "$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/colourref.py" embed base.png adobe.icc \
        photos/adobe.jpg
    # with alpha too: `store: encoded` keeps it as lossless WebP with its
    # profile, so exporting that cell re-encodes the exact pixels
    "$PYTHON_PIL" - <<'PY'
from PIL import Image
im = Image.open("base.png").convert("RGBA")
im.putalpha(Image.linear_gradient("L").resize(im.size))
im.save("photos/glass.png", icc_profile=open("adobe.icc", "rb").read())
PY
    with_icc=1
fi
nphotos=$(ls photos | wc -l | tr -d ' ')

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
params:
  fmt: jpeg                    # the thumbnailer's store
  efmt: jpeg                   # export's format
  q: 85
  sub: auto
  prog: false
  colour: srgb
  eq: 85
jobs:
  import:
    method: import_images
    options: {files: photos}
  raw:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [320, 240], colour: "${colour}", store: raw}
  encoded:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [320, 240], colour: "${colour}"}
  lossless:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [320, 240], colour: "${colour}", store: png}
  fused:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [320, 240], colour: "${colour}", store: "${fmt}",
              store_quality: "${q}", store_subsampling: "${sub}",
              store_progressive: "${prog}"}
  ex_raw:
    method: export_images
    datasets: {source: raw}
    options: {format: "${efmt}", quality: "${eq}", subsampling: "${sub}",
              progressive: "${prog}"}
  ex_encoded:
    method: export_images
    datasets: {source: encoded}
    options: {format: "${efmt}", quality: "${eq}", subsampling: "${sub}",
              progressive: "${prog}"}
  ex_lossless:
    method: export_images
    datasets: {source: lossless}
    options: {format: "${efmt}", quality: "${eq}", subsampling: "${sub}",
              progressive: "${prog}"}
  ex_fused:
    method: export_images
    datasets: {source: fused}
    options: {format: "${efmt}", quality: "${eq}", subsampling: "${sub}",
              progressive: "${prog}"}
YAML
step_job() { awk -v s="$2" '$1 == s {print $2}' "$1"; }

# same_files A B DESCRIPTION [ONLY [SKIP]]: every file of export step A's
# folder (ONLY: only these stems, "" for all; SKIP: but these stems) is
# byte for byte the one of step B's.
same_files() {
    a=wd/$(step_job out "$1")/output b=wd/$(step_job out "$2")/output n=0 same=0
    for f in "$a"/*; do
        stem=${f##*/}
        case " ${5:-} " in *" ${stem%.*} "*) continue ;; esac
        case " ${4:-${stem%.*}} " in *" ${stem%.*} "*) ;; *) continue ;; esac
        n=$((n + 1))
        if cmp -s "$f" "$b/${f##*/}"; then same=$((same + 1)); else echo "#   $stem differs"; fi
    done
    at_least "$n" 1 "$3: files compared"
    is "$same" "$n" "$3"
}

# run_case NAME PARAMS...: the pipeline at these params; every export
# from the fused column is the re-encode path's file.
run_case() {
    name=$1
    shift
    "$AXLE" run p.yaml "$@" > out 2> err
    ok $? "$name: the pipeline runs"
    [ -s err ] && sed 's/^/#   /' err | grep -v "keeps no colour profile" | head -5
    is "$(ls wd/$(step_job out ex_fused)/output | wc -l | tr -d ' ')" "$nphotos" \
        "$name: every photo exported"
    same_files ex_fused ex_lossless "$name: the files are those exported from lossless PNG thumbnails"
    case " $* " in
    *" colour=keep "*) same_files ex_fused ex_raw \
        "$name: and those from raw thumbnails (but those with a profile, which raw drops)" \
        '' 'adobe glass' ;;
    *) same_files ex_fused ex_raw "$name: and those from raw thumbnails, byte for byte" ;;
    esac
    if [ -n "$with_icc" ]; then
        same_files ex_fused ex_encoded \
            "$name: the photo with alpha and a profile as re-encoded from its lossless cell" glass
    fi
    is "$(cat wd/$(step_job out ex_fused)/result.json)" \
        "$(cat wd/$(step_job out ex_raw)/result.json)" "$name: export's result is the same"
}

run_case "jpeg q85 (4:2:0)"
# The stored cell is the file but for its XMP: passed through, no encode.
py "$AXLE_SRCDIR/tests/image/cells.py" wd/$(step_job out fused)/ds/default thumb cell > cells.txt
sed 's/^/# /' cells.txt
is "$(awk '$2 == "jpeg" && $3 == 85' cells.txt | wc -l | tr -d ' ')" "$nphotos" \
    "store: jpeg cells are JPEG at the recorded quality 85"
through=0
for f in wd/$(step_job out ex_fused)/output/*.jpg; do
    py "$AXLE_SRCDIR/tests/image/xmp.py" strip "$f" stripped.jpg
    for c in cell-*.bin; do cmp -s stripped.jpg "$c" && through=$((through + 1)); done
done
is "$through" "$nphotos" "every exported file is its stored cell untouched but for the XMP"
fused85=$(step_job out fused)

run_case "jpeg q92 4:2:0 progressive, colour keep" q=92 eq=92 sub=420 prog=true colour=keep
is "$(py -c 'import sys; from PIL import Image
print(sum(1 for f in sys.argv[1:] if Image.open(f).info.get("progressive")))' \
      wd/$(step_job out ex_fused)/output/*.jpg)" "$nphotos" "the files are progressive"
if [ -n "$with_icc" ]; then
    is "$(py -c 'import sys; from PIL import Image
print(len(Image.open(sys.argv[1]).info.get("icc_profile") or b""))' \
          wd/$(step_job out ex_fused)/output/adobe.jpg)" "$(wc -c < adobe.icc | tr -d ' ')" \
        "colour: keep: the photo's profile is in its file"
fi
run_case "jpeg q80 4:4:4" q=80 eq=80 sub=444
is "$(py -c 'import sys; from PIL import Image, JpegImagePlugin
print(JpegImagePlugin.get_sampling(Image.open(sys.argv[1])))' \
      wd/$(step_job out ex_fused)/output/a.jpg)" 0 "the files are 4:4:4"
run_case "webp q85, colour keep" fmt=webp efmt=webp colour=keep
run_case "png" fmt=png efmt=png colour=keep

# The store's options are in the thumbnailer's identity: another quality
# is another column, built again; export's files follow it.
"$AXLE" run p.yaml q=90 eq=90 > out 2> err
ok $? "store_quality 90 runs"
isnt_same=$([ "$(step_job out fused)" != "$fused85" ] && echo yes)
is "$isnt_same" yes "store_quality 90 is another thumbnailer job than 85"
same_files ex_fused ex_raw "at 90 (4:4:4 by default) the files are those from raw thumbnails too"

# Options that do not match re-encode: the file is not the cell, and is
# right (within a re-encode of the raw export's pixels).
"$AXLE" run p.yaml eq=80 > out 2> err
ok $? "store_quality 85, export quality 80: runs"
py "$AXLE_SRCDIR/tests/image/xmp.py" strip wd/$(step_job out ex_fused)/output/a.jpg stripped.jpg
hits=0
for c in cell-*.bin; do cmp -s stripped.jpg "$c" && hits=$((hits + 1)); done
is "$hits" 0 "a cell at 85 exported at 80 is encoded again"
cat > psnr.py <<'EOF'
import math, sys
from PIL import Image, ImageChops, ImageStat
a, b = (Image.open(f).convert("RGB") for f in sys.argv[1:3])
d = ImageStat.Stat(ImageChops.difference(a, b)).rms
mse = sum(v * v for v in d) / len(d)
print("inf" if mse == 0 else "%.2f" % (10 * math.log10(255 * 255 / mse)))
EOF
for f in a b grey alpha; do
    at_least "$(py psnr.py wd/$(step_job out ex_fused)/output/$f.jpg \
                   wd/$(step_job out ex_raw)/output/$f.jpg)" 30 \
        "$f.jpg re-encoded from the q85 cell is close to the one from raw pixels"
done
"$AXLE" run p.yaml prog=true > out 2> err
ok $? "a baseline cell exported progressive: runs"
is "$(py -c 'import sys; from PIL import Image
print(Image.open(sys.argv[1]).info.get("progressive", 0))' \
      wd/$(step_job out ex_fused)/output/a.jpg)" 1 "the file is progressive: encoded again"
"$AXLE" run p.yaml fmt=webp > out 2> err
ok $? "webp cells exported as JPEG: runs"
at_least "$(py psnr.py wd/$(step_job out ex_fused)/output/a.jpg \
               wd/$(step_job out ex_raw)/output/a.jpg)" 30 \
    "a JPEG from a WebP cell is close to the one from raw pixels"

# The shipped pipeline (store: jpeg at its `quality`, export at the same):
# built incrementally after photos are added, changed and removed, its
# exported files are a cold run's on the final photos, byte for byte.
mkdir lib
cp photos/a.jpg photos/grey.jpg photos/alpha.webp lib/
mkdir inc cold
cp "$AXLE_SRCDIR/pipelines/thumbnails.yaml" inc/p.yaml
cp "$AXLE_SRCDIR/pipelines/thumbnails.yaml" cold/p.yaml
run_shipped() { "$AXLE" run p.yaml input="$T_TMP/lib" size=[200,200] --slices 2; }
(cd inc && run_shipped > ../s1.out 2> ../s1.err)
ok $? "the shipped pipeline runs"
gen photo lib/new.jpg --size 700x500 --seed 9 >/dev/null
gen photo lib/a.jpg --size 1600x1000 --seed 10 >/dev/null
rm lib/grey.jpg
(cd inc && run_shipped > ../s2.out 2> ../s2.err)
ok $? "and again after a photo added, one changed, one removed"
is "$(grep -c 'built incrementally' s2.out)" 3 "import, thumbs and export build on their last jobs"
(cd cold && run_shipped > ../s3.out 2> ../s3.err)
ok $? "a cold run on the final photos"
diff -r inc/axle-work/latest/export/output cold/axle-work/latest/export/output > diffs 2>&1
ok $? "the incremental export's files are the cold run's"
sed 's/^/#   /' diffs | head -5
is "$(ls cold/axle-work/latest/export/output | tr '\n' ' ')" "a.jpg alpha.jpg new.jpg " \
    "every live photo exported"

# Refusals, each naming its option.
"$AXLE" run p.yaml fmt=webp prog=true > out 2> err
is $? 1 "store_progressive with store: webp is refused"
contains err "option 'store_progressive: true' is for store: jpeg" "naming the option"
"$AXLE" run p.yaml fmt=png sub=444 > out 2> err
is $? 1 "store_subsampling with store: png is refused"
contains err "option 'store_subsampling: 444' is for store: jpeg" "naming the option"
"$AXLE" run p.yaml fmt=encoded q=90 > out 2> err
is $? 1 "store_quality with store: encoded is refused"
contains err "option 'store_quality: 90' is for store: jpeg or webp" "naming the option"
"$AXLE" run p.yaml fmt=avif > out 2> err
ok $((! $?)) "store: avif is not a choice (export would encode it again for its XMP)"
sed 's/^/#   /' err
contains err "not one of: encoded, raw, jpeg, webp, png" "the error lists the choices"

done_testing
