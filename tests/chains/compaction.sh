#!/bin/sh
# Compaction without a cold build: a chain grows to 16 links (each run
# adds a photo, one run removes one, one changes one); the run that would
# make it longer builds every row-wise step on the chain's root instead, so
# its one new link holds everything added, changed or removed since the
# root, and re-processes only that.  The exported files (job folder and
# dest mirror) and every result are a cold run's; the next run chains to
# the new link; gc keeps what the chain reads and a re-run reuses all.
# When the links after the root hold most of the chain's rows (a small
# library that grew a lot), the build is cold, as before.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

cat > p.yaml <<'YAML'
workdir: "${wd}"
slices: 2
params: {wd: wd, dest: out}
jobs:
  import:
    method: import_images
    options: {files: lib}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 16}
  export:
    method: export_images
    datasets: {source: thumbs}
  mirror:
    method: export_images
    datasets: {source: thumbs}
    options: {format: webp, dest: "${dest}"}
  shapes:
    method: shapehist
    datasets: {source: import}
YAML
mkdir lib
i=1
while [ $i -le 40 ]; do
    gen photo lib/p$i.jpg --size 20x16 --seed $i || exit 99
    i=$((i + 1))
done
"$AXLE" run p.yaml dest="$T_TMP/out" >r0.out 2>&1 || exit 99
root_of() { sed -n "s/^$1 *\\([^ ]*\\) .*/\\1/p" r0.out; }
incremental=0 i=1
while [ $i -le 15 ]; do
    gen photo lib/n$i.jpg --size 16x20 --seed $((100 + i)) || exit 99
    [ $i = 5 ] && rm lib/p3.jpg
    [ $i = 9 ] && { gen photo lib/p7.jpg --size 16x20 --seed 7 || exit 99; }
    "$AXLE" run p.yaml dest="$T_TMP/out" >r$i.out 2>&1
    [ "$(grep -c 'built incrementally' r$i.out)" = 4 ] && incremental=$((incremental + 1))
    i=$((i + 1))
done
is "$incremental" 15 "15 runs after the first build on the jobs before them"
chain_len() { "$AXLE" ds "$1" -p p.yaml | sed -n 's/^previous .*a chain of \([0-9]*\) datasets.*/\1/p'; }
is "$(chain_len import)" 16 "the import's chain has 16 links"

gen photo lib/n16.jpg --size 16x20 --seed 116 || exit 99
"$AXLE" run p.yaml dest="$T_TMP/out" >r16.out 2>&1
is $? 0 "the 17th run"
for s in import thumbs export mirror; do
    check "$s builds on its root job, holding what changed since" -- grep -q \
        "^$s .*built incrementally on $(root_of $s): 16 added, 1 changed, 1 removed" r16.out
done
is "$(chain_len import)" 2 "the import's chain is 2 links again"
is "$(chain_len thumbs)" 2 "so is the thumbnailer's"
"$AXLE" ds thumbs -p p.yaml >thumbs.ds
check "the thumbnailer's new link holds only the 17 new and changed rows" -- \
    grep -q "^rows *17 in 2 slices" thumbs.ds
check "and the chain's live rows are the library's 55" -- \
    grep -q "^live *55 rows in the chain" thumbs.ds
contains wd/latest/shapes/result.json '"16x20": 17' "shapehist counts the 17 portrait photos"
check "the removed photo's export is gone" -- test ! -e wd/latest/export/output/p3.jpg

# the cold run's dest is the same folder (it is in the recipe): the
# chain's aside meanwhile
same_as_cold() { # same_as_cold NAME
    mv out chain-out
    "$AXLE" run p.yaml wd="$T_TMP/cold$1" dest="$T_TMP/out" >cold$1.out 2>&1
    is $? 0 "$1: the cold run succeeds"
    mv out coldout$1 && mv chain-out out
    for s in import thumbs export shapes; do
        check "$1: $s's result is the cold run's" -- \
            cmp wd/latest/$s/result.json cold$1/latest/$s/result.json
    done
    check "$1: the exported files are the cold run's, byte for byte" -- \
        diff -r wd/latest/export/output cold$1/latest/export/output
    check "$1: the dest mirror is the cold run's, byte for byte" -- \
        diff -r -x .axle-export.json out coldout$1
}
same_as_cold compacted

