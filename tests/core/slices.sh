#!/bin/sh
# A failing slice fails its job fast, kills its siblings and is named.
. "$AXLE_SRCDIR/tests/lib.sh"

run_crash() {  # run_crash HOW
    cat > p.yaml <<YAML
workdir: wd-$1
slices: 3
jobs:
  boom:
    method: test_crasher
    options: {crash_slice: 1, how: $1, sleep: 3600}
  after:
    method: test_counter
    options: {counter: after.log}
YAML
    "$AXLE" run p.yaml > out 2> err &
    pid=$!
    # The other slices sleep an hour: a run that ends at all did not wait
    # for them (the bound only catches a run that does).
    wait_for "the run to end without its sleeping slices" ended $pid || {
        echo "Bail out! the run waited for its sleeping slices"; kill $pid; exit 1; }
    wait $pid
    rc=$?
}
# ended PID: PID has exited (gone, or a zombie its shell has not reaped).
ended() {
    ! kill -0 "$1" 2>/dev/null || [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = Z ]
}

run_crash segv
is "$rc" 1 "exit status 1 when a job fails"
ok 0 "segfaulting slice fails the job without waiting for the others (they sleep an hour)"
contains err "slice 1 died: SIGSEGV" "message names the slice and the signal"
contains err "method test_crasher" "message names the method"
contains err "(step boom" "message names the step"
contains out "not run" "later steps are listed as not run"
left=0
for p in /proc/[0-9]*; do
    [ "$(readlink "$p/cwd" 2>/dev/null)" = "$T_TMP" ] || continue
    tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -q "run p.yaml" && left=$((left + 1))
done
is "$left" 0 "no slice process is left behind"
is "$(ls wd-segv/index 2>/dev/null | wc -l)" 0 "a failed job is never indexed for reuse"
contains wd-segv/wd-segv-1/job.json '"failed"' "the failed job stays on disk, marked failed"

run_crash exit
contains err "analysis() in slice 1 called exit(7)" "a slice calling exit is reported"
run_crash error
contains err "slice 1 failed: slice 1 gave up on purpose" "a slice's error message reaches the user"
run_crash abort
contains err "slice 1 died: SIGABRT" "abort is reported as SIGABRT"

"$AXLE" run p.yaml > out 2> err
contains out "boom " "a failed job is rebuilt on the next run, not reused"
[ -s out ] || sed 's/^/# err: /' err
is "$(grep -c ' failed ' out)" 1 "and fails again"
done_testing
