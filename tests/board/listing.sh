#!/bin/sh
# listing.sh - the board's listings (the runs, a run's steps, every job)
# read only the run history and each job's small summary.json, never the
# job.json of every job (tens of MB at 100,000 images): a run writes the
# summary beside job.json, and a job whose job.json cannot be parsed is
# still listed from it.  Speed itself is measured by bench/board_pages.sh.
. "$AXLE_SRCDIR/tests/lib.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
. "$AXLE_SRCDIR/tests/board/lib_board.sh"

make_images in 4
pipeline in || { echo "Bail out! the pipeline failed"; exit 1; }

# same JOBDIR: the summary's fields as job.json has them.
same() {
    "$PYTHON_PIL" - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1] + "/job.json"))
s = json.load(open(sys.argv[1] + "/summary.json"))
want = {k: j[k] for k in ("id", "step", "method", "status", "finished", "seconds")}
# a count (job.json keeps counts; the lists are in files.json, skipped.json)
def count(v): return v["count"] if isinstance(v, dict) else len(v)
want["files"] = count(j["files"]); want["skipped"] = count(j["skipped"])
print("same" if s == want else "differs: %r != %r" % (s, want))
PY
}
for id in "$IMPORT" "$EXPORT"; do
    is "$(same "axle-work/$id")" same "$id/summary.json has job.json's id, step, method, status, times and counts"
done

# The export's job.json cut short: still a file, no longer JSON.
head -c 100 "axle-work/$EXPORT/job.json" >cut && cat cut >"axle-work/$EXPORT/job.json"
start_board || { echo "Bail out! axle board did not start"; exit 1; }
get jobs
check "the jobs page lists the export with its method from summary.json" -- \
    grep -q "<a href=\"/job/$EXPORT\">$EXPORT</a></td><td>export</td><td>export_images</td><td class=\"complete\">" got
get run/1
contains got "href=\"/job/$EXPORT\"" "the run page links it"
contains got "href=\"/ds/$EXPORT/default\"" "and its dataset, from the ds folder"
get "api/jobs"
is "$("$PYTHON_PIL" -c 'import json, sys; print([j["method"] for j in json.load(open("got"))["jobs"] if j["id"] == sys.argv[1]])' "$EXPORT")" \
    "['export_images']" "/api/jobs lists it from its summary"
get "job/$EXPORT"
is "$code" 404 "its own page, which needs job.json, says it cannot show it"
done_testing
