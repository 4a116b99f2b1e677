#!/bin/sh
# Nothing a job starts outlives it: a process a stage leaves behind (even
# one that left the job's process group with setsid and was orphaned) is
# killed before the job counts as ended, so it never writes into the job.
. "$AXLE_SRCDIR/tests/lib.sh"

# Processes of this test's axle runs: forks of axle keep its command line
# and working folder.
left_behind() {
    left=0
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/cwd" 2>/dev/null)" = "$T_TMP" ] || continue
        tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -q "run p.yaml" && left=$((left + 1))
    done
    echo "$left"
}
end_left_behind() {  # so that a failing run leaves nothing running either
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/cwd" 2>/dev/null)" = "$T_TMP" ] || continue
        tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -q "run p.yaml" &&
            kill -9 "${p#/proc/}" 2>/dev/null
    done
}
trap 'end_left_behind; rm -rf "$T_TMP"' EXIT

leave() {  # leave STAGE HOW
    cat > p.yaml <<YAML
workdir: wd-$1-$2
slices: 3
jobs:
  leaves:
    method: test_misbehave
    options: {counter: count, stage: $1, slice: 1, how: $2, delay: 2}
YAML
    "$AXLE" run p.yaml > out 2> err
    rc=$?
    job=wd-$1-$2/wd-$1-$2-1
}

for stage in prepare analysis synthesis; do
    for how in fork daemon; do
        leave $stage $how
        is "$rc" 0 "$stage, $how: the job still succeeds"
        is "$(left_behind)" 0 "$stage, $how: no process is left when axle ends"
        ok $([ ! -e "$job/late.txt" ]; echo $?) "$stage, $how: nothing was written into the job after it"
        contains err "axle: $stage left 1 process running; killed" "$stage, $how: axle says it killed it"
        end_left_behind
    done
done
done_testing
