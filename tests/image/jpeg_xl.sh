#!/bin/sh
# jpeg_xl.sh - JPEG XL through libjxl, on files made by libjxl's cjxl:
# lossless RGB, RGBA and grey decode to the very pixels; EXIF orientation
# (from a JPEG or PNG that carried it) is reported and applied; a Display
# P3 profile is converted to sRGB within 2 levels of Pillow's reference; a
# bomb (a hand-made header of 100000x100000) is refused before decoding;
# cut and damaged files are named with the reason; a misnamed file is still
# a JPEG XL; the pipeline exports the good ones and skips the bad.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
printf '\377\012\000\000' > sig.jxl
"$TOOL" probe sig.jxl | grep -q "built without libjxl" &&
    skip_all "libaxle was built without libjxl (./setup.sh installs it)"
command -v cjxl >/dev/null || skip_all "no cjxl (Debian: libjxl-tools; ./setup.sh installs it)"
contains_text() { printf '%s\n' "$1" > .text; contains .text "$2" "$3"; }
ref() { "$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/colourref.py" "$@"; }
jxl() { cjxl "$@" >/dev/null 2>&1; }

gen photo src.png --size 800x532 --seed 9
"$PYTHON_PIL" - <<'PY'
from PIL import Image
im = Image.open("src.png").convert("RGB")
im.convert("RGBA").save("rgba.png")
im.convert("L").save("grey.png")
exif = Image.Exif()
exif[0x0112] = 6
im.save("o6.jpg", quality=92, exif=exif.tobytes())
im.save("o6.png", exif=exif.tobytes())
im.rotate(-90, expand=True).save("src6.png")
PY
jxl -d 0 src.png rgb.jxl
jxl -d 0 rgba.png rgba.jxl
jxl -d 0 grey.png grey.jxl
jxl -d 1 src.png lossy.jxl
jxl o6.jpg o6-from-jpeg.jxl
jxl -d 0 o6.png o6.jxl

probe_is() { is "$("$TOOL" probe "$1")" "$2" "probe $1"; }
probe_is rgb.jxl "jxl 800x532 channels=3 orientation=1"
probe_is rgba.jxl "jxl 800x532 channels=4 orientation=1"
probe_is grey.jxl "jxl 800x532 channels=1 orientation=1"
probe_is o6.jxl "jxl 800x532 channels=3 orientation=6"
probe_is o6-from-jpeg.jxl "jxl 800x532 channels=3 orientation=6"
decodes_as() { # FILE REFERENCE MAXDIFF
    "$TOOL" decode "$1" 0 0 "$1.axr" >/dev/null
    set -- $(pilref diff "$1.axr" "$2") "$1" "$2" "$3"
    at_most "${2:-999}" "$5" "$3 decodes as $4 (largest difference)"
}
decodes_as rgb.jxl src.png 0
decodes_as rgba.jxl rgba.png 0
decodes_as grey.jxl grey.png 0
"$TOOL" thumb lossy.jxl 256 256 lossy.t.jpg >/dev/null
at_least "$(pilref psnr src.png lossy.t.jpg)" 32 "lossy JPEG XL into 256x256, q95 export"
is "$("$TOOL" thumb o6.jxl 150 150 o6.axr)" "100x150 channels=3" "orientation 6 turns it"
at_least "$(pilref psnr src6.png o6.axr)" 35 "and the pixels are turned the right way"
is "$("$TOOL" prefix rgb.jxl 4096)" "jxl 800x532 channels=3 orientation=1" \
    "probed from its first 4 KiB"

# Colour: a Display P3 copy, its profile kept by cjxl, converted to sRGB.
if [ -x "$AXLE_BUILDDIR/tests/icc_tool" ]; then
    "$AXLE_BUILDDIR/tests/icc_tool" p3 p3.icc
    "$PYTHON_PIL" - <<'PY'
import io
from PIL import Image, ImageCms
im = Image.open("src.png").convert("RGB")
icc = open("p3.icc", "rb").read()
p3 = ImageCms.profileToProfile(im, ImageCms.createProfile("sRGB"),
                               ImageCms.ImageCmsProfile(io.BytesIO(icc)), renderingIntent=0)
