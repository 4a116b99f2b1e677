#!/bin/sh
# more_formats.sh - PNG, GIF, TIFF, HEIF and AVIF (the codecs beyond JPEG
# and WebP): recognised by content, decoded as Pillow decodes them (HEIF
# and AVIF as libheif's own heif-convert does), every layout (palette,
# grey, alpha, 16-bit, strips and tiles, TIFF orientation), bombs refused
# before any pixel is allocated, cut and damaged files named with the
# reason, thumbnails within the quality bar, and the whole pipeline.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
printf '\211PNG\r\n\032\n' > sig.png
"$TOOL" probe sig.png | grep -q "built without" &&
    skip_all "libaxle was built without the optional image libraries (./setup.sh installs them)"

gen photo src.png --size 320x200
"$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/make_formats.py" src.png

contains_text() { printf '%s\n' "$1" > .text; contains .text "$2" "$3"; }
skip() { # REASON COUNT: COUNT tests skipped, saying why
    i=0
    while [ $i -lt "$2" ]; do
        i=$((i + 1)); T_NUM=$((T_NUM + 1)); echo "ok $T_NUM # SKIP $1"
    done
}
probe_is() { # FILE EXPECTED
    is "$("$TOOL" probe "$1")" "$2" "probe $1"
}
# decodes_as FILE REFERENCE MAXDIFF: a full decode against a Pillow-read file.
decodes_as() {
    "$TOOL" decode "$1" 0 0 "$1.axr" >/dev/null
    set -- $(pilref diff "$1.axr" "$2") "$1" "$2" "$3"
    at_most "${2:-999}" "$5" "$3 decodes as Pillow decodes $4 (largest difference)"
}

probe_is rgb.png "png 320x200 channels=3 orientation=1"
probe_is rgba.png "png 320x200 channels=4 orientation=1"
probe_is grey.png "png 320x200 channels=1 orientation=1"
probe_is grey-alpha.png "png 320x200 channels=2 orientation=1"
probe_is palette.png "png 320x200 channels=3 orientation=1"
probe_is palette-trns.png "png 320x200 channels=4 orientation=1"
probe_is grey16.png "png 320x200 channels=1 orientation=1"
probe_is rgb16.png "png 320x200 channels=3 orientation=1"
for f in rgb.png rgba.png grey.png grey-alpha.png palette.png palette-trns.png; do
    decodes_as $f $f 0
done
# 16-bit samples are v * 257: reduced to 8 bits they are v again.
decodes_as grey16.png grey.png 0
decodes_as rgb16.png rgb.png 0

probe_is photo.gif "gif 320x200 channels=3 orientation=1"
probe_is trns.gif "gif 320x200 channels=4 orientation=1"
decodes_as photo.gif photo.gif 0
"$PYTHON_PIL" -c 'from PIL import Image; Image.open("trns.gif").convert("RGBA").save("trns.ref.png")'
decodes_as trns.gif trns.ref.png 0

for f in strips.tif lzw.tif deflate.tif tiled.tif rgb16.tif tiled16.tif; do
    probe_is $f "tiff 320x200 channels=3 orientation=1"
    decodes_as $f rgb.png 0
done
probe_is rgba.tif "tiff 320x200 channels=4 orientation=1"
decodes_as rgba.tif rgba.tif 0
probe_is grey.tif "tiff 320x200 channels=1 orientation=1"
decodes_as grey.tif grey.tif 0
# The orientation tag is applied as EXIF's is (Pillow 9 ignores it in
# TIFF: the reference is turned by hand).
probe_is orient6.tif "tiff 320x200 channels=3 orientation=6"
pilref orient rgb.png 6 turned.png
"$TOOL" thumb orient6.tif 100 100 orient6.t.jpg >/dev/null
at_least "$(pilref psnr turned.png orient6.t.jpg)" 32 "TIFF orientation 6 is turned like EXIF's"

