#!/bin/sh
# Run history: every `axle run` is appended to WORKDIR/runs.jsonl; `axle
# runs` lists the runs newest first, `axle runs N` shows one, STEP@N names
# a step's job in run N; damaged lines are skipped with a warning; a run
# killed mid-way shows as cut off.
. "$AXLE_SRCDIR/tests/lib.sh"

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
params:
  v: 5
  how: none
jobs:
  first:
    method: test_counter
    options: {counter: c.txt, value: "${v}"}
  second:
    method: test_misbehave
    options: {counter: c.txt, how: "${how}", code: -2}
YAML

"$AXLE" run p.yaml > out1 2> err1; rc1=$?
"$AXLE" run p.yaml v=7 > out2 2> err2; rc2=$?
"$AXLE" run p.yaml > out3 2> err3; rc3=$?
"$AXLE" run p.yaml how=error > out4 2> err4; rc4=$?
is "$rc1 $rc2 $rc3 $rc4" "0 0 0 1" "four runs: built, rebuilt, reused, failed"
ok $(test -f wd/runs.jsonl; echo $?) "the history is WORKDIR/runs.jsonl"

"$AXLE" runs --workdir wd > runs 2> runs.err
ok $? "axle runs succeeds"
# run  started  time  seconds  built reused failed exit pipeline
awk 'NR > 1 {print $1, $5, $6, $7, $8}' runs > table
printf '%s\n' "4 0 1 1 1" "3 0 2 0 0" "2 1 1 0 0" "1 2 0 0 0" > want
if cmp -s table want; then ok 0 "newest first, with built/reused/failed and exit status"
else ok 1 "newest first, with built/reused/failed and exit status"; sed 's/^/#   /' runs; fi
contains runs "$T_TMP/p.yaml" "each run names its pipeline file"
is "$(cat runs.err)" "" "nothing on stderr"
"$AXLE" runs -p p.yaml > runs_p
ok $(cmp -s runs runs_p; echo $?) "-p FILE finds the same workdir"

"$AXLE" runs 2 --workdir wd > run2
ok $? "axle runs 2 succeeds"
contains run2 "v=7" "run 2 shows the params given"
contains run2 "$(sha256sum p.yaml | cut -d' ' -f1)" "and the pipeline's digest"
id_first2=$(awk '$1 == "first" {print $2}' out2)
grep -q "^  first  *$id_first2  *built " run2; ok $? "and the step line of first ($id_first2, built)"
grep -q "^  second  *[a-z0-9-]*  *reused " run2; ok $? "and the step line of second (reused)"
"$AXLE" runs 4 --workdir wd > run4
grep -q "^  second  *wd-[0-9]*  *failed " run4; ok $? "run 4: second failed"
contains run4 "exit status 1" "run 4 ended with exit status 1"

id_first1=$(awk '$1 == "first" {print $2}' out1)
"$AXLE" job first@1 --workdir wd > job1; rc=$?
"$AXLE" job first --workdir wd > joblatest
is "$rc" 0 "axle job first@1 succeeds"
is "$(awk '$1 == "job" {print $2; exit}' job1)" "$id_first1" "first@1 is run 1's job"
is "$(awk '$1 == "job" {print $2; exit}' joblatest)" "$id_first1" \
    "and the latest run (4, v=5) reused it"
"$AXLE" job first@2 --workdir wd > job2
is "$(awk '$1 == "job" {print $2; exit}' job2)" "$id_first2" "first@2 is run 2's job"
"$AXLE" ds first@2 --workdir wd > ds2; rc=$?
is "$rc" 0 "axle ds first@2 takes STEP@N too"
contains ds2 "$id_first2" "and shows run 2's dataset"
"$AXLE" job first@9 --workdir wd > /dev/null 2> err9; rc=$?
is "$rc" 2 "a run that is not in the history: exit 2"
contains err9 "no run 9" "naming the run"
"$AXLE" job nosuch@1 --workdir wd > /dev/null 2> errn; rc=$?
is "$rc" 2 "a step not in that run: exit 2"
contains errn "no step 'nosuch'" "naming the step"

# Damage: a cut-off line, garbage, a record without a run number.
printf '{"event":"start","run":' >> wd/runs.jsonl
"$AXLE" run p.yaml > out5 2> err5; rc=$?
is "$rc" 0 "a damaged history never fails a run"
printf 'garbage\n{"event":"step"}\n' >> wd/runs.jsonl
"$AXLE" runs --workdir wd > runs5 2> runs5.err; rc=$?
is "$rc" 0 "nor axle runs"
is "$(awk 'NR == 2 {print $1, $8}' runs5)" "5 0" "run 5 is listed first, exit 0"
is "$(grep -c 'damaged run record skipped' runs5.err)" 3 "each damaged line is warned about"
contains runs5.err "runs.jsonl:17:" "naming the file and line"
"$AXLE" job first@5 --workdir wd > /dev/null 2>&1
ok $? "STEP@N still resolves after the damage"

# A run killed mid-way still shows, with the steps it finished.
cat > slow.yaml <<'YAML'
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
"$AXLE" run slow.yaml > out6 2> err6 &
pid=$!
wait_for "both slices half-way" lines_at_least 2 ready.txt
"$AXLE" runs --workdir wd > runs6
is "$(awk 'NR == 2 {print $1, $8}' runs6)" "6 running" "a run in progress is listed as running"
kill -KILL $pid
wait $pid 2>/dev/null
# Its slices die with it, a moment later; the run is cut-off once they have.
cut_off() {
    "$AXLE" runs --workdir wd | awk 'NR == 2 {print $8}' | grep -qx cut-off
}
wait_for "the killed run listed as cut-off" cut_off
"$AXLE" runs --workdir wd > runs7
is "$(awk 'NR == 2 {print $1, $8}' runs7)" "6 cut-off" "a killed run is listed as cut-off"
"$AXLE" runs 6 --workdir wd > run6
grep -q "^  first  *wd-[0-9]*  *reused " run6; ok $? "with the step it finished"
grep -q "^  gated  *-  *not run " run6; ok $? "and the step it did not"
"$AXLE" status --workdir wd > st; rc=$?
is "$rc" 0 "axle status after a killed run: exit 0"
contains st "no run in progress" "says no run is in progress"
done_testing
