#!/bin/sh
# unreadable.sh - a photo or a subfolder the environment will not let axle
# read (an I/O error, permission denied) is skipped "for now" with the
# reason, marked transient so the job is not reused, and never fails the
# import of the rest; with on_error: fail it fails the job naming it.
# Faults come from tests/fault_shim.so (LD_PRELOAD), since the tests run
# as root, whom chmod 000 does not stop.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
SHIM="$AXLE_BUILDDIR/tests/.libs/fault_shim.so"
[ -f "$SHIM" ] || skip_all "tests/fault_shim.so is not built"

mkdir -p photos/locked
for f in a b c; do cp "$AXLE_SRCDIR/pipelines/samples/tiny.jpg" photos/$f.jpg; done
cp "$AXLE_SRCDIR/pipelines/samples/tiny.jpg" photos/locked/d.jpg

cat > import.yaml <<'YAML'
params: {input: photos, on_error: skip}
jobs:
  import:
    method: import_images
    options: {files: "${input}", on_error: "${on_error}"}
YAML

# faulty RULES ARGS...: axle run with the faults, in a new workdir (that
# a job with transient skips is not reused is the core's part, tested
# there); stdout/stderr in out/err, status in $st.  ASan must not insist
# on coming first.
faulty() {
    rules=$1; shift
    rm -rf axle-work
    AXLE_FAULTS="$rules" LD_PRELOAD="$SHIM" \
        ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
        "$AXLE" run import.yaml "$@" >out 2>err; st=$?
    sed 's/^/# /' out err
}
# entry FILE-SUFFIX: the job's skipped.json entry for that file, one line.
entry() {
    "$PYTHON_PIL" - "$1" <<'PY'
import glob, json, sys
for e in json.load(open(glob.glob("axle-work/*/skipped.json")[0])):
    if e["file"].endswith(sys.argv[1]):
        print(e["reason"], "transient" if e.get("transient") else "permanent")
PY
}

faulty "open:b.jpg:EIO"
is "$st" 0 "an I/O error on one photo does not fail the import"
contains out '"images":3' "the other photos are imported"
contains err "skipped for now $T_TMP/photos/b.jpg: cannot open: Input/output error" \
    "the photo is named with the reason, as skipped for now"
is "$(entry /b.jpg)" "cannot open: Input/output error transient" \
    "skipped.json marks it transient"

faulty "open:b.jpg:EMFILE"
is "$(entry /b.jpg)" "cannot open: Too many open files transient" \
    "too many open files is transient too"

faulty "opendir:locked:EACCES"
is "$st" 0 "an unreadable subfolder does not fail the import"
contains out '"images":3' "the photos beside it are imported"
contains err "skipped for now $T_TMP/photos/locked: cannot read this folder: Permission denied" \
    "the folder is named with the reason"
is "$(entry /locked)" "cannot read this folder: Permission denied transient" \
    "skipped.json marks the folder transient"

faulty "open:b.jpg:EIO" on_error=fail
is "$st" 1 "with on_error: fail, an I/O error fails the job"
contains err "photos/b.jpg: cannot open: Input/output error" "the failure names the photo"

faulty "opendir:locked:EACCES" on_error=fail
is "$st" 1 "with on_error: fail, an unreadable subfolder fails the job"
contains err "photos/locked: cannot read this folder: Permission denied" \
    "the failure names the folder"

# Once the photo reads again, the next run does not reuse the import that
# skipped it for now: it rebuilds, says why, and imports it.
faulty "open:b.jpg:EIO"
"$AXLE" run import.yaml >out 2>err; st=$?
sed 's/^/# /' out err
is "$st" 0 "the run after the fault succeeds"
is "$(awk '$1 == "import" { print $3 }' out)" built \
    "the import with a transient skip is not reused"
contains err "transient reason" "the rebuild says why"
contains out '"images":4' "the photo read this time is imported"
"$AXLE" run import.yaml >out 2>err
is "$(awk '$1 == "import" { print $3 }' out)" reused \
    "a clean import is reused on the next run"

# A content problem stays permanent.
printf 'not a photo' > photos/notes.jpg
faulty ""
is "$(entry /notes.jpg)" "not an image: the file holds text permanent" \
    "a file that is not an image is a permanent skip"
done_testing
