#!/bin/sh
# The guide's "Rows and results" method, as printed in sdk/README.md:
# built warning-free against the build tree and run on an import, its
# result holds the image count, the mean size (a float printed as
# written) and the largest file, whichever slice it was in.
. "$AXLE_SRCDIR/tests/lib.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

awk '
    /^```/ { if (inb) { inb = 0; out = 0 } else { inb = 1; first = 1 }; next }
    inb && first { first = 0; out = ($0 ~ /^\/\* filestats\.c /) }
    inb && out { print }
' "$AXLE_SRCDIR/sdk/README.md" > filestats.c
check "the guide has filestats.c" -- grep -q "axle_slice_results_merged" filestats.c

mkdir methods
check "it builds warning-free" -- ${CC:-cc} -O2 -Wall -Wextra -Wmissing-prototypes \
    -Werror -fPIC -shared -I"$AXLE_SRCDIR/sdk" filestats.c \
    -L"$AXLE_BUILDDIR/lib/.libs" -laxle -o methods/filestats.so

S="$AXLE_SRCDIR/pipelines/samples"
mkdir photos
cp "$S/tiny.jpg" "$S/meadow.webp" "$S/harbour.jpg" photos/
cp "$S/hills-progressive.jpg" photos/zz-largest.jpg
cat > p.yaml <<'YAML'
workdir: wd
slices: 3
jobs:
  import:
    method: import_images
    options: {files: photos}
  stats:
    method: ./methods/filestats.so
    datasets: {source: import}
YAML
"$AXLE" run p.yaml > out 2> err
is "$?" 0 "axle runs it"
sed 's/^/# /' out err
total=$(cat photos/* | wc -c)
mean=$(awk -v t="$total" 'BEGIN { printf "%.4f", t / 4 }')
contains wd/wd-2/result.json '"images": 4' "it counts the images of every slice"
contains wd/wd-2/result.json '"largest": "zz-largest.jpg"' "it names the largest file"
got=$(sed 's/.*"mean_bytes": \([0-9.e]*\).*/\1/' wd/wd-2/result.json)
is "$(awk -v m="$got" 'BEGIN { printf "%.4f", m }')" "$mean" "its mean size is right"
check "and is printed as written, shortest" -- grep -Eq '"mean_bytes":[0-9]+(\.[0-9]{1,4})?}' out
done_testing
