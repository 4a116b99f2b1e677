#!/bin/sh
# lazy_codecs.sh - libheif and libjxl are loaded on first use (issue 11
# item 7, part `lazy`): libaxle does not link them, a run that reads no
# HEIF/AVIF/JPEG XL (a no-op re-run too) never maps them, one that reads
# one does; when a library cannot be loaded (tests/dlopen_shim.so refuses
# its dlopen) each such image fails naming the library and the reason,
# the rest of the run goes on, nothing crashes; one lacking a function
# fails naming the function.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
SHIM="$AXLE_BUILDDIR/tests/.libs/dlopen_shim.so"
[ -f "$SHIM" ] || skip_all "tests/dlopen_shim.so is not built"
LIBAXLE="$AXLE_BUILDDIR/lib/.libs/libaxle.so"
command -v objdump >/dev/null || skip_all "no objdump (binutils)"
printf '\377\012\000\000' > sig.jxl
"$TOOL" probe sig.jxl | grep -q "built without libjxl" &&
    skip_all "libaxle was built without libjxl"
command -v heif-enc >/dev/null || skip_all "no heif-enc (Debian: libheif-examples)"
command -v cjxl >/dev/null || skip_all "no cjxl (Debian: libjxl-tools)"

objdump -p "$LIBAXLE" | awk '$1 == "NEEDED" { print $2 }' > needed
sed 's/^/# NEEDED /' needed
check "libaxle.so has no NEEDED libheif" -- sh -c '! grep -q "^libheif" needed'
check "libaxle.so has no NEEDED libjxl" -- sh -c '! grep -q "^libjxl" needed'

mkdir jpegs mixed
gen photo jpegs/a.jpg --size 320x200 --seed 3
gen photo src.png --size 320x200 --seed 4
heif-enc -q 80 -o mixed/b.heic src.png >/dev/null
cjxl -d 1 src.png mixed/c.jxl >/dev/null 2>&1
cp jpegs/a.jpg mixed/a.jpg

# traced ARGS...: axle with the dynamic loader's trace of the libraries it
# loads (LD_DEBUG=libs, into loaded.*), status in $st.
traced() {
    rm -f loaded.*
    LD_DEBUG=libs LD_DEBUG_OUTPUT="$PWD/loaded" "$AXLE" "$@" >out 2>err; st=$?
    cat loaded.* > loaded 2>/dev/null
}
maps() { grep -q "calling init: .*/$1" loaded; }

traced run "$AXLE_SRCDIR/pipelines/thumbnails.yaml" input=jpegs
is "$st" 0 "a run on JPEGs succeeds"
check "the loader trace works (libjpeg is loaded)" -- maps 'libjpeg\.so'
check "a run on JPEGs does not load libheif" -- sh -c '! grep -q "calling init: .*/libheif" loaded'
check "a run on JPEGs does not load libjxl" -- sh -c '! grep -q "calling init: .*/libjxl" loaded'
traced run "$AXLE_SRCDIR/pipelines/thumbnails.yaml" input=jpegs
is "$st" 0 "its no-op re-run succeeds"
check "the no-op re-run loads neither" -- sh -c '! grep -q "calling init: .*/lib\(heif\|jxl\)" loaded'
traced run "$AXLE_SRCDIR/pipelines/thumbnails.yaml" input=mixed
is "$st" 0 "a run on a HEIF and a JPEG XL succeeds"
check "it loads libheif for the HEIF" -- maps 'libheif\.so'
check "it loads libjxl for the JPEG XL" -- maps 'libjxl\.so'
job=$(awk '$1 == "export" { print $2 }' out)
is "$(pilref info "axle-work/$job/output/b.jpg")" "RGB 256x160" "b.heic exported"
is "$(pilref info "axle-work/$job/output/c.jpg")" "RGB 256x160" "c.jxl exported"

# refused WORDS ARGS...: the tool or axle with dlopen of WORDS refused.
refused() {
    words=$1; shift
    AXLE_NO_DLOPEN="$words" LD_PRELOAD="$SHIM" \
        ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" "$@" >out 2>err; st=$?
    sed 's/^/# /' out err
}
refused libheif "$TOOL" probe mixed/b.heic
check "probe without libheif fails, not crashes (status $st)" -- test "$st" -gt 0 -a "$st" -lt 128
cat out err > said
contains said "HEIF/AVIF images cannot be read: libheif.so" "and names the library"
contains said "refused by the test's dlopen_shim" "and dlerror's reason"
refused libjxl "$TOOL" decode mixed/c.jxl 0 0 c.axr
check "decode without libjxl fails, not crashes (status $st)" -- test "$st" -gt 0 -a "$st" -lt 128
cat out err > said
contains said "JPEG XL images cannot be read: libjxl.so" "and names the library"

# too old a library: one without the functions the table needs (libz
# opened in libjxl's place) is refused naming the function, not called
AXLE_DLOPEN_AS="libjxl=libz.so.1" LD_PRELOAD="$SHIM" \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
    "$TOOL" decode mixed/c.jxl 0 0 c.axr >out 2>err; st=$?
sed 's/^/# /' out err
check "decode with a libjxl lacking its functions fails, not crashes (status $st)" -- \
    test "$st" -gt 0 -a "$st" -lt 128
cat out err > said
contains said "JPEG XL images cannot be read: libjxl.so" "and names the library"
contains said "has no JxlDecoderCloseInput (" "and the first function it lacks"
contains said "a newer version is needed" "and what to do"

rm -rf axle-work
refused "libheif libjxl" "$AXLE" run "$AXLE_SRCDIR/pipelines/thumbnails.yaml" input=mixed
is "$st" 0 "a run without either library still succeeds"
job=$(awk '$1 == "export" { print $2 }' out)
is "$(pilref info "axle-work/$job/output/a.jpg")" "RGB 256x160" "and exports the JPEG"
check "b.heic is not exported" -- test ! -e "axle-work/$job/output/b.jpg"
cat out err > said
contains said "b.heic" "the summary names b.heic"
contains said "libheif.so" "with the library it needs"
contains said "c.jxl" "and names c.jxl"
contains said "libjxl.so" "with the library it needs"
# The libraries back (no shim): the skips were transient, so the import
# is not reused and the next run reads both.
"$AXLE" run "$AXLE_SRCDIR/pipelines/thumbnails.yaml" input=mixed >out 2>err; st=$?
sed 's/^/# /' out err
is "$st" 0 "with the libraries back, the next run succeeds"
is "$(awk '$1 == "import" { print $3 }' out)" built "and does not reuse the import that skipped them"
job=$(awk '$1 == "export" { print $2 }' out)
check "b.heic is exported now" -- test -s "axle-work/$job/output/b.jpg"
check "and c.jxl" -- test -s "axle-work/$job/output/c.jpg"
done_testing
