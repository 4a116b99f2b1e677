#!/bin/sh
# A run killed mid-analysis (SIGKILL of the core, or Ctrl-C) leaves no job
# that a later run would reuse.
. "$AXLE_SRCDIR/tests/lib.sh"

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
jobs:
  slow:
    method: test_crasher
    options: {crash_slice: -1, sleep: 3}
YAML

"$AXLE" run p.yaml > out 2> err &
pid=$!
sleep 1
kill -KILL $pid
wait $pid 2>/dev/null
sleep 0.2
left=0
for p in /proc/[0-9]*; do
    [ "$(readlink "$p/cwd" 2>/dev/null)" = "$T_TMP" ] || continue
    tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -q "run p.yaml" && left=$((left + 1))
done
is "$left" 0 "the job and its slices die with the core"
is "$(ls wd/index 2>/dev/null | wc -l)" 0 "a job cut off by SIGKILL is not indexed"
ok $(test ! -e wd/wd-1/job.json; echo $?) "and has no job.json"

"$AXLE" run p.yaml > out2 2> err2
ok $? "the next run succeeds"
contains out2 "built" "and builds the job afresh"

sed -i 's/sleep: 3/sleep: 30/' p.yaml
"$AXLE" run p.yaml > out3 2> err3 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
is "$rc" 130 "Ctrl-C gives exit status 130"
contains err3 "interrupted" "and says the job was interrupted"
is "$(ls wd/index | wc -l)" 1 "the interrupted job was not indexed"
done_testing
