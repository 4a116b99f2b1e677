#!/bin/sh
# Input paths (path options) that name nothing are mistakes in the
# pipeline: reported with FILE:LINE:COL before any job runs, exit 2, and
# no workdir or job folder is made.
. "$AXLE_SRCDIR/tests/lib.sh"

mkdir photos
cp "$AXLE_SRCDIR"/pipelines/samples/*.jpg photos/
cat > p.yaml <<'YAML'
workdir: wd
params: {input: photos}
jobs:
  import:
    method: import_images
    options: {files: "${input}"}
YAML

not_run() {  # not_run DESCRIPTION ARGS...: exit 2, nothing made
    desc=$1; shift
    "$AXLE" run "$@" > out 2> err
    is "$? $(ls -d wd 2>/dev/null)" "2 " "$desc: exit 2, no workdir made"
}

not_run "a missing folder given on the command line" p.yaml input=holidays
contains err "p.yaml:6:22: error: option 'files': $PWD/holidays does not exist (given on the command line)" \
    "the error names the path and the place"

sed -i 's/{files: "${input}"}/{files: ["${input}", trips\/2023]}/' p.yaml
not_run "a missing folder written in the pipeline" p.yaml
contains err "p.yaml:6:35: error: option 'files': $PWD/trips/2023 does not exist" \
    "the error points at the list item"

sed -i 's/trips\/2023/"photos\/*.gif"/' p.yaml
not_run "a glob that matches no file" p.yaml
contains err "p.yaml:6:35: error: option 'files': $PWD/photos/*.gif: no file matches this pattern" \
    "is an error too, naming the pattern"

sed -i 's/\*.gif/*.jpg/' p.yaml
"$AXLE" run p.yaml > out 2> err
ok $? "with every path there, the run goes on"
contains out '"images":' "and imports"
done_testing
