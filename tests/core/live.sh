#!/bin/sh
# Live terminal output: each step's line on stdout as soon as the step
# ends; the progress line names the step and its place; `axle status`
# from another process and SIGUSR1 to the core print the status tree;
# jobs and slices ignore SIGUSR1, and the run ends as it would have.
. "$AXLE_SRCDIR/tests/lib.sh"

ready_slices() { lines_at_least 2 "$1"; }

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
jobs:
  first:
    method: test_counter
    options: {counter: c.txt}
  gated:
    method: test_gate
    datasets: {source: first}
    options: {ready: ready.txt, gate: gate.txt}
YAML

AXLE_PROGRESS=always "$AXLE" run p.yaml > out 2> err &
pid=$!
wait_for "first's line" grep -q '^first ' out
ok $? "the first step's line is on stdout while the run goes on"
ok $(test ! -e gate.txt && kill -0 $pid; echo $?) "(the run was still waiting on the gate)"
wait_for "slices half-way" ready_slices ready.txt
wait_for "a progress line" grep -q 'gated 2/2: ' err
ok $? "the progress line names the step and its place (gated 2/2: ...)"
# redrawn every 0.1 s (AXLE_PROGRESS=always): soon with both slices' items
wait_for "progress of both slices" \
    grep -q 'gated 2/2: 10/20 items, [0-9]*/s, [0-9]* s left' err
ok $? "with items done of total, rate and time left"

# The run publishes its status every second: wait for the one that shows
# both slices at the gate.
status_shows() { "$AXLE" status --workdir wd > st && grep -q 'slice 1: 5/10' st; }
wait_for "status with both slices half-way" status_shows
"$AXLE" status --workdir wd > st; rc=$?
is "$rc" 0 "axle status during the run: exit 0"
contains st "run 1 of $T_TMP/p.yaml" "names the run and its pipeline"
grep -q '^  first  *1/2  *wd-1  *built' st; ok $? "the step that ended, with its place, job and state"
grep -q '^  gated  *2/2  *wd-2  *analysis: 10/20 items, [0-9]*/s, [0-9]* s' st
ok $? "the running step: stage, items done, rate, elapsed" || sed 's/^/#   /' st
grep -q '^      slice 0: 5/10 items, [0-9]*/s, [0-9]* s$' st; ok $? "slice 0 with its items"
grep -q '^      slice 1: 5/10 items, [0-9]*/s, [0-9]* s$' st; ok $? "slice 1 with its items"
"$AXLE" status -p p.yaml > st_p
grep -q 'slice 1: 5/10 items' st_p; ok $? "-p FILE finds the same run"

# SIGUSR1 to the core, the job process and every slice (as `pkill -USR1
# axle` would): the core prints the tree, nobody dies.
job=$(pgrep -P $pid)
slices=$(for j in $job; do pgrep -P "$j"; done)
is "$(echo $slices | wc -w)" 2 "(found the job process and its two slices)"
kill -USR1 $pid $job $slices
wait_for "the tree on stderr" grep -q 'slice 1: 5/10 items' err
ok $? "SIGUSR1: the core prints the status tree on stderr"
contains err "run 1 of $T_TMP/p.yaml" "the same tree as axle status"
kill -USR1 $pid $job $slices
touch gate.txt
wait $pid; rc=$?
is "$rc" 0 "the run finishes with exit 0"
ok $(grep -q "died\|SIGUSR1" err; test $? -ne 0; echo $?) "no process died of it"
grep -q '^gated  *wd-2  *built ' out; ok $? "the gated step was built"
contains out "2 jobs: 2 built, 0 reused" "the summary follows"
"$AXLE" status --workdir wd > st2
contains st2 "no run in progress" "axle status after the run: no run in progress"
ok $(test ! -e wd/.status; echo $?) "and the run left no status file"

# Same results as a run that nobody asked about.
sed 's/^workdir: wd$/workdir: quiet/' p.yaml > q.yaml
"$AXLE" run q.yaml > qout 2> qerr
"$AXLE" ds gated --workdir wd | grep -v 'wd-2\|quiet-2' | sed 's/wd/W/g' > ds_wd
"$AXLE" ds gated --workdir quiet | grep -v 'wd-2\|quiet-2' | sed 's/quiet/W/g' > ds_quiet
ok $(cmp -s ds_wd ds_quiet; echo $?) "the dataset equals that of an undisturbed run"
is "$("$AXLE" job gated --workdir wd --json | grep -A1 '"result"')" \
   "$("$AXLE" job gated --workdir quiet --json | grep -A1 '"result"')" "and so does the result"

# Column widths are fixed before the first line: later lines stay aligned.
awk '$1 != "2" {print index($0, $2), index($0, $3)}' out | sort -u > cols
is "$(wc -l < cols)" 1 "every step line has its columns in the same place"

# A method's output after the core printed a step line is relayed once
# (a stdout already used stays fully buffered unless given a new buffer,
# and each forked slice would print what the buffer held again).
cat > two.yaml <<'YAML'
workdir: two
slices: 2
jobs:
  a:
    method: test_counter
    options: {counter: c2.txt}
  b:
    method: test_counter
    datasets: {source: a}
    options: {counter: c2.txt}
YAML
"$AXLE" run two.yaml > two.out 2> two.err
is "$(grep -c 'prepare says hello' two.err)" 2 "each job's prepare output is relayed once"
is "$(cat two/two-2/log/analysis-*.txt | wc -c)" 0 "and never repeated by the slices"
done_testing
