#!/bin/sh
# Every step's latest job is checked from the run's start, beside the
# first step's identity (issue 11 item 7, overlap): the check of a later
# step's job starts before the first step's walk; a damaged later job is
# refused with the words and in the order of a check made in turn; the
# verdict is for that job only, on the job as the run found it (damage
# made while the run builds an earlier step is the next run's to see).
. "$AXLE_SRCDIR/tests/lib.sh"

mkdir photos
(cd photos && seq -f 'p%04g.jpg' 3000 | xargs touch)
cat > p.yaml <<'YAML'
workdir: wd
slices: 2
params:
  n: 300
jobs:
  walk:
    method: test_paths
    options: {files: photos}
  keep:
    method: test_paths
    options:
      files: p.yaml
      register: ${n}
YAML
run() {  # run [ARGS]: the steps' words, "walk keep"
    "$AXLE" run p.yaml "$@" > out 2> err || { cat err >&2; echo failed; return; }
    awk '$1 == "walk" { w = $3 } $1 == "keep" { k = $3 } END { print w, k }' out
}
is "$(run)" "built built" "first run: both built"
is "$(run)" "reused reused" "nothing changed: both reused"
keep=$(basename "$(readlink -f wd/latest/keep)")

# The later step's job is taken up before the first step's walk: its
# job.json is read before any photo is stat'ed (without the early check,
# only once the walk and the first step's reuse were done).
if strace -f -qq -o /dev/null true > /dev/null 2>&1; then # (ptrace may be refused)
    strace -f -qq -e trace=openat,newfstatat,statx -o trace "$AXLE" run p.yaml > out 2> err
    is "$?" 0 "under strace: the run succeeds"
    first_photo=$(grep -n 'photos/p[0-9]*\.jpg\|"p[0-9]*\.jpg"' trace | head -1 | cut -d: -f1)
    keep_json=$(grep -n "$keep/job.json" trace | head -1 | cut -d: -f1)
    check "the keep job's job.json is read (line ${keep_json:-none})" -- test -n "$keep_json"
    check "before the first photo is stat'ed (line ${first_photo:-none})" -- \
        test -n "$first_photo" -a "${keep_json:-999999999}" -lt "${first_photo:-0}"
    manifest=$(grep -c "$keep/manifest.txt" trace)
    is "$manifest" 1 "its manifest is read once in the run, not again at use"
    main=$(grep -m1 "$keep/job.json" trace | cut -d' ' -f1)
    reader=$(grep -m1 "$keep/manifest.txt" trace | cut -d' ' -f1)
    check "by a thread beside the run's own ($reader, not $main)" -- \
        test -n "$reader" -a "$reader" != "$main"
else
    for i in 1 2 3 4 5; do ok 0 "# SKIP no working strace"; done
fi

# A damaged later job: refused with the words of a check made in turn,
# naming the first damaged file in its manifest's order.
rm wd/latest/keep/out/f00200.txt
: > wd/latest/keep/out/f00100.txt
is "$(run)" "reused built" "a later job damaged: the first step reused, it rebuilt"
contains err "keep: rebuilt: out/f00100.txt in $keep changed size (0 bytes, was 8)" \
    "the first damaged file is named, as before"
contains out "(rebuilt: out/f00100.txt in $keep changed size (0 bytes, was 8))" \
    "and on its run line"
is "$(run)" "reused reused" "then reused"

# Both damaged: the messages come in the order of the steps.
keep=$(basename "$(readlink -f wd/latest/keep)")
walk=$(basename "$(readlink -f wd/latest/walk)")
rm wd/latest/keep/out/f00007.txt
rm "wd/$walk/job.json"
is "$(run)" "built built" "both damaged: both rebuilt"
grep 'rebuilt:' err > said
is "$(sed -n 1p said)" "axle: walk: rebuilt: $walk, which the index names, has no readable job.json" \
    "the first step's reason first"
is "$(sed -n 2p said)" "axle: keep: rebuilt: out/f00007.txt missing from $keep" \
    "then the later step's"
is "$(run)" "reused reused" "then reused"

# The verdict is on the job latest/keep names: when the index names an
# older job of the step, that one is checked, and its damage named.
older=$(basename "$(readlink -f wd/latest/keep)")
is "$(run n=301)" "reused built" "another option: a new job of the later step"
newer=$(basename "$(readlink -f wd/latest/keep)")
check "latest/keep names the new job" -- test "$newer" != "$older"
rm "wd/$older/out/f00003.txt"
is "$(run)" "reused built" "back to the first option: its damaged job is not reused"
contains err "keep: rebuilt: out/f00003.txt missing from $older" \
    "the job the index names is the one checked and named"

# A job the run builds may run for hours: no verdict made before it is
# used after it.  Here the first step's job waits half-way while the
# later step's job is damaged.
cat > q.yaml <<'YAML'
workdir: wq
slices: 2
params:
  items: 10
jobs:
  gated:
    method: test_gate
    options:
      items: ${items}
      ready: ready.txt
      gate: gate.txt
  keep:
    method: test_paths
    options: {files: p.yaml, register: 50}
YAML
touch gate.txt
"$AXLE" run q.yaml > out 2> err
is "$?" 0 "gated pipeline: first run"
is "$("$AXLE" run q.yaml | awk '$1 == "keep" { print $3 }')" reused "keep reused"
keep=$(basename "$(readlink -f wq/latest/keep)")
rm -f gate.txt ready.txt
"$AXLE" run q.yaml items=11 > out 2> err &
pid=$!
wait_for "both slices half-way" lines_at_least 2 ready.txt
ok $? "the first step's job is running (half-way)"
rm wq/latest/keep/out/f00010.txt
touch gate.txt
wait $pid
is "$?" 0 "the run ends"
# The verdict is on the job as the run found it (README, "Every step's
# latest job is checked from the run's start"): this run reuses it, the
# next one finds the damage, names it and rebuilds.
is "$(awk '$1 == "keep" { print $3 }' out)" reused "a job damaged after the run's check is this run's as checked"
"$AXLE" run q.yaml items=11 > out 2> err
is "$(awk '$1 == "keep" { print $3 }' out)" built "the next run does not reuse it"
contains err "keep: rebuilt: out/f00010.txt missing from $keep" "and the damage is named"
test -f "wq/latest/keep/out/f00010.txt"
ok $? "the rebuilt job has the file again"
done_testing
