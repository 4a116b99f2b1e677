#!/bin/sh
# orientation.sh - all eight EXIF orientations, in JPEG and WebP, give
# the pixels of Pillow's ImageOps.exif_transpose, and thumbnails fit the
# oriented size.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"

for o in 1 2 3 4 5 6 7 8; do
    for ext in jpg webp; do
        f=o$o.$ext
        # 96x60 as shown; stored turned so that orientation $o shows it upright
        gen photo "$f" --size 96x60 --orientation "$o" --quality 95
        is "$("$TOOL" probe "$f" | sed 's/.*orientation=//')" "$o" "$f: orientation read"
        "$TOOL" orient "$f" "$o" "$f.axr" >/dev/null
        pilref orient "$f" "$o" "$f.pil.png"
        set -- $(pilref diff "$f.axr" "$f.pil.png")
        is "${2:-x}" 0 "$f: pixels equal Pillow's exif_transpose"
        is "$("$TOOL" thumb "$f" 48 48 "$f.t.axr")" "48x30 channels=3" "$f: thumbnail fits the oriented size"
        at_least "$(pilref psnr "$f" "$f.t.axr")" 35 "$f: thumbnail close to Pillow's"
    done
done
done_testing