# Bombs: refused from the header, with the pixel count and the limit.
for f in bomb.png bomb.gif bomb.tif; do
    out=$("$TOOL" decode $f 0 0 x.axr)
    contains_text "$out" "error -6: image is" "$f refused before decoding"
    contains_text "$out" "over the limit of 200000000" "$f: the limit is named"
done
out=$("$TOOL" decode rgb.png 0 0 x.axr 1000)
contains_text "$out" "64000 pixels, over the limit of 1000" "max_pixels holds for PNG"

# Prefixes: the probe asks for the bytes its headers need.
is "$("$TOOL" prefix rgb.png 20)" "more 33" "PNG prefix: reads on to the end of IHDR"
is "$("$TOOL" prefix trns.gif 20)" "more 782" "GIF prefix: reads on past its palette"
ifd=$("$PYTHON_PIL" -c 'import struct; print(struct.unpack("<I", open("tiled.tif", "rb").read()[4:8])[0] + 2)')
is "$("$TOOL" prefix tiled.tif 64)" "more $ifd" "TIFF prefix: reads on to its directory"
is "$("$TOOL" prefix tiled.tif $(wc -c < tiled.tif))" "tiff 320x200 channels=3 orientation=1" \
    "TIFF: the whole file probes"

# Cut and damaged files say which.
cut_is() { # FILE BYTES EXPECTED
    head -c "$2" "$1" > "cut-$1"
    contains_text "$("$TOOL" decode "cut-$1" 0 0 x.axr)" "$3" "$1 cut at $2 bytes: $3"
}
size() { wc -c < "$1" | tr -d ' '; }
cut_is rgb.png $(($(size rgb.png) / 2)) "truncated PNG"
cut_is rgb.png 20 "truncated PNG"
cut_is photo.gif $(($(size photo.gif) / 2)) "truncated GIF"
cut_is lzw.tif $(($(size lzw.tif) - 300)) "truncated TIFF"
cut_is lzw.tif 6 "truncated TIFF"
# A byte flipped in PNG image data fails its CRC; TIFF LZW codes past the
# table are damage; a GIF's LZW code size out of range too.
damage() { # FILE OFFSET OUT
    "$PYTHON_PIL" -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); o = int(sys.argv[2]); d[o:o + 16] = b"\xff" * 16; open(sys.argv[3], "wb").write(d)' "$@"
}
idat=$("$PYTHON_PIL" -c 'print(open("rgb.png", "rb").read().index(b"IDAT") + 200)')
damage rgb.png "$idat" bad.png
contains_text "$("$TOOL" decode bad.png 0 0 x.axr)" "corrupt PNG" "damaged PNG data: corrupt PNG"
damage lzw.tif 400 bad.tif
contains_text "$("$TOOL" decode bad.tif 0 0 x.axr)" "corrupt TIFF" "damaged TIFF data: corrupt TIFF"
gifdata=$("$PYTHON_PIL" -c 'd = open("photo.gif", "rb").read(); print(d.index(b"\x2c", 13 + 768) + 10)')
"$PYTHON_PIL" -c 'import sys; d = bytearray(open("photo.gif", "rb").read()); d[int(sys.argv[1])] = 12; open("bad.gif", "wb").write(d)' "$gifdata"
contains_text "$("$TOOL" decode bad.gif 0 0 x.axr)" "corrupt GIF" "GIF with a bad LZW code size: corrupt GIF"

# Thumbnails from each meet the quality bar against Pillow's LANCZOS.
gen photo big.png --size 1600x1000 --seed 3
"$PYTHON_PIL" -c '
from PIL import Image
im = Image.open("big.png")
im.save("big.tif", compression="tiff_lzw")
im.convert("RGBA").save("big-alpha.png")
im.quantize(256).save("big.gif")
# Pillow resizes palette images by nearest neighbour: the reference is
# made from its RGB decode.
Image.open("big.gif").convert("RGB").save("big.gif.png")'
for f in big.png big.tif big-alpha.png big.gif; do
    ref=$f
    [ $f = big.gif ] && ref=big.gif.png
    "$TOOL" thumb $f 256 256 $f.t.jpg >/dev/null
    at_least "$(pilref psnr $ref $f.t.jpg)" 32 "$f into 256x256, q95 export"
