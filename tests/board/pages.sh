#!/bin/sh
# pages.sh - `axle board` over HTTP: the pages and what they show, the
# JSON API, images served from datasets, escaping of names, and paths
# outside the workdir refused.
. "$AXLE_SRCDIR/tests/lib.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
. "$AXLE_SRCDIR/tests/board/lib_board.sh"

make_images in 5
# A name with every character HTML cares about.
cp in/img0001.jpg "in/<i>bold&\"q'.jpg"
pipeline in || { echo "Bail out! the pipeline failed"; exit 1; }
check "axle board --help names the API" -- sh -c '"$AXLE" board --help | grep -q /api/runs'
start_board || { echo "Bail out! axle board did not start"; exit 1; }
case "$URL" in http://127.0.0.1:*/) ok 0 "the URL is on 127.0.0.1: $URL" ;;
    *) ok 1 "the URL is on 127.0.0.1: got '$URL'" ;; esac

# ---- pages ----
get ""
is "$code" 200 "the front page answers"
contains got 'href="/run/1"' "the front page lists the run from the run history"
get run/1
for id in "$IMPORT" "$THUMBS" "$EXPORT" "$SHAPES"; do
    contains got "href=\"/job/$id\"" "the run page links job $id"
done
mv axle-work/runs.jsonl history.keep
get ""
contains got 'href="/run/latest"' "without runs.jsonl the front page lists the latest run"
get run/latest
for id in "$IMPORT" "$THUMBS" "$EXPORT" "$SHAPES"; do
    contains got "href=\"/job/$id\"" "without runs.jsonl the run page links job $id"
done
mv history.keep axle-work/runs.jsonl
get "job/$THUMBS"
contains got '<td>thumbnailer</td>' "the job page names the method"
contains got 'no earlier job of this step' "the job page says why it was built"
contains got "href=\"/ds/$THUMBS/default\"" "the job page links its dataset"
contains got '[24,24]' "the job page shows the options"
get "job/$SHAPES"
is "$(grep -c '<rect class="bar"' got)" 3 "the shape histogram is a bar chart of the 3 shapes"
contains got '<svg' "the chart is inline SVG"
get "job/$EXPORT"
contains got "&lt;i&gt;bold&amp;&quot;q&#39;.jpg" "file names are escaped on the job page"
check "no raw markup from a file name" -- sh -c '! grep -q "<i>bold" got'
get "ds/$THUMBS/default"
contains got '<td>thumb</td><td>image</td>' "the dataset page lists the thumb column"
contains got "linked from <a href=\"/ds/$IMPORT/default\">" "linked columns name their dataset"
contains got "src=\"/cell/$THUMBS/default/thumb/0?max=160\"" "image cells are shown as images"
contains got "href=\"/gallery/$THUMBS/default/thumb\"" "image columns link a gallery"
get "gallery/$THUMBS/default/thumb"
is "$(grep -o '<img loading="lazy"' got | wc -l)" 6 "the gallery shows every row's image, lazily"
contains got "href=\"/row/$THUMBS/default/0\"" "each image links to its row"
contains got "href=\"/source/$THUMBS/default/0\"" "each image links to its source file"
contains got "&lt;i&gt;bold&amp;&quot;q&#39;.jpg" "names are escaped in the gallery"

# ---- images and files ----
get "cell/$THUMBS/default/thumb/1?max=256"
is "$code $ctype" "200 image/jpeg" "a raw thumbnail is served as JPEG"
is "$("$PYTHON_PIL" -c 'import sys; from PIL import Image; print("%dx%d" % Image.open("got").size)')" \
    "$("$AXLE" ds "$THUMBS" --column thumb | sed -n 2p | cut -d' ' -f1)" \
    "the served thumbnail has the thumbnail's size"
row0=$("$AXLE" ds "$IMPORT" --column filename | sed -n 1p)
get "cell/$IMPORT/default/image/0"
check "an imported JPEG is served as it is stored" -- cmp got "in/$row0"
get "source/$IMPORT/default/0"
check "the source link serves the imported file" -- cmp got "in/$row0"
first_out=$(cd "axle-work/$EXPORT" && ls output | grep img | head -1)
get "file/$EXPORT/output/$first_out"
is "$code $ctype" "200 image/jpeg" "an exported file is served"
check "the exported file's bytes" -- cmp got "axle-work/$EXPORT/output/$first_out"

# ---- the API ----
get api/runs
is "$ctype" application/json "/api/runs is JSON"
is "$("$PYTHON_PIL" -c 'import json; r = json.load(open("got"))["runs"][0]; print(" ".join(s["job"] for s in r["steps"]))')" \
    "$IMPORT $THUMBS $EXPORT $SHAPES" "/api/runs lists the steps' jobs in order"
get "api/jobs/$THUMBS"
is "$("$PYTHON_PIL" -c 'import json; j = json.load(open("got")); print(j["step"], j["datasets"], j["status"])')" \
    "thumbs ['default'] complete" "/api/jobs/ID is the job"
