#!/bin/sh
# special_files.sh - FIFOs, sockets, devices and dangling links among the
# photos never hang or fail the import: those named like images are listed
# as skipped with what they are; others are passed over in silence.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

PIPE="$AXLE_SRCDIR/pipelines/thumbnails.yaml"
mkdir -p photos/sub
cp "$AXLE_SRCDIR/pipelines/samples/tiny.jpg" photos/a.jpg
cp "$AXLE_SRCDIR/pipelines/samples/meadow.webp" photos/sub/b.webp
mkfifo photos/pipe.jpg photos/sub/pipe.JPEG photos/pipe.txt
ln -s nowhere photos/dangling.webp
ln -s loop photos/loop.jpg && ln -sf loop.jpg photos/loop
"$PYTHON_PIL" -c 'import socket; socket.socket(socket.AF_UNIX).bind("photos/sock.jpg")'
have_dev=0
mknod photos/dev.jpg c 1 3 2>/dev/null && have_dev=1   # /dev/null's numbers

# Nothing here blocks: a FIFO is never opened for reading.
"$AXLE" run "$PIPE" input=photos >out 2>err; st=$?
sed 's/^/# /' out err
is "$st" 0 "the run succeeds"
contains out '"images":2' "both photos are imported"
contains err "skipped $T_TMP/photos/pipe.jpg: not a regular file: FIFO" "a FIFO named .jpg is listed"
contains err "skipped $T_TMP/photos/sub/pipe.JPEG: not a regular file: FIFO" \
    "the extension is matched in any case"
contains err "skipped $T_TMP/photos/dangling.webp: not a regular file: dangling symbolic link" \
    "a dangling link named .webp is listed"
contains err "skipped $T_TMP/photos/loop.jpg: not a regular file: symbolic link loop" \
    "a link loop named .jpg is listed"
contains err "skipped $T_TMP/photos/sock.jpg: not a regular file: socket" "a socket is listed"
if [ "$have_dev" = 1 ]; then
    contains err "skipped $T_TMP/photos/dev.jpg: not a regular file: character device" \
        "a device is listed"
else
    ok 0 "a device is listed # SKIP cannot make a device here"
fi
if grep -q "pipe.txt" err; then ok 1 "a FIFO not named like an image is passed over"
else ok 0 "a FIFO not named like an image is passed over"; fi
skipped=$(grep -c "skipped " err)
is "$(grep -o '"skipped":[0-9]*' out | head -1)" "\"skipped\":$skipped" \
    "the import's result counts every listed item"

# Named explicitly, a FIFO is a load error (exit 2), found before any job
# runs and so before anything waits on it.
"$AXLE" run "$PIPE" input=photos/pipe.jpg >out2 2>err2; st=$?
is "$st" 2 "a FIFO named as the input is refused before any job runs"
contains err2 "photos/pipe.jpg is not a regular file or folder (given on the command line)" \
    "the error names it"
done_testing
