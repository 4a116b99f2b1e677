#!/bin/sh
# setup.sh - everything a fresh Debian 12 machine needs, in one command.
#
#   ./setup.sh          install the packages that are missing, build, install
#                       (axle on PATH, SDK, pkg-config file, methods)
#   ./setup.sh check    the same packages, then build and run the test suite
#   ./setup.sh check-sanitizers   the test suite under ASan and UBSan
#
# Run as root (or with sudo).  Builds happen out of tree in build/ (and
# build-san/), because configure cannot clean up beside a folder named core.
set -eu
cd "$(dirname "$0")"
top=$(pwd)
mode=${1:-install}

packages="build-essential autoconf automake libtool pkg-config libyaml-dev
libjansson-dev libssl-dev libturbojpeg0-dev libjpeg62-turbo-dev libwebp-dev
libcmocka-dev python3-pil libjpeg-turbo-progs webp binutils procps
clang libclang-rt-14-dev libmicrohttpd-dev chromium curl liblcms2-dev
libpng-dev libgif-dev libtiff-dev libheif-dev libheif-examples"
# photometa: exiftool, which tests/image/photo_meta.sh compares the import's
# photo metadata with (tests only).
packages="$packages libimage-exiftool-perl"
# axle run --mpi (issue 16): OpenMPI's compiler wrapper, library and mpirun.
packages="$packages libopenmpi-dev openmpi-bin"
# formats: camera RAW (libraw) and JPEG XL (libjxl; cjxl makes the tests' files).
packages="$packages libraw-dev libjxl-dev libjxl-tools"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing:$missing"
    as_root=""
    [ "$(id -u)" -eq 0 ] || as_root=sudo
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq \
        --no-install-recommends $missing
fi

[ -x configure ] || autoreconf -fi >/dev/null

configure_in() {  # configure_in DIR [configure args]
    dir=$1; shift
    mkdir -p "$dir"
    if [ ! -f "$dir/Makefile" ]; then
        (cd "$dir" && "$top/configure" -q "$@")
    fi
}

jobs=$(nproc 2>/dev/null || echo 2)
case "$mode" in
install)
    configure_in build
    make -C build -s -j"$jobs"
    if [ "$(id -u)" -eq 0 ]; then make -C build -s install >/dev/null; ldconfig
    else sudo make -C build -s install >/dev/null; sudo ldconfig; fi
    echo "setup: axle installed as $(command -v axle || echo /usr/local/bin/axle)"
    ;;
check)
    configure_in build
    make -C build -s -j"$jobs"
    find build -name '*.trs' -delete
    make -C build -s -j"$jobs" check || { cat build/test-suite.log; exit 1; }
    ;;
check-sanitizers)
    configure_in build-san --enable-sanitizers
    make -C build-san -s -j"$jobs"
    find build-san -name '*.trs' -delete
    make -C build-san -s -j"$jobs" check || { cat build-san/test-suite.log; exit 1; }
    ;;
*)
    echo "usage: $0 [install | check | check-sanitizers]" >&2
    exit 2
    ;;
esac
