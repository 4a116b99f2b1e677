#!/bin/sh
# The stored thumbnail column (issue 12, store): each image's search for
# its JPEG quality starts from the scale the slice's previous image ended
# at, which may only save trials, never change the result: the same
# photos give the same stored bytes with 1 slice and with 3, and every
# cell is still within 45 dB of the raw thumbnail.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"

# Photos that end at different qualities (detail decides), interleaved so
# that most searches start from the wrong guess in one slicing or the other.
mkdir photos
i=0
for detail in 1.0 0.1 2.0 1.0 0.3 1.0 0.1 2.0; do
    i=$((i + 1))
    gen photo photos/p$i.jpg --size 1200x800 --seed "$i" --detail "$detail" >/dev/null
done

pipeline() {
    cat <<YAML
workdir: wd$1
slices: $1
jobs:
  import:
    method: import_images
    options: {files: photos}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [320, 240]}
  raw:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [320, 240], store: raw}
YAML
}
for n in 1 3; do
    pipeline $n > p$n.yaml
    "$AXLE" run p$n.yaml > out$n 2> err$n
    ok $? "the pipeline runs with $n slices"
done
job() { awk -v s="$2" '$1 == s {print $2}' "$1"; }

# The cells of a column, in row order: tests/image/cells.py's reader.
cat > column.py <<'EOF'
import json, os, sys
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.join(os.environ["AXLE_SRCDIR"], "tests", "image"))
from cells import cells
def column_cells(ds, column):
    meta = json.load(open(os.path.join(ds, "meta.json")))
    col = [c for c in meta["columns"] if c["name"] == column][0]
    for name in col["files"]:
        if name:
            yield from cells(open(os.path.join(ds, col["location"], name), "rb").read())
EOF
# digests.py DS COLUMN: one line per row: "codec quality sha256" of the
# stored bitstream, or of the raw pixels' bytes.
cat > digests.py <<'EOF'
import hashlib, sys
from column import column_cells
for cell in column_cells(*sys.argv[1:3]):
    print(cell[0], cell[3], hashlib.sha256(cell[12:]).hexdigest())
EOF
"$PYTHON_PIL" digests.py wd1/$(job out1 thumbs)/ds/default thumb > one.txt
"$PYTHON_PIL" digests.py wd3/$(job out3 thumbs)/ds/default thumb > three.txt
sed 's/^/# 1 slice: /' one.txt
is "$(wc -l < one.txt | tr -d ' ')" 8 "eight thumbnails stored"
is "$(awk '$1 == 1' one.txt | wc -l | tr -d ' ')" 8 "all of them JPEG"
at_least "$(awk '{print $2}' one.txt | sort -u | wc -l | tr -d ' ')" 2 \
    "the photos end at different qualities (so guesses miss)"
is "$(cat three.txt)" "$(cat one.txt)" "3 slices store the very bytes 1 slice does"

# Each stored cell still within 45 dB of its raw pixels.
cat > psnr.py <<'EOF'
import io, math, sys
from PIL import Image, ImageChops, ImageStat
from column import column_cells as cells
for s, r in zip(cells(sys.argv[1], "thumb"), cells(sys.argv[2], "thumb")):
    w, h = int.from_bytes(r[4:8], "little"), int.from_bytes(r[8:12], "little")
    a = Image.frombytes("RGB", (w, h), r[12:])
    b = Image.open(io.BytesIO(s[12:])).convert("RGB")
    d = ImageStat.Stat(ImageChops.difference(a, b)).rms
    mse = sum(v * v for v in d) / 3
    print("inf" if mse == 0 else "%.2f" % (10 * math.log10(255 * 255 / mse)))
EOF
"$PYTHON_PIL" psnr.py wd3/$(job out3 thumbs)/ds/default wd3/$(job out3 raw)/ds/default > psnr.txt
is "$(wc -l < psnr.txt | tr -d ' ')" 8 "eight stored cells compared with their raw pixels"
while read -r p; do at_least "$p" 45 "a stored cell against its raw pixels"; done < psnr.txt

done_testing
