#!/bin/sh
# The example sdk/examples/colour_stats, as an author gets it: built by its
# own Makefile (pkg-config, axle new's flags) warning-free and accepted by
# `axle methods`; run on an import of generated images, its columns
# mean_r, mean_g, mean_b and brightness are Pillow's means of the same
# reduced copy (thumbnail((64, 64)) after EXIF orientation; grey counts as
# R = G = B; brightness is the ITU-R 601 luma of the means), whatever the
# slice; the darkest file is the job's result; an image that cannot be
# decoded is skipped with a null row, or fails the job with on_error: fail.
# The run uses the check module (sanitizers apply in check-sanitizers).
. "$AXLE_SRCDIR/tests/lib.sh"

[ -n "${PYTHON_PIL:-}" ] && "$PYTHON_PIL" -c 'import PIL' 2>/dev/null ||
    skip_all "no python3 with PIL to make test images"
command -v pkg-config >/dev/null || skip_all "no pkg-config"
py() { "$PYTHON_PIL" "$@"; }
module=$AXLE_BUILDDIR/sdk/examples/colour_stats/.libs/colour_stats.so

cp -R "$AXLE_SRCDIR/sdk/examples/colour_stats" own && chmod -R u+w own
check "colour_stats builds with its own Makefile, warning-free" -- \
    sh -c 'cd own && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
        PKG_CONFIG_PATH="$1" CFLAGS="-Werror" make' sh "$AXLE_BUILDDIR/sdk"
"$AXLE" methods ./own/colour_stats.so > m.txt 2>&1
ok $? "axle methods ./own/colour_stats.so accepts it"
contains m.txt "on_error" "with its on_error option"

# Images of every kind the import takes: the samples (rotated, grey,
# alpha, progressive, tiny, two lake.jpg in subfolders), a dark one, and
# one whose data ends half way.
py "$AXLE_SRCDIR/tests/gen_images.py" samples img
py "$AXLE_SRCDIR/tests/gen_images.py" bad bad
cp bad/truncated.jpg img/broken.jpg
py - img/night.jpg <<'EOF'
import sys
from PIL import Image
im = Image.linear_gradient("L").resize((320, 200)).point(lambda v: 8 + v // 12)
Image.merge("RGB", (im, im.point(lambda v: v + 3), im.point(lambda v: v + 9))).save(sys.argv[1], quality=92)
EOF

cat > p.yaml <<YAML
workdir: wd
slices: 3
params:
  on_error: skip
jobs:
  import:
    method: import_images
    options: {files: img}
  colour:
    method: $module
    datasets: {source: import}
    options: {on_error: "\${on_error}"}
YAML
"$AXLE" run p.yaml > out 2> err
ok $? "a pipeline runs colour_stats after an import"
sed 's/^/# /' err | grep -i error

for c in filename mean_r mean_g mean_b brightness; do
    "$AXLE" ds colour --workdir wd --column "$c" > "$c.txt" 2>&1
done
"$AXLE" ds colour --workdir wd > ds.txt 2>&1
for c in mean_r mean_g mean_b brightness; do
    contains ds.txt "$c" "the dataset has the column $c"
done
contains ds.txt "float64" "typed float64"
paste filename.txt mean_r.txt mean_g.txt mean_b.txt brightness.txt > got.txt
is "$(grep -c . got.txt)" "$(find img -type f | wc -l | tr -d ' ')" "one row per imported file"
is "$(awk '$1 == "broken.jpg" { print $2, $3, $4, $5 }' got.txt)" "null null null null" \
    "the image that cannot be decoded has a null row"
"$AXLE" job colour --workdir wd > job.txt 2>&1
contains job.txt "broken.jpg" "and is listed as skipped"

# Pillow's means of the same reduced copy, against each row's.
py - img got.txt > cmp.txt <<'EOF'
import os, sys
from PIL import Image, ImageOps, ImageStat
got = {}
for line in open(sys.argv[2]):
    name, *vals = line.split("\t")
    got[name] = vals
worst, rows = 0.0, 0
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        path = os.path.join(root, f)
        name = os.path.relpath(path, sys.argv[1])
        try:
            im = ImageOps.exif_transpose(Image.open(path))
            im.thumbnail((64, 64))
        except Exception:
            continue
        bands = im.getbands()
        means = ImageStat.Stat(im).mean
        rgb = [means[bands.index(b)] for b in ("R", "G", "B")] if "R" in bands else [means[0]] * 3
        want = rgb + [0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]]
        have = [float(v) for v in got[name]]
        d = max(abs(a - b) for a, b in zip(want, have))
        if d > worst:
            worst, where = d, name
        rows += 1
print(rows, round(worst, 3), where)
EOF
read -r rows worst where < cmp.txt
is "$rows" 11 "Pillow reads the 11 decodable images"
close=$(py -c "print(int($worst < 1.0))")
is "$close" 1 "every mean is Pillow's within 1.0 (worst: $worst, $where)"

res() { "$AXLE" job colour --workdir wd --json | py -c \
    'import json, sys; print(json.load(sys.stdin)["result"][sys.argv[1]])' "$1"; }
is "$(res darkest)" night.jpg "the result names the darkest file"
want=$(awk '$1 == "night.jpg" { print $5 }' got.txt)
same=$(py -c "print(int(abs($(res brightness) - $want) < 1e-9))")
is "$same" 1 "with its brightness, as in its row ($want)"

"$AXLE" run p.yaml on_error=fail > out2 2> err2
is $? 1 "with on_error: fail the job fails (exit 1)"
contains err2 "broken.jpg" "naming the file"
done_testing
