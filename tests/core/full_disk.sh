#!/bin/sh
# A full disk fails the job that hit it with a message naming the file and
# the reason, and harms no finished job.  Needs a small tmpfs (root).
. "$AXLE_SRCDIR/tests/lib.sh"

[ -x "${PYTHON_PIL:-}" ] || skip_all "no python3 with PIL"
mkdir disk
mount -t tmpfs -o size=1m tmpfs disk 2>/dev/null || skip_all "cannot mount a tmpfs here"
trap 'umount "$T_TMP/disk" 2>/dev/null; rm -rf "$T_TMP"' EXIT

mkdir photos
"$PYTHON_PIL" -c "
import random
from PIL import Image
random.seed(1)
im = Image.frombytes('RGB', (700, 700), bytes(random.getrandbits(8) for _ in range(700 * 700 * 3)))
im.save('photos/noise.jpg', quality=100)
"
cat > small.yaml <<'YAML'
workdir: disk/wd
slices: 2
jobs:
  small:
    method: test_counter
    options: {counter: c.log}
YAML
cat > big.yaml <<'YAML'
workdir: disk/wd
slices: 2
jobs:
  small:
    method: test_counter
    options: {counter: c.log}
  import:
    method: import_images
    options: {files: photos, copy: true}   # the bytes, to fill the disk
YAML
"$AXLE" run small.yaml > out1 2> err1
ok $? "a small job fits on the disk"
"$AXLE" run big.yaml > out2 2> err2
is $? 1 "the import that fills the disk fails with exit status 1"
contains err2 "No space left on device" "the message gives the reason"
# Which file of the job meets the full disk first varies: the run's own
# small files (runs.jsonl, .status) take pages of the tmpfs too.
grep -q "disk/wd/wd-2/[^ ]*: No space left on device" err2
ok $? "and names the file" || sed 's/^/#   /' err2
contains out2 "reused" "the finished job is reused"
"$AXLE" run small.yaml > out3 2> err3
ok $? "after the failure the finished job still runs"
contains out3 "1 jobs: 0 built, 1 reused" "reused, not rebuilt"
is "$(grep -c prepare c.log)" 1 "its method ran only once"
done_testing
