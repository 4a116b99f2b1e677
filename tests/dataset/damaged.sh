#!/bin/sh
# Damaged dataset files (a cell header claiming more pixels than stored,
# absurd row counts) end in an error naming the file and the offset, in
# `axle ds` and in a method reading them: never a crash, never exit 0.
. "$AXLE_SRCDIR/tests/lib.sh"

cat > p.yaml <<YAML
workdir: wd
slices: 2
params:
  quality: 85
jobs:
  import:
    method: import_images
    options: {files: "$AXLE_SRCDIR/pipelines/samples/tiny.jpg"}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 16, store: raw}   # raw cells: their header is checked against their bytes
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {column: thumb, quality: "\${quality}"}
YAML

"$AXLE" run p.yaml > out1 2> err1
ok $? "the pipeline runs"
thumbs=$(awk '$1 == "thumbs" {print $2}' out1)
file=$(ls wd/$thumbs/ds/default/*-thumb.* | while read -r f; do
    [ -s "$f" ] && echo "$f"; done | head -1)
[ -n "$file" ]
ok $? "the thumb column has a file with a cell"

# The first cell's image header says 4000x1000 pixels; 16x.. are stored.
# Size and modification time are kept, as bit rot would keep them, so the
# reuse check (stats only) passes the job and a reader meets the damage.
python3 - "$file" <<'PY'
import os, sys
st = os.stat(sys.argv[1])
with open(sys.argv[1], "r+b") as f:
    data = f.read(16)
    n = 0
    while data[n] & 0x80:  # skip the cell's varint length
        n += 1
    f.seek(n + 1 + 4)
    f.write((4000).to_bytes(4, "little") + (1000).to_bytes(4, "little"))
os.utime(sys.argv[1], ns=(st.st_atime_ns, st.st_mtime_ns))
PY
ok $? "damaged the thumb's image header"

"$AXLE" ds -p p.yaml thumbs --column thumb > out2 2> err2
is $? 1 "axle ds exits 1 on a damaged cell"
contains err2 "$(basename "$file"): offset 0: raw image cell claims 4000x1000x3 pixels" \
    "axle ds names the file, the offset and the damage"

"$AXLE" run p.yaml quality=90 > out3 2> err3
is $? 1 "export reading the damaged column fails the run"
contains out3 "failed" "the export step is listed as failed"
contains err3 "$(basename "$file"): offset 0: raw image cell claims 4000x1000x3 pixels" \
    "the method's error names the file, the offset and the damage"

# An absurd row count in meta.json: 2^61 + 1 int64 rows need 8 bytes, if
# the multiplication wraps.
import=$(awk '$1 == "import" {print $2}' out1)
meta=wd/$import/ds/default/meta.json
python3 - "$meta" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["rows"] = [2**61 + r if r else 0 for r in m["rows"]]
json.dump(m, open(sys.argv[1], "w"))
PY
"$AXLE" ds -p p.yaml import --column size > out4 2> err4
is $? 1 "axle ds exits 1 on an absurd row count"
contains err4 "rows of int64 need more (truncated or damaged)" \
    "the message says the file is too short for its rows"
contains err4 "/ds/default/" "and names the file"

done_testing
