#!/bin/sh
# The guide's "An image at the size you want" method, thumbs.c, as printed
# in sdk/README.md: built warning-free with the flags axle.pc gives methods
# and run on an import, every row's thumbnail has the size Pillow's
# thumbnail() gives the image as shown (EXIF orientation applied); an image
# that cannot be decoded is skipped with a null thumbnail.
. "$AXLE_SRCDIR/tests/lib.sh"

[ -n "${PYTHON_PIL:-}" ] && "$PYTHON_PIL" -c 'import PIL' 2>/dev/null ||
    skip_all "no python3 with PIL to make test images"
command -v pkg-config >/dev/null || skip_all "no pkg-config"

awk '
    /^```/ { if (inb) { inb = 0; out = 0 } else { inb = 1; first = 1 }; next }
    inb && first { first = 0; out = ($0 ~ /^\/\* thumbs\.c /) }
    inb && out { print }
' "$AXLE_SRCDIR/sdk/README.md" > thumbs.c
check "the guide has thumbs.c" -- grep -q "axle_rows_image_to_size" thumbs.c

mkdir methods
pc() { PKG_CONFIG_PATH="$AXLE_BUILDDIR/sdk" pkg-config axle "$@"; }
cflags="$(pc --variable=method_cflags) $(pc --cflags)"
libs=$(pc --libs)
# shellcheck disable=SC2086
check "it builds warning-free with axle.pc's method_cflags" -- \
    ${CC:-cc} $cflags -Werror -shared thumbs.c $libs -o methods/thumbs.so

"$PYTHON_PIL" "$AXLE_SRCDIR/tests/gen_images.py" samples img
"$PYTHON_PIL" "$AXLE_SRCDIR/tests/gen_images.py" bad bad
cp bad/truncated.jpg img/broken.jpg
cat > p.yaml <<'YAML'
workdir: wd
slices: 2
jobs:
  import:
    method: import_images
    options: {files: img}
  thumbs:
    method: ./methods/thumbs.so
    datasets: {source: import}
    options: {size: [64, 48]}
YAML
"$AXLE" run p.yaml > out 2> err
ok $? "axle runs it"
sed 's/^/# /' err | grep -i error
"$AXLE" ds thumbs --workdir wd --column filename > names.txt 2>&1
"$AXLE" ds thumbs --workdir wd --column thumb > thumbs.txt 2>&1
paste names.txt thumbs.txt | awk '{ print $1, $2 }' | sort > got.txt
"$PYTHON_PIL" - img <<'PY' | sort > want.txt
import os, sys
from PIL import Image, ImageOps
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        path = os.path.join(root, f)
        name = os.path.relpath(path, sys.argv[1])
        try:
            im = ImageOps.exif_transpose(Image.open(path))
            im.thumbnail((64, 48))
            print(name, "%dx%d" % im.size)
        except Exception:
            print(name, "null")
PY
sed 's/^/# /' got.txt
is "$(cat got.txt)" "$(cat want.txt)" "each thumbnail has Pillow's thumbnail size; the broken image's is null"
"$AXLE" job thumbs --workdir wd > job.txt 2>&1
contains job.txt "broken.jpg" "the broken image is listed as skipped"
done_testing
