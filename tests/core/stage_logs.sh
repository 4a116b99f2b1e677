#!/bin/sh
# A stage that prints without end does not fill the disk: its log keeps
# the first and the last MiB of what it printed, and says how much it left
# out in between.  A log up to 2 MiB is kept whole.
. "$AXLE_SRCDIR/tests/lib.sh"

MiB=1048576
flood() {  # flood STAGE BYTES: the stage prints BYTES bytes
    cat > p.yaml <<YAML
workdir: wd-$1-$2
slices: 2
jobs:
  loud:
    method: test_misbehave
    options: {counter: count, stage: $1, slice: 1, how: flood, bytes: $2}
YAML
    "$AXLE" run p.yaml > out 2> /dev/null
    rc=$?
    awk -v n="$(($2 / 10))" 'BEGIN { for (i = 0; i < n; i++) printf "%09d\n", i }' > printed
}
kept() {  # kept LOGFILE BYTES_PRINTED: what the log should hold
    if [ "$2" -le $((2 * MiB)) ]; then cat printed; return; fi
    head -c $MiB printed
    printf '\n[axle: %s bytes left out here; a stage log keeps its first 1 MiB and its last 1 MiB]\n' \
        $(($2 - 2 * MiB))
    tail -c $MiB printed
}

flood analysis $((20 * MiB))
log=wd-analysis-$((20 * MiB))/wd-analysis-$((20 * MiB))-1/log/analysis-1.txt
is "$rc" 0 "a stage printing 20 MiB succeeds"
ok $([ "$(wc -c < "$log")" -lt $((2 * MiB + 200)) ]; echo $?) "its log stays at about 2 MiB ($(wc -c < "$log") bytes)"
contains "$log" "[axle: 18874368 bytes left out here; a stage log keeps its first 1 MiB and its last 1 MiB]" \
    "the log says how many bytes it left out"
kept "$log" $((20 * MiB)) > expected
check "the log is the first MiB, that line, and the last MiB" -- cmp expected "$log"

# Around the bound; lines are 10 bytes, so are these counts.
for bytes in 1572860 2097150 2097160 2621440; do
    for stage in prepare synthesis; do
        flood $stage $bytes
        kept "$log" $bytes > expected
        check "$stage printing $bytes bytes: the log keeps what it should" -- \
            cmp expected wd-$stage-$bytes/wd-$stage-$bytes-1/log/$stage.txt
    done
done
done_testing
