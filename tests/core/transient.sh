#!/bin/sh
# A job with items skipped for a transient reason (an I/O error, not the
# file's content) completes, but is never reused: the next run builds it
# again and says why, and so the item comes back once it is readable.
# Permanent skips (bad content) do not stop reuse.
. "$AXLE_SRCDIR/tests/lib.sh"

mkdir in
for f in a b c d; do echo "$f" > in/$f.txt; done
echo junk > in/e.bad
touch in/c.txt.eio          # c.txt cannot be read, for now

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
jobs:
  read:
    method: test_transient
    options: {folder: in}
  count:
    method: test_counter
    datasets: {source: read}
    options: {counter: count.log}
YAML
rows() { "$AXLE" job count --workdir wd --json | grep -o '"source_rows": [0-9]*'; }

"$AXLE" run p.yaml > out1 2> err1
ok $? "a run with a transient skip succeeds"
is "$(awk '{print $1, $3}' out1 | head -2 | tr '\n' ' ')" "read built count built " "both steps built"
contains out1 "2 items skipped" "the summary counts both skips"
contains err1 "skipped for now c.txt" "the transient skip is named on stderr"
grep '"c.txt"' wd/wd-1/skipped.json | grep -q '"transient": true'
ok $? "skipped.json marks the skip transient"
grep -A3 '"skipped": {' wd/wd-1/job.json | grep -q '"transient": 1'
ok $? "job.json counts it"
is "$(rows)" '"source_rows": 3' "the downstream step saw the readable files only"

"$AXLE" run p.yaml > out2 2> err2
ok $? "the second run succeeds"
is "$(awk '{print $1, $3}' out2 | head -2 | tr '\n' ' ')" "read built count built " \
    "a job with a transient skip is not reused, nor what was made from it"
contains err2 "read: rebuilt: 1 item was skipped for a transient reason in wd-1" \
    "stderr says why"
contains out2 "(rebuilt: 1 item was skipped for a transient reason in wd-1)" \
    "so does the run line"
contains err2 "count: rebuilt: input 'source' was rebuilt as" "the dependant says why"
"$AXLE" job read --workdir wd > job.txt
contains job.txt "rebuilt: 1 item was skipped for a transient reason" "axle job says why"

rm in/c.txt.eio             # readable again
"$AXLE" run p.yaml > out3 2> err3
ok $? "the run after the file became readable succeeds"
is "$(rows)" '"source_rows": 4' "the file that was unreadable is in the result now"
contains out3 "1 item skipped" "only the permanent skip is left"

"$AXLE" run p.yaml > out4 2> err4
is "$(awk '{print $1, $3}' out4 | head -2 | tr '\n' ' ')" "read reused count reused " \
    "a job whose only skips are permanent is reused"
done_testing
