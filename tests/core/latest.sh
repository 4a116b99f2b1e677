#!/bin/sh
# WORKDIR/latest/STEP names each step's newest complete job: a relative
# link, so a moved workdir keeps it; a rebuilt step moves it, a reused one
# keeps it, a failed job does not take it.
. "$AXLE_SRCDIR/tests/lib.sh"

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
params:
  value: 3
  crash: -1
jobs:
  first:
    method: test_counter
    options: {counter: first.log, value: "${value}"}
  second:
    method: test_counter
    datasets: {source: first}
    options: {counter: second.log}
  third:
    method: test_crasher
    options: {crash_slice: "${crash}", how: error, sleep: 0}
YAML
step_job() { awk -v s="$2" '$1 == s { print $2 }' "$1"; }

"$AXLE" run p.yaml >out1 2>err1
ok $? "the pipeline runs"
is "$(readlink wd/latest/first)" "../$(step_job out1 first)" "latest/first is a relative link to the first step's job"
is "$(readlink wd/latest/second)" "../$(step_job out1 second)" "latest/second names the second step's job"
check "latest/STEP opens the job folder" -- test -f wd/latest/second/job.json

"$AXLE" run p.yaml value=4 >out2 2>err2
ok $? "a run with another value runs"
is "$(readlink wd/latest/first)" "../$(step_job out2 first)" "a rebuilt step's link moves to the new job"
isnt_old=$(test "$(step_job out2 first)" != "$(step_job out1 first)"; echo $?)
ok "$isnt_old" "the first step was built again"

"$AXLE" run p.yaml >out3 2>err3
is "$(readlink wd/latest/first)" "../$(step_job out1 first)" "a reused job is the newest again"

"$AXLE" run p.yaml crash=0 >out4 2>err4
is "$?" 1 "a failing step fails the run"
is "$(readlink wd/latest/third)" "../$(step_job out3 third)" "a failed job does not take latest/ from the last complete one"
check "no temporary links are left" -- sh -c '! ls -A wd/latest | grep -q "^\."'

mv wd moved
check "a moved workdir keeps its links" -- test -f moved/latest/first/job.json
done_testing
