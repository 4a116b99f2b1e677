#!/bin/sh
# `axle status` of an --mpi run counts every rank's slices: each rank
# tells rank 0 how far its slices are, so the tree shows the items of
# the slices forked elsewhere, and whether they ended, as on one machine;
# the job's slice times (job.json "stages") have every rank's slices too.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/mpi/lib_mpi.sh"

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
jobs:
  gated:
    method: test_gate
    options: {ready: ready.txt, gate: gate.txt}
YAML
"$AXLE_MPIRUN" $MPIRUN_FLAGS -n 2 "$AXLE" run p.yaml --mpi > out 2> err &
pid=$!
give_up() { echo "Bail out! $1"; touch gate.txt; kill $pid 2>/dev/null; exit 1; }
wait_for "both slices half-way" lines_at_least 2 ready.txt ||
    give_up "the slices never got half-way (err: $(cat err))"
# Half-way each slice has written 5 of its 10 rows; rank 0 publishes its
# status once a second, rank 1 reports to it four times a second.
status_shows() {
    "$AXLE" status --workdir wd > st 2>&1 && grep -q 'analysis: 10/20 items' st
}
wait_for "status with both ranks' slices half-way" status_shows
ok $? "status counts both ranks' items: 10/20"
sed 's/^/#   /' st
grep -q '^      slice 0: 5/10 items, [0-9]*/s, [0-9]* s$' st; ok $? "slice 0 (rank 0) with its items"
grep -q '^      slice 1: 5/10 items, [0-9]*/s, [0-9]* s$' st; ok $? "slice 1 (rank 1) with its items"
touch gate.txt
wait $pid; rc=$?
is "$rc" 0 "the run ends well"
# the analysis times, one a line: a number for a slice that returned
times=$(sed -n '/"analysis": \[/,/\]/p' wd/wd-1/job.json | sed '1d;$d' |
    sed 's/^ *\([0-9][0-9.e-]*\),*$/time/')
is "$(echo $times)" "time time" "job.json has the time of each rank's slice"
done_testing
