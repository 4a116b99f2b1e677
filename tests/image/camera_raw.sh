#!/bin/sh
# camera_raw.sh - camera RAW through libraw, on DNGs written by
# tests/image/make_raw.py: recognised by content (a DNG starts like any
# TIFF; a misnamed one is still a RAW), the embedded JPEG preview used when
# it covers the size asked at the margin (it is told apart by being the
# photo's negative), else a half-size demosaic, else a full one, each close
# to the photo the sensor data was made from; orientation from the file;
# bombs, cut and unsupported files refused with their reason, and skipped
# so in a pipeline that exports the good ones.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
gen photo src.png --size 800x532 --seed 3
"$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/make_raw.py" src.png probe.dng
"$TOOL" probe probe.dng | grep -q "built without libraw" &&
    skip_all "libaxle was built without libraw (./setup.sh installs it)"
contains_text() { printf '%s\n' "$1" > .text; contains .text "$2" "$3"; }
mkraw() { "$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/make_raw.py" "$@"; }

# The photo, its negative as the camera's preview (full size and small),
# and both turned as orientation 6 shows them.
"$PYTHON_PIL" - <<'PY'
from PIL import Image, ImageOps
im = Image.open("src.png").convert("RGB")
neg = ImageOps.invert(im)
neg.save("preview.jpg", quality=92)
neg.resize((200, 133)).save("small-preview.jpg", quality=92)
im.rotate(-90, expand=True).save("src6.png")
neg.rotate(-90, expand=True).save("neg6.png")
PY
mkraw src.png plain.dng
mkraw src.png preview.dng --preview preview.jpg --orientation 6
mkraw src.png small-preview.dng --preview small-preview.jpg --orientation 6

probe_is() { is "$("$TOOL" probe "$1")" "$2" "probe $1"; }
probe_is plain.dng "camera-raw 800x532 channels=3 orientation=1"
probe_is preview.dng "camera-raw 800x532 channels=3 orientation=6"
cp plain.dng misnamed.jpg
probe_is misnamed.jpg "camera-raw 800x532 channels=3 orientation=1"
is "$("$TOOL" prefix plain.dng 4096)" "camera-raw 800x532 channels=3 orientation=1" \
    "a DNG is probed from its first 4 KiB"

# Shrink-on-load without a preview: half size when half covers the size
# asked at the margin (2x), else full size.
is "$("$TOOL" decode plain.dng 200 133 x.axr)" "400x266 channels=3" \
    "a half-size demosaic serves 200x133"
is "$("$TOOL" decode plain.dng 201 133 x.axr)" "800x532 channels=3" \
    "a full demosaic when half would not cover 201x133"
is "$("$TOOL" decode plain.dng 0 0 x.axr)" "800x532 channels=3" "full size: a full demosaic"
"$TOOL" thumb plain.dng 150 150 half.axr >/dev/null
at_least "$(pilref psnr src.png half.axr)" 32 "the half-size demosaic shows the photo"
"$TOOL" thumb plain.dng 380 380 full.axr >/dev/null
at_least "$(pilref psnr src.png full.axr)" 26 "the full demosaic shows the photo"

# The preview when it covers the size: the negative, turned.
is "$("$TOOL" thumb preview.dng 150 150 p.axr)" "100x150 channels=3" \
    "orientation 6 turns the thumbnail"
at_least "$(pilref psnr neg6.png p.axr)" 35 "a large enough preview is used"
"$TOOL" thumb small-preview.dng 150 150 sp.axr >/dev/null
at_least "$(pilref psnr src6.png sp.axr)" 30 \
    "a preview smaller than the size at the margin is not: the sensor data is"

# Bad files, each with its reason.
"$PYTHON_PIL" - <<'PY'
import struct
def tags(d):
    ifd = struct.unpack_from("<I", d, 4)[0]
    for i in range(struct.unpack_from("<H", d, ifd)[0]):
        yield ifd + 2 + 12 * i, struct.unpack_from("<H", d, ifd + 2 + 12 * i)[0]
d = bytearray(open("plain.dng", "rb").read())
for at, tag in tags(d):
    if tag in (256, 257):
        struct.pack_into("<I", d, at + 8, 60000)
open("bomb.dng", "wb").write(d)
d = bytearray(open("plain.dng", "rb").read())
for at, tag in tags(d):
    if tag == 259:
        struct.pack_into("<H", d, at + 8, 12345)
open("unknown.dng", "wb").write(d)
d = open("plain.dng", "rb").read()
open("cut.dng", "wb").write(d[:len(d) // 2])
PY
contains_text "$("$TOOL" decode bomb.dng 0 0 x.axr)" \
    "image is 60000x60000 = 3600000000 pixels, over the limit of 200000000" \
    "a RAW bomb is refused before decoding"
contains_text "$("$TOOL" decode plain.dng 0 0 x.axr 1000)" "over the limit of 1000" \
    "max_pixels holds for RAW"
contains_text "$("$TOOL" decode cut.dng 0 0 x.axr)" "truncated camera RAW" "a cut RAW"
contains_text "$("$TOOL" decode unknown.dng 0 0 x.axr)" "camera RAW not supported" \
    "a compression libraw does not know"

# The pipeline: the good ones exported (turned), the bad ones skipped.
mkdir in
cp plain.dng preview.dng misnamed.jpg bomb.dng cut.dng unknown.dng in/
"$AXLE" run "$AXLE_SRCDIR/pipelines/thumbnails.yaml" input=in size=[64,64] \
    >run.out 2>run.err; st=$?
is "$st" 0 "the pipeline runs on RAW files"
job() { awk -v s="$1" '$1 == s { print $2 }' run.out; }
out="axle-work/$(job export)/output"
is "$(pilref info "$out/plain.jpg")" "RGB 64x43" "plain.dng exported"
is "$(pilref info "$out/preview.jpg")" "RGB 43x64" "preview.dng exported turned"
is "$(pilref info "$out/misnamed.jpg")" "RGB 64x43" "a misnamed RAW exported"
for f in bomb cut unknown; do
    check "no export for $f.dng" -- test ! -e "$out/$f.jpg"
done
contains run.err "cut.dng: truncated camera RAW" "the cut RAW is named with the reason"
contains run.err "unknown.dng: camera RAW not supported" \
    "the unsupported RAW is named with the reason"
contains run.out "3 items skipped" "the summary counts the three"
done_testing
