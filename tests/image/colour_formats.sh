#!/bin/sh
# colour_formats.sh - colour profiles beyond JPEG and WebP (issue 13):
# Adobe RGB and Display P3 copies of a photo as PNG (iCCP), TIFF (tag
# 34675), HEIF and AVIF (an ICC colr box, and Display P3 as an nclx box, as
# phones write it in AVIF) are converted to sRGB within 2 levels (mean absolute
# difference) of Pillow's ImageCms reference from the full-resolution
# image, and are far from it without the conversion; CMYK JPEGs (Adobe
# inverted, as Photoshop and Pillow write them) use their embedded CMYK
# profile; broken PNG and TIFF profiles are taken as sRGB with a warning
# naming the file.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
ICC="$AXLE_BUILDDIR/tests/icc_tool"
[ -x "$ICC" ] || skip_all "built without lcms2 (tests/icc_tool)"
printf '\211PNG\r\n\032\n' > sig.png
"$TOOL" probe sig.png | grep -q "built without" &&
    skip_all "libaxle was built without the optional image libraries (./setup.sh installs them)"
ref() { "$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/colourref.py" "$@"; }
thumb() { "$TOOL" thumb "$@" >/dev/null; }

for p in adobe p3 cmyk; do "$ICC" $p $p.icc; done
gen photo plain.png --size 1600x1000 --seed 5
# The photo's colours in each space (so that it shows the same), saved
# with the profile (NAME.png, NAME.tif) and without (NAME-bare.png).
"$PYTHON_PIL" - <<'PY'
import io
from PIL import Image, ImageCms
im = Image.open("plain.png").convert("RGB")
srgb = ImageCms.createProfile("sRGB")
for name in ("adobe", "p3"):
    icc = open(name + ".icc", "rb").read()
    there = ImageCms.profileToProfile(im, srgb, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                      renderingIntent=0)
    there.info.pop("icc_profile", None)
    there.save(name + ".png", icc_profile=icc)
    there.save(name + ".tif", icc_profile=icc)
    there.save(name + "-bare.png")
small = im.resize((300, 200))
bad = b"\0\0\2\0" + b"not a profile" * 60
small.save("broken.png", icc_profile=bad)
small.save("broken.tif", icc_profile=bad)
cmyk = im.convert("CMYK")
cmyk.save("cmyk.jpg", quality=95, icc_profile=open("cmyk.icc", "rb").read())
cmyk.save("cmyk-plain.jpg", quality=95)
PY

# close FILE REFERENCE WHAT: the sRGB thumbnail within 2 levels of the
# reference, the unconverted one 3 or more away.
close() {
    thumb "$1" 480 480 "$1.axr" srgb
    thumb "$1" 480 480 "$1.raw.axr"
    at_most "$(ref mad "$2" "$1.axr")" 2 "$3: converted to sRGB, close to the reference"
    at_least "$(ref mad "$2" "$1.raw.axr")" 3 "$3: without the conversion the colours are off"
}
for p in adobe p3; do
    close $p.png $p.png "PNG iCCP $p"
    close $p.tif $p.png "TIFF $p"
done
is "$("$TOOL" colour adobe.png)" "convert 'Adobe RGB (1998)' " "the PNG's profile is named"
is "$("$TOOL" colour p3.tif)" "convert 'Display P3' " "the TIFF's profile is named"

if command -v heif-enc >/dev/null; then
    heif-enc -q 95 adobe.png -o adobe.heic >/dev/null 2>&1
    heif-enc -q 95 adobe.png -o adobe.avif >/dev/null 2>&1
    heif-enc -q 95 p3.png -o p3.heic >/dev/null 2>&1
    heif-enc -q 95 p3-bare.png -o p3nclx.avif >/dev/null 2>&1
    heif-enc -q 95 plain.png -o srgbnclx.avif >/dev/null 2>&1
    # heif-enc 1.15 writes an AVIF's nclx as 2/2/6 (unspecified) whatever
    # it is told: the colr box is set by hand to Display P3 (primaries 12,
    # sRGB's transfer 13) and to BT.709 (1, 13), as phones and cameras
    # write them.
    "$PYTHON_PIL" - <<'PY'
import struct
for name, prim in (("p3nclx.avif", 12), ("srgbnclx.avif", 1)):
    data = bytearray(open(name, "rb").read())
    at = data.find(b"colrnclx")
    assert at > 0, name
    data[at + 8:at + 14] = struct.pack(">HHH", prim, 13, 6)
    open(name, "wb").write(data)
PY
    close adobe.heic adobe.png "HEIF with an Adobe RGB profile"
    close adobe.avif adobe.png "AVIF with an Adobe RGB profile"
    close p3.heic p3.png "HEIF with a Display P3 profile"
    close p3nclx.avif p3.png "AVIF with Display P3 as nclx"
    is "$("$TOOL" colour p3nclx.avif)" "convert 'Display P3' " "nclx Display P3 is named"
    is "$("$TOOL" colour srgbnclx.avif)" "srgb '' " "nclx BT.709/sRGB is sRGB: nothing to convert"
else
    for i in 1 2 3 4 5 6 7 8 9 10; do T_NUM=$((T_NUM + 1)); echo "ok $T_NUM # SKIP no heif-enc"; done
fi

# CMYK: with its profile the colours are the profile's (far from the
# plain formula's), without one the plain formula as before.
is "$("$TOOL" colour cmyk.jpg)" "convert 'Axle Test Press CMYK' " "the CMYK profile is used"
thumb cmyk.jpg 480 480 cmyk.axr srgb
thumb cmyk.jpg 480 480 cmyk.keep.axr
at_most "$(ref mad cmyk.jpg cmyk.axr)" 2 "CMYK JPEG with a profile: close to the reference"
at_least "$(ref mad-plain cmyk.jpg cmyk.axr)" 10 "and not what the plain formula gives"
at_most "$(ref mad cmyk.jpg cmyk.keep.axr)" 2 "CMYK has no pixels to keep: converted either way"
thumb cmyk-plain.jpg 480 480 cmyk-plain.axr srgb
at_most "$(ref mad-plain cmyk-plain.jpg cmyk-plain.axr)" 2 \
    "CMYK JPEG without a profile: the plain formula"

# Broken profiles: named, taken as sRGB, the file named in the warning.
contains_text() { printf '%s\n' "$1" > .text; contains .text "$2" "$3"; }
contains_text "$("$TOOL" colour broken.png)" "broken '' damaged ICC profile (PNG iCCP" \
    "a broken iCCP is reported broken with libpng's reason"
contains_text "$("$TOOL" colour broken.tif)" "broken '' unreadable ICC profile" \
    "a broken TIFF profile is reported broken"
mkdir in
cp broken.png broken.tif in/
cat >p.yaml <<'EOF'
jobs:
  import:
    method: import_images
    options: {files: in}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 100}
EOF
"$AXLE" run p.yaml >run.out 2>run.err; st=$?
is "$st" 0 "a run with broken profiles succeeds"
contains run.err "broken.png: colour profile taken as sRGB: damaged ICC profile" \
    "the broken PNG is named in the warning"
contains run.err "broken.tif: colour profile taken as sRGB: unreadable ICC profile" \
    "the broken TIFF is named in the warning"
done_testing
