#!/bin/sh
# history_tail.sh - `axle run` numbers its run from the end of
# WORKDIR/runs.jsonl (noop2): a run reads the last records only, not the
# whole history, whose parsing made each no-op run slower than the one
# before.  Numbering is as before: after the last start record, past
# damaged lines, lines longer than a block, a history made of one line.
. "$AXLE_SRCDIR/tests/lib.sh"

cat > p.yaml <<'YAML'
workdir: wd
slices: 1
jobs:
  first:
    method: test_counter
    options: {counter: c.txt}
YAML
run_no() { awk -F'"run":' '/"event":"start"/ { split($2, a, /[,}]/); n = a[1] } END { print n }' wd/runs.jsonl; }

"$AXLE" run p.yaml > out1 2> err1
is "$?" 0 "a first run"
is "$(run_no)" 1 "is run 1"

# A damaged line far back: `axle runs` warns about it, `axle run` does
# not read that far (it used to warn at every run, having parsed it all).
{ echo 'garbage far back'; cat wd/runs.jsonl; } > h && mv h wd/runs.jsonl
"$AXLE" run p.yaml > out2 2> err2
is "$?" 0 "a run after a damaged line"
is "$(run_no)" 2 "is run 2"
check "axle run does not read back to the damaged line" -- \
    sh -c '! grep -q "damaged run record" err2'
"$AXLE" runs --workdir wd > runs 2> runs.err
contains runs.err "damaged run record skipped" "axle runs still warns about it"

# Damage after the last start record, and a step record of run 2 longer
# than two blocks of the reader (65536 bytes): the run goes on from 2.
long=$(awk 'BEGIN { while (n++ < 150000) printf "x" }')
printf '{"event":"step","run":2,"step":"first","state":"reused","note":"%s"}\n' "$long" >> wd/runs.jsonl
printf 'more garbage\n\n{"event":"start","run":9}\n' >> wd/runs.jsonl
printf '{"event":"start","run":' >> wd/runs.jsonl
"$AXLE" run p.yaml > out3 2> err3
is "$?" 0 "a run after long and damaged lines"
is "$(run_no)" 3 "is run 3 (a start record without its steps is not a run)"
"$AXLE" runs --workdir wd > runs3 2> runs3.err
is "$(awk 'NR == 2 { print $1 }' runs3)" 3 "axle runs lists run 3 first"

# The last start record as the file's only line, with no newline after.
"$AXLE" run p.yaml > /dev/null 2>&1
grep '"event":"start"' wd/runs.jsonl | tail -n 1 | tr -d '\n' > h && mv h wd/runs.jsonl
"$AXLE" run p.yaml > out5 2> err5
is "$?" 0 "a run after a history of one line"
is "$(run_no)" 5 "is run 5"

# A history of many runs: the number goes on all the same.
i=0
while [ $i -lt 30 ]; do "$AXLE" run p.yaml > /dev/null 2>&1; i=$((i + 1)); done
is "$(run_no)" 35 "thirty runs later, run 35"
done_testing
