#!/bin/sh
# colour.sh - embedded ICC profiles converted to sRGB by axle_image_to_size
# with AXLE_TO_SRGB (what the thumbnailer's default `colour: srgb` does):
# Adobe RGB, ProPhoto and Display P3 JPEGs and an Adobe RGB WebP within 1.5
# levels (mean absolute difference) of Pillow's ImageCms conversion of the
# full image resized with LANCZOS; a profile split over several APP2
# segments; grey; no profile or an sRGB one: the very bytes of before;
# without the flag: pixels as decoded; broken profiles taken as sRGB.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
ICC="$AXLE_BUILDDIR/tests/icc_tool"
[ -x "$ICC" ] || skip_all "built without lcms2 (tests/icc_tool)"
ref() { "$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/colourref.py" "$@"; }

for p in adobe prophoto p3 srgb grey22; do "$ICC" $p $p.icc; done
"$ICC" p3 p3big.icc 150000            # three APP2 segments
gen photo plain.png --size 2400x1600 --seed 7
gen photo grey.png --size 1200x900 --seed 8 --mode L
"$PYTHON_PIL" -c "from PIL import Image; Image.open('plain.png').save('plain.jpg', quality=95)"
for p in adobe prophoto p3 p3big srgb; do ref embed plain.png $p.icc $p.jpg; done
ref embed plain.png adobe.icc adobe.webp
ref embed grey.png grey22.icc grey.jpg
ref embed plain.png grey22.icc rgb-with-grey.jpg

thumb() { "$TOOL" thumb "$@" >/dev/null; }

# Wide-gamut photos: close to the reference with the flag, far without.
for p in adobe prophoto p3; do
    thumb $p.jpg 480 480 $p.axr srgb
    thumb $p.jpg 480 480 $p.raw.axr
    at_most "$(ref mad $p.jpg $p.axr)" 1.5 "$p: AXLE_TO_SRGB thumbnail matches the sRGB reference"
    at_least "$(ref mad $p.jpg $p.raw.axr)" 3 "$p: without the flag the colours are off"
done
is "$("$TOOL" colour adobe.jpg)" "convert 'Adobe RGB (1998)' " "the profile is named"

# A profile over several APP2 segments is joined: P3 with a 150 kB tag
# converts to the same pixels as the plain P3 profile.
segs=$("$PYTHON_PIL" - <<'PY'
data = open("p3big.jpg", "rb").read()
print(data.count(b"\xff\xe2") and data.count(b"ICC_PROFILE\0"))
PY
)
at_least "$segs" 3 "the big profile is split over several APP2 segments"
thumb p3big.jpg 480 480 p3big.axr srgb
check "a split profile converts as the whole one" -- cmp p3big.axr p3.axr

# WebP: the ICCP chunk.
thumb adobe.webp 480 480 webp.axr srgb
at_most "$(ref mad adobe.webp webp.axr)" 1.5 "WebP with Adobe RGB matches the sRGB reference"

# Grey stays grey, on sRGB's curve.
thumb grey.jpg 300 300 grey.axr srgb
is "$(head -c 16 grey.axr | head -1 | cut -d' ' -f4)" 1 "a grey image stays one channel"
at_most "$(ref mad grey.jpg grey.axr)" 1.5 "grey gamma 2.2 matches the sRGB-grey reference"

# No profile, or sRGB: exactly the bytes of a thumbnail without the flag.
thumb plain.jpg 480 480 plain.axr
thumb plain.jpg 480 480 plain.srgb.axr srgb
check "no profile: the flag changes no byte" -- cmp plain.axr plain.srgb.axr
thumb srgb.jpg 480 480 srgb.axr srgb
check "an sRGB profile: the same bytes as without a profile" -- cmp srgb.axr plain.axr
is "$("$TOOL" colour srgb.jpg)" "srgb 'sRGB IEC61966-2.1' " "an sRGB profile is seen as sRGB"
is "$("$TOOL" colour plain.jpg)" "none '' " "no profile"

# Without the flag (colour: keep), pixels are as decoded, profile or not.
check "without the flag an Adobe RGB photo keeps its pixels" -- cmp adobe.raw.axr plain.axr

# Broken profiles: taken as sRGB, with the reason.
"$PYTHON_PIL" - <<'PY'
from PIL import Image
im = Image.open("plain.png")
im.save("garbage.jpg", quality=95, icc_profile=bytes(range(256)) * 4)
# Part 1 of 2 only: the APP2 segment Pillow wrote, renumbered.
im.save("half.jpg", quality=95, icc_profile=open("adobe.icc", "rb").read())
data = bytearray(open("half.jpg", "rb").read())
at = data.find(b"ICC_PROFILE\0") + 12
data[at:at + 2] = b"\x01\x02"
open("half.jpg", "wb").write(data)
PY
for f in garbage half rgb-with-grey; do
    thumb $f.jpg 480 480 $f.axr srgb; st=$?
    is "$st" 0 "$f: the thumbnail is made"
done
"$TOOL" colour garbage.jpg >garbage.txt
contains garbage.txt "broken '' unreadable ICC profile" "garbage: broken, unreadable"
"$TOOL" colour half.jpg >half.txt
contains half.txt "ICC profile segment 2 of 2 is missing" "half: the missing segment is named"
"$TOOL" colour rgb-with-grey.jpg >mismatch.txt
contains mismatch.txt "a grey ICC profile on a colour image" "a grey profile on RGB pixels is broken"
check "a broken profile leaves the pixels as sRGB" -- cmp half.axr plain.axr
done_testing
