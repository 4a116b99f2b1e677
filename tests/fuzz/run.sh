#!/bin/sh
# tests/fuzz/run.sh [SECONDS] [NAME...] - builds the libFuzzer harnesses
# (every tests/fuzz/fuzz_NAME.c) into build-fuzz/ and runs each for SECONDS
# (default 60) on its seeds (tests/fuzz/seeds/NAME/) plus a persistent
# corpus (build-fuzz/corpus/NAME/, outside git), one after the other,
# niced.  Prints executions and findings per harness; exits 1 when a
# harness found something (its input is kept in build-fuzz/findings/NAME/,
# the report in build-fuzz/NAME.log), 77 when clang's libFuzzer is missing.
#
# A harness is linked with all of libaxle (lib/**/*.c) and core/*.c but
# core/main.c, built with -fsanitize=fuzzer,address,undefined.
#
# Environment: AXLE_FUZZ_DIR (build folder, default build-fuzz/ in the
# source tree), AXLE_FUZZ_CORPUS (corpus root, default AXLE_FUZZ_DIR/corpus),
# AXLE_FUZZ_BUILD_ONLY=1 (build, do not run), CC (default clang).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
out=${AXLE_FUZZ_DIR:-$top/build-fuzz}
corpus_root=${AXLE_FUZZ_CORPUS:-$out/corpus}
cc=${CC:-clang}
case "$cc" in *clang*) ;; *) cc=clang ;; esac

san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -I$top/sdk -I$top/lib
 -I$top/lib/image -I$top/core
 -DAXLE_METHODDIR=\"/nonexistent\" -DAXLE_VERSION=\"fuzz\" -Wall -Wno-unused-parameter
 -DAXLE_PKGDATADIR=\"/nonexistent\" -DAXLE_SOURCE_TREE=\"/nonexistent\"
 -DAXLE_BUILD_TREE=\"/nonexistent\""
pkgs="yaml-0.1 jansson libcrypto libturbojpeg libwebp libwebpdemux libwebpmux libjpeg"
# Colour management is fuzzed with lcms2 when it is there, as libaxle is
# built; libaxle has one of the two colour files (lib/image/image.mk).
colour_off=image_colour.c
if pkg-config --exists lcms2; then pkgs="$pkgs lcms2"; colour_off=image_colour_none.c; fi

mkdir -p "$out/obj"
probe="$out/obj/probe.c"
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }' > "$probe"
if ! "$cc" -fsanitize=fuzzer $san "$probe" -o "$out/obj/probe" 2>/dev/null; then
    echo "fuzz: $cc cannot build with -fsanitize=fuzzer (install clang and libclang-rt-14-dev)"
    exit 77
fi
# The optional image codecs that are installed, as configure finds them.
for codec in libpng:AXLE_HAVE_PNG libgif:AXLE_HAVE_GIF libtiff-4:AXLE_HAVE_TIFF \
             libheif:AXLE_HAVE_HEIF libraw_r:AXLE_HAVE_RAW libjxl:AXLE_HAVE_JXL; do
    if pkg-config --exists "${codec%%:*}"; then
        pkgs="$pkgs ${codec%%:*}"
        cflags="$cflags -D${codec#*:}"
    fi
done
cflags="$cflags $(pkg-config --cflags $pkgs)"
# libheif and libjxl are dlopen()ed by libaxle (lib/image/codec_load.c) by
# the SONAME configure finds; here the one of the library pkg-config names.
soname_of() {  # soname_of MODULE LIB: LIB's SONAME, from its .so in MODULE's libdir
    objdump -p "$(pkg-config --variable=libdir "$1")/$2.so" 2>/dev/null |
        sed -n 's/^ *SONAME *//p'
}
case "$cflags" in *-DAXLE_HAVE_HEIF*)
    cflags="$cflags -DAXLE_HEIF_SONAME=\"$(soname_of libheif libheif)\"" ;; esac
case "$cflags" in *-DAXLE_HAVE_JXL*)
    cflags="$cflags -DAXLE_JXL_SONAME=\"$(soname_of libjxl libjxl)\"" ;; esac
libs="$(pkg-config --libs $pkgs) -ldl -lm"

# The objects of libaxle and of the core, rebuilt when their source or any
# header is newer.
newest_header=$(ls -t "$top"/lib/*.h "$top"/lib/*/*.h "$top"/sdk/axle/*.h "$top"/core/*.h |
    head -1)
objs=""
for src in "$top"/lib/*.c "$top"/lib/*/*.c "$top"/core/*.c; do
    case "$src" in */core/main.c | */"$colour_off") continue ;; esac
    # The core as built without MPI (mpi_none.c): nothing fuzzed uses it.
    case "$src" in */core/mpi_core.c | */core/mpi_rank.c | */core/mpi_wire.c) continue ;; esac
    part=$(basename "$(dirname "$src")")
    obj="$out/obj/$part-$(basename "$src" .c).o"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_header" -nt "$obj" ]; then
        # shellcheck disable=SC2086
        "$cc" $cflags -fsanitize=fuzzer-no-link $san -c "$src" -o "$obj"
    fi
    objs="$objs $obj"
done

names=${*:-$(ls "$top"/tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')}
for name in $names; do
    # shellcheck disable=SC2086
    "$cc" $cflags -fsanitize=fuzzer $san "$top/tests/fuzz/fuzz_$name.c" $objs $libs \
        -o "$out/fuzz_$name"
done
[ "${AXLE_FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0

found=0
for name in $names; do
    corpus="$corpus_root/$name"
    findings="$out/findings/$name"
    seeds="$top/tests/fuzz/seeds/$name"
    mkdir -p "$corpus" "$findings" "$seeds"
    before=$(ls "$findings" | wc -l)
    log="$out/$name.log"
    rc=0
    # Leaks are reported at exit of each input by ASan (but for those inside
    # system libraries listed in lsan.supp); timeouts of 10 s count as hangs.
    # ASan's allocator ignores mallopt(M_PERTURB), with which libaxle has
    # glibc zero what a HEIF/AVIF decoder leaves unwritten (image_heif.c):
    # ask ASan for the same fill, or the harness sees stale heap bytes.
    ASAN_OPTIONS="malloc_fill_byte=0:max_malloc_fill_size=2147483647${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
    LSAN_OPTIONS="suppressions=$top/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
    nice -n 10 "$out/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$findings/" "$corpus" "$seeds" > "$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    new=$(($(ls "$findings" | wc -l) - before))
    printf 'fuzz_%s: %s executions in %ss, corpus %s inputs, %s finding%s\n' \
        "$name" "${execs:-?}" "$seconds" "$(ls "$corpus" | wc -l)" "$new" \
        "$([ "$new" = 1 ] || echo s)"
    if [ "$rc" -ne 0 ] || [ "$new" -gt 0 ]; then
        found=1
        echo "fuzz_$name: exit status $rc; report: $log; inputs: $findings/"
        grep -E "^(==[0-9]+==ERROR|SUMMARY|.*runtime error)" "$log" | head -5 | sed 's/^/  /'
    fi
done
exit $found
