#!/bin/sh
# thumbopts.sh - the thumbnailer's options as users write them, end to end
# through `axle run`: each size form's dimensions against Pillow's
# thumbnail(), bad size strings refused with FILE:LINE:COL, crop centre
# against Pillow's ImageOps.fit, entropy and attention finding the busy
# and the skin-coloured part of constructed images, `sizes` giving one
# column per entry from one decode, `sharpen` (mild, off by default) and
# `background` for a transparent WebP exported as JPEG.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

py() { "$PYTHON_PIL" - "$@"; }

mkdir in
gen photo in/land.jpg --size 600x400 --seed 3
gen photo in/turned.jpg --size 300x500 --seed 4 --orientation 6  # shown 500x300

cat >p.yaml <<'EOF'
params:
  input: in
  size: 64
  crop: none
  sharpen: false
  background: null
  column: thumb
jobs:
  import:
    method: import_images
    options: {files: "${input}"}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: "${size}", crop: "${crop}", sharpen: "${sharpen}",
              background: "${background}"}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {column: "${column}", quality: 95}
EOF

# run NAME ARGS...: stdout in NAME.out, stderr in NAME.err, status in $st,
# the export folder in $out.
run() {
    name=$1; shift
    "$AXLE" run p.yaml "$@" >"$name.out" 2>"$name.err"; st=$?
    sed 's/^/# /' "$name.out"
    out="axle-work/$(awk '$1 == "export" { print $2 }' "$name.out")/output"
}
word() { awk -v s="$2" '$1 == s { print $3 }' "$1"; }
dims() { pilref info "$1" | cut -d' ' -f2; }

# Pillow's thumbnail() size for each shown image and box (0: free side).
pil_fit() {
    py "$@" <<'PY'
import sys
from PIL import Image, ImageOps
f, bw, bh = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
im = ImageOps.exif_transpose(Image.open(f))
im.thumbnail((bw or 10**6, bh or 10**6), reducing_gap=None)
print(f"{im.size[0]}x{im.size[1]}")
PY
}

# ---- size forms -------------------------------------------------------------
# FORM  BOX_W BOX_H (Pillow's thumbnail box; 0 free)
for case in "[120,80] 120 80" "120x80 120 80" "100 100 100" '"100" 100 100' \
            "120x 120 0" "x50 0 50" "1000x 1000 0"; do
    set -- $case
    run form "size=$1"
    is "$st" 0 "size=$1 runs"
    for f in land turned; do
        is "$(dims "$out/$f.jpg")" "$(pil_fit "in/$f.jpg" "$2" "$3")" \
            "size=$1: $f is Pillow's thumbnail size"
    done
done
run exact 'size="90x70!"'
is "$(dims "$out/land.jpg")" 90x70 "size=90x70!: exactly 90x70 (aspect not kept)"
is "$(dims "$out/turned.jpg")" 90x70 "size=90x70!: the turned image too"
run same1 'size=[120,80]'
run same2 'size=120x80'
is "$(word same2.out thumbs)" reused "[120,80] and 120x80 are one size: the job is reused"

# ---- bad size strings: refused before any job, with FILE:LINE:COL ----------
for bad in '64x!' 'x64!' '64y64' '0x64' '64x64x' '70000x10' '-5x5'; do
    sed "s/size: 64$/size: \"$bad\"/" p.yaml >bad.yaml
    "$AXLE" run bad.yaml >bad.out 2>bad.err; st=$?
    is "$st" 2 "size \"$bad\" is refused (exit 2)"
    contains bad.err "bad.yaml:3:9: error: option 'size'" "size \"$bad\": FILE:LINE:COL names it"
done
sed "s/size: 64$/size: \"64x!\"/" p.yaml >bad.yaml
"$AXLE" run bad.yaml >bad.out 2>bad.err
contains bad.err "an exact size ('!') needs both sides" "'64x!': says what is wrong"
sed "s/size: 64$/size: \"64y64\"/" p.yaml >bad.yaml
"$AXLE" run bad.yaml >bad.out 2>bad.err
contains bad.err "forms: WxH, N, Wx, xH" "'64y64': lists the forms"
"$AXLE" run p.yaml crop=middle >bad.out 2>bad.err; st=$?
is "$st" 2 "an unknown crop is refused"
contains bad.err "not one of: none, centre, entropy, attention" "the crops are listed"

