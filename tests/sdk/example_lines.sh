#!/bin/sh
# The template and the short examples stay a page of C: at most 60 lines
# each, blank lines and comments not counted (the compiler strips the
# comments, so a "/*" inside a string or a comment ending mid-line counts
# right).  box_resize, a full resampler, is not held to it.
. "$AXLE_SRCDIR/tests/lib.sh"

command -v gcc >/dev/null || skip_all "no gcc to strip comments"
limit=60
lines() {  # lines FILE: lines of C, without blank lines and comments
    gcc -fpreprocessed -dD -E -P "$1" | grep -c '[^[:space:]]'
}
for f in sdk/template/method_template.c sdk/examples/colour_stats/colour_stats.c \
    sdk/examples/contact_sheet/contact_sheet.c; do
    if [ -f "$AXLE_SRCDIR/$f" ]; then n=$(lines "$AXLE_SRCDIR/$f"); else n=missing; fi
    [ "$n" != missing ] && [ "$n" -le "$limit" ]
    ok $? "$f: $n lines of C (at most $limit)"
done
done_testing
