#!/bin/sh
# Compaction: an import chain grows to 16 links (each run adds a photo and
# builds on the last import); the run that would make it longer builds
# cold, a chain of one, and the next run chains to that.  shapehist reads
# the same live rows however long the chain.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
jobs:
  import:
    method: import_images
    options: {files: lib}
  shapes:
    method: shapehist
    datasets: {source: import}
YAML
mkdir lib
gen photo lib/p0.jpg --size 20x20 --seed 1 || exit 99
"$AXLE" run p.yaml >r0.out 2>&1 || exit 99
incremental=0 i=1
while [ $i -le 15 ]; do
    cp lib/p0.jpg lib/p$i.jpg
    "$AXLE" run p.yaml >r$i.out 2>&1
    grep -q "^import .*built incrementally" r$i.out && incremental=$((incremental + 1))
    i=$((i + 1))
done
is "$incremental" 15 "15 runs after the first build on the import before them"
chain_len() { "$AXLE" ds import -p p.yaml | sed -n 's/^previous .*a chain of \([0-9]*\) datasets.*/\1/p'; }
is "$(chain_len)" 16 "the import's chain has 16 links"
contains wd/latest/shapes/result.json '"20x20": 16' "shapehist counts 16 photos"

cp lib/p0.jpg lib/p16.jpg
"$AXLE" run p.yaml >r16.out 2>&1
is $? 0 "the 17th run"
ok "$(grep -c 'built incrementally' r16.out)" "builds the import cold: the chain is compacted"
"$AXLE" ds import -p p.yaml >ds.out
contains ds.out "previous  none" "into a dataset of its own"
contains wd/latest/import/result.json '"images": 17' "with every photo"

cp lib/p0.jpg lib/p17.jpg
"$AXLE" run p.yaml >r17.out 2>&1
contains r17.out "1 added, 0 changed, 0 removed (p17.jpg)" "the next run chains to it again"
is "$(chain_len)" 2 "a chain of 2"
contains wd/latest/shapes/result.json '"20x20": 18' "shapehist counts 18 photos"
done_testing
