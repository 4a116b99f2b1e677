#!/bin/sh
# The template as a new author meets it: copied into an empty folder and
# built by its three-line Makefile, it loads by name through
# AXLE_METHOD_PATH, adds a column to an imported dataset, skips (or, when
# asked, fails on) an image it cannot decode, naming the file, and sums up
# in its result.  A copy renamed without changing its descriptor is
# refused, naming both names.
. "$AXLE_SRCDIR/tests/lib.sh"

[ -n "${PYTHON_PIL:-}" ] && "$PYTHON_PIL" -c 'import PIL' 2>/dev/null ||
    skip_all "no python3 with PIL to make test images"
command -v pkg-config >/dev/null || skip_all "no pkg-config"

src=$AXLE_SRCDIR
# The build tree's SDK: pkg-config prefers its axle-uninstalled.pc.
pc=$AXLE_BUILDDIR/sdk
mkdir mine
cp "$src/sdk/template/method_template.c" "$src/sdk/template/Makefile" mine/
chmod u+w mine/*
check "the template builds with its own Makefile, warning-free" -- \
    sh -c 'cd mine && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
        PKG_CONFIG_PATH="$1" CFLAGS="-O2 -Werror" make' sh "$pc"
AXLE_METHOD_PATH="$PWD/mine:$AXLE_METHOD_PATH"
export AXLE_METHOD_PATH

"$AXLE" methods method_template > meth 2>&1
contains meth "$PWD/mine/method_template.so" "axle methods finds it by name"
contains meth "8..4096" "and lists its options with their ranges"
contains meth "one of skip|fail" "and choices"

"$PYTHON_PIL" "$src/tests/gen_images.py" samples img
"$PYTHON_PIL" "$src/tests/gen_images.py" bad bad
cp bad/truncated.jpg img/
cat > p.yaml <<'YAML'
workdir: wd
slices: 2
params:
  on_error: skip
jobs:
  import:
    method: import_images
    options: {files: img}
  bright:
    method: method_template
    datasets: {source: import}
    options: {on_error: "${on_error}"}
YAML
"$AXLE" run p.yaml > out 2> err
ok $? "a pipeline runs the template after an import"
"$AXLE" ds bright --workdir wd > ds.txt 2>&1
contains ds.txt "brightness" "its dataset has the new column"
contains ds.txt "float64" "typed float64"
contains ds.txt "filename" "and the import's columns, through the parent link"
"$AXLE" job bright --workdir wd > job.txt 2>&1
contains job.txt "truncated.jpg" "the undecodable image is skipped, by file name"
n=$(find img -type f | wc -l)
contains job.txt "\"images\": $((n - 1))" "the result counts the images measured"

# The mean it reports is the mean brightness of the images at the size the
# template measures them (fit inside 64x64, EXIF orientation applied), as
# Pillow sees them: the same copy as Pillow's thumbnail((64, 64)), where
# a fully transparent pixel is black, as in any premultiplied resize.
got=$("$AXLE" job bright --workdir wd --json | "$PYTHON_PIL" -c \
    'import json, sys; print(json.load(sys.stdin)["result"]["mean_brightness"])')
want=$("$PYTHON_PIL" - img <<'EOF'
import os, sys
from PIL import Image, ImageOps, ImageStat
means = []
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        try:
            im = ImageOps.exif_transpose(Image.open(os.path.join(root, f)))
        except Exception:
            continue
        im.thumbnail((64, 64))
        bands = [b for b in im.getbands() if b != "A"]
        st = ImageStat.Stat(im)
        means.append(sum(st.mean[im.getbands().index(b)] for b in bands) / len(bands))
print(sum(means) / len(means))
EOF
)
close=$("$PYTHON_PIL" -c "print(int(abs($got - $want) < 0.5))" 2>/dev/null)
is "$close" 1 "mean brightness $got is Pillow's $want within 0.5"

"$AXLE" run p.yaml on_error=fail > out2 2> err2
is $? 1 "with on_error: fail the job fails (exit 1)"
contains err2 "truncated.jpg" "naming the file"

cp mine/method_template.so mine/my_copy.so
"$AXLE" methods my_copy > ren.txt 2>&1
contains ren.txt "method name 'method_template' does not match file name 'my_copy'" \
    "a renamed copy is refused, naming both names"
done_testing
