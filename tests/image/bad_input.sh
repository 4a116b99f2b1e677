#!/bin/sh
# bad_input.sh - truncated, empty, random, text and decompression-bomb
# files give an error naming the reason, never a crash.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"

gen bad .

contains_text() { printf '%s\n' "$1" > .text; contains .text "$2" "$3"; }

# run_tool WANT_STATUS ARGS...: output in $out; a crash is a status >= 128.
run_tool() {
    want=$1; shift
    out=$("$TOOL" "$@" 2>&1); st=$?
    is "$st" "$want" "image_tool $* exits $want (no crash)"
}

run_tool 1 probe empty.jpg
is "$out" "error -4: empty file" "empty file"
run_tool 1 probe random.jpg
contains_text "$out" "error -4: not a JPEG" "random bytes"
run_tool 1 probe text.webp
is "$out" "error -4: not an image: the file holds text" "text named .webp"
run_tool 1 probe truncated-header.jpg
contains_text "$out" "error -8: truncated JPEG" "JPEG cut inside its headers (AXLE_EMORE)"
run_tool 1 probe truncated.webp
contains_text "$out" "error -8: truncated WebP: its RIFF header says" "WebP cut in half (AXLE_EMORE)"

# Cut in its image data, a JPEG's headers are whole: the probe accepts it,
# the decode reports it.
run_tool 0 probe truncated.jpg
run_tool 1 decode truncated.jpg 64 64 out.axr
contains_text "$out" "error -4: truncated JPEG: Premature end of JPEG file" "JPEG cut in its data"
run_tool 1 thumb truncated.jpg 64 64 out.axr
contains_text "$out" "truncated JPEG" "thumbnail of a truncated JPEG"

# A header claiming 65500x65500 is refused before any allocation.
run_tool 0 probe bomb.jpg
is "$out" "jpeg 65500x65500 channels=3 orientation=1" "bomb header is read"
run_tool 1 decode bomb.jpg 256 256 out.axr
is "$out" "error -6: image is 65500x65500 = 4290250000 pixels, over the limit of 200000000" \
    "bomb refused with the pixel count and the limit"
done_testing
