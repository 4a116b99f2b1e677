#!/bin/sh
# Import by reference (issue 11 item 1): import_images records each photo
# by path, size and mtime, not its bytes; thumbnails are the same as from
# a copied import; a photo changed or removed after the import is an error
# naming it and the import job, never other pixels; `copy: true` keeps the
# bytes and needs no original.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"

mkdir -p photos/sub
gen photo photos/a.jpg --size 1600x1000 --seed 1 >/dev/null
gen photo photos/b.jpg --size 1200x900 --seed 2 >/dev/null
gen photo photos/sub/c.webp --size 800x600 --seed 3 >/dev/null
cp -a photos kept

# pipeline NAME COPY [ALTER_ACTION ALTER_FILE [INPUT]]: import, optionally
# a step that changes a photo after it, then thumbnails W wide.
pipeline() {
    {
        printf 'workdir: wd-%s\nslices: 2\njobs:\n' "$2"
        printf '  import:\n    method: import_images\n'
        printf '    options: {files: %s, copy: %s}\n' "${5:-photos}" "$2"
        if [ -n "${3:-}" ]; then
            printf '  alter:\n    method: test_alter\n    datasets: {source: import}\n'
            printf '    options: {action: %s, file: "%s"}\n' "$3" "$4"
        fi
        printf '  thumbs:\n    method: thumbnailer\n    datasets: {source: import}\n'
        printf '    options: {size: [%s, 200]}\n' "$W"
    } > "$1"
}
step_job() { awk -v s="$2" '$1 == s {print $2}' "$1"; }
bytes_of() { cat "$@" | wc -c | tr -d ' '; }

W=320
pipeline ref.yaml false
"$AXLE" run ref.yaml > ref.out 2> ref.err
ok $? "a run with the import by reference succeeds"
import=$(step_job ref.out import)
thumbs=$(step_job ref.out thumbs)
input=$(bytes_of photos/a.jpg photos/b.jpg photos/sub/c.webp)
column=$(bytes_of wd-false/$import/ds/default/*-image.*)
at_most "$column" 1000 "the image column holds references, not the $input bytes of photos"
"$AXLE" ds import --workdir wd-false --column image > cells.txt
contains cells.txt "1600x1000 jpeg $(bytes_of photos/a.jpg) ref $PWD/photos/a.jpg" \
    "axle ds shows each cell's file by its absolute path"
contains ref.out "{\"bytes\":$input,\"images\":3,\"skipped\":0}" \
    "the import counts the photos' bytes"

pipeline copy.yaml true
"$AXLE" run copy.yaml > copy.out 2> copy.err
ok $? "the same run with copy: true succeeds"
copied=$(bytes_of wd-true/$(step_job copy.out import)/ds/default/*-image.*)
at_least "$copied" "$input" "copy: true stores the photos' bytes"
same=0
for f in wd-false/$thumbs/ds/default/*-thumb.*; do
    cmp -s "$f" "wd-true/$(step_job copy.out thumbs)/ds/default/${f##*/}" || same=1
done
ok $same "the thumbnails are byte for byte those of the copied import"

# Touching a photo changes the import's identity: it is built again.
touch -d '2001-01-01 00:00:00' photos/b.jpg
"$AXLE" run ref.yaml > touch.out 2> touch.err
ok $? "after touching a photo the run succeeds"
contains touch.out "import  $(step_job touch.out import)  built" "the import is built again"
ok $([ "$(step_job touch.out import)" != "$import" ]; echo $?) "as a new job"

# A photo edited after the import, before the thumbnailer reads it (of
# another width: a thumbnailer job made before the edit would be reused).
W=300
pipeline edit.yaml false append "$PWD/photos/a.jpg"
"$AXLE" run edit.yaml > edit.out 2> edit.err
is $? 1 "a photo changed between import and thumbnails fails the run"
contains edit.out "thumbs  $(step_job edit.out thumbs)  failed" "the thumbnailer fails, though on_error is skip"
# (the import job that recorded it: with incremental imports, the one
# whose link holds its row, which may be older than the step's last)
named=$(sed -n 's|.*photos/a\.jpg: changed since import \([^ ]*\) (.*|\1|p' edit.err)
contains "wd-false/$named/inputs.txt" "$PWD/photos/a.jpg" \
    "the message names the photo and the import job that recorded it"
contains edit.err "run the pipeline again" "and says what to do"
"$AXLE" run edit.yaml > again.out 2> again.err
contains again.out "import  $(step_job again.out import)  built" \
    "the next run imports the changed photo again"

# A photo removed after the import.
W=280
pipeline gone.yaml false remove "$PWD/photos/b.jpg"
"$AXLE" run gone.yaml > gone.out 2> gone.err
is $? 1 "a photo removed between import and thumbnails fails the run"
named=$(sed -n 's|.*photos/b\.jpg: missing since import \([^:]*\): run the pipeline again.*|\1|p' gone.err)
contains "wd-false/$named/inputs.txt" "$PWD/photos/b.jpg" \
    "the message names the photo and the import job that recorded it"

# copy: true needs no original: removing it after the import harms nothing.
W=260
pipeline copied_gone.yaml true remove "$PWD/kept/a.jpg" kept
"$AXLE" run copied_gone.yaml > cg.out 2> cg.err
ok $? "with copy: true a photo removed after the import still gets its thumbnail"
contains cg.out '"thumbnails":3' "all three thumbnails are made"

done_testing
