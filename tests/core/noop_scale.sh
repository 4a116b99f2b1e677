#!/bin/sh
# A no-op re-run over tens of thousands of input files (issue 11 item 7):
# the core digests them as its walk finds them, a batch at a time, so its
# memory does not grow with their number; and the batches, stat'ed over
# threads, still see every change, wherever in the list it lies, with the
# same digest whatever the thread count; the reuse check of registered
# files, batched alike, names the first damaged one.
. "$AXLE_SRCDIR/tests/lib.sh"

make_files() {  # make_files DIR FOLDERS: FOLDERS folders of 1,000 empty files
    f=0
    while [ $f -lt "$2" ]; do
        d=$(printf '%s/d%02d' "$1" $f)
        mkdir -p "$d"
        (cd "$d" && seq -f 'p%04g.jpg' 1000 | xargs touch)
        f=$((f + 1))
    done
}
make_files small 2
make_files big 40
for set in small big; do
    for s in 1 2; do
        cat > $set-$s.yaml <<YAML
workdir: wd-$set-$s
jobs:
  scan:
    method: test_paths
    options: {files: $set}
YAML
    done
done

run() {  # run SET SLICES: the step's word (built or reused); max RSS in rss
    /usr/bin/time -f %M -o rss "$AXLE" run "$1-$2.yaml" --slices "$2" > out 2> err ||
        { cat err >&2; echo failed; return; }
    awk '$1 == "scan" { print $3 }' out
}
if ! /usr/bin/time -f %M true > /dev/null 2>&1; then
    skip_all "no GNU time (/usr/bin/time)"
fi

is "$(run small 2)" built "2,000 files: the first run builds"
is "$(run small 2)" reused "nothing changed: reused"
rss_small=$(cat rss)
is "$(run big 2)" built "40,000 files: the first run builds"
is "$(run big 2)" reused "nothing changed: reused"
rss_big=$(cat rss)
echo "# core max RSS of a no-op: ${rss_small} kB at 2,000 files, ${rss_big} kB at 40,000"
# Holding the paths would be 40,000 x 60-70 bytes, 2.5 MB and more.  Under
# ASan freed memory is kept in quarantine: its RSS says nothing here.
if grep -q __asan_init "$AXLE_BUILDDIR/core/.libs/axle" 2> /dev/null ||
    grep -q __asan_init "$AXLE_BUILDDIR/core/.libs/lt-axle" 2> /dev/null; then
    ok 0 "# SKIP the core's memory (an ASan build)"
else
    check "the core's memory is flat: 20 times the files, under 1 MB more" -- \
        test $((rss_big - rss_small)) -lt 1024
fi

# one batch is 4,096 files: changes early, in a later batch, at the very end
touch -d '2001-02-03 04:05:06' big/d25/p0500.jpg
is "$(run big 2)" built "a file of the 26th folder touched: built again"
is "$(run big 2)" reused "then reused"
printf x > big/d00/p0001.jpg
is "$(run big 2)" built "the first file grew: built again"
rm big/d39/p1000.jpg
is "$(run big 2)" built "the last file removed: built again"
touch big/d39/p1001.jpg
is "$(run big 2)" built "a file added at the end: built again"
is "$(run big 2)" reused "then reused"

# 9,000 registered files, checked in batches over threads: the refusal
# names the first damaged file in the manifest's order, wherever the
# damage is
cat > reg-2.yaml <<YAML
workdir: wd-reg
jobs:
  scan:
    method: test_paths
    options: {files: small, register: 9000}
YAML
is "$(run reg 2)" built "9,000 registered files: built"
is "$(run reg 2)" reused "then reused"
rm wd-reg/latest/scan/out/f08000.txt
: > wd-reg/latest/scan/out/f00100.txt
job=$(basename "$(readlink -f wd-reg/latest/scan)")
is "$(run reg 2)" built "two of them damaged: built again"
contains err "scan: rebuilt: out/f00100.txt in $job changed size (0 bytes, was 8)" \
    "the first damaged file in the manifest is named"
is "$(run reg 2)" reused "then reused"
job=$(basename "$(readlink -f wd-reg/latest/scan)")
rm wd-reg/latest/scan/out/f08999.txt
is "$(run reg 2)" built "the last registered file removed: built again"
contains err "scan: rebuilt: out/f08999.txt missing from $job" "and it is named"

# the digest of the files is the same with one thread as with two
is "$(run big 1)" built "one slice: a job of its own"
digest() {  # digest WORKDIR: the files' digest in the scan job's identity
    "$PYTHON_PIL" -c 'import json, sys, glob
j = json.load(open(glob.glob(sys.argv[1] + "/latest/scan/job.json")[0]))
print(j["identity_record"]["files"]["files"]["sha256"])' "$1"
}
one=$(digest wd-big-1) two=$(digest wd-big-2)
check "it has a digest of the files" -- test -n "$one"
is "$one" "$two" "the same digest of the files with one thread and with two"
done_testing