done

# HEIF and AVIF, made with libheif's encoder, against its decoder.
if command -v heif-enc >/dev/null && command -v heif-convert >/dev/null; then
    heif-enc -q 90 -o photo.heic big.png >/dev/null &&
    heif-enc -A -q 90 -o photo.avif big.png >/dev/null &&
    heif-enc -q 90 -t 800 -o thumbed.heic big.png >/dev/null &&
    heif-enc -A -q 90 -o alpha.avif big-alpha.png >/dev/null
    ok $? "heif-enc makes the HEIF and AVIF files"
    probe_is photo.heic "heif 1600x1000 channels=3 orientation=1"
    probe_is photo.avif "avif 1600x1000 channels=3 orientation=1"
    probe_is alpha.avif "avif 1600x1000 channels=4 orientation=1"
    for f in photo.heic photo.avif alpha.avif; do
        heif-convert $f $f.ref.png >/dev/null
        decodes_as $f $f.ref.png 0
        "$TOOL" thumb $f 256 256 $f.t.jpg >/dev/null
        at_least "$(pilref psnr $f.ref.png $f.t.jpg)" 32 "$f into 256x256, q95 export"
    done
    # The embedded 800x500 thumbnail serves a wish of 400x250 (2x margin),
    # not one of 401x250.
    is "$("$TOOL" decode thumbed.heic 400 250 x.axr)" "800x500 channels=3" \
        "HEIF: the embedded thumbnail when it covers the size"
    is "$("$TOOL" decode thumbed.heic 401 250 x.axr)" "1600x1000 channels=3" \
        "HEIF: the image when the thumbnail is too small"
    # The probe reads headers: 4 KiB of a 1600x1000 HEIF are enough.
    is "$("$TOOL" prefix photo.heic 4096)" "heif 1600x1000 channels=3 orientation=1" \
        "HEIF probed from its first 4 KiB"
    is "$("$TOOL" prefix photo.heic 12)" "more 28" "HEIF prefix: reads on to its ftyp box"
    cut_is photo.heic $(($(size photo.heic) / 2)) "truncated HEIF"
    cut_is photo.avif 100 "truncated AVIF"
else
    skip "heif-enc or heif-convert missing (Debian: libheif-examples)" 16
fi

# The pipeline: import, thumbnails, export, every format.
mkdir in
cp rgb.png rgba.png palette.png grey16.png photo.gif strips.tif tiled16.tif orient6.tif in/
[ -f photo.heic ] && cp photo.heic photo.avif in/
cp rgb.png in/misnamed.jpg
"$AXLE" run "$AXLE_SRCDIR/pipelines/thumbnails.yaml" input=in size=[64,64] \
    > run.out 2> run.err
is $? 0 "the pipeline runs on every format"
sed 's/^/# /' run.err
job=$(awk '$1 == "export" { print $2 }' run.out)
for f in rgb rgba palette photo strips tiled16 misnamed; do
    is "$(pilref info "axle-work/$job/output/$f.jpg")" "RGB 64x40" "$f exported at 64x40"
done
is "$(pilref info "axle-work/$job/output/grey16.jpg")" "L 64x40" "grey16 exported grey at 64x40"
is "$(pilref info "axle-work/$job/output/orient6.jpg")" "RGB 40x64" "orient6.tif exported turned"
if [ -f photo.heic ]; then
    # photo.avif sorts first and keeps photo.jpg
    is "$(pilref info "axle-work/$job/output/photo.jpg")" "RGB 64x40" "AVIF exported"
    is "$(pilref info "axle-work/$job/output/photo.heic.jpg")" "RGB 64x40" "HEIF exported"
fi
done_testing
