#!/bin/sh
# dataset_bench.sh - dataset write and read throughput beside dd's, on the
# same disk in the same run.
#
#   make bench/dataset_bench && ../bench/dataset_bench.sh [DIR]
#
# Run from the build folder (or set BENCH to the program).  DIR (default
# $TMPDIR or /tmp) is where both the datasets and dd's files go.  The
# defaults are the project's yardstick: per slice, 10 million int64
# (ROWS) and 1 million blobs (BLOBS) of 2048 bytes (BLOB); 2 slices
# (SLICES).  Slices are parallel processes, and so are the dd's, one file
# per slice of a slice's size, in 1 MiB blocks.
#
# Nothing is synced by either side: both measure what a job sees, page
# cache included (with RAM to spare, reads come from it).  A shared VM is
# noisy, so axle and dd take turns REPEAT times (default 3) and the best
# of each is shown.
set -eu
BENCH=${BENCH:-./bench/dataset_bench}
DIR=${1:-${TMPDIR:-/tmp}}
ROWS=${ROWS:-10000000}
BLOBS=${BLOBS:-1000000}
BLOB=${BLOB:-2048}
SLICES=${SLICES:-2}
REPEAT=${REPEAT:-3}

[ -x "$BENCH" ] || { echo "dataset_bench.sh: no $BENCH (make bench/dataset_bench)" >&2; exit 2; }
work=$(mktemp -d "$DIR/axle-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { print a - b }'; }

# dd_pass write|read BYTES_PER_SLICE: seconds for SLICES parallel dd's.
dd_pass() {
    t0=$(now)
    s=0
    while [ "$s" -lt "$SLICES" ]; do
        if [ "$1" = write ]; then
            dd if=/dev/zero of="$work/dd.$s" bs=1M count="$2" iflag=count_bytes 2>/dev/null &
        else
            dd if="$work/dd.$s" of=/dev/null bs=1M 2>/dev/null &
        fi
        s=$((s + 1))
    done
    wait
    since "$t0"
}

# measure KIND ROWS BLOB_BYTES: lines "KIND write|read axle|dd BYTES SECONDS".
measure() {
    "$BENCH" "$work" "$1" "$2" "$3" "$SLICES" >"$work/ours"
    rm -rf "$work/axle-work-1"
    sync
    while read -r name bytes secs; do
        echo "$1 ${name#*_} axle $bytes $secs"
    done <"$work/ours"
    bytes=$(awk '{ print $2; exit }' "$work/ours")
    per_slice=$((bytes / SLICES))
    echo "$1 write dd $bytes $(dd_pass write "$per_slice")"
    echo "$1 read dd $bytes $(dd_pass read "$per_slice")"
    rm -f "$work"/dd.*
    sync
}

i=0
while [ "$i" -lt "$REPEAT" ]; do
    measure int64 "$ROWS" 8
    measure blob "$BLOBS" "$BLOB"
    i=$((i + 1))
done >"$work/all"

printf '%-34s %7s %10s %10s %8s\n' "$SLICES slices, best of $REPEAT" MB "axle MB/s" "dd MB/s" "axle/dd"
awk -v rows="$ROWS" -v blobs="$BLOBS" -v blob="$BLOB" '
    { key = $1 " " $2; mbs = $4 / 1e6 / $5; bytes[key] = $4
      if (mbs > best[key, $3]) best[key, $3] = mbs
      if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
    END {
        for (i = 1; i <= n; i++) {
            split(order[i], k, " ")
            what = k[1] == "int64" ? sprintf("int64, %d rows/slice", rows) \
                                   : sprintf("%d B blobs, %d/slice", blob, blobs)
            a = best[order[i], "axle"]; d = best[order[i], "dd"]
            printf "%-34s %7.0f %10.0f %10.0f %7.0f%%\n", what " " k[2],
                   bytes[order[i]] / 1e6, a, d, 100 * a / d
        }
    }' "$work/all"
