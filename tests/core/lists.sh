#!/bin/sh
# A job's per-file records live in files of its folder, not in job.json
# or the core's memory: skipped items in skipped.json (stderr shows the
# first few of each process and says how many more and where), registered
# files in files.json, and what reuse checks in manifest.txt, whose digest
# job.json holds.  A damaged manifest.txt rebuilds the job, saying so; a
# job.json of the format before (everything inline) is still checked.
. "$AXLE_SRCDIR/tests/lib.sh"

PIPE="$AXLE_SRCDIR/pipelines/thumbnails.yaml"
mkdir in
cp -R "$AXLE_SRCDIR/pipelines/samples/." in/
nimages=$(find in -type f | wc -l)
nbad=40
i=0
while [ $i -lt $nbad ]; do echo "not a photo $i" > "in/bad-$i.jpg"; i=$((i + 1)); done

n=0
run() {  # run: the pipeline once; stdout in out$n, stderr in err$n
    n=$((n + 1))
    "$AXLE" run "$PIPE" input=in --slices 2 > out$n 2> err$n
    st=$?
    sed 's/^/# /' out$n
}
word() { awk -v s="$1" '$1 == s { print $3 }' out$n; }
job() { awk -v s="$1" '$1 == s { print $2 }' out$n; }
json_get() {  # json_get FILE PYTHON-EXPR-ON-j
    "$PYTHON_PIL" -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

run
is "$st" 0 "a run with $nbad unreadable photos succeeds"
imp=axle-work/$(job import)
# --- skipped items: a list file, a few lines on stderr, and a count
shown=$(grep -c '^import_images.*: skipped .*bad-' err$n)
check "stderr shows only the first few skips ($shown of $nbad)" -- test "$shown" -lt "$nbad"
check "at most $((2 * 10)) (ten per slice)" -- test "$shown" -le 20
contains err$n "import: ... and $((nbad - shown)) more items skipped, listed in $PWD/$imp/skipped.json" \
    "stderr says how many more and where"
is "$(json_get "$imp/skipped.json" 'len(j)')" "$nbad" "skipped.json lists every skipped item"
is "$(json_get "$imp/skipped.json" 'sorted(e["file"].rsplit("/", 1)[-1] for e in j)[0]')" \
    "bad-0.jpg" "each entry names its file"
is "$(grep -c 'bad-' "$imp/skipped.json")" "$nbad" "one entry a line"
is "$(json_get "$imp/job.json" 'j["skipped"]')" \
    "{'count': $nbad, 'list': 'skipped.json', 'transient': 0}" "job.json keeps the count only"
contains out$n "$nbad items skipped" "the summary counts them"
"$AXLE" job import > job.txt
contains job.txt "skipped: $nbad" "axle job counts them"
contains job.txt "bad-0.jpg: " "and lists them from skipped.json"

# --- registered files: files.json, the count and folder in job.json
ex=axle-work/$(job export)
is "$(json_get "$ex/files.json" 'len(j)')" "$nimages" "files.json lists every exported file"
is "$(json_get "$ex/job.json" 'j["files"]["count"]')" "$nimages" "job.json counts them"
is "$(json_get "$ex/job.json" '"manifest" in j and "files" not in j["manifest"]')" True \
    "job.json holds no list of files"
is "$(head -1 "$ex/manifest.txt")" "axle-manifest 1" "manifest.txt is the reuse manifest"
check "it lists the exported files with size and time" -- \
    grep -q "^[0-9]* [0-9]* output/tower.jpg\$" "$ex/manifest.txt"
contains out$n "$PWD/$ex/output/" "the run line still shows the output folder"
"$AXLE" job export > job.txt
contains job.txt "files: $nimages" "axle job counts the files"
contains job.txt "  output/tower.jpg" "and lists them from files.json"

run
is "$(grep -c ' reused ' out$n)" 4 "a second run reuses every step"
contains out$n "$nbad items skipped" "and still counts the skipped items"

# --- a damaged manifest.txt is noticed
ex=$(job export)
sed -i 's/ output\/tower.jpg$/ output\/other.jpg/' "axle-work/$ex/manifest.txt"
run
is "$(word export)" built "an edited manifest.txt: the export is rebuilt"
contains err$n "export: rebuilt: manifest.txt of $ex was changed after the job finished" \
    "stderr says why"
ex=$(job export)
rm "axle-work/$ex/manifest.txt"
run
is "$(word export)" built "a deleted manifest.txt: the export is rebuilt"
contains err$n "export: rebuilt: manifest.txt of $ex cannot be read" "stderr says why"

# --- a job.json of the format before: the manifest, files and skipped
# items inline.  It is checked as it was: reused when intact, rebuilt
# when a file it lists is gone.
ex=$(job export) imp=$(job import)
for id in "$ex" "$imp"; do
    "$PYTHON_PIL" - "axle-work/$id" <<'PY'
import json, os, sys
d = sys.argv[1]
j = json.load(open(d + "/job.json"))
entries = []
for line in open(d + "/manifest.txt").read().splitlines()[1:]:
    size, mtime, path = line.split(" ", 2)
    entries.append([path, int(size), int(mtime)])
j["manifest"] = {"files": entries, "input_jobs": j["manifest"]["input_jobs"]}
for key in ("files", "skipped"):
    j[key] = json.load(open(d + "/" + key + ".json")) if j[key]["count"] else []
    if j[key]:
        os.remove(d + "/" + key + ".json")
os.remove(d + "/manifest.txt")
json.dump(j, open(d + "/job.json", "w"), indent=2)
PY
done
run
is "$(grep -c ' reused ' out$n)" 4 "jobs recorded the old way are reused when intact"
contains out$n "$nbad items skipped" "their skipped items are counted"
"$AXLE" job export > job.txt
contains job.txt "files: $nimages" "axle job lists an old job's files"
rm "axle-work/$ex/output/tower.jpg"
run
is "$(word export)" built "an old job whose file is gone is rebuilt"
contains err$n "export: rebuilt: output/tower.jpg missing from $ex" "saying which file"
is "$(find "axle-work/$(job export)/output" -type f | wc -l)" "$nimages" "and the export is whole"
done_testing