get "api/ds/$THUMBS/default"
is "$("$PYTHON_PIL" -c 'import json; d = json.load(open("got")); print(d["total_rows"], d["first_rows"][0]["thumb"]["url"])')" \
    "6 /cell/$THUMBS/default/thumb/0" "/api/ds/ID/NAME has the rows and image URLs"
get api/jobs/nonesuch
is "$code" 404 "/api/jobs of an unknown job is 404"

# ---- run history from runs.jsonl ----
cat >axle-work/runs.jsonl <<JSONL
{"event": "start", "run": 1, "started": "2026-01-01T10:00:00", "pipeline": "old.yaml", "steps": ["import"]}
{"event": "step", "run": 1, "step": "import", "job": "$IMPORT", "state": "built", "seconds": 1.5}
{"event": "end", "run": 1, "ended": "2026-01-01T10:01:00", "seconds": 60, "exit": 0}
this line is damaged
{"event": "start", "run": 2, "started": "2026-01-02T10:00:00", "pipeline": "<i>new</i>.yaml", "steps": ["thumbs"]}
{"event": "step", "run": 2, "step": "thumbs", "job": "$THUMBS", "state": "reused", "seconds": 0.01}
{"event": "end", "run": 2, "ended": "2026-01-02T10:00:01", "seconds": 1, "exit": 0}
JSONL
get api/runs
is "$("$PYTHON_PIL" -c 'import json; print([(r["run"], r.get("pipeline"), r.get("end")) for r in json.load(open("got"))["runs"]])')" \
    "[(2, '<i>new</i>.yaml', '2026-01-02T10:00:01'), (1, 'old.yaml', '2026-01-01T10:01:00')]" \
    "runs.jsonl: newest first, a run's records merged, damaged lines passed over"
get ""
contains got 'href="/run/2"' "the front page links the runs of runs.jsonl"
contains got '&lt;i&gt;new&lt;/i&gt;.yaml' "pipeline names are escaped"
get run/1
contains got "href=\"/job/$IMPORT\"" "a run of the history links its jobs"
contains got '<td class="built">built</td>' "a run's page shows each step's state"

# ---- live ----
mkdir "axle-work/axle-work-99"
echo '{"step": "thumbs", "done": 3, "total": 10, "note": "<script>"}' >axle-work/.status
get live
contains got 'No run in progress' "live: no run while the workdir is not locked"
# the lock's holder, bounded as wait_for is: a test that dies early
# leaves no process holding it
timeout 120 flock axle-work/.lock sh -c "touch locked; while [ -e locked ]; do sleep 0.1; done" &
HOLDER=$!
wait_for "the lock's holder to take axle-work/.lock" test -e locked
get live
contains got 'A run is in progress' "live: a locked workdir is a running run"
contains got '<progress value="3" max="10">' "live: the status shows progress"
contains got '&lt;script&gt;' "live: the status is escaped"
contains got 'http-equiv="refresh"' "live: the page updates itself"
get jobs
contains got '<td class="running">running</td>' "jobs: the newest job without job.json is running"
rm locked; wait "$HOLDER"
is $? 0 "the lock's holder let go when asked (not after timeout's 120 s)"
get jobs
contains got '<td class="cut off">cut off</td>' "jobs: after the run it was cut off"

# ---- only the workdir ----
get "file/$EXPORT/../../../../etc/passwd"
check "../ out of the workdir is refused" -- sh -c "[ $code -ge 400 ] && ! grep -q root: got"
get "file/$EXPORT/%2e%2e/%2e%2e/%2e%2e/etc/passwd"
check "encoded %2e%2e is refused" -- sh -c "[ $code -ge 400 ] && ! grep -q root: got"
get "file/$EXPORT/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd"
check "an encoded slash is refused" -- sh -c "[ $code -ge 400 ] && ! grep -q root: got"
ln -s /etc/passwd "axle-work/$EXPORT/output/leak.jpg"
get "file/$EXPORT/output/leak.jpg"
is "$code" 403 "a symbolic link pointing out is refused"
check "its target is not shown" -- sh -c '! grep -q root: got'
ln -s /etc "axle-work/$EXPORT/etc"
get "file/$EXPORT/etc/passwd"
is "$code" 403 "a linked folder is refused"
get "file/$EXPORT/job.json/../../../etc/passwd"
check "a path through a file is refused" -- sh -c "[ $code -ge 400 ] && ! grep -q root: got"
get "ds/..%2f..%2f..%2fetc/default"
is "$code" 404 "a job id with ../ is no job"
get "" -H "Host: attacker.example"
is "$code" 403 "a request for another host name is refused (DNS rebinding)"
get "" -X POST
is "$code" 405 "the board is read-only"

stop_board
is "$st" 0 "the board stops on SIGTERM with status 0"
contains board.err "stopped" "and says so"
done_testing
