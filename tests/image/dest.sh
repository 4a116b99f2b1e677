#!/bin/sh
# export_images `dest`: a folder kept as a mirror of the source tree.
# New and changed photos are written, removed ones deleted (and folders
# left empty), unchanged ones left alone; files axle did not write, and
# files it wrote that the user changed since, are never overwritten or
# deleted; a file deleted from dest comes back at the next run; the path
# resolves against the pipeline's folder (the command line's against the
# current one); one dest belongs to one export step.
. "$AXLE_SRCDIR/tests/lib.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

S="$AXLE_SRCDIR/pipelines/samples"
mkdir in pl
cp -R "$S/." in/
cat > pl/p.yaml <<'YAML'
workdir: wd
slices: 2
params:
  input: ../in
  dest: ../out
  size: 48
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
    options: {dest: "${dest}", quality: 90}
YAML
run() { name=$1; shift; "$AXLE" run pl/p.yaml "$@" >"$name.out" 2>"$name.err"; st=$?; sed 's/^/# /' "$name.out"; }
step_job() { awk -v s="$2" '$1 == s { print $2 }' "$1"; }
listing() { (cd out && find . -type f ! -name '.axle-export.json' | sort); }
is_jpeg() { [ "$(head -c 3 "$1" | od -An -tx1 | tr -d ' ')" = "ffd8ff" ]; }
mtime() { stat -c %y "$1"; }

# The user's own files are there before axle.
mkdir -p out/2023
echo "my notes" >out/notes.txt
echo "my picture" >out/2023/mine.jpg
echo "not a thumbnail" >out/tiny.jpg
cp out/notes.txt notes.keep; cp out/2023/mine.jpg mine.keep

run a
is "$st" 0 "the first run succeeds though a file is in the way"
export_a=$(step_job a.out export)
contains a.out "$(pwd)/out/" "the run line shows dest"
for f in harbour hills-progressive meadow phone-rotated sticker-alpha street-grey tower 2023/lake 2024/lake; do
    check "out/$f.jpg is a JPEG" -- is_jpeg "out/$f.jpg"
done
check "nothing goes to the job folder" -- test ! -e "wd/$export_a/output"
check "dest has a manifest" -- test -f out/.axle-export.json
contains out/.axle-export.json '"2024/lake.jpg"' "the manifest lists what axle wrote"
contains out/.axle-export.json '"step": "export"' "the manifest names its step"
check "the manifest does not claim the user's file" -- sh -c '! grep -q "\"tiny.jpg\"" out/.axle-export.json'
check "the user's notes are untouched" -- cmp out/notes.txt notes.keep
check "the user's picture is untouched" -- cmp out/2023/mine.jpg mine.keep
is "$(cat out/tiny.jpg)" "not a thumbnail" "a file of the user's in the way is not overwritten"
contains a.out "1 item skipped" "the run says an item was skipped"
contains a.err "tiny.jpg: a file axle did not write" "stderr says why"
check "no temporary or journal files are left" -- \
    sh -c '! find out -name ".axle-export.*" ! -name .axle-export.json | grep -q .'

run b
is "$st" 0 "a second run succeeds"
is "$(step_job b.out export) $(awk '$1 == "export" { print $3 }' b.out)" "$export_a reused" \
    "with nothing changed the export is reused"

mv out/tiny.jpg tiny.moved
run c
is "$(awk '$1 == "export" { print $3 }' c.out)" "built" "once the user's file is moved away the export is built again"
check "and the item is exported" -- is_jpeg out/tiny.jpg

