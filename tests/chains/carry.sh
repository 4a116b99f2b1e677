#!/bin/sh
# An export built on its base (no `dest`) takes the base's output folder
# over with one rename instead of linking each unchanged file (issue 11
# item 7): the files are the base's own (one link each, the base keeps no
# output/), the new job lists and checks all of them, the base is
# superseded (its reuse is refused, saying where its files went, and it
# is rebuilt when the inputs come back to it), gc keeps the chain whole,
# and every exported file is a cold run's, byte for byte.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

cat > p.yaml <<'YAML'
workdir: "${wd}"
slices: 2
params:
  wd: wd
  input: lib
jobs:
  import:
    method: import_images
    options: {files: "${input}"}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 24}
  export:
    method: export_images
    datasets: {source: thumbs}
YAML
mkdir -p lib/a lib/b
i=1; for f in one a/two a/three b/four five; do
    gen photo lib/$f.jpg --size $((30 + 4 * i))x$((20 + 2 * i)) --seed $i || exit 99
    i=$((i + 1))
done
cp -p lib/one.jpg one.orig
cp -p lib/b/four.jpg four.orig
step_job() { awk -v s="$2" '$1 == s { print $2 }' "$1"; }
same_as_cold() { # same_as_cold NAME: latest/export equals a cold run's
    rm -rf "cold-$1"
    "$AXLE" run p.yaml wd="cold-$1" >"cold-$1.out" 2>&1 || return 1
    diff -r "wd/latest/export/output" "cold-$1/latest/export/output" >/dev/null
}

"$AXLE" run p.yaml >r1.out 2>r1.err
is $? 0 "the first run builds everything cold"
e1=$(step_job r1.out export)

# -- one photo changed: the export takes e1's folder over ----------------------
gen photo lib/one.jpg --size 44x28 --seed 11 || exit 99
"$AXLE" run p.yaml >r2.out 2>r2.err
is $? 0 "a run after one photo changed"
e2=$(step_job r2.out export)
contains r2.out "(built incrementally on $e1: 0 added, 1 changed" "the export built on $e1"
ok "$([ ! -e "wd/$e1/output" ]; echo $?)" "$e1's output folder moved (one rename, no copy)"
is "$(stat -c %h wd/$e2/output/a/two.jpg)" 1 \
    "an unchanged file is the base's own, not a hard link of it"
is "$(find wd/$e2/output -name '*.jpg' | wc -l)" 5 "$e2 holds every live file"
contains wd/$e2/result.json '"files": 5' "its result counts them all"
grep -c '\.jpg' wd/$e2/files.json > n.txt
is "$(cat n.txt)" 5 "files.json lists the carried files and the new one"
is "$(grep -c ' output/' wd/$e2/manifest.txt)" 5 "its manifest lists all five"
contains wd/$e1/superseded.json "\"by\": \"$e2\"" "$e1 says which job took its files"
ok "$(same_as_cold 2; echo $?)" "the exported files are a cold run's"

# -- a photo removed, then a carried file deleted: reuse checks them -----------
rm lib/b/four.jpg
"$AXLE" run p.yaml >r3.out 2>r3.err
is $? 0 "a run after one photo was removed"
e3=$(step_job r3.out export)
ok "$([ ! -e "wd/$e3/output/b" ]; echo $?)" "its file and the folder it left empty are gone"
contains r3.out "$e3/output/  (built incrementally" "its step line names the whole output folder"
ok "$(same_as_cold 3; echo $?)" "the exported files are a cold run's"
"$AXLE" run p.yaml >r4.out 2>r4.err
contains r4.out "0 built, 3 reused" "nothing changed: every job reused"
rm "wd/$e3/output/a/three.jpg"
"$AXLE" run p.yaml >r5.out 2>r5.err
contains r5.out "(rebuilt: output/a/three.jpg missing from $e3)" \
    "a carried file deleted by hand rebuilds the export (the carried files are checked)"
ok "$(same_as_cold 5; echo $?)" "the exported files are a cold run's"

# -- back to the first photos: the superseded job is rebuilt, not reused ------
cp -p one.orig lib/one.jpg
cp -p four.orig lib/b/four.jpg
"$AXLE" run p.yaml >r6.out 2>r6.err
is $? 0 "a run back on the first photos (same sizes and times)"
contains r6.out "import  $(step_job r1.out import)    reused" "the first import is reused"
contains r6.out "(rebuilt: $e1's output/ moved to $e2, which was built on it)" \
    "the first export is refused: its files went to the job built on it"
ok "$(same_as_cold 6; echo $?)" "the exported files are a cold run's"
is "$(find wd/latest/export/output -name '*.jpg' | wc -l)" 5 "latest/export holds every file"

# -- two items competing for a name: built cold, as a cold run names them ---
gen photo lib/five.webp --size 40x30 --seed 15 || exit 99
"$AXLE" run p.yaml >r8.out 2>r8.err
is $? 0 "a run after a photo whose name competes with another's"
ok "$(grep export r8.out | grep -q 'built incrementally'; echo $((1 - $?)))" \
    "the export is not built on its base"
contains r8.err "two items compete for a file name" "and says why"
ok "$(same_as_cold 8; echo $?)" "the exported files are a cold run's (five.webp.jpg)"
ok "$([ -f wd/latest/export/output/five.webp.jpg ]; echo $?)" "the later name keeps its extension"

# -- gc keeps what the kept chain needs ----------------------------------------
"$AXLE" gc -p p.yaml >gc.out 2>&1
is $? 0 "axle gc"
"$AXLE" run p.yaml >r7.out 2>r7.err
contains r7.out "0 built, 3 reused" "after gc every job is reused"
ok "$(same_as_cold 7; echo $?)" "the exported files are still a cold run's"
done_testing
