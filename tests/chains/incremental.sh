#!/bin/sh
# Incremental runs through dataset chains, step by step: photos added, then
# one changed, one removed and one renamed.  Import, thumbnailer and export
# build on their last jobs and say so (the step line, `axle job`, job.json);
# the new links hold only the new and changed rows (only those photos are
# decoded); the export's folder still holds every live file; shapehist over
# the chain equals a cold run's; a changed option builds cold; and after
# `axle gc` the chain is intact and the next run reuses it.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

cat > p.yaml <<'YAML'
workdir: "${wd}"
slices: 2
params:
  wd: wd
  input: lib
  size: 24
jobs:
  import:
    method: import_images
    options: {files: "${input}"}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: "${size}"}
  export:
    method: export_images
    datasets: {source: thumbs}
  shapes:
    method: shapehist
    datasets: {source: import}
YAML
mkdir -p lib/a
i=1; for f in one a/two three a/four five six; do
    gen photo lib/$f.jpg --size $((30 + 4 * i))x$((20 + 2 * i)) --seed $i || exit 99
    i=$((i + 1))
done
step_job() { awk -v s="$2" '$1 == s { print $2 }' "$1"; }
rows_of() { # rows_of JOBDIR: rows of its default dataset, all slices
    python3 -c 'import json,sys; print(sum(json.load(open(sys.argv[1]))["rows"]))' \
        "$1/ds/default/meta.json"; }
result() { cat "wd/latest/$1/result.json"; }

"$AXLE" run p.yaml >r1.out 2>r1.err
is $? 0 "the first run builds everything cold"
is "$(grep -c 'built incrementally' r1.out)" 0 "nothing to build on yet"

# -- added photos ------------------------------------------------------------
gen photo lib/a/seven.jpg --size 50x30 --seed 7 || exit 99
gen photo lib/eight.jpg --size 52x31 --seed 8 || exit 99
"$AXLE" run p.yaml >r2.out 2>r2.err
is $? 0 "a run after two photos were added"
sed 's/^/# /' r2.out
imp1=$(step_job r1.out import) thumbs1=$(step_job r1.out thumbs)
contains r2.out "import  $(step_job r2.out import)    built" "the import is built"
contains r2.out "(built incrementally on $imp1: 2 added, 0 changed, 0 removed (a/seven.jpg, eight.jpg))" \
    "its line says it built on the last import, naming the added photos"
contains r2.out "(built incrementally on $thumbs1: 2 added, 0 changed, 0 removed" \
    "the thumbnailer built on its last job"
contains r2.out "(built incrementally on $(step_job r1.out export): 2 added" \
    "and the export on its"
is "$(rows_of wd/latest/import)" 2 "the new import link holds the 2 new photos only"
is "$(rows_of wd/latest/thumbs)" 2 "the new thumbnail link holds 2 rows: only they were decoded"
is "$(rows_of wd/latest/export)" 2 "the new export link holds 2 rows"
contains wd/latest/import/result.json '"images": 8' "the import's result counts all 8 photos"
contains wd/latest/thumbs/result.json '"thumbnails": 8' "the thumbnailer's counts 8 thumbnails"
contains wd/latest/export/result.json '"files": 8' "the export's counts 8 files"
n=$(find wd/latest/export/output -name '*.jpg' | wc -l)
is "$n" 8 "the export's folder holds every live file"
"$AXLE" job thumbs -p p.yaml >job.out 2>&1
contains job.out "built incrementally on $thumbs1: 2 added, 0 changed, 0 removed (a/seven.jpg, eight.jpg)" \
    "axle job says why, per file"
contains wd/latest/thumbs/job.json '"added": 2' "job.json holds the counts"
"$AXLE" ds thumbs -p p.yaml >ds.out 2>&1
contains ds.out "previous  $thumbs1/default (a chain of 2 datasets)" "axle ds shows the chain"
contains ds.out "live      8 rows in the chain" "and its live rows"

