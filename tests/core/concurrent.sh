#!/bin/sh
# Two runs at once on one workdir: the second waits, says so, and both end
# well, with one job built and then reused.  Ordered by what the runs do
# (the first's slices half-way through a gated job, the second blocked on
# the workdir's lock), never by sleeping, so a loaded machine cannot
# reorder it.
. "$AXLE_SRCDIR/tests/lib.sh"

# give_up WHAT: a wait timed out; free what is running and stop here.
give_up() {
    echo "Bail out! $1"
    touch gate1 gate2
    kill $p1 $p2 2>/dev/null
    exit 1
}
p1= p2=

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
jobs:
  slow:
    method: test_gate
    options: {ready: ready1, gate: gate1}
  count:
    method: test_counter
    options: {counter: c.log}
YAML
"$AXLE" run p.yaml > out1 2> err1 &
p1=$!
wait_for "the first run's slices half-way" lines_at_least 2 ready1 ||
    give_up "the first run never got half-way (err1: $(cat err1))"
"$AXLE" run p.yaml > out2 2> err2 &
p2=$!
wait_for "the second run waiting for the workdir" says_waiting err2 ||
    give_up "the second run never waited for the workdir"
ok $(kill -0 $p1; echo $?) "(the first run still holds the workdir)"
touch gate1
wait $p1; r1=$?
wait $p2; r2=$?
is "$r1 $r2" "0 0" "both runs succeed"
contains err2 "in use by another run; waiting" "the second says it waits"
contains err2 "is free; going on" "and says when it goes on"
contains out2 "2 jobs: 0 built, 2 reused" "the second reuses what the first built"
is "$(grep -c prepare c.log)" 1 "the method ran once"

# Ctrl-C while waiting for the workdir ends the wait with status 130.
sed -i 's/ready: ready1, gate: gate1/ready: ready2, gate: gate2/' p.yaml
"$AXLE" run p.yaml > out3 2> err3 &
p1=$!
wait_for "the third run's slices half-way" lines_at_least 2 ready2 ||
    give_up "the third run never got half-way (err3: $(cat err3))"
"$AXLE" run p.yaml > out4 2> err4 &
p2=$!
wait_for "the fourth run waiting for the workdir" says_waiting err4 ||
    give_up "the fourth run never waited for the workdir"
kill -INT $p2
wait $p2; r2=$?
touch gate2
wait $p1; r1=$?
is "$r1 $r2" "0 130" "Ctrl-C while waiting: 130, and the first run is unharmed"
contains err4 "interrupted while waiting for workdir" "saying what it was doing"
contains out3 "1 built" "the first run built the changed job"
done_testing
