#!/bin/sh
# The import builds on the core's file facts (issue 11 item 7: diff): an
# incremental import takes the photos as the core listed and stat'ed them
# for its identity, instead of walking and stat'ing them again, so what it
# records is what its identity says.  A photo changed in the window after
# that stat and before the import (tests/window_shim.so changes it when
# the core makes the import's job folder) is not taken half-seen: this run
# keeps its earlier row, the next run's identity differs and imports it
# again, and the end result is a cold run's.  With entries the walk left
# out (a FIFO) the core hands nothing over and the import walks itself.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
SHIM="$AXLE_BUILDDIR/tests/.libs/window_shim.so"
[ -f "$SHIM" ] || skip_all "tests/window_shim.so is not built"

mkdir -p photos/sub
gen photo photos/a.jpg --size 64x48 --seed 1 >/dev/null
gen photo photos/b.jpg --size 64x48 --seed 2 >/dev/null
gen photo photos/sub/c.jpg --size 40x30 --seed 3 >/dev/null
gen photo spare.jpg --size 80x60 --seed 9 >/dev/null
cat > p.yaml <<'YAML'
workdir: "${wd}"
slices: 2
params:
  wd: wd
jobs:
  import:
    method: import_images
    options: {files: photos}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 24}
  export:
    method: export_images
    datasets: {source: thumbs}
YAML
step_job() { awk -v s="$2" '$1 == s {print $2}' "$1"; }
# in_window JOB COMMAND ARGS...: runs ARGS with COMMAND run when the core
# makes job folder JOB (the shim; ASan must not insist on coming first)
in_window() {
    at=$1 cmd=$2; shift 2
    AXLE_WINDOW_AT=$at AXLE_WINDOW_CMD=$cmd LD_PRELOAD="$SHIM" \
        ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" "$@"
}
size_of() { wc -c < "$1" | tr -d ' '; }
# same_as_cold NAME: the workdir's latest export holds a cold run's files
same_as_cold() {
    rm -rf "cold-$1"
    "$AXLE" run p.yaml wd="$T_TMP/cold-$1" > "cold-$1.out" 2> "cold-$1.err"
    diff -r "wd/latest/export/output" "cold-$1/latest/export/output" > "$1.diff" 2>&1
    ok $? "$1: the exported files are a cold run's"
}

"$AXLE" run p.yaml wd="$T_TMP/wd" > run1.out 2> run1.err
is $? 0 "the first run builds the photos"
old_a=$(size_of photos/a.jpg)

# b is touched before the run; a is replaced after the core stat'ed it
# for the import's identity, before the import's prepare.
touch -d '2001-02-03 04:05:06' photos/b.jpg
next=wd-$(cat wd/.next)
in_window "$next" "cp '$T_TMP/spare.jpg' '$T_TMP/photos/a.jpg'" \
    "$AXLE" run p.yaml wd="$T_TMP/wd" > run2.out 2> run2.err
is $? 0 "a photo changed in the window: the run succeeds"
is "$(step_job run2.out import)" "$next" "the window was the import's"
is "$(size_of photos/a.jpg)" "$(size_of spare.jpg)" "and the photo was changed in it"
contains run2.out "built incrementally on wd-1: 0 added, 1 changed, 0 removed (b.jpg)" \
    "the import takes the photos as its identity saw them: only b changed"
contains "wd/$next/inputs.txt" "$(printf '%s\t' "$old_a")" \
    "its inputs.txt records a as the identity stat'ed it"
grep -q "$(printf '\t%s/photos/a.jpg$' "$T_TMP")" "wd/$next/inputs.txt"
ok $? "(a is listed)"
is "$(grep -c "^$old_a	.*/photos/a.jpg\$" "wd/$next/inputs.txt")" 1 \
    "with the size it had then"

"$AXLE" run p.yaml wd="$T_TMP/wd" > run3.out 2> run3.err
is $? 0 "the next run succeeds"
contains run3.out "0 added, 1 changed, 0 removed (a.jpg)" \
    "its import's identity differs: a is imported again"
same_as_cold window
"$AXLE" run p.yaml wd="$T_TMP/wd" > run4.out 2> run4.err
contains run4.out "3 jobs: 0 built, 3 reused" "then nothing is left to do"

# A photo the identity saw changed, changed again in the window: the
# import reads what is there and its reference records that (readers
# check it), and the next run, whose identity differs, imports it again.
gen photo spare2.jpg --size 72x54 --seed 11 >/dev/null
touch -d '2003-02-03 04:05:06' photos/a.jpg
next=wd-$(cat wd/.next)
in_window "$next" "cp '$T_TMP/spare2.jpg' '$T_TMP/photos/a.jpg'" \
    "$AXLE" run p.yaml wd="$T_TMP/wd" > run7.out 2> run7.err
is $? 0 "a changed photo changed again in the window: the run succeeds"
contains run7.out "0 added, 1 changed, 0 removed (a.jpg)" "the import reads it again"
"$AXLE" ds "$next" --workdir wd --column image > cells7.txt
contains cells7.txt "72x54 jpeg $(size_of spare2.jpg) ref $T_TMP/photos/a.jpg" \
    "its reference records the photo as read, not as the identity saw it"
"$AXLE" run p.yaml wd="$T_TMP/wd" > run8.out 2> run8.err
contains run8.out "0 added, 1 changed, 0 removed (a.jpg)" \
    "the next run's identity differs: a is imported again"
same_as_cold twice

# An entry the walk leaves out (a FIFO, not named like a photo): the core
# hands no facts over; the import lists and stats the photos itself and
# still builds on its last job.
mkfifo photos/notes.fifo
touch -d '2002-02-03 04:05:06' photos/sub/c.jpg
"$AXLE" run p.yaml wd="$T_TMP/wd" > run5.out 2> run5.err
is $? 0 "with a FIFO among the photos the run succeeds"
contains run5.out "0 added, 1 changed, 0 removed (sub/c.jpg)" \
    "the import walks itself and builds on its last job"
contains run5.out '"images":3,"skipped":0' "no photo is skipped or lost"
same_as_cold fifo
rm photos/notes.fifo
rm photos/b.jpg
"$AXLE" run p.yaml wd="$T_TMP/wd" > run6.out 2> run6.err
contains run6.out "0 added, 0 changed, 1 removed (b.jpg)" \
    "the facts again: a removed photo"
same_as_cold removed
done_testing
