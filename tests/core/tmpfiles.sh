#!/bin/sh
# Temporary files have unpredictable names and are created exclusively:
# a symbolic link planted where axle 0.1 put its temporaries (FILE.tmp.PID
# beside every file the core rewrites) is never followed, so nothing
# outside the workdir is written.
. "$AXLE_SRCDIR/tests/lib.sh"

printf 'workdir: wd\njobs:\n  a:\n    method: test_counter\n    options: {counter: c.log, value: %s}\n' 1 > p.yaml
"$AXLE" run p.yaml > out 2> err
ok $? "a first run makes the workdir"

echo precious > outside.txt
# The planting shell execs axle, so $$ is the core's process id.
printf 'workdir: wd\njobs:\n  a:\n    method: test_counter\n    options: {counter: c.log, value: %s}\n' 2 > p.yaml
sh -c 'for f in .next steps.json workdir.json .axle-workdir; do
           ln -s "$1" "wd/$f.tmp.$$"
       done
       exec "$AXLE" run p.yaml' sh "$PWD/outside.txt" > out 2> err
ok $? "a run with symbolic links planted at the old temporary names succeeds"
is "$(cat outside.txt)" precious "the file outside the workdir is unchanged"
check "the job counter is a file of the workdir, not the planted link" -- \
    sh -c '! test -L wd/.next && test -f wd/.next'
check "so is steps.json" -- sh -c '! test -L wd/steps.json && test -f wd/steps.json'
is "$(awk '{print $2, $3}' out | head -1)" "wd-2 built" "the job was built"
"$AXLE" run p.yaml > out 2> err
is "$(awk '{print $2, $3}' out | head -1)" "wd-2 reused" "and is reused next time"
is "$(find wd -name '*.tmp-*' | wc -l)" 0 "no temporary file is left behind"
done_testing
