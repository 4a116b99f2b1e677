#!/bin/sh
# The thumbnail column stored encoded (issue 11 item 5): each cell within
# 45 dB PSNR of the raw pixels (`store: raw` keeps those), exact for the
# lossless WebP of an image with alpha, far smaller than raw; and export
# passing a stored bitstream through untouched when format and quality
# match (only the provenance XMP added), re-encoding otherwise.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"

mkdir photos
gen photo photos/a.jpg --size 1600x1000 --seed 1 >/dev/null
gen photo photos/b.jpg --size 1000x1600 --seed 2 --orientation 6 >/dev/null
gen photo photos/grey.jpg --size 900x600 --seed 3 --mode L >/dev/null
gen photo photos/alpha.webp --size 800x600 --seed 4 --mode RGBA >/dev/null

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
params:
  quality: 85
jobs:
  import:
    method: import_images
    options: {files: photos}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [320, 240]}
  raw:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [320, 240], store: raw}
  sized:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [320, 240], sizes: {small: 100}}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {quality: "${quality}"}
YAML
"$AXLE" run p.yaml > out 2> err
ok $? "the pipeline runs"
step_job() { awk -v s="$2" '$1 == s {print $2}' "$1"; }
thumbs=wd/$(step_job out thumbs)/ds/default
raw=wd/$(step_job out raw)/ds/default
sized=wd/$(step_job out sized)/ds/default

py() { "$PYTHON_PIL" "$@"; }
py "$AXLE_SRCDIR/tests/image/cells.py" "$thumbs" thumb stored > stored.txt
py "$AXLE_SRCDIR/tests/image/cells.py" "$raw" thumb raw > raw.txt
sed 's/^/# /' stored.txt
is "$(wc -l < stored.txt | tr -d ' ')" 4 "four thumbnails stored"
is "$(awk '$2 == "jpeg" && ($3 == 0 || ($3 >= 95 && $3 <= 100))' stored.txt | wc -l | tr -d ' ')" 3 \
    "the three opaque photos are JPEG at quality 95-100 (0: a half step), recorded in the cell"
is "$(awk '$2 == "webp" && $3 == 255' stored.txt | wc -l | tr -d ' ')" 1 \
    "the photo with alpha is lossless WebP"
is "$(awk '{print $4}' stored.txt | tr '\n' ' ')" "$(awk '{print $4}' raw.txt | tr '\n' ' ')" \
    "every stored thumbnail has the raw one's size"

cat > psnr.py <<'EOF'
import math, sys
from PIL import Image, ImageChops, ImageStat
a, b = Image.open(sys.argv[1]), Image.open(sys.argv[2])
mode = "RGBA" if "A" in a.mode or "A" in b.mode else a.mode if a.mode == b.mode else "RGB"
a, b = a.convert(mode), b.convert(mode)
d = ImageStat.Stat(ImageChops.difference(a, b)).rms
mse = sum(v * v for v in d) / len(d)
print("inf" if mse == 0 else "%.2f" % (10 * math.log10(255 * 255 / mse)))
EOF
paste stored.txt raw.txt > pairs.txt
while read -r s codec q size bytes file s2 c2 q2 size2 bytes2 file2; do
    p=$(py psnr.py "$file" "$file2")
    at_least "$p" 45 "slice $s $codec thumbnail against its raw pixels"
    if [ "$codec" = webp ]; then is "$p" inf "the lossless one is exact"; fi
    at_most "$bytes" "$((bytes2 * 6 / 10))" "and it takes at most 0.6 of the raw bytes"
done < pairs.txt

# Export at the quality a cell was stored at: that cell's bitstream is
# passed through; the XMP stripped, the file is the cell byte for byte.
set -- $(awk '$2 == "jpeg" && $3 > 0 {print $3, $6; exit}' stored.txt)
q=$1 cell=$2
"$AXLE" run p.yaml quality="$q" > out2 2> err2
ok $? "export at quality $q runs"
export=$(step_job out2 export)
through=0 found=0
for f in wd/$export/output/*.jpg; do
    py "$AXLE_SRCDIR/tests/image/xmp.py" strip "$f" stripped.jpg
    if cmp -s stripped.jpg "$cell"; then through=$((through + 1)); fi
    py "$AXLE_SRCDIR/tests/image/xmp.py" field "$f" recipe |
        grep -qx "$(sed -n 's/^  "recipe": "\(.*\)",\{0,1\}$/\1/p' "wd/$export/job.json")" &&
        found=$((found + 1))
done
at_least "$through" 1 "an exported file is the stored cell's bitstream, untouched, but for its XMP"
is "$found" 4 "every exported file still names its job's recipe in its XMP"
py "$AXLE_SRCDIR/tests/image/xmp.py" strip wd/$(step_job out export)/output/a.jpg other.jpg
for c in stored-*.bin; do cmp -s other.jpg "$c" && echo "$c" ; done > same.txt
is "$(wc -l < same.txt | tr -d ' ')" 0 "at quality 85 every file is encoded again"

# Every column of `sizes` is stored as the main one is (one store_image).
py "$AXLE_SRCDIR/tests/image/cells.py" "$sized" small small > small.txt
sed 's/^/# /' small.txt
is "$(awk '($2 == "jpeg" || $2 == "webp") && ($4 ~ /^100x/ || $4 ~ /x100$/)' small.txt \
      | wc -l | tr -d ' ')" 4 "each 'sizes' thumbnail is stored encoded too, at its own size"
is "$(awk '$2 == "raw"' small.txt | wc -l | tr -d ' ')" 0 "no 'sizes' cell is raw"

done_testing
