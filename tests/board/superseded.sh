#!/bin/sh
# superseded.sh - an export whose output folder the export built on it
# took over (issue 11 item 7): its job page says where its files went,
# linking that job, instead of showing images it no longer has; the
# newer job's page shows them all.
. "$AXLE_SRCDIR/tests/lib.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
. "$AXLE_SRCDIR/tests/board/lib_board.sh"

make_images in 4
pipeline in || { echo "Bail out! the run failed"; exit 1; }
first=$EXPORT
touch in/img0002.jpg
pipeline in || { echo "Bail out! the second run failed"; exit 1; }
contains run.out "built incrementally on $first" "the export built on $first"

start_board || { echo "Bail out! axle board did not start"; exit 1; }
get "job/$first"
is "$code" 200 "the superseded job's page is served"
contains got "Its files moved to <a href=\"/job/$EXPORT\">$EXPORT</a>" \
    "it says where its files went, linking the job built on it"
is "$(grep -c '<img loading' got)" 0 "and shows no image it no longer has"
get "job/$EXPORT"
is "$(grep -o '<img loading="lazy" alt="output/img000[0-3].jpg"' got | wc -l)" 4 \
    "the newer job's page shows all 4 images"
get "file/$EXPORT/output/img0000.jpg"
is "$code" 200 "a file it took over is served from it"
done_testing
