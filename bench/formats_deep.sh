#!/bin/bash
# bench/formats_deep.sh - issue 13's second pass, before and after, in CPU
# (user + system: the machine is shared, wall time is not a measure here)
# and bytes read:
#
#   jxl      lossy JPEG XL photos (cjxl distance 1) through the pipeline
#            (import, thumbs, export JPEG q85): box 160 at the default
#            quality, box 256 with `quality: fast` (the DC pass covers both
#            at 3000x2000; 256 at the default margin needs 4096 pixels)
#   png16    16-bit PNG photos (libvips's rgb16) through the same pipeline
#            (the 16-bit decode and resize)
#   keep     `metadata: keep` on uncompressed TIFF photos with EXIF: the
#            export step alone (re-run with another quality), its CPU and
#            the bytes it read (rchar of /proc/PID/io, children included)
#
# usage: bench/formats_deep.sh --build DIR --before DIR [--photos N]
#                              [--size WxH] [--runs N] [--work DIR]
#
#   --build DIR   the build measured ("after")
#   --before DIR  the build compared with ("before")
#   --photos N    photos per folder (8), made by tests/gen_images.py
#   --size WxH    their size (3000x2000)
#   --runs N      runs per build and case; the median CPU is shown (3)
#   --work DIR    keep the photos there; default: a temporary folder
#
# Not a test; never part of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

photos=8 size=3000x2000 runs=3 build='' before='' work=''
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift ;;
    --before) before=$2; shift ;;
    --photos) photos=$2; shift ;;
    --size) size=$2; shift ;;
    --runs) runs=$2; shift ;;
    --work) work=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ -n "$build" ] && [ -n "$before" ] || die "give --build DIR and --before DIR"
for t in cjxl exiftool; do command -v $t >/dev/null || die "$t is missing"; done
if [ -z "$work" ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/axle-deep.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)

made=$work/made-$photos-$size
if [ ! -f "$made" ]; then
    say "making $photos photos of $size in $work"
    mkdir -p "$work/src" "$work/jxl" "$work/png16" "$work/tiff"
    for i in $(seq 1 "$photos"); do
        "$PY" "$SRC_DIR/tests/gen_images.py" photo "$work/src/p$i.png" --size "$size" --seed "$i"
        cjxl -d 1 "$work/src/p$i.png" "$work/jxl/p$i.jxl" >/dev/null 2>&1
        vips colourspace "$work/src/p$i.png" "$work/png16/p$i.png" rgb16
        vips tiffsave "$work/src/p$i.png" "$work/tiff/p$i.tif" >/dev/null
        exiftool -q -overwrite_original -Make=AxleCam -Model=X-1 \
            '-DateTimeOriginal=2024:05:06 07:08:09' "$work/tiff/p$i.tif"
    done
    touch "$made"
fi

pipeline() { # FOLDER BOX QUALITY EXPORT_QUALITY METADATA
    cat <<EOF
workdir: wd
jobs:
  import:
    method: import_images
    options: {files: "$1"}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: "$2", quality: $3}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {format: jpeg, quality: $4, metadata: $5}
EOF
}

# cpu BUILD YAML [KEEP]: user+sys seconds of one `axle run` (a cold
# workdir, unless KEEP: the workdir of the last run is reused) and rchar.
cpu() {
    (
        use_build "$1"
        cd "$work"
        [ -n "${3:-}" ] || rm -rf wd
        /usr/bin/time -f '%U %S' -o t.out bash -c \
            "\"$AXLE\" run \"$2\" >/dev/null; grep rchar /proc/\$\$/io" >io.out
        awk '{ printf "%.2f", $1 + $2 }' t.out
        printf ' %s\n' "$(awk '{ print $2 }' io.out)"
    )
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

row() { # NAME YAML [SETUP_YAML]
    for b in before build; do
        dir=${!b}
        for r in $(seq 1 "$runs"); do
            if [ -n "${3:-}" ]; then cpu "$dir" "$3" >/dev/null; cpu "$dir" "$2" keep
            else cpu "$dir" "$2"; fi
        done >"$work/$b.runs"
        printf '%s %s: CPU %s s, read %s MB\n' "$1" "$b" \
            "$(cut -d' ' -f1 "$work/$b.runs" | median)" \
            "$(cut -d' ' -f2 "$work/$b.runs" | median | awk '{ printf "%.1f", $1 / 1e6 }')"
    done
}

cd "$work"
pipeline "$work/jxl" 160 high 85 strip >jxl160.yaml
pipeline "$work/jxl" 256 fast 85 strip >jxl256f.yaml
pipeline "$work/jxl" 256 high 85 strip >jxl256.yaml
pipeline "$work/png16" 256 high 85 strip >png16.yaml
pipeline "$work/tiff" 256 high 85 keep >keep.yaml
pipeline "$work/tiff" 256 high 86 keep >keep2.yaml
row "JPEG XL, box 160" jxl160.yaml
row "JPEG XL, box 256, quality fast" jxl256f.yaml
row "JPEG XL, box 256 (no DC pass: 375 < 512)" jxl256.yaml
row "16-bit PNG, box 256" png16.yaml
row "metadata keep, TIFF, export step alone" keep2.yaml keep.yaml
