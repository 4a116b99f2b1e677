#!/bin/sh
# A run killed mid-analysis (SIGKILL of the core, or Ctrl-C) leaves no job
# that a later run would reuse.  "Mid-analysis" is a state the run shows
# (its slices half-way through a gated job), not a time.
. "$AXLE_SRCDIR/tests/lib.sh"

# run_processes: how many processes of `axle run p.yaml` live in this folder.
run_processes() {
    n=0
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/cwd" 2>/dev/null)" = "$T_TMP" ] || continue
        tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -q "run p.yaml" && n=$((n + 1))
    done
    echo $n
}
none_left() { [ "$(run_processes)" -eq 0 ]; }
give_up() { echo "Bail out! $1"; touch gate1 gate2; kill $pid 2>/dev/null; exit 1; }

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
jobs:
  slow:
    method: test_gate
    options: {ready: ready1, gate: gate1}
YAML

"$AXLE" run p.yaml > out 2> err &
pid=$!
wait_for "both slices half-way" lines_at_least 2 ready1 ||
    give_up "the run never got half-way (err: $(cat err))"
kill -KILL $pid
wait $pid 2>/dev/null
wait_for "the job and slices to end after their core" none_left
is "$(run_processes)" 0 "the job and its slices die with the core"
is "$(ls wd/index 2>/dev/null | wc -l)" 0 "a job cut off by SIGKILL is not indexed"
ok $(test ! -e wd/wd-1/job.json; echo $?) "and has no job.json"

touch gate1
"$AXLE" run p.yaml > out2 2> err2
ok $? "the next run succeeds"
contains out2 "built" "and builds the job afresh"

sed -i 's/ready: ready1, gate: gate1/ready: ready2, gate: gate2/' p.yaml
"$AXLE" run p.yaml > out3 2> err3 &
pid=$!
wait_for "both slices half-way" lines_at_least 2 ready2 ||
    give_up "the run never got half-way (err3: $(cat err3))"
kill -INT $pid
wait $pid
rc=$?
is "$rc" 130 "Ctrl-C gives exit status 130"
contains err3 "interrupted" "and says the job was interrupted"
is "$(ls wd/index | wc -l)" 1 "the interrupted job was not indexed"
done_testing
