#!/bin/sh
# names.sh - file names never fail a whole job: dots inside a name, names
# that are not UTF-8, an output that would be a folder of other outputs or
# too long for the file system.  Control characters in names are escaped
# wherever axle prints them.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

PIPE="$AXLE_SRCDIR/pipelines/thumbnails.yaml"
JPG="$AXLE_SRCDIR/pipelines/samples/tiny.jpg"
WEBP="$AXLE_SRCDIR/pipelines/samples/meadow.webp"
long=$(printf '%0250d' 0)
mkdir -p photos/photo.jpg
cp "$JPG" photos/beach...sunset.jpg
cp "$JPG" "$(printf 'photos/caf\351.jpg')"          # Latin-1, not UTF-8
printf 'text' > "$(printf 'photos/evil\033[2J\033[31m.jpg')"
cp "$WEBP" photos/photo.webp                       # its .jpg is a folder:
cp "$JPG" photos/photo.jpg/inside.jpg
cp "$JPG" "photos/$long.jpg"                       # 254 bytes: fits
cp "$WEBP" "photos/$long.webp"                     # becomes LONG.webp.jpg: too long
cp "$JPG" photos/plain.jpg

step() { awk -v s="$2" '$1 == s { print $'"$3"' }' "$1"; }
"$AXLE" run "$PIPE" input=photos >out 2>err; st=$?
sed 's/^/# /' out
cat -v err | sed 's/^/# /'
is "$st" 0 "the run succeeds"
for s in import thumbs export shapes; do
    is "$(step out $s 3)" built "$s is built"
done

out_dir="axle-work/$(step out export 2)/output"
check "beach...sunset.jpg is exported" -- test -f "$out_dir/beach...sunset.jpg"
"$AXLE" job export >job.txt 2>&1
contains job.txt "output/beach...sunset.jpg" "and registered"
check "photo.jpg/inside.jpg is exported" -- test -f "$out_dir/photo.jpg/inside.jpg"
contains err "skipped photo.webp: its output photo.jpg is also a folder of other outputs" \
    "photo.webp, whose output would be that folder, is skipped with the reason"
check "the 254-byte name is exported" -- test -f "$out_dir/$long.jpg"
contains err "skipped $long.webp: its output name is too long: a part of 259 bytes, over 255" \
    "the name that would grow past NAME_MAX is skipped with the reason"
check "plain.jpg is exported" -- test -f "$out_dir/plain.jpg"

contains err 'skipped '"$T_TMP"'/photos/caf\xe9.jpg: the name is not valid UTF-8' \
    "a name that is not UTF-8 is skipped, named escaped"
contains err 'photos/evil\x1b[2J\x1b[31m.jpg: not an image' \
    "control characters in a skipped name are escaped"
esc=$(printf '\033')
if grep -q "$esc" err out; then ok 1 "no raw escape character reaches the terminal"
else ok 0 "no raw escape character reaches the terminal"; fi
"$AXLE" job import >import_job.txt 2>&1
if grep -q "$esc" import_job.txt; then ok 1 "axle job lists skipped names without a raw escape"
else ok 0 "axle job lists skipped names without a raw escape"; fi
contains import_job.txt 'evil\x1b[2J\x1b[31m.jpg: not an image' "axle job shows the name escaped"
import_dir="axle-work/$(step out import 2)"
contains "$import_dir/skipped.json" 'caf\\xe9.jpg' "skipped.json names it escaped too"
contains "$import_dir/skipped.json" 'evil\u001B[2J' "skipped.json keeps a UTF-8 name, JSON-escaped"
done_testing
