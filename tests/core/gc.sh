#!/bin/sh
# axle gc: keeps what the newest run (or N runs) needs, and the jobs those
# link to or read (a thumbnail column's parent, the import); removes
# failed jobs, folders of a run cut off and older jobs, with their index
# entries and latest/ links; --dry-run changes nothing and counts the same
# bytes; after gc a run reuses what was kept and builds again what went.
. "$AXLE_SRCDIR/tests/lib.sh"

mkdir in
cp -R "$AXLE_SRCDIR/pipelines/samples/." in/
cat > p.yaml <<'YAML'
workdir: wd
slices: 2
params:
  size: 32
  crash: -1
jobs:
  import:
    method: import_images
    options: {files: in}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: "${size}"}
  third:
    method: test_crasher
    options: {crash_slice: "${crash}", how: error, sleep: 0}
YAML
step_job() { awk -v s="$2" '$1 == s { print $2 }' "$1"; }
bytes_of() { find "$@" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
snapshot() { (cd wd && find . | sort; cat steps.json; for f in index/*; do cat "$f"; done) >"$1"; }

"$AXLE" run p.yaml >a.out 2>a.err
ok $? "run A builds"
"$AXLE" run p.yaml size=48 crash=0 >b.out 2>b.err
is "$?" 1 "run B fails at its last step"
import=$(step_job a.out import) thumbs_a=$(step_job a.out thumbs) third_a=$(step_job a.out third)
thumbs_b=$(step_job b.out thumbs) third_b=$(step_job b.out third)
is "$(step_job b.out import)" "$import" "run B reused the import"
mkdir wd/wd-99   # what a run cut off before job.json leaves

check "gc --dry-run runs" -- "$AXLE" gc --dry-run --workdir wd
snapshot before
"$AXLE" gc --dry-run --workdir wd >dry.out 2>dry.err
snapshot after
check "--dry-run changes nothing" -- cmp before after
for id in "$thumbs_a" "$third_a" "$third_b" wd-99; do
    contains dry.out "would remove  $id " "--dry-run lists $id"
done
check "--dry-run keeps the newest run's thumbnails" -- sh -c "! grep -q ' $thumbs_b ' dry.out"
check "--dry-run keeps the import the newest run read" -- sh -c "! grep -q ' $import ' dry.out"
check "the failed job is listed as failed" -- grep -Eq "^would remove +$third_b +third +failed " dry.out
check "the cut-off folder is listed as such" -- grep -Eq "^would remove +wd-99 +- +cut off +0 bytes" dry.out
want=$(bytes_of "wd/$thumbs_a" "wd/$third_a" "wd/$third_b" wd/wd-99)
contains dry.out "would remove 4 jobs (2 failed, interrupted or cut off), $want bytes" \
    "--dry-run counts the bytes of what would go"

"$AXLE" gc --workdir wd >gc.out 2>gc.err
ok $? "gc succeeds"
contains gc.out "removed 4 jobs" "gc says what it removed"
for id in "$thumbs_a" "$third_a" "$third_b" wd-99; do
    check "$id is gone" -- test ! -e "wd/$id"
done
check "the newest thumbnails are kept" -- test -f "wd/$thumbs_b/job.json"
check "the import they link to is kept" -- test -f "wd/$import/job.json"
check "no index entry names a removed job" -- \
    sh -c "! cat wd/index/* | grep -qx -e '$thumbs_a' -e '$third_a' -e '$third_b'"
check "latest/ has no dangling link" -- sh -c 'for l in wd/latest/*; do test -e "$l" || exit 1; done'
check "steps.json no longer names the failed job" -- sh -c "! grep -q '$third_b' wd/steps.json"
check "nothing is left aside by gc" -- sh -c '! ls -A wd | grep -q "^\.gc-"'

"$AXLE" run p.yaml size=48 >c.out 2>c.err
ok $? "after gc the newest run's pipeline runs (exit 0)"
is "$(awk '$1 == "thumbs" { print $2, $3 }' c.out)" "$thumbs_b reused" "the kept thumbnails are reused"
is "$(awk '$1 == "third" { print $3 }' c.out)" "built" "the removed job is built again"
check "axle ds reads the reused thumbnails" -- "$AXLE" ds thumbs --workdir wd
"$AXLE" run p.yaml >d.out 2>d.err
ok $? "the older sizes run again (exit 0)"
is "$(awk '$1 == "thumbs" { print $3 }' d.out)" "built" "the removed thumbnails are built again"
check "the rebuilt thumbnails are whole" -- "$AXLE" ds thumbs --workdir wd
thumbs_d=$(step_job d.out thumbs) third_d=$(step_job d.out third)

# A newest run that names only the thumbnails still keeps the import: its
# dataset is the thumbnails' parent.
printf '{"thumbs": "%s"}\n' "$thumbs_d" >wd/steps.json
"$AXLE" gc --workdir wd >e.out 2>e.err
ok $? "gc with only the thumbnails in the newest run"
check "the parent import is kept" -- test -f "wd/$import/job.json"
check "the other thumbnails went" -- test ! -e "wd/$thumbs_b"
"$AXLE" run p.yaml >f.out 2>f.err
ok $? "the run after that succeeds"
is "$(awk '$1 == "thumbs" { print $3 }' f.out)" "reused" "and reuses the thumbnails"

# --keep N reads the run history; a workdir without one (made before axle
# kept it) knows only its latest run.
mv wd/runs.jsonl history.keep
"$AXLE" gc --keep 2 --workdir wd >g.out 2>g.err
is "$?" 2 "--keep 2 without a run history is refused"
contains g.err "runs.jsonl" "the message names the run history"
"$AXLE" run p.yaml size=40 >h.out 2>h.err
thumbs_h=$(step_job h.out thumbs)
printf '%s\n' '{"run": 1, "steps": [{"step": "thumbs", "job": "'"$thumbs_d"'", "state": "reused"}]}' \
    'not json' \
    '{"run": 2, "steps": [{"step": "thumbs", "job": "'"$thumbs_h"'", "state": "built"}]}' >wd/runs.jsonl
"$AXLE" gc --keep 2 --workdir wd >i.out 2>i.err
ok $? "gc --keep 2 with a run history"
check "--keep 2 keeps the older run's thumbnails" -- test -f "wd/$thumbs_d/job.json"
check "--keep 2 keeps the newer run's thumbnails" -- test -f "wd/$thumbs_h/job.json"
check "--keep 2 keeps their import" -- test -f "wd/$import/job.json"
check "a job of neither run went" -- test ! -e "wd/$third_d"
"$AXLE" gc --workdir wd >j.out 2>j.err
ok $? "gc --keep 1 with a run history"
check "--keep 1 removes the older run's thumbnails" -- test ! -e "wd/$thumbs_d"
check "and keeps the newest" -- test -f "wd/$thumbs_h/job.json"

"$AXLE" gc --workdir nowhere >k.out 2>k.err
is "$?" 2 "gc of a missing workdir is an error"
contains k.err "no workdir" "it says so"
check "and does not create it" -- test ! -e nowhere
done_testing
