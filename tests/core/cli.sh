#!/bin/sh
# The command line: help texts, exit statuses, params, stdout vs stderr.
. "$AXLE_SRCDIR/tests/lib.sh"

"$AXLE" --help > h.txt; ok $? "axle --help exits 0"
contains h.txt "run FILE" "and lists run"
for c in run job ds methods; do
    "$AXLE" $c --help > h.txt 2>&1; ok $? "axle $c --help exits 0"
    contains h.txt "usage: axle $c" "axle $c --help shows usage"
done
"$AXLE" frobnicate > o 2> e; is $? 2 "unknown command: exit 2"

cat > p.yaml <<'YAML'
params:
  value: 2
jobs:
  a:
    method: test_counter
    options: {counter: a.log, value: "${value}"}
YAML
"$AXLE" run p.yaml nosuch=3 > o 2> e; is $? 2 "undeclared param: exit 2"
contains e "nosuch" "the message names the param"
"$AXLE" run p.yaml --slices 2 > o 2> e; ok $? "default workdir run"
ok $(test -d axle-work; echo $?) "default workdir is ./axle-work"
is "$(cat axle-work/workdir.json | tr -d ' \n')" '{"format":1,"slices":2}' "slice count is fixed in the workdir"
"$AXLE" run p.yaml --slices 3 > o 2> e; is $? 2 "asking another slice count is an error"
contains e "has 2 slices; 3 were asked for" "naming both counts"
"$AXLE" run p.yaml > o 2> e
is "$(wc -l < o)" 2 "stdout has one line per step plus the summary"
"$AXLE" job a > j.txt; ok $? "axle job by step name"
contains j.txt "axle-work-1" "shows the job id"
"$AXLE" job axle-work-1 > j2.txt; ok $? "axle job by id"
"$AXLE" job nope > o 2> e; is $? 2 "unknown REF: exit 2"
contains e "no job 'nope'" "naming the REF"
done_testing