p3.info.pop("icc_profile", None)
p3.save("p3.png", icc_profile=icc)
PY
    jxl -d 0 p3.png p3.jxl
    is "$("$TOOL" colour p3.jxl)" "convert 'Display P3' " "the JPEG XL's profile is read"
    "$TOOL" thumb p3.jxl 400 400 p3.axr srgb >/dev/null
    "$TOOL" thumb p3.jxl 400 400 p3.raw.axr >/dev/null
    at_most "$(ref mad p3.png p3.axr)" 2 "Display P3 JPEG XL converted to sRGB"
    at_least "$(ref mad p3.png p3.raw.axr)" 3 "without the conversion the colours are off"
    is "$("$TOOL" colour rgb.jxl)" "srgb 'RGB_D65_SRG_Per_SRG' " \
        "an sRGB JPEG XL is sRGB: nothing to convert"
else
    for i in 1 2 3 4; do T_NUM=$((T_NUM + 1)); echo "ok $T_NUM # SKIP built without lcms2"; done
fi

# Bad files.  The bomb: a codestream header of 100000x100000 with default
# metadata, packed by hand (ISO/IEC 18181-1 SizeHeader), and no image.
"$PYTHON_PIL" - <<'PY'
bits = []
def put(v, n):
    bits.extend((v >> i) & 1 for i in range(n))
put(0, 1)                          # not a small size
put(3, 2); put(100000 - 1, 30)     # height: 30-bit form
put(0, 3)                          # no ratio: the width follows
put(3, 2); put(100000 - 1, 30)
put(1, 1)                          # all_default metadata
bits += [0] * (-len(bits) % 8 + 64)
out = bytearray(b"\xff\x0a")
out += bytes(sum(b << k for k, b in enumerate(bits[i:i + 8])) for i in range(0, len(bits), 8))
open("bomb.jxl", "wb").write(out)
d = open("lossy.jxl", "rb").read()
open("cut.jxl", "wb").write(d[:len(d) // 2])
bad = bytearray(d)
bad[len(d) // 3:len(d) // 3 + 64] = b"\xff" * 64
open("damaged.jxl", "wb").write(bad)
PY
probe_is bomb.jxl "jxl 100000x100000 channels=3 orientation=1"
contains_text "$("$TOOL" decode bomb.jxl 0 0 x.axr)" \
    "image is 100000x100000 = 10000000000 pixels, over the limit of 200000000" \
    "a JPEG XL bomb is refused before decoding"
contains_text "$("$TOOL" decode rgb.jxl 0 0 x.axr 1000)" "over the limit of 1000" \
    "max_pixels holds for JPEG XL"
contains_text "$("$TOOL" decode cut.jxl 0 0 x.axr)" "truncated JPEG XL" "a cut JPEG XL"
contains_text "$("$TOOL" decode damaged.jxl 0 0 x.axr)" "JPEG XL" "a damaged JPEG XL is refused"

mkdir in
cp rgb.jxl o6.jxl bomb.jxl cut.jxl in/
cp rgba.jxl in/misnamed.png
"$AXLE" run "$AXLE_SRCDIR/pipelines/thumbnails.yaml" input=in size=[64,64] \
    >run.out 2>run.err; st=$?
is "$st" 0 "the pipeline runs on JPEG XL files"
job() { awk -v s="$1" '$1 == s { print $2 }' run.out; }
out="axle-work/$(job export)/output"
is "$(pilref info "$out/rgb.jpg")" "RGB 64x43" "rgb.jxl exported"
is "$(pilref info "$out/o6.jpg")" "RGB 43x64" "o6.jxl exported turned"
is "$(pilref info "$out/misnamed.jpg")" "RGB 64x43" "a misnamed JPEG XL exported"
check "no export for the bomb" -- test ! -e "$out/bomb.jpg"
check "no export for the cut file" -- test ! -e "$out/cut.jpg"
contains run.err "cut.jxl: truncated JPEG XL" "the cut file is named with the reason"
contains run.out "2 items skipped" "the summary counts the two"
done_testing
