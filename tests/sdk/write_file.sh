#!/bin/sh
# axle_write_file: one call writes a file into the job folder, making its
# folders, and registers it; a path that would leave the job folder (an
# absolute path, "..", a symbolic link on the way) is refused with a
# message, and nothing outside is written.
. "$AXLE_SRCDIR/tests/lib.sh"

cat > w.yaml <<'YAML'
workdir: wd
slices: 1
params:
  path: output/a.txt
  link: null
jobs:
  w:
    method: test_write_file
    options: {path: "${path}", link: "${link}"}
YAML
"$AXLE" run w.yaml path=output/sub/a.txt > out 2> err
ok $? "a file in a new subfolder of the job folder is written"
is "$(cat wd/wd-1/output/sub/a.txt)" hello "with the bytes given"
"$AXLE" job w --workdir wd > job.txt
contains job.txt "output/sub/a.txt" "and registered with the job"
is "$(find wd/wd-1 -name '*.tmp-*' | wc -l | tr -d ' ')" 0 "no temporary is left behind"
"$AXLE" run w.yaml path=output/sub/a.txt > out 2> err
contains out " reused " "the job is reused"

refused() {  # refused PATH EXPECTED DESCRIPTION
    "$AXLE" run w.yaml path="$1" > out 2> err
    is "$?" 1 "$3: the job fails"
    contains err "$2" "$3: the message says why"
}
refused ../x.txt "'../x.txt' is not: it has a \"..\" component" "a path leaving the job folder"
refused "$PWD/abs.txt" "axle_write_file wants a path inside the job folder" "an absolute path"
check "nothing is written outside the job folder" -- sh -c '! test -e x.txt && ! test -e wd/x.txt && ! test -e abs.txt'
refused output/ "it ends with \"/\"" "a folder's name"

mkdir outside
"$AXLE" run w.yaml path=escape/a.txt link="$PWD/outside" > out 2> err
is "$?" 1 "a write through a symbolic link in the job folder fails"
contains err "escape: cannot make it a folder for escape/a.txt: a file or a symbolic link is in the way" \
    "naming the link"
is "$(ls outside | wc -l | tr -d ' ')" 0 "and the folder it points to is untouched"
done_testing
