#!/bin/sh
# A workdir or job folder that disappears (or is replaced) while its job
# runs is never recreated by axle, and the job fails: what it wrote there
# may be half gone, so it must not be recorded complete.
. "$AXLE_SRCDIR/tests/lib.sh"
here=$(pwd -P)

# Runs a job whose slice 1 waits for the file `go` (then prints a line, as
# a stage would) while slices 0 and 2 finish; meanwhile runs the command
# given, then lets slice 1 go on.
while_running() {  # while_running WORKDIR COMMAND...
    wd=$1; shift
    rm -f go count
    cat > p.yaml <<YAML
workdir: $wd
slices: 3
jobs:
  slow:
    method: test_misbehave
    options: {counter: count, stage: analysis, slice: 1, how: wait, wait_for: go}
YAML
    "$AXLE" run p.yaml > out 2> err &
    pid=$!
    tries=0  # not a timer: only a guard against a hang
    until [ "$(grep -c 'analysis [02]' count 2>/dev/null)" = 2 ] || [ $tries -ge 1200 ]; do
        sleep 0.05; tries=$((tries + 1))
    done
    "$@"
    touch go
    wait $pid
    rc=$?
}

while_running wd-job rm -rf wd-job/wd-job-1
is "$rc" 1 "a job whose folder was removed fails"
contains err "axle: error: job wd-job-1 (step slow, method test_misbehave): job folder $here/wd-job/wd-job-1 vanished during the run" \
    "the message names the folder"
ok $([ ! -e wd-job/wd-job-1 ]; echo $?) "the job folder is not recreated"
is "$(ls wd-job/index 2>/dev/null | wc -l)" 0 "nothing is indexed for reuse"
"$AXLE" run p.yaml > out 2> err  # `go` is there: no waiting now
is "$?" 0 "the next run builds the job"
is "$(awk '$1 == "slow" { print $2, $3 }' out)" "wd-job-2 built" "afresh, in a new folder"

replace() { rm -rf "$1" && mkdir "$1"; }
while_running wd-new replace wd-new/wd-new-1
is "$rc" 1 "a job whose folder was replaced by another fails"
contains err "job folder $here/wd-new/wd-new-1 vanished during the run" "the message says so"
is "$(ls wd-new/index 2>/dev/null | wc -l)" 0 "nothing is indexed for reuse"

while_running wd rm -rf wd
is "$rc" 1 "a job whose workdir was removed fails"
contains err "axle: error: job wd-1 (step slow, method test_misbehave): workdir $here/wd vanished during the run" \
    "the message names the workdir"
ok $([ ! -e wd ]; echo $?) "the workdir is not recreated"
done_testing
