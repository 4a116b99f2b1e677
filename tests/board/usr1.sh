#!/bin/sh
# usr1.sh - `pkill -USR1 axle` asks a run for its status tree; every other
# axle command that happens to run at that moment (here: a board that
# serves for hours) must ignore the signal, not die of it.
. "$AXLE_SRCDIR/tests/lib.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
. "$AXLE_SRCDIR/tests/board/lib_board.sh"

make_images in 2
pipeline in || { echo "Bail out! the pipeline failed"; exit 1; }
start_board || { echo "Bail out! axle board did not start"; exit 1; }
kill -USR1 "$BOARD_PID"
# The board answers a request only once it runs again, and a pending signal
# is delivered before it does: so the answer comes after the signal did.
get ""
is "$code" 200 "the board serves its front page after SIGUSR1"
check "and is alive" -- kill -0 "$BOARD_PID"
done_testing
