#!/bin/sh
# The author's guide, followed to the letter: its first method, Makefile
# and pipeline are taken from sdk/README.md as printed, built in an empty
# folder and run; the column they add holds width x height of each image.
. "$AXLE_SRCDIR/tests/lib.sh"

[ -n "${PYTHON_PIL:-}" ] && "$PYTHON_PIL" -c 'import PIL' 2>/dev/null ||
    skip_all "no python3 with PIL to make test images"
command -v pkg-config >/dev/null || skip_all "no pkg-config"

# The build tree's SDK: pkg-config prefers its axle-uninstalled.pc.
pc=$AXLE_BUILDDIR/sdk

# Each fenced block whose first line names pixels.c, Makefile or
# pixels.yaml becomes that file.
mkdir guide
awk -v dir=guide '
    /^```/ { if (inb) { inb = 0; out = "" } else { inb = 1; first = 1 }; next }
    inb && first {
        first = 0
        if ($0 ~ /^\/\* pixels\.c /) out = dir "/pixels.c"
        else if ($0 ~ /^# Makefile$/) out = dir "/Makefile"
        else if ($0 ~ /^# pixels\.yaml$/) out = dir "/pixels.yaml"
    }
    inb && out != "" { print > out }
' "$AXLE_SRCDIR/sdk/README.md"
is "$(ls guide | tr '\n' ' ')" "Makefile pixels.c pixels.yaml " "the guide has the method, its Makefile and a pipeline"

# Every complete method in the guide (a block opening with "/* NAME.c - ")
# is built and run by a test as printed: pixels.c here, filestats.c by
# guide_results.sh, thumbs.c by guide_images.sh.  A new one needs its test.
methods=$(awk '
    /^```/ { inb = !inb; first = inb; next }
    inb && first { first = 0; if (match($0, /^\/\* [a-z_0-9]+\.c - /)) print substr($0, 4, RLENGTH - 6) }
' "$AXLE_SRCDIR/sdk/README.md" | sort | tr '\n' ' ')
is "$methods" "filestats.c pixels.c thumbs.c " "the guide's complete methods are the ones its tests run"

check "the guide's method builds with the guide's Makefile, warning-free" -- \
    sh -c 'cd guide && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
        PKG_CONFIG_PATH="$1" CFLAGS="-O2 -Werror" make' sh "$pc"

"$PYTHON_PIL" "$AXLE_SRCDIR/tests/gen_images.py" samples img
cd guide || exit 99
"$AXLE" run pixels.yaml input=../img --slices 2 > out 2> err
ok $? "axle run pixels.yaml input=... runs it"
sed 's/^/# /' err | grep -i error
"$AXLE" ds pixels > ds.txt 2>&1
contains ds.txt "pixels" "axle ds pixels shows the new column"
contains ds.txt "filename" "beside the import's columns"
"$AXLE" ds pixels --column pixels > values 2>&1
ok $? "axle ds pixels --column pixels prints the values"

# What Pillow says, as a sorted list, against what the method wrote.
got=$(grep -E '^[0-9]+$' values | sort -n | tr '\n' ' ')
want=$("$PYTHON_PIL" - ../img <<'EOF'
import os, sys
from PIL import Image
px = []
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        w, h = Image.open(os.path.join(root, f)).size
        px.append(w * h)
print(" ".join(str(p) for p in sorted(px)) + " ")
EOF
)
is "$got" "$want" "each row holds width x height of its image"

"$AXLE" run pixels.yaml input=../img --slices 2 > out2 2> err2
contains out2 "2 jobs: 0 built, 2 reused" "running it again reuses both steps"
done_testing
