#!/bin/sh
# The SDK as a product: the worked example box_resize, built out of tree
# from its own folder with its own Makefile, replaces the built-in
# thumbnailer in the thumbnail pipeline.  Nothing of axle is rebuilt or
# touched; only the steps that depend on the swapped method are built; the
# thumbnails change but keep their sizes.  A rebuild of the .so with other
# flags rebuilds those steps again, a reproducible rebuild does not.
. "$AXLE_SRCDIR/tests/lib.sh"

[ -n "${PYTHON_PIL:-}" ] && "$PYTHON_PIL" -c 'import PIL' 2>/dev/null ||
    skip_all "no python3 with PIL to make test images"
command -v pkg-config >/dev/null || skip_all "no pkg-config"

src=$AXLE_SRCDIR
bld=$AXLE_BUILDDIR
py() { "$PYTHON_PIL" "$@"; }
# The example's Makefile asks pkg-config (method_cflags, as axle new's
# does); before `make install` the SDK is the build tree's: its
# axle-uninstalled.pc points pkg-config at the tree's header and library.
build() {  # build DIR [CFLAGS]: copy the example's folder to DIR and make
    rm -rf "$1" && cp -R "$src/sdk/examples/box_resize" "$1" && chmod -R u+w "$1"
    (cd "$1" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
        PKG_CONFIG_PATH="$bld/sdk" ${2:+CFLAGS="$2"} make box_resize.so)
}
sums() {   # digests and times of the core and the built-in methods
    for f in "$AXLE" "$bld/core/.libs/axle" "$bld/lib/.libs/libaxle.so" \
        "$bld"/plugins/.libs/*.so; do
        [ -f "$f" ] && echo "$(sha256sum < "$f") $(stat -c %Y "$f") $f"
    done
}
jobfield() { # jobfield STEP PIPELINE KEY...: a field of `axle job STEP --json`
    _step=$1 _pipe=$2; shift 2
    "$AXLE" job "$_step" -p "$_pipe" --json 2>/dev/null |
        py -c 'import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1:]: v = v[k]
print(v if isinstance(v, str) else json.dumps(v))' "$@" 2>/dev/null
}
contains_text() { # contains_text TEXT NEEDLE DESCRIPTION
    printf '%s\n' "$1" > text.txt; contains text.txt "$2" "$3"
}
state() {  # state OUTFILE: "step state" for every run line
    awk 'NF >= 4 && $3 ~ /^(built|reused|failed)$/ {printf "%s %s ", $1, $3}' "$1"
}

check "box_resize builds out of tree with -Wall -Wextra -Werror" -- \
    build a "-O2 -g -Werror"
(cd a && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL PKG_CONFIG_PATH="$bld/sdk" \
    make -n -B box_resize.so) > flags.txt 2>&1
contains flags.txt "-Wmissing-prototypes -Werror=date-time -ffile-prefix-map=$PWD/a=." \
    "with the flags axle.pc gives methods (method_cflags), as axle new's Makefile"
check "a second build in another folder" -- build b "-O2 -g -Werror"
check "gives the same bytes (reproducible: same .so digest, same jobs)" -- \
    cmp a/box_resize.so b/box_resize.so
mkdir m && cp a/box_resize.so m/

py "$src/tests/gen_images.py" samples img
before=$(sums)
contains_text "$before" "plugins/.libs/thumbnailer.so" "the built-in thumbnailer is there to swap"
pipe=$src/pipelines/thumbnails.yaml
boxpipe=$src/pipelines/thumbnails_box.yaml

"$AXLE" run "$pipe" input="$PWD/img" --slices 2 > out1 2> err1
ok $? "the thumbnail pipeline runs with the built-in thumbnailer"
is "$(state out1)" "import built thumbs built export built shapes built " "all four steps built"
export1=$(awk '$1 == "export" {print $5}' out1)

AXLE_METHOD_PATH="$PWD/m:$AXLE_METHOD_PATH" "$AXLE" methods box_resize > meth 2>&1
contains meth "$PWD/m/box_resize.so" "axle methods finds box_resize through AXLE_METHOD_PATH"
sha_thumb1=$(jobfield thumbs "$pipe" identity_record so_sha256)

AXLE_METHOD_PATH="$PWD/m:$AXLE_METHOD_PATH" \
    "$AXLE" run "$boxpipe" input="$PWD/img" --slices 2 > out2 2> err2
ok $? "the same pipeline with box_resize in place of thumbnailer runs"
sed 's/^/# /' err2 | grep -i 'error' | head -5
is "$(state out2)" "import reused thumbs built export built shapes reused " \
    "import and shapes reused; thumbs and export rebuilt"
export2=$(awk '$1 == "export" {print $5}' out2)
sha_thumb2=$(jobfield thumbs "$boxpipe" identity_record so_sha256)
ok $(test -n "$sha_thumb2" && [ "$sha_thumb1" != "$sha_thumb2" ]; echo $?) \
    "the thumbs job's .so digest changed"
is "$sha_thumb2" "$(sha256sum < m/box_resize.so | cut -d' ' -f1)" \
    "and is the digest of the box_resize.so that was built"
"$AXLE" job thumbs -p "$boxpipe" > job2 2>&1
contains job2 "the method changed" "axle job thumbs says why it was built"
contains job2 "$PWD/m/box_resize.so" "and which file ran"
is "$(sums)" "$before" "the core and built-in methods were not rebuilt or touched"

# The thumbnails: same files, same sizes, other pixels, both close to
# Pillow's own thumbnail (so the swap is a real resize, not noise).
cat > compare.py <<'EOF'
import math, os, sys
from PIL import Image, ImageChops, ImageOps, ImageStat
a, b, orig = sys.argv[1:4]
def files(d):
    return sorted(os.path.relpath(os.path.join(r, f), d)
                  for r, _, fs in os.walk(d) for f in fs)
def psnr(x, y):
    d = ImageStat.Stat(ImageChops.difference(x, y)).rms
    mse = sum(v * v for v in d) / len(d)
    return 99.0 if mse == 0 else 10 * math.log10(255 * 255 / mse)
fa, fb = files(a), files(b)
print("same files" if fa == fb and fa else "files differ: %s / %s" % (fa, fb))
worst_ref, same_px, sizes, kept, kept_same = 99.0, 0, 0, 0, 0
for f in fa:
    x, y = Image.open(os.path.join(a, f)), Image.open(os.path.join(b, f))
    sizes += x.size == y.size
    if x.size != y.size:
        continue
    x, y = x.convert("RGB"), y.convert("RGB")
    same = ImageChops.difference(x, y).getbbox() is None
    stem = os.path.splitext(f)[0]
    src = [s for s in files(orig) if os.path.splitext(s)[0] == stem][0]
    ref = ImageOps.exif_transpose(Image.open(os.path.join(orig, src)))
    if ref.size == y.size:   # fits inside the box: kept as it is by both
        kept += 1            # (the built-in's column is stored within 45 dB)
        kept_same += psnr(x, y) >= 40
        continue
    same_px += same
    if ref.mode in ("RGBA", "LA", "P"):   # flattened on white, like export
        ref = ref.convert("RGBA")
        bg = Image.new("RGBA", ref.size, (255, 255, 255, 255))
        ref = Image.alpha_composite(bg, ref)
    ref = ref.convert("RGB").resize(y.size, Image.LANCZOS)
    worst_ref = min(worst_ref, psnr(ref, y))
print("kept as they are %d, alike in both %d" % (kept, kept_same))
print("sizes equal %d of %d" % (sizes, len(fa)))
print("resized with identical pixels %d" % same_px)
print("box_resize vs Pillow worst %.1f dB" % worst_ref)
EOF
py compare.py "$export1" "$export2" img > cmp.txt 2>&1
sed 's/^/# /' cmp.txt
contains cmp.txt "same files" "both exports hold the same files"
n=$(find img -type f | wc -l)
contains cmp.txt "sizes equal $n of $n" "every thumbnail keeps its size"
contains cmp.txt "resized with identical pixels 0" "no resized thumbnail has the built-in's pixels"
contains cmp.txt "kept as they are 1, alike in both 1" \
    "the image smaller than the box is kept as it is by both"
worst=$(awk '/worst/ {print int($(NF-1))}' cmp.txt)
ok $(test "${worst:-0}" -ge 30; echo $?) "box_resize is within 30 dB of Pillow's thumbnail (worst ${worst:-?} dB)"

# Another build of the same source with other flags: other bytes, so the
# thumbs job (and export after it) are built again, and `axle job` says so.
check "rebuilding box_resize with -O1" -- build c "-O1"
ok $(cmp -s c/box_resize.so m/box_resize.so; test $? -ne 0; echo $?) "gives other bytes"
cp c/box_resize.so m/box_resize.so
AXLE_METHOD_PATH="$PWD/m:$AXLE_METHOD_PATH" \
    "$AXLE" run "$boxpipe" input="$PWD/img" --slices 2 > out3 2> err3
ok $? "the run after the rebuild succeeds"
is "$(state out3)" "import reused thumbs built export built shapes reused " \
    "a rebuilt .so rebuilds its step and what depends on it"
"$AXLE" job thumbs -p "$boxpipe" > job3 2>&1
contains job3 "the .so changed" "axle job thumbs says the .so changed"

# Back to the first build (from the other folder): the jobs are reused.
cp b/box_resize.so m/box_resize.so
AXLE_METHOD_PATH="$PWD/m:$AXLE_METHOD_PATH" \
    "$AXLE" run "$boxpipe" input="$PWD/img" --slices 2 > out4 2> err4
is "$(state out4)" "import reused thumbs reused export reused shapes reused " \
    "the reproducible build from another folder reuses every job"
is "$(sums)" "$before" "the core and built-in methods are still untouched"
done_testing
