#!/bin/sh
# A job is complete only with every file it registered: one registered
# and then deleted fails the job (exit 1, the file named), registering a
# file that was never written fails at once, naming it, and a job that
# kept them all is reused.
. "$AXLE_SRCDIR/tests/lib.sh"

cat > p.yaml <<'YAML'
workdir: wd
slices: 1
params:
  forget: false
  missing: false
jobs:
  files:
    method: test_register
    options: {forget: "${forget}", missing: "${missing}"}
YAML
"$AXLE" run p.yaml forget=true > out1 2> err1
is "$?" 1 "a registered file that is gone at the end fails the run"
contains err1 "registered file out/b.txt does not exist" "the error names the file"
contains out1 "failed" "the run line says failed"
grep -q '"status": "failed"' wd/wd-1/job.json
ok $? "the job is recorded as failed"
"$AXLE" run p.yaml forget=true > out2 2> err2
is "$?" 1 "so it is never reused"

"$AXLE" run p.yaml missing=true > out5 2> err5
is "$?" 1 "registering a file that was never written fails the run"
contains err5 "axle_register_file: out/c.txt: no such file in the job folder" \
    "axle_register_file names the missing file"
contains err5 "write the file first" "and says what to do"

"$AXLE" run p.yaml > out3 2> err3
ok $? "a job that wrote what it registered succeeds"
"$AXLE" run p.yaml > out4 2> err4
contains out4 " reused " "and is reused"
done_testing
