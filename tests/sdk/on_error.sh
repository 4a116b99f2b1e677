#!/bin/sh
# The on_error policy in one call (AXLE_OPTION_ON_ERROR, axle_item_failed):
# with skip, a failed item is listed with its reason and the rest of its
# row is null while the job goes on; with fail, the job fails naming the
# item.  The built-in methods apply the same policy.
. "$AXLE_SRCDIR/tests/lib.sh"

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
params:
  on_error: skip
jobs:
  p:
    method: test_policy
    options: {on_error: "${on_error}"}
YAML
"$AXLE" run p.yaml > out 2> err
ok $? "with on_error: skip the job succeeds"
contains out "4 items skipped" "the four bad items are counted as skipped"
contains err "test_policy[0]: skipped item-3: item-3 is bad on purpose" \
    "each is named with its reason as it is skipped"
"$AXLE" job p --workdir wd > job.txt
contains job.txt "item-105: item-105 is bad on purpose" "and listed in the job"
"$AXLE" ds p --workdir wd --column label > label.txt
is "$(tr '\n' ' ' < label.txt)" \
    "item-1 item-2 null item-4 item-5 null item-101 null item-103 item-104 null item-106 " \
    "a skipped row's unset columns are null, the others kept"
"$AXLE" ds p --workdir wd --column half > half.txt
is "$(sed -n 3p half.txt)" null "a fixed-width column of a skipped row is null too"
"$AXLE" ds p --workdir wd --column n > n.txt
is "$(sed -n 3p n.txt)" 3 "what was set before the failure is kept"
is "$(wc -l < n.txt | tr -d ' ')" 12 "every item has its row"

"$AXLE" run p.yaml on_error=fail > out 2> err
is "$?" 1 "with on_error: fail the run fails"
# Both slices meet a bad item; whichever fails first is the one reported.
check "naming the item and the reason" -- grep -Eq \
    'analysis\(\) in slice (0 failed: item-3: item-3|1 failed: item-102: item-102) is bad on purpose' err

"$AXLE" methods test_policy > m.txt
contains m.txt "one of skip|fail" "AXLE_OPTION_ON_ERROR declares skip|fail"
contains m.txt "a bad item: skip it" "with the standard help"

# The built-in methods: import skips a file that is not an image (no
# row), or fails naming it; the thumbnailer's policy is the same call.
mkdir img
printf 'not an image' > img/notes.jpg
printf '\377\330\377' > img/cut.jpg
cat > q.yaml <<'YAML'
workdir: wq
slices: 1
params:
  on_error: skip
jobs:
  import:
    method: import_images
    options: {files: img, on_error: "${on_error}"}
YAML
"$AXLE" run q.yaml > out 2> err
ok $? "import_images with on_error: skip succeeds"
contains out "2 items skipped" "both files are skipped"
contains err "skipped $PWD/img/notes.jpg: not an image" "each named with its reason"
"$AXLE" run q.yaml on_error=fail > out 2> err
is "$?" 1 "import_images with on_error: fail fails"
contains err "failed: $PWD/img/cut.jpg: " "naming the first bad file"
done_testing
