#!/bin/sh
# dest_journal.sh - an export's journal in dest is named by host and pid
# (.axle-export.journal-HOST-PID.jsonl): under --mpi, slices on two hosts
# can have the same pid, and one slice's journal must not truncate the
# other's.  A dest that fills up fails the export part way, so its journal
# stays there to be read; the next export into room folds it in, and the
# files the cut-off job wrote stay axle's (replaced, not left as foreign).
# Needs root to mount a small tmpfs in a mount namespace of its own.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
command -v unshare >/dev/null || skip_all "no unshare"
unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs /mnt' 2>/dev/null ||
    skip_all "cannot mount a tmpfs in a mount namespace here"

mkdir in out
for i in $(seq 10 49); do gen photo "in/p$i.jpg" --size 96x64 --seed "$i" >/dev/null; done
cat > p.yaml <<'YAML'
workdir: wd
slices: 1
params:
  dest: out
jobs:
  import:
    method: import_images
    options: {files: in}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 64}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {dest: "${dest}", quality: 95}
YAML
# 64 KB (16 pages) hold a few of the 40 files: the export fails part way.
unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs out &&
    "$0" run p.yaml >run.out 2>run.err; echo $? >run.st; ls -A out >listing;
    cp -a out/. kept/' "$AXLE" 2>mount.err
is "$(cat run.st)" 1 "an export into a full dest fails"
contains run.err "No space left on device" "saying the dest is full"
host=$(hostname | tr -c 'A-Za-z0-9._\n-' '_')
journals=$(grep '^\.axle-export\.journal-' listing)
case $journals in
".axle-export.journal-$host-"[0-9]*".jsonl") ok 0 "its journal is named by host and pid: $journals" ;;
*) ok 1 "its journal is named by host and pid"; echo "#   got: '$journals' (host $host)" ;;
esac
written=$(grep -c '^p[0-9]*\.jpg$' listing)
ok $([ "$written" -gt 0 ]; echo $?) "the job wrote $written files before dest filled up"
check "the journal lists them" -- test "$(grep -c '"written": *true' "kept/$journals")" -ge "$written"

# The same dest, with room: the journal is folded in and removed, and
# the files the failed job wrote are axle's, so none is left as foreign.
"$AXLE" run p.yaml dest=kept >again.out 2>again.err; st=$?
is "$st" 0 "the next export into room succeeds"
check "the journal is gone" -- sh -c '! ls -A kept | grep -q "^\.axle-export\.journal-"'
is "$(ls kept | grep -c '^p[0-9]*\.jpg$')" 40 "every photo is exported"
contains again.out "no items skipped" \
    "none was left as a file axle did not write: the journal made them axle's"
done_testing
