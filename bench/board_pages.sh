#!/bin/bash
# bench/board_pages.sh - how long the board takes to answer its listing
# pages on a large workdir (issue 15: the front page must stay fast at
# 100,000 images in one job):
#   pipelines/thumbnails.yaml on N tiny JPEGs (made once with
#   bench/make_corpus.py --tiny in bench/.corpus-tiny, as machinery.sh c
#   does), into a workdir kept in bench/.board-work-N, then `axle board`
#   on it and R timed GETs of each page with curl; medians shown.
#
#   bench/board_pages.sh [--build DIR] [--images N] [--runs R]
#                        [--pages "/ /jobs /run/1 /api/runs"] [--no-history]
#
# --no-history moves runs.jsonl aside while measuring (put back at the
# end): the runs page then shows the latest run from steps.json.
#
# The workdir is reused by later calls (delete it to start over).  A
# benchmark, never part of `make check`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

build='' images=100000 runs=5 pages="/ /jobs /run/1 /api/runs" history=true
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --pages) pages=$2; shift 2 ;;
    --no-history) history=false; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
done
use_build "$build"
command -v curl >/dev/null || die "curl is missing"

tinydir=$BENCH_DIR/.corpus-tiny
have=$( (find "$tinydir" -maxdepth 1 -name '*.jpg' 2>/dev/null || true) | wc -l)
if [ "$have" -lt "$images" ]; then
    say "making $images small JPEGs in $tinydir"
    "$PY" "$BENCH_DIR/make_corpus.py" --tiny "$images" --out "$tinydir"
fi
work=$BENCH_DIR/.board-work-$images
if [ ! -f "$work/axle-work/runs.jsonl" ]; then
    mkdir -p "$work/set"
    find "$tinydir" -maxdepth 1 -name '*.jpg' | LC_ALL=C sort | head -n "$images" |
        xargs -d '\n' ln -f -t "$work/set"
    say "running thumbnails.yaml on $images images in $work (once)"
    (cd "$work" && "$AXLE" run "$SRC_DIR/pipelines/thumbnails.yaml" input=set size=[32,32] \
        --slices "$NPROC" >run.out 2>run.err) || die "the run failed: $work/run.err"
fi
say "job.json sizes: $(cd "$work/axle-work" && du -ch ./*/job.json | tail -1 | cut -f1)"

wd=$work/axle-work
if ! $history; then
    mv "$wd/runs.jsonl" "$wd/runs.jsonl.bench-aside"
    trap 'mv "$wd/runs.jsonl.bench-aside" "$wd/runs.jsonl"' EXIT
fi
"$AXLE" board --port 0 --workdir "$work/axle-work" >"$work/board.url" 2>"$work/board.err" &
board_pid=$!
trap 'kill "$board_pid" 2>/dev/null || true
      [ -f "$wd/runs.jsonl.bench-aside" ] && mv "$wd/runs.jsonl.bench-aside" "$wd/runs.jsonl"' EXIT
until grep -q '^http' "$work/board.url" 2>/dev/null; do
    kill -0 "$board_pid" 2>/dev/null || die "axle board did not start: $work/board.err"
    sleep 0.1
done
url=$(head -1 "$work/board.url")
url=${url%/}

printf '%-12s %10s %10s\n' page "median s" bytes
for p in $pages; do
    times=()
    for ((r = 0; r < runs; r++)); do
        times+=("$(curl -s -o "$work/page.out" -w '%{time_total}' "$url$p")")
    done
    printf '%-12s %10s %10s\n' "$p" "$(printf '%s\n' "${times[@]}" | median)" \
        "$(wc -c <"$work/page.out")"
done