# ---- crop: centre is Pillow's ImageOps.fit ---------------------------------
# fit_psnr SOURCE THUMB: PSNR of THUMB against ImageOps.fit of SOURCE.
fit_psnr() {
    py "$1" "$2" <<'PY'
import math, sys
from PIL import Image, ImageChops, ImageOps
src = ImageOps.exif_transpose(Image.open(sys.argv[1])).convert("RGB")
got = Image.open(sys.argv[2]).convert("RGB")
ref = ImageOps.fit(src, got.size, Image.LANCZOS, centering=(0.5, 0.5))
hist = ImageChops.difference(ref, got).histogram()
mse = sum(c * (i % 256) ** 2 for i, c in enumerate(hist)) / (got.size[0] * got.size[1] * 3)
print(f"{99 if mse == 0 else 10 * math.log10(255 ** 2 / mse):.2f}")
PY
}
run centre size=120x120 crop=centre
is "$st" 0 "crop=centre runs"
for f in land turned; do
    is "$(dims "$out/$f.jpg")" 120x120 "crop=centre: $f fills 120x120"
    at_least "$(fit_psnr "in/$f.jpg" "$out/$f.jpg")" 32 \
        "crop=centre: $f matches ImageOps.fit (PSNR)"
done
run centre_tall size=50x200 crop=centre
is "$(dims "$out/land.jpg")" 50x200 "crop=centre: a box taller than the image's aspect"
run cut size=1000x100 crop=centre
is "$(dims "$out/land.jpg")" 600x100 \
    "crop without upscale: a box wider than the image is cut to the image, not enlarged"

# ---- entropy and attention on constructed images ---------------------------
mkdir smart
py <<'PY'
import random
from PIL import Image, ImageDraw
rnd = random.Random(7)
# Flat grey with one textured patch on the right.
im = Image.new("RGB", (600, 200), (120, 120, 120))
for y in range(40, 160):
    for x in range(460, 580):
        v = rnd.randrange(256)
        im.putpixel((x, y), (v, 255 - v, (v * 7) % 256))
im.save("smart/busy.png")
# Flat grey with one skin-coloured disc on the left.
im = Image.new("RGB", (600, 200), (110, 110, 110))
ImageDraw.Draw(im).ellipse((30, 40, 150, 160), fill=(224, 172, 140))
im.save("smart/face.png")
PY
stats() {
    py "$1" <<'PY'
import sys
from PIL import Image, ImageStat
im = Image.open(sys.argv[1]).convert("RGB")
st = ImageStat.Stat(im)
skin = sum(1 for r, g, b in im.getdata() if r > 200 and 150 < g < 195)
print(f"{sum(st.stddev) / 3:.1f} {100 * skin // (im.size[0] * im.size[1])}")
PY
}
# PNG in, JPEG out: export takes a format it knows; import may not read PNG,
# so the constructed images go in as lossless WebP.
py <<'PY'
from PIL import Image
for n in ("busy", "face"):
    Image.open(f"smart/{n}.png").save(f"smart/{n}.webp", lossless=True)
