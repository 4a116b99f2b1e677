#!/bin/sh
# Two runs at once on one workdir: the second waits, says so, and both end
# well, with one job built and then reused.
. "$AXLE_SRCDIR/tests/lib.sh"

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
jobs:
  slow:
    method: test_crasher
    options: {crash_slice: -1, sleep: 1.5}
  count:
    method: test_counter
    options: {counter: c.log}
YAML
"$AXLE" run p.yaml > out1 2> err1 &
p1=$!
sleep 0.3
"$AXLE" run p.yaml > out2 2> err2 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
is "$r1 $r2" "0 0" "both runs succeed"
contains err2 "in use by another run; waiting" "the second says it waits"
contains out2 "2 jobs: 0 built, 2 reused" "the second reuses what the first built"
is "$(grep -c prepare c.log)" 1 "the method ran once"

# Ctrl-C while waiting for the workdir ends the wait with status 130.
sed -i 's/sleep: 1.5/sleep: 3/' p.yaml
"$AXLE" run p.yaml > out3 2> err3 &
p1=$!
sleep 0.5
"$AXLE" run p.yaml > out4 2> err4 &
p2=$!
sleep 0.5
kill -INT $p2
wait $p2; r2=$?
wait $p1; r1=$?
is "$r1 $r2" "0 130" "Ctrl-C while waiting: 130, and the first run is unharmed"
contains err4 "interrupted while waiting for workdir" "saying what it was doing"
done_testing
