#!/bin/sh
# A rank killed mid-analysis (SIGKILL) fails the job naming the rank, its
# host and its slice; the run ends within seconds, no rank or slice is
# left running and the job is not recorded complete.  The same for a
# slice killed on another rank, and for Ctrl-C on the launcher.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/mpi/lib_mpi.sh"

host=$(hostname)
cat > p.yaml <<YAML
workdir: wd
slices: 3
jobs:
  ranks:
    method: test_ranks
    options: {ready: $T_TMP/ready, gate: $T_TMP/gate}
YAML

# 1. rank 1's own process (the one mpirun started) is killed.
"$AXLE_MPIRUN" $MPIRUN_FLAGS -n 3 "$AXLE" run p.yaml --mpi > out 2> err &
launcher=$!
wait_lines ready 3
ok $? "the three slices are running, each waiting at the gate"
victim=$(rank_pid 1)
is "$(echo "$victim" | wc -w)" 1 "rank 1 has one process of its own"
kill -KILL $victim
wait $launcher
rc=$?
ok $(test "$rc" -ne 0; echo $?) "mpirun exits non-zero (it reports the death itself: $rc)"
contains err "rank 1 (host $host" "the error names the rank and its host"
contains err "running slice 1," "and the slice it was running"
is "$(left_after_ends)" 0 "no rank, job process or slice is left running"
is "$(ls wd/index 2>/dev/null | wc -l)" 0 "the job is not indexed"
contains wd/wd-1/job.json '"error": "job wd-1 (step ranks, method test_ranks): rank 1' \
    "its job.json says why it failed"

# 2. a slice on rank 2 is killed: rank 2 sees it die and says so.
rm -f ready
"$AXLE_MPIRUN" $MPIRUN_FLAGS -n 3 "$AXLE" run p.yaml --mpi > out 2> err &
launcher=$!
wait_lines ready 3
kill -KILL "$(awk '$2 == 2 { print $3 }' ready)"
wait $launcher
is $? 1 "a slice killed on another rank: exit status 1"
contains err "rank 2 (host $host): analysis() in slice 2 died: SIGKILL" \
    "the error names rank, host, slice and signal"
is "$(left_after_ends)" 0 "nothing is left running"
is "$(ls wd/index 2>/dev/null | wc -l)" 0 "the job is not indexed"

# 3. Ctrl-C on the launcher stops every rank.
rm -f ready
"$AXLE_MPIRUN" $MPIRUN_FLAGS -n 3 "$AXLE" run p.yaml --mpi > out 2> err &
launcher=$!
wait_lines ready 3
kill -INT $launcher
wait $launcher
ok $(test $? -ne 0; echo $?) "Ctrl-C: mpirun exits non-zero"
contains err "interrupted" "and the job says it was interrupted"
is "$(left_after_ends)" 0 "no rank is left running"
is "$(ls wd/index 2>/dev/null | wc -l)" 0 "the job is not indexed"

# The workdir is sound: with the gate open the job is built.
touch gate
mpi_run 3 p.yaml > out 2> err
ok $? "a run with the gate open succeeds"
contains wd/wd-4/result.json '"ranks": "0 1 2"' "over the three ranks"
done_testing
