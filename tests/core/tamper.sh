#!/bin/sh
# Reuse trusts nothing it can check cheaply: a job is reused only when the
# index names a job of that identity and the job is intact (its dataset
# files, exported files and links present, with the sizes and times they
# had when it finished).  Each tampering below must end in exit 0, the
# damaged step rebuilt (not reused) with the reason printed, and the
# results whole again.
. "$AXLE_SRCDIR/tests/lib.sh"

PIPE="$AXLE_SRCDIR/pipelines/thumbnails.yaml"
mkdir in
cp -R "$AXLE_SRCDIR/pipelines/samples/." in/
nimages=$(find in -type f | wc -l)

n=0
run() {  # run: the pipeline once; stdout in out$n, stderr in err$n
    n=$((n + 1))
    "$AXLE" run "$PIPE" input=in > out$n 2> err$n
    st=$?
    sed 's/^/# /' out$n
}
word() { awk -v s="$1" '$1 == s { print $3 }' out$n; }
job() { awk -v s="$1" '$1 == s { print $2 }' out$n; }
exported() { find "axle-work/$(job export)/output" -type f | wc -l; }
# whole WHAT: the run succeeded and left every result in place.
whole() {
    is "$st" 0 "$1: exit 0"
    is "$(exported)" "$nimages" "$1: every thumbnail is exported again"
    "$AXLE" ds thumbs --workdir axle-work > ds.txt 2>&1
    ok $? "$1: the thumbs dataset reads"
}
# rebuilt STEP REASON WHAT: STEP was built (not reused), saying REASON on
# stderr and at the end of its run line.
rebuilt() {
    is "$(word "$1")" built "$3: $1 is rebuilt, not reused"
    contains err$n "$1: rebuilt: $2" "$3: stderr says why $1 was rebuilt"
    contains out$n "(rebuilt: $2" "$3: so does $1's run line"
}

run
is "$st" 0 "first run"
run
is "$(grep -c ' reused ' out$n)" 4 "an untouched workdir is reused whole"

what="index names another job"
imp=$(job import) th=$(job thumbs)
ident=$(sed -n 's/^  "identity": "\(.*\)",$/\1/p' "axle-work/$th/job.json")
echo "$imp" > "axle-work/index/$ident"
run
rebuilt thumbs "the index names $imp, which is a job of another identity" "$what"
whole "$what"

what="column file deleted"
th=$(job thumbs)
rm "axle-work/$th/ds/default/0-thumb.1"
run
rebuilt thumbs "ds/default/0-thumb.1 missing from $th" "$what"
whole "$what"

what="column file truncated"
imp=$(job import) th=$(job thumbs)
truncate -s 3 "axle-work/$imp/ds/default/3-filename.0"
run
rebuilt import "ds/default/3-filename.0 in $imp changed size (3 bytes, was" "$what"
rebuilt thumbs "ds/default/3-filename.0 in $imp (linked from $th) changed size" "$what"
whole "$what"

what="exported file deleted"
ex=$(job export)
rm "axle-work/$ex/output/tower.jpg"
run
rebuilt export "output/tower.jpg missing from $ex" "$what"
is "$(word thumbs)" reused "$what: the steps before export are reused"
whole "$what"

what="exported file replaced (other size)"
ex=$(job export)
echo "not a thumbnail" > "axle-work/$ex/output/harbour.jpg"
run
rebuilt export "output/harbour.jpg in $ex changed size" "$what"
is "$(head -c 2 "axle-work/$(job export)/output/harbour.jpg" | od -An -tx1 | tr -d ' ')" ffd8 \
    "$what: the exported file is a JPEG again"
whole "$what"

what="exported file rewritten (same size)"
ex=$(job export)
f="axle-work/$ex/output/2023/lake.jpg"
printf 'XXXX' | dd of="$f" bs=1 seek=200 conv=notrunc 2>/dev/null
touch -d '2001-02-03 04:05:06' "$f"   # another time, whatever the clock's grain
run
rebuilt export "output/2023/lake.jpg in $ex was modified after the job finished" "$what"
whole "$what"

what="upstream job folder removed"
imp=$(job import) th=$(job thumbs)
rm -rf "axle-work/$imp"
run
rebuilt import "$imp, which the index names, is gone" "$what"
rebuilt thumbs "$imp, which $th links to, is gone" "$what"
is "$(word shapes)" built "$what: the other dependant is rebuilt too"
whole "$what"

what="parent dataset folder removed"
imp=$(job import) th=$(job thumbs)
rm -rf "axle-work/$imp/ds/default"
run
rebuilt import "ds/default/meta.json missing from $imp" "$what"
rebuilt thumbs "ds/default/0-image.0 missing from $imp (linked from $th)" "$what"
whole "$what"

run
is "$(grep -c ' reused ' out$n)" 4 "the repaired workdir is reused whole"
contains out$n "4 jobs: 0 built, 4 reused" "and the summary says so"
done_testing
