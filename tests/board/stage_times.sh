#!/bin/sh
# stage_times.sh - each job records the seconds of prepare, of every
# analysis slice and of synthesis (job.json "stages"); `axle job` prints
# the slices' times and the board's job page shows one bar per slice.
# Only that the numbers are there and sane is checked, never their values.
. "$AXLE_SRCDIR/tests/lib.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
. "$AXLE_SRCDIR/tests/board/lib_board.sh"

make_images in 7
"$AXLE" run "$AXLE_SRCDIR/pipelines/thumbnails.yaml" input=in size=[24,24] --slices 3 \
    >run.out 2>run.err || { sed 's/^/# /' run.err; echo "Bail out! the run failed"; exit 1; }
THUMBS=$(awk '$1 == "thumbs" { print $2 }' run.out)

# stages JOBDIR: "prepare N synthesis N analysis A B C" when all are numbers >= 0.
stages() {
    "$PYTHON_PIL" - "$1/job.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])).get("stages", {})
def ok(v): return isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
a = s.get("analysis")
print("prepare", ok(s.get("prepare")), "synthesis", ok(s.get("synthesis")),
      "analysis", len(a) if isinstance(a, list) else None, all(ok(v) for v in a or [None]))
PY
}
is "$(stages "axle-work/$THUMBS")" "prepare True synthesis True analysis 3 True" \
    "job.json has prepare, synthesis and one time per slice, all >= 0"
"$AXLE" job "$THUMBS" >job.out 2>&1
check "axle job prints each slice's analysis time" -- \
    grep -Eq '^analysis  by slice: 0: [0-9.]+s 1: [0-9.]+s 2: [0-9.]+s$' job.out

start_board || { echo "Bail out! axle board did not start"; exit 1; }
get "job/$THUMBS"
is "$(grep -c '<tr><td class="n">[0-9]*</td><td class="n">[0-9.]*s</td><td><meter ' got)" 3 \
    "the board's job page shows a bar for each of the 3 slices"
get "api/jobs/$THUMBS"
is "$("$PYTHON_PIL" -c 'import json; print(len(json.load(open("got"))["stages"]["analysis"]))')" 3 \
    "/api/jobs/ID has the slices' times"
done_testing
