#!/bin/sh
# A stage is done only when its entry point returned through the core: any
# exit inside a method, whatever its status, and any return value that is
# not AXLE_OK or an AXLE_E* code with a message, fails the job, names the
# stage, and leaves nothing to reuse.
. "$AXLE_SRCDIR/tests/lib.sh"

n=0
misbehave() {  # misbehave STAGE HOW CODE: runs a fresh workdir, sets $rc
    n=$((n + 1))
    wd=wd$n
    cat > p$n.yaml <<YAML
workdir: $wd
slices: 3
jobs:
  odd:
    method: test_misbehave
    options: {counter: count$n, stage: $1, slice: 1, how: $2, code: $3}
YAML
    "$AXLE" run p$n.yaml > out 2> err
    rc=$?
}

run_line() { awk '$1 == "odd" { print $2, $3 }' out; }

fails_with() {  # fails_with STAGE HOW CODE MESSAGE
    misbehave "$1" "$2" "$3"
    what="$1 $2 $3"
    is "$rc" 1 "$what: exit status 1"
    contains err "axle: error: job $wd-1 (step odd, method test_misbehave): $4" \
        "$what: the message names the stage"
    is "$(run_line)" "$wd-1 failed" "$what: the run line says failed"
    contains "$wd/$wd-1/job.json" '"status": "failed"' "$what: not recorded complete"
    is "$(ls "$wd/index" 2>/dev/null | wc -l)" 0 "$what: not indexed for reuse"
    "$AXLE" run p$n.yaml > out 2> err
    is "$(run_line)" "$wd-2 failed" "$what: a re-run does not reuse it"
}

misbehave analysis none 0
is "$rc" 0 "the method completes when nothing misbehaves"
is "$(grep -c analysis count$n)" 3 "every slice ran"

exited="; entry points must return, never exit"
fails_with prepare exit 0 "prepare() called exit(0)$exited"
fails_with analysis exit 0 "analysis() in slice 1 called exit(0)$exited"
fails_with synthesis exit 0 "synthesis() called exit(0)$exited"
# 3 is the status the job process itself once used for a failed stage.
fails_with analysis exit 3 "analysis() in slice 1 called exit(3)$exited"
fails_with synthesis exit 3 "synthesis() called exit(3)$exited"
fails_with prepare _exit 0 "prepare() called exit(0)$exited"
fails_with analysis quick_exit 0 "analysis() in slice 1 called exit(0)$exited"

fails_with analysis return 7 \
    "analysis() in slice 1 returned 7; entry points return AXLE_OK or a negative AXLE_E* code"
fails_with synthesis return 1 \
    "synthesis() returned 1; entry points return AXLE_OK or a negative AXLE_E* code"
fails_with prepare return -3 \
    "prepare() returned AXLE_EIO without a message; set one with axle_error()"
fails_with analysis return -42 \
    "analysis() in slice 1 returned -42 without a message; set one with axle_error()"
fails_with synthesis error -4 "synthesis() failed: synthesis gave up on purpose"
done_testing
