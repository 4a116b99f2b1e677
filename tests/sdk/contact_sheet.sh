#!/bin/sh
# The example sdk/examples/contact_sheet, as an author gets it: built by
# its own Makefile warning-free and accepted by `axle methods`; run on an
# import of generated images over three slices, it writes one JPEG,
# `columns` cells across and as many rows as needed, each image fitted into
# its cell as Pillow's thumbnail() fits it (EXIF orientation applied),
# centred on dark grey, in file-name order; an image that cannot be
# decoded leaves its cell empty and is listed as skipped; the sheet is
# registered and `axle which` names its job.  The run uses the check
# module (sanitizers apply in check-sanitizers).
. "$AXLE_SRCDIR/tests/lib.sh"

[ -n "${PYTHON_PIL:-}" ] && "$PYTHON_PIL" -c 'import PIL' 2>/dev/null ||
    skip_all "no python3 with PIL to make test images"
command -v pkg-config >/dev/null || skip_all "no pkg-config"
py() { "$PYTHON_PIL" "$@"; }
module=$AXLE_BUILDDIR/sdk/examples/contact_sheet/.libs/contact_sheet.so

cp -R "$AXLE_SRCDIR/sdk/examples/contact_sheet" own && chmod -R u+w own
check "contact_sheet builds with its own Makefile, warning-free" -- \
    sh -c 'cd own && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
        PKG_CONFIG_PATH="$1" CFLAGS="-Werror" make' sh "$AXLE_BUILDDIR/sdk"
"$AXLE" methods ./own/contact_sheet.so > m.txt 2>&1
ok $? "axle methods ./own/contact_sheet.so accepts it"
contains m.txt "columns" "with its options"

# Seven images, each of its own colour with a darker band across its top,
# in sizes and kinds that each take another path: landscape, portrait,
# smaller than a cell (kept as it is), grey, RGBA WebP, stored sideways
# (EXIF orientation 6); and one whose data ends half way.
mkdir img
py - img <<'EOF'
import os, sys
from PIL import Image, ImageDraw
d = sys.argv[1]
def make(name, size, colour, mode="RGB", **save):
    im = Image.new(mode, size, colour)
    dark = tuple(c // 3 for c in colour) if isinstance(colour, tuple) else colour // 3
    ImageDraw.Draw(im).rectangle([0, 0, size[0] - 1, size[1] // 4], fill=dark)
    im.save(os.path.join(d, name), **save)
make("1-red.jpg", (300, 200), (220, 40, 40), quality=95)
make("2-green.jpg", (150, 300), (40, 200, 60), quality=95)
make("3-small.jpg", (60, 40), (240, 220, 40), quality=95)
make("5-grey.jpg", (200, 200), 170, mode="L", quality=95)
make("6-alpha.webp", (240, 160), (40, 90, 230, 255), mode="RGBA", lossless=True)
# Stored 100 wide and 300 high with the band at its stored top, shown
# turned 90 degrees clockwise (orientation 6): 300 wide, the band at the right.
exif = Image.Exif()
exif[0x0112] = 6
make("7-turned.jpg", (100, 300), (200, 120, 200), quality=95, exif=exif)
EOF
py "$AXLE_SRCDIR/tests/gen_images.py" bad bad
cp bad/truncated.jpg img/4-broken.jpg

cat > p.yaml <<YAML
workdir: wd
slices: 3
jobs:
  import:
    method: import_images
    options: {files: img}
  sheet:
    method: $module
    datasets: {source: import}
    options: {columns: 3, cell: 96}
YAML
"$AXLE" run p.yaml > out 2> err
ok $? "a pipeline runs contact_sheet after an import"
sed 's/^/# /' err | grep -i error
sheet=$(find wd -name contact_sheet.jpg)
[ -n "$sheet" ]
ok $? "it writes contact_sheet.jpg"
contains out "$(dirname "$sheet")" "the run line shows its folder (registered)"
"$AXLE" job sheet --workdir wd > job.txt 2>&1
contains job.txt "contact_sheet.jpg" "axle job lists it"
contains job.txt "4-broken.jpg" "the image that cannot be decoded is listed as skipped"
"$AXLE" which "$sheet" > which.txt 2>&1
contains which.txt "$(basename "$(dirname "$sheet")")" "axle which names the job that made it"

# The sheet against Pillow: the size, and each cell's mean colour against
# its source fitted as Pillow's thumbnail((96, 96)) does, centred; the
# broken image's cell and the two after the last image are background.
py - img "$sheet" > cells.txt <<'EOF'
import os, sys
from PIL import Image, ImageOps, ImageStat
sheet = Image.open(sys.argv[2])
print("size", "%dx%d" % sheet.size, sheet.mode)
cell, cols = 96, 3
names = sorted(os.listdir(sys.argv[1]))
for i in range(9):
    x, y = i % cols * cell, i // cols * cell
    name = names[i] if i < len(names) else "(none)"
    try:
        im = ImageOps.exif_transpose(Image.open(os.path.join(sys.argv[1], name))).convert("RGB")
        im.thumbnail((cell, cell))
    except Exception:
        region = sheet.crop((x, y, x + cell, y + cell))
        print(name, "empty", int(max(abs(m - 32) for m in ImageStat.Stat(region).mean) < 2))
        continue
    w, h = im.size
    x, y = x + (cell - w) // 2, y + (cell - h) // 2
    got = ImageStat.Stat(sheet.crop((x, y, x + w, y + h))).mean
    want = ImageStat.Stat(im).mean
    # The band: the top quarter of the shown image (the right quarter when turned).
    top = sheet.crop((x, y, x + w, y + h // 5)) if "turned" not in name else \
        sheet.crop((x + w - w // 5, y, x + w, y + h))
    band = ImageStat.Stat(top).mean
    ok = max(abs(a - b) for a, b in zip(got, want)) < 3 and sum(band) < sum(got) - 60
    print(name, "cell", int(ok), ",".join("%.0f" % v for v in got), ",".join("%.0f" % v for v in want))
EOF
sed 's/^/# /' cells.txt
contains cells.txt "size 288x288 RGB" "the sheet is 3 cells of 96 across and 3 down, RGB"
for name in 1-red.jpg 2-green.jpg 3-small.jpg 5-grey.jpg 6-alpha.webp 7-turned.jpg; do
    contains cells.txt "$name cell 1 " "$name's cell has its colour, its size and its band on top"
done
contains cells.txt "4-broken.jpg empty 1" "the broken image's cell is left empty"
is "$(grep -c '(none) empty 1' cells.txt)" 2 "the cells after the last image are empty"

"$AXLE" run p.yaml > out2 2> err2
contains out2 "2 jobs: 0 built, 2 reused" "a second run reuses the sheet"
done_testing
