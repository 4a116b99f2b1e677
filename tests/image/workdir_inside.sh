#!/bin/sh
# workdir_inside.sh - a workdir inside the input folder (cd ~/photos &&
# axle run ... input=.) is not imported: a second run imports the same
# photos, not the first run's thumbnails, and reuses every job.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

PIPE="$AXLE_SRCDIR/pipelines/thumbnails.yaml"
mkdir photos
cp -R "$AXLE_SRCDIR/pipelines/samples/." photos/
cd photos || exit 99   # the run's own output goes to .., not among the photos
# Every workdir carries this marker at its top (the core writes it; made
# here too, so the test does not depend on which run creates it).
mkdir axle-work && : > axle-work/.axle-workdir

step() { awk -v s="$2" '$1 == s { print $'"$3"' }' "$1"; }

"$AXLE" run "$PIPE" input=. >../first.out 2>../first.err; st=$?
sed 's/^/# /' ../first.out
is "$st" 0 "first run in the photo folder succeeds"
is "$(step ../first.out import 5)" '{"bytes":529420,"images":10,"skipped":0}' \
    "first run imports the 10 photos"
: > axle-work/.axle-workdir
"$AXLE" run "$PIPE" input=. >../second.out 2>../second.err; st=$?
sed 's/^/# /' ../second.out
is "$st" 0 "second run succeeds"
is "$(step ../second.out import 3)" reused "the import is reused: the workdir's files are not inputs"
is "$(step ../second.out import 5)" "$(step ../first.out import 5)" "the same photos, no thumbnails"
is "$(step ../second.out export 3)" reused "the export is reused"
"$AXLE" ds import >../ds.txt 2>&1
is "$(awk '$1 == "rows" { print $2 }' ../ds.txt)" 10 "axle ds import still shows 10 rows"
if grep -q "axle-work" ../first.err ../second.err; then
    ok 1 "nothing in the workdir is named as skipped"; grep axle-work ../first.err ../second.err | sed 's/^/#   /'
else
    ok 0 "nothing in the workdir is named as skipped"
fi

# A workdir named as the input is refused with its name.
"$AXLE" run "$PIPE" input=axle-work >../named.out 2>../named.err; st=$?
is "$st" 1 "importing a workdir itself fails"
contains ../named.err "axle-work: an axle workdir" "the error names the workdir"
done_testing