# Add, change and remove photos.
before_tower=$(mtime out/tower.jpg)
cp out/street-grey.jpg street.before
rm in/harbour.jpg in/2024/lake.jpg
cp "$S/tower.jpg" in/new.jpg
cp "$S/hills-progressive.jpg" in/street-grey.jpg
run d
is "$st" 0 "the run after adding, changing and removing photos succeeds"
check "the removed photo's thumbnail is deleted" -- test ! -e out/harbour.jpg
check "a folder left empty goes too" -- test ! -e out/2024
check "the added photo's thumbnail is written" -- is_jpeg out/new.jpg
check "the changed photo's thumbnail is rewritten" -- sh -c '! cmp -s out/street-grey.jpg street.before'
is "$(mtime out/tower.jpg)" "$before_tower" "an unchanged thumbnail is left as it is"
check "the user's notes are still untouched" -- cmp out/notes.txt notes.keep
check "the user's picture in a folder axle uses is untouched" -- cmp out/2023/mine.jpg mine.keep
want=$(cd in && find . -type f | sed 's/\.[a-z]*$/.jpg/' | sort)
is "$(listing | grep -v -e notes.txt -e mine.jpg)" "$want" "dest mirrors the source tree"
"$AXLE" job export --workdir wd >d.job 2>&1
contains d.job '"removed": 2' "the result counts the removed files"

# The user edits exported files: they are theirs now.
printf 'edited' >>out/meadow.jpg; cp out/meadow.jpg meadow.keep
printf 'edited' >>out/tower.jpg; cp out/tower.jpg tower.keep
rm in/tower.jpg
run e
is "$st" 0 "a run after the user edited exported files succeeds"
check "an edited file is not overwritten" -- cmp out/meadow.jpg meadow.keep
check "an edited file of a removed photo is not deleted" -- cmp out/tower.jpg tower.keep
contains e.err "meadow.jpg: changed since axle wrote it" "stderr names the edited file"
run f
is "$(awk '$1 == "export" { print $3 }' f.out)" "reused" "while the edited file stays, the export is reused"

# A file the user deletes from dest comes back.
rm out/phone-rotated.jpg
run g
is "$st" 0 "the run after a file was deleted from dest succeeds"
contains g.out "rebuilt: $(pwd)/out/phone-rotated.jpg missing" "the run says why it built the export again"
check "the deleted file is back" -- is_jpeg out/phone-rotated.jpg

# A size change rewrites what is axle's, keeps the user's.
run h size=32
is "$st" 0 "another size runs"
check "the edited file is still the user's" -- cmp out/meadow.jpg meadow.keep
check "the user's notes are still untouched" -- cmp out/notes.txt notes.keep
run i
is "$(awk '$1 == "export" { print $3 }' i.out)" "built" \
    "going back to the first size builds the export again (its files in dest changed)"

# A dest given on the command line is against the current folder.
mkdir sub
(cd sub && "$AXLE" run ../pl/p.yaml dest=cli >../j.out 2>../j.err); st=$?
is "$st" 0 "a dest from the command line"
check "is resolved against the current folder" -- is_jpeg sub/cli/new.jpg

# One dest per export step.
sed 's/^  export:/  export2:/; s/quality: 90/quality: 70/' pl/p.yaml | sed -n '/^  export2:/,$p' >tail.yaml
cat pl/p.yaml tail.yaml >pl/two.yaml
"$AXLE" run pl/two.yaml >k.out 2>k.err; st=$?
is "$st" 1 "a second export step to the same dest fails"
contains k.err "is kept by step 'export'" "and names the step that keeps it"

# dest inside the workdir is refused.
"$AXLE" run pl/p.yaml dest=wd/inside >l.out 2>l.err; st=$?
is "$st" 1 "a dest inside the workdir fails"
contains l.err "inside the workdir" "and says why"

# A dest inside the input folder is not imported as photos.
mkdir in2
cp -R "$S/." in2/
"$AXLE" run pl/p.yaml input=in2 dest=in2/thumbs >m.out 2>m.err; st=$?
is "$st" 0 "a dest inside the input folder"
check "gets the thumbnails" -- is_jpeg in2/thumbs/harbour.jpg
"$AXLE" run pl/p.yaml input=in2 dest=in2/thumbs >n.out 2>n.err
is "$(awk '$1 == "import" { print $3 }' n.out)" "reused" "the next run does not import them"
done_testing
