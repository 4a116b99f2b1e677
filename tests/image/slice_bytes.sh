#!/bin/sh
# slice_bytes.sh - import_images cuts its slices at equal bytes, not equal
# counts (issue 12): one large photo and five small ones over two slices
# put the large one alone in the first; equal files still split evenly;
# the slices are contiguous runs of the sorted names, the same on every
# run, and the thumbnailer's dataset follows them row for row.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

mkdir mixed equal
gen photo mixed/a.jpg --size 1600x1200 --seed 1 --quality 95 >/dev/null
for n in b c d e f; do
    gen photo mixed/$n.jpg --size 96x64 --seed 2 >/dev/null
    gen photo equal/$n.jpg --size 320x240 --seed 3 >/dev/null
done
gen photo equal/g.jpg --size 320x240 --seed 3 >/dev/null

write() { # write NAME FOLDER SLICES
    cat > "$1.yaml" <<YAML
workdir: wd-$1
slices: $3
jobs:
  import:
    method: import_images
    options: {files: $2}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 32}
YAML
}
# rows STEP_DATASET_DIR: rows per slice and each slice's names, from meta.json.
rows() {
    "$PYTHON_PIL" - "$1" <<'PY'
import json, sys
print(json.load(open(sys.argv[1] + "/meta.json"))["rows"])
PY
}
ds() { echo "wd-$1/$(awk -v s="$2" '$1 == s {print $2}' "$1.out")/ds/default"; }

write mixed mixed 2
"$AXLE" run mixed.yaml > mixed.out 2>&1
ok $? "the import runs"
is "$(rows "$(ds mixed import)")" "[1, 5]" "the large photo alone in slice 0, the five small in slice 1"
is "$(rows "$(ds mixed thumbs)")" "[1, 5]" "the thumbnails follow the same slices"
"$AXLE" ds import --column filename -p mixed.yaml > names.txt 2>&1
is "$(tr '\n' ' ' < names.txt)" "a.jpg b.jpg c.jpg d.jpg e.jpg f.jpg " \
    "read slice by slice, the names are in sorted order"

cp mixed.yaml again.yaml
sed -i 's/^workdir: .*/workdir: wd-again/' again.yaml
"$AXLE" run again.yaml > again.out 2>&1
is "$(rows "$(ds again import)")" "[1, 5]" "the same inputs give the same slices"

write equal equal 3
"$AXLE" run equal.yaml > equal.out 2>&1
ok $? "the import of equal files runs"
is "$(rows "$(ds equal import)")" "[2, 2, 2]" "six equal files split evenly over three slices"
done_testing
