#!/bin/sh
# Compaction on a damaged base: at the chain's limit each step builds on
# an older job of its chain (here the roots).  A root whose dataset file a
# user changed is refused as a base like a newest one: the export's root,
# superseded (its output/ moved on to the newer exports), with a column
# file one byte longer; the import's root, with a column file's time
# changed.  The refused step is built cold, says why on its line, on
# stderr and in `axle job`'s "why built", and every result is a cold
# run's.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

cat > p.yaml <<'YAML'
workdir: "${wd}"
slices: 2
params: {wd: wd}
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
YAML
mkdir lib
i=1
while [ $i -le 40 ]; do
    gen photo lib/p$i.jpg --size 20x16 --seed $i || exit 99
    i=$((i + 1))
done
"$AXLE" run p.yaml >r0.out 2>&1 || exit 99
root_of() { sed -n "s/^$1 *\\([^ ]*\\) .*/\\1/p" r0.out; }
i=1
while [ $i -le 15 ]; do
    gen photo lib/n$i.jpg --size 16x20 --seed $((100 + i)) || exit 99
    "$AXLE" run p.yaml >r$i.out 2>&1 || exit 99
    i=$((i + 1))
done
is "$(grep -c 'built incrementally' r15.out)" 3 "15 runs build on the jobs before them"
gen photo lib/n16.jpg --size 16x20 --seed 116 || exit 99
EXPORT0=$(root_of export) IMPORT0=$(root_of import)
check "the export's root is superseded: its output/ moved on" -- \
    test -e "wd/$EXPORT0/superseded.json"
# the same chain twice: one damage each
cp -a wd wd2 || exit 99

# the cold run everything must equal
"$AXLE" run p.yaml wd=cold >cold.out 2>&1
is $? 0 "a cold run of the same library"
same_as_cold() { # same_as_cold WORKDIR WHAT
    for s in import thumbs export; do
        check "$2: $s's result is the cold run's" -- \
            cmp "$1/latest/$s/result.json" cold/latest/$s/result.json
    done
    check "$2: the exported files are the cold run's, byte for byte" -- \
        diff -r "$1/latest/export/output" cold/latest/export/output
}

# -- the superseded export root: a dataset file one byte longer --------------
col=$(cd "wd/$EXPORT0/ds/default" && ls | grep -v meta.json | head -1)
[ -n "$col" ] || exit 99
printf x >>"wd/$EXPORT0/ds/default/$col"
"$AXLE" run p.yaml >r16.out 2>r16.err
is $? 0 "the run at the limit, the export's root damaged"
for s in import thumbs; do
    check "$s builds on its root" -- \
        grep -q "^$s .*built incrementally on $(root_of $s): 16 added" r16.out
done
check "the export does not build on its damaged root" -- \
    sh -c "! grep -q '^export .*built incrementally' r16.out"
check "its step line says why" -- \
    grep -q "^export .*(built cold, not on $EXPORT0: ds/default/$col in $EXPORT0" r16.out
contains r16.err "export: built cold, not on $EXPORT0: ds/default/$col in $EXPORT0" \
    "the run names the refused base and its damaged file"
"$AXLE" job export --workdir wd >job16.out 2>&1
check "axle job says why it was built cold" -- grep -q \
    "built cold, not on $EXPORT0: ds/default/$col in $EXPORT0.* changed size (.* bytes, was .*)" job16.out
same_as_cold wd "export root damaged"

# -- the import root: a dataset file's time changed --------------------------
col=$(cd "wd2/$IMPORT0/ds/default" && ls | grep -v meta.json | head -1)
[ -n "$col" ] || exit 99
touch -d '2001-02-03 04:05:06' "wd2/$IMPORT0/ds/default/$col"
"$AXLE" run p.yaml wd=wd2 >r16b.out 2>r16b.err
is $? 0 "the run at the limit, the import's root damaged"
is "$(grep -c 'built incrementally' r16b.out)" 0 "every step is built cold"
check "the import's step line says why" -- \
    grep -q "^import .*(built cold, not on $IMPORT0: ds/default/$col changed" r16b.out
contains r16b.err \
    "import: built cold, not on $IMPORT0: ds/default/$col changed after the job finished" \
    "the run names the refused base and its damaged file"
"$AXLE" job import --workdir wd2 >job16b.out 2>&1
check "axle job says why it was built cold" -- grep -q \
    "built cold, not on $IMPORT0: ds/default/$col changed after the job finished" job16b.out
same_as_cold wd2 "import root damaged"
done_testing
