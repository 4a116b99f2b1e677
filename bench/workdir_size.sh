#!/bin/bash
# workdir_size.sh - the workdir's size after a cold run against the input
# folder's (issue 11's target: at most 0.15x for 4K JPEGs of about 2 MB,
# thumbnails 640x338, import by reference).
#
#   bench/workdir_size.sh [--build DIR] [--images N] [--size WxH] [--copy]
#                         [--store encoded|raw|jpeg|webp|png]
#
# Makes (or reuses) N 4K q90 JPEGs with bench/make_corpus.py in
# bench/.corpus, runs pipelines/thumbnails.yaml in a new workdir (slices =
# CPUs), and prints du of the input, of the workdir and of each step's
# job, and the ratio.  --copy imports with copy: true (the bytes stored),
# and --store raw (thumbnails as raw pixels) or jpeg (as export writes
# them, store_quality 85 = export's quality) are for comparison.  The
# thumbnailer stage's wall time is printed too.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

build= images=50 size=640x338 copy=false store=encoded
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --copy) copy=true; shift ;;
    --store) store=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
done
use_build "$build"

corpus=$BENCH_DIR/.corpus
"$PY" "$BENCH_DIR/make_corpus.py" --out "$corpus" --count "$images" --webp-count 0 >&2
input=$(mktemp -d "${TMPDIR:-/tmp}/axle-wsize-in.XXXXXX")
work=$(mktemp -d "${TMPDIR:-/tmp}/axle-wsize.XXXXXX")
trap 'rm -rf "$input" "$work"' EXIT
# the first N of the corpus, linked (not copied) into a folder of their own
for f in $(ls "$corpus/jpeg" | sort | head -n "$images"); do
    ln "$corpus/jpeg/$f" "$input/$f" 2>/dev/null || cp "$corpus/jpeg/$f" "$input/$f"
done

w=${size%x*} h=${size#*x}
pipe=$work/p.yaml
cat > "$pipe" <<YAML
workdir: $work/wd
jobs:
  import:
    method: import_images
    options: {files: "$input", copy: $copy}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [$w, $h], store: $store}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {column: thumb, format: jpeg, quality: 85}
  shapes:
    method: shapehist
    datasets: {source: import}
YAML
(cd "$work" && "$AXLE" run "$pipe" > run.out 2> run.err) || { cat "$work/run.err" >&2; die "the run failed"; }

in_kb=$(du -sk "$input" | cut -f1)
wd_kb=$(du -sk "$work/wd" | cut -f1)
echo "images:   $images 4K JPEGs, thumbnails $size, copy: $copy, store: $store"
echo "input:    $in_kb KiB ($((in_kb / images)) KiB per photo)"
while read -r step job _; do
    case $step in import|thumbs|export|shapes)
        printf '%-8s  %s  %s KiB\n' "$step:" "$job" "$(du -sk "$work/wd/$job" | cut -f1)" ;;
    esac
done < "$work/run.out"
echo "workdir:  $wd_kb KiB"
awk -v a="$wd_kb" -v b="$in_kb" 'BEGIN { printf "ratio:    %.3f of the input\n", a / b }'
job=$(awk '$1 == "thumbs" {print $2}' "$work/run.out")
grep -o '"total": *[0-9.]*' "$work/wd/$job/job.json" | head -1 | sed 's/.*: */thumbs:   /; s/$/ s (thumbnailer stage)/'