PY
rm smart/*.png
run entropy input=smart size=100x100 crop=entropy
is "$st" 0 "crop=entropy runs"
set -- $(stats "$out/busy.jpg")
at_least "$1" 10 "crop=entropy keeps the textured patch (busy.jpg is not flat)"
run centre_smart input=smart size=100x100 crop=centre
set -- $(stats "$out/busy.jpg")
at_most "$1" 3 "crop=centre on the same image keeps the flat middle"
set -- $(stats "$out/face.jpg")
is "$2" 0 "crop=centre misses the skin-coloured disc"
run attention input=smart size=100x100 crop=attention
is "$st" 0 "crop=attention runs"
set -- $(stats "$out/face.jpg")
# The disc is 60 pixels across in the 100x100 thumbnail: 28% of it.
at_least "$2" 26 "crop=attention keeps the whole skin-coloured disc (% of skin pixels)"
is "$(dims "$out/face.jpg")" 100x100 "crop=attention: 100x100"

# ---- sizes: one column per entry, one decode per image ---------------------
cat >sizes.yaml <<'EOF'
jobs:
  import:
    method: import_images
    options: {files: in}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 200, sizes: {small: "64x", square: 48, exact: "30x20!"}}
  ex_small:
    method: export_images
    datasets: {source: thumbs}
    options: {column: small, quality: 95}
  ex_square:
    method: export_images
    datasets: {source: thumbs}
    options: {column: square, quality: 95}
  ex_exact:
    method: export_images
    datasets: {source: thumbs}
    options: {column: exact, quality: 95}
EOF
"$AXLE" run sizes.yaml >sizes.out 2>sizes.err; st=$?
sed 's/^/# /' sizes.out
is "$st" 0 "sizes runs"
contains sizes.out '"decodes":2,' "4 sizes of 2 images: 2 decodes, not 8"
contains sizes.out '"thumbnails":2}' "2 rows thumbnailed"
"$AXLE" ds thumbs >ds.txt 2>&1
for c in thumb small square exact; do
    check "column $c is in the dataset" -- grep -q "^$c  *image" ds.txt
done
xs="axle-work/$(awk '$1 == "ex_small" { print $2 }' sizes.out)/output"
xq="axle-work/$(awk '$1 == "ex_square" { print $2 }' sizes.out)/output"
xe="axle-work/$(awk '$1 == "ex_exact" { print $2 }' sizes.out)/output"
is "$(dims "$xs/land.jpg")" "$(pil_fit in/land.jpg 64 0)" "sizes small (\"64x\"): Pillow's size"
is "$(dims "$xq/turned.jpg")" "$(pil_fit in/turned.jpg 48 48)" "sizes square (48): Pillow's size"
is "$(dims "$xe/land.jpg")" 30x20 "sizes exact (\"30x20!\"): 30x20"
pilref psnr in/land.jpg "$xs/land.jpg" >q.txt
at_least "$(cat q.txt)" 32 "a size made from the shared decode meets the quality bar"

# Crops of several sizes: the small one is cut from the large one's window.
cat >crops.yaml <<'EOF'
jobs:
  import:
    method: import_images
    options: {files: in}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 240, crop: centre, sizes: {sq: 60}}
  ex_sq:
    method: export_images
    datasets: {source: thumbs}
    options: {column: sq, quality: 95}
EOF
"$AXLE" run crops.yaml >crops.out 2>crops.err; st=$?
is "$st" 0 "sizes with crop=centre runs"
xc="axle-work/$(awk '$1 == "ex_sq" { print $2 }' crops.out)/output"
for f in land turned; do
    is "$(dims "$xc/$f.jpg")" 60x60 "sizes with crop: $f's 60x60"
    at_least "$(fit_psnr "in/$f.jpg" "$xc/$f.jpg")" 32 \
        "sizes with crop: $f's 60x60 matches ImageOps.fit (PSNR)"
done

# ---- sharpen: mild, off by default ------------------------------------------
run plain size=150
plain=$out
run sharp size=150 sharpen=true
is "$(word sharp.out thumbs)" built "sharpen=true builds another job"
set -- $(pilref diff "$plain/land.jpg" "$out/land.jpg")
at_most "$1" 40 "sharpen changes the pixels"
at_least "$1" 25 "sharpen is mild"
run off size=150 sharpen=false
is "$(word off.out thumbs)" reused "sharpen=false is the default (same job)"

# ---- background: alpha flattened onto it for JPEG ---------------------------
mkdir alpha
py <<'PY'
from PIL import Image
im = Image.new("RGBA", (200, 100), (0, 0, 255, 255))
for y in range(100):
    for x in range(100):
        im.putpixel((x, y), (0, 0, 0, 0))  # left half transparent
im.save("alpha/a.webp", lossless=True)
PY
corner() {
    py "$1" <<'PY'
import sys
from PIL import Image
print(*Image.open(sys.argv[1]).convert("RGB").getpixel((5, 5)))
PY
}
near() { # near "R G B" "R G B" DESCRIPTION: each channel within 8
    if awk -v a="$1" -v b="$2" 'BEGIN { split(a, x); split(b, y);
        for (i = 1; i <= 3; i++) if (x[i] - y[i] > 8 || y[i] - x[i] > 8) exit 1 }'; then
        ok 0 "$3"
    else
        ok 1 "$3"; echo "#   got $1, want $2"
    fi
}
run white input=alpha size=100
near "$(corner "$out/a.jpg")" "255 255 255" "no background: transparency becomes white"
run red input=alpha size=100 'background="#ff0000"'
is "$st" 0 "background=#ff0000 runs"
near "$(corner "$out/a.jpg")" "255 0 0" "background=#ff0000: transparency becomes red"
run named input=alpha size=100 background=black
near "$(corner "$out/a.jpg")" "0 0 0" "background=black"
"$AXLE" run p.yaml background=pink >bad.out 2>bad.err; st=$?
is "$st" 2 "an unknown colour is refused"
contains bad.err "'pink' is not a colour" "the colour error says why"

done_testing