gen photo lib/n17.jpg --size 16x20 --seed 117 || exit 99
"$AXLE" run p.yaml dest="$T_TMP/out" >r17.out 2>&1
check "the next run chains to it" -- \
    grep -q "^export .*1 added, 0 changed, 0 removed (n17.jpg)" r17.out
is "$(chain_len import)" 3 "a chain of 3"
same_as_cold next

"$AXLE" gc -p p.yaml >gc.out 2>&1
is $? 0 "axle gc"
"$AXLE" run p.yaml dest="$T_TMP/out" >again.out 2>&1
is $? 0 "the run after gc"
contains again.out "5 jobs: 0 built, 5 reused" "reuses every job: gc kept what the chain reads"
check "after gc the exported files are still a cold run's" -- \
    diff -r wd/latest/export/output coldnext/latest/export/output
gen photo lib/n18.jpg --size 16x20 --seed 118 || exit 99
"$AXLE" run p.yaml dest="$T_TMP/out" >r18.out 2>&1
is "$(grep -c 'built incrementally' r18.out)" 4 "after gc the next change builds on the chain"
same_as_cold aftergc

# A photo moved out and back (its time kept) has changed since the root
# and come back as the root had it: the new link does not hold it, but the
# files of the newest export are of its removal, so the exports are built
# cold; import and thumbnailer still build on their roots.
mkdir back back/lib
cd back || exit 99
cp ../p.yaml . && cp ../lib/p*.jpg lib/
"$AXLE" run p.yaml dest="$T_TMP/back/out" >b0.out 2>&1 || exit 99
i=1
while [ $i -le 16 ]; do
    gen photo lib/n$i.jpg --size 16x20 --seed $((200 + i)) || exit 99
    [ $i = 3 ] && mv lib/p2.jpg p2.jpg
    [ $i = 14 ] && mv p2.jpg lib/p2.jpg
    "$AXLE" run p.yaml dest="$T_TMP/back/out" >b$i.out 2>&1
    i=$((i + 1))
done
check "moved back: the import builds on its root" -- grep -q "^import .*built incrementally on" b16.out
check "moved back: so does the thumbnailer" -- grep -q "^thumbs .*built incrementally on" b16.out
is "$(grep -c '^export .*built incrementally\|^mirror .*built incrementally' b16.out)" 0 \
    "moved back: the exports are built cold"
mv out chain-out
"$AXLE" run p.yaml wd="$T_TMP/back/cold" dest="$T_TMP/back/out" >cold.out 2>&1
check "moved back: the exported files are a cold run's" -- \
    diff -r wd/latest/export/output cold/latest/export/output
check "moved back: the dest mirror is a cold run's" -- diff -r -x .axle-export.json chain-out out
cd "$T_TMP" || exit 99

# A small library that grew a lot: the links after the root hold most of
# the chain's rows, so re-processing them costs about a cold build.
cat > q.yaml <<'YAML'
workdir: wq
slices: 2
jobs:
  import:
    method: import_images
    options: {files: small}
  shapes:
    method: shapehist
    datasets: {source: import}
YAML
mkdir small
gen photo small/s0.jpg --size 20x20 --seed 1 || exit 99
"$AXLE" run q.yaml >q0.out 2>&1 || exit 99
i=1
while [ $i -le 16 ]; do
    cp small/s0.jpg small/s$i.jpg
    "$AXLE" run q.yaml >q$i.out 2>&1
    i=$((i + 1))
done
is "$(grep -c 'built incrementally' q16.out)" 0 "the 17th run on a small library builds cold"
"$AXLE" ds import -p q.yaml >q.ds
contains q.ds "previous  none" "into a dataset of its own"
contains wq/latest/import/result.json '"images": 17' "with every photo"
done_testing
