#!/bin/sh
# A re-run with nothing changed runs no method code at all; changing one
# option rebuilds exactly that step and what depends on it.
. "$AXLE_SRCDIR/tests/lib.sh"

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
params:
  value: 3
jobs:
  first:
    method: test_counter
    options: {counter: first.log, value: "${value}"}
  second:
    method: test_counter
    datasets: {source: first}
    options: {counter: second.log}
YAML

"$AXLE" run p.yaml > out1 2> err1
ok $? "first run succeeds"
is "$(grep -c '^' first.log)" 4 "first step ran prepare, 2 slices, synthesis"
contains out1 "first" "run line names the step"
is "$(grep -c ' built ' out1)" 2 "both steps built"
contains out1 "2 jobs: 2 built, 0 reused" "summary counts builds"
contains err1 "prepare says hello" "stage output is shown live on stderr"
id1=$(awk '$1 == "first" {print $2}' out1)
is "$id1" "wd-1" "job id names the workdir and a sequence number"
contains "wd/$id1/log/prepare.txt" "prepare says hello" "stage output is kept in the job folder"
contains "wd/$id1/job.json" '"complete"' "job.json records completion"

"$AXLE" run p.yaml > out2 2> err2
ok $? "second run succeeds"
is "$(grep -c '^' first.log) $(grep -c '^' second.log)" "4 4" "re-run ran no method code"
is "$(grep -c ' reused ' out2)" 2 "re-run reuses both steps"
contains out2 "2 jobs: 0 built, 2 reused" "summary says so"
is "$(awk '$1 == "first" {print $2}' out2)" "$id1" "reused job has the same id"

"$AXLE" run p.yaml value=4 > out3 2> err3
ok $? "run with a changed param succeeds"
is "$(awk '{print $1, $3}' out3 | head -2 | tr '\n' ' ')" "first built second built " "changed option rebuilds the step and its dependant"
is "$(grep -c '^' first.log)" 8 "first ran again"

sed -i 's/counter: second.log}/counter: second.log, label: y}/' p.yaml
"$AXLE" run p.yaml value=4 > out4 2> err4
is "$(awk '{print $1, $3}' out4 | head -2 | tr '\n' ' ')" "first reused second built " "changing the second step's option rebuilds only it"
"$AXLE" job second --workdir wd > job.txt
contains job.txt "option label changed" "axle job says why it was built"
"$AXLE" job second --workdir wd --json > job.json
contains job.json "\"source_rows\": 8" "result: the input dataset had 2 slices x 4 rows"
done_testing
