#!/bin/sh
# axle run --mpi under mpirun: each slice is forked by the rank it belongs
# to (slice s on rank s % P), prepare's memory reaches them, and prepare's
# output and files are made once, by rank 0.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/mpi/lib_mpi.sh"

cat > p.yaml <<'YAML'
workdir: wd
jobs:
  ranks:
    method: test_ranks
YAML

mpi_run 3 p.yaml --slices 3 > out 2> err
ok $? "three ranks run the job"
contains wd/wd-1/result.json '"ranks": "0 1 2"' "slice s runs on rank s"
is "$("$AXLE" ds ranks --workdir wd --column prepared 2>&1 | grep -c '^ *8$')" 3 \
    "every slice sees prepare's result and writer"
is "$(grep -c 'prepare says hello' err)" 1 "prepare's output is shown once"
is "$(grep -c 'prepare says hello' wd/wd-1/log/prepare.txt)" 1 "and kept once in its log"
is "$(cat wd/wd-1/prepare.txt)" "made once" "the file prepare wrote is there"
is "$(grep -c prepare.txt wd/wd-1/files.json)" 1 \
    "and listed once among the job's files"

mkdir two && cd two && cp ../p.yaml .
mpi_run 2 p.yaml --slices 3 > out 2> err
ok $? "two ranks run three slices"
contains wd/wd-1/result.json '"ranks": "0 1 0"' "rank 0 takes slices 0 and 2"
cd ..

mkdir four && cd four && cp ../p.yaml .
mpi_run 4 p.yaml --slices 2 > out 2> err
ok $? "four ranks run two slices (two ranks idle)"
contains wd/wd-1/result.json '"ranks": "0 1"' "the slices go to ranks 0 and 1"
cd ..

"$AXLE" run p.yaml > out 2> err
contains out "reused" "a local run reuses the job made under --mpi"
done_testing