# -- changed, removed, renamed -------------------------------------------------
gen photo lib/three.jpg --size 61x33 --seed 33 || exit 99
rm lib/five.jpg
mv lib/a/four.jpg lib/a/vier.jpg
"$AXLE" run p.yaml >r3.out 2>r3.err
is $? 0 "a run after a change, a removal and a rename"
sed 's/^/# /' r3.out
contains r3.out "1 added, 1 changed, 2 removed (a/vier.jpg, three.jpg, " \
    "the rename is a removal and an addition, the change a change"
is "$(rows_of wd/latest/thumbs)" 2 "only the renamed and the changed photo are thumbnailed"
check "the removed photo's file is gone from the export's folder" -- \
    test ! -e wd/latest/export/output/five.jpg
check "the renamed photo's old file too" -- test ! -e wd/latest/export/output/a/four.jpg
check "the renamed photo's new file is there" -- test -s wd/latest/export/output/a/vier.jpg
n=$(find wd/latest/export/output -name '*.jpg' | wc -l)
is "$n" 7 "the export's folder holds the 7 live files"
contains wd/latest/export/result.json '"files": 7' "and its result counts them"

# -- shapehist reads the chain's live rows --------------------------------------
"$AXLE" run p.yaml wd=cold >cold.out 2>cold.err
is $? 0 "a cold run of the same library"
check "shapehist over the chain is the cold run's" -- \
    cmp wd/latest/shapes/result.json cold/latest/shapes/result.json
check "so are the thumbnailer's counts" -- \
    cmp wd/latest/thumbs/result.json cold/latest/thumbs/result.json
check "and the exported files, byte for byte" -- \
    diff -r wd/latest/export/output cold/latest/export/output

# -- another option: cold ----------------------------------------------------------
"$AXLE" run p.yaml size=20 >r4.out 2>r4.err
is $? 0 "a run with another thumbnail size"
contains r4.out "import  $(step_job r3.out import)    reused" "the import is reused"
is "$(grep -c 'built incrementally' r4.out)" 0 "thumbnails and export are built cold"
n=$(find wd/latest/export/output -name '*.jpg' | wc -l)
is "$n" 7 "a cold thumbnailer over a chained import still sees the 7 live photos"
contains wd/latest/thumbs/result.json '"thumbnails": 7' "and counts them"
"$AXLE" run p.yaml wd=cold size=20 >cold20.out 2>cold20.err
check "its results are a cold run's" -- \
    cmp wd/latest/thumbs/result.json cold/latest/thumbs/result.json
check "the export of the thumbnails' chain too, file for file" -- \
    diff -r wd/latest/export/output cold/latest/export/output

# -- two imports while the thumbnailer did not run: it is built cold -----------------
sed -n '1,/^  thumbs:/p' p.yaml | sed '$d' > only_import.yaml
gen photo lib/nine.jpg --size 44x27 --seed 9 || exit 99
"$AXLE" run only_import.yaml >i1.out 2>&1
gen photo lib/ten.jpg --size 45x27 --seed 10 || exit 99
"$AXLE" run only_import.yaml >i2.out 2>&1
contains i2.out "(built incrementally on $(step_job i1.out import): 1 added" \
    "an import alone chains too"
"$AXLE" run p.yaml size=20 >r4b.out 2>r4b.err
is $? 0 "the whole pipeline after two imports"
is "$(grep -c '^thumbs .*built incrementally' r4b.out)" 0 \
    "the thumbnailer, two links behind, is built cold and does not say otherwise"
"$AXLE" run p.yaml wd=cold size=20 >cold20b.out 2>&1
check "its results are a cold run's" -- \
    cmp wd/latest/thumbs/result.json cold/latest/thumbs/result.json
check "and so are the exported files" -- \
    diff -r wd/latest/export/output cold/latest/export/output

# -- gc keeps what a chain links to --------------------------------------------------
"$AXLE" run p.yaml >r5.out 2>r5.err
"$AXLE" gc -p p.yaml >gc.out 2>gc.err
is $? 0 "axle gc"
"$AXLE" run p.yaml >r6.out 2>r6.err
is $? 0 "the next run"
is "$(grep -c ' reused ' r6.out)" 4 "reuses every step: the chains' older links were kept"
"$AXLE" run p.yaml wd=cold >/dev/null 2>&1
check "the chain still reads as the cold run's shapes" -- \
    cmp wd/latest/shapes/result.json cold/latest/shapes/result.json
done_testing
