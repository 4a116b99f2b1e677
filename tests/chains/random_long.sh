#!/bin/sh
# Incremental chains across the chain's limit, against cold runs: 36
# rounds of random additions, changes, removals, re-adds and renames (a
# fixed seed) on one workdir pass the 16-link limit twice, with an `axle
# gc` between; every round builds every row-wise step incrementally (the
# compactions on an older job of the chain, never cold), and after each
# compaction, the round after it, the gc and the last round, every job's
# result, the exported files (job folder and dest) and the shape histogram
# are a cold run's in a fresh workdir, byte for byte.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
. "$AXLE_SRCDIR/tests/chains/lib_random.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

cat > p.yaml <<'YAML'
workdir: "${wd}"
slices: 3
params: {wd: wd, dest: out}
jobs:
  import:
    method: import_images
    options: {files: lib}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 12}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {quality: 80}
  mirror:
    method: export_images
    datasets: {source: thumbs}
    options: {format: webp, dest: "${dest}"}
  shapes:
    method: shapehist
    datasets: {source: import}
YAML

SEED=20261201
photo() { # photo PATH SEED
    next_rand 3; w=$((16 + R)); next_rand 3; h=$((14 + R))
    mkdir -p "$(dirname "$1")"
    gen photo "$1" --size ${w}x$h --seed "$2" --quality 85 || exit 99
}
NEXT=0
new_photo() { NEXT=$((NEXT + 1)); next_rand 2
    case $R in 0) d=lib ;; *) d=lib/a ;; esac
    photo "$d/p$NEXT.jpg" $NEXT; }
mkdir gone # removed photos, to add again later under their old names

i=0; while [ $i -lt 40 ]; do new_photo; i=$((i + 1)); done
"$AXLE" run p.yaml dest="$T_TMP/out" >run0.out 2>&1
is $? 0 "the first run builds the library"

same_as_cold() { # same_as_cold ROUND
    mv out chain-out
    "$AXLE" run p.yaml wd="$T_TMP/cold$1" dest="$T_TMP/out" >cold$1.out 2>&1
    is $? 0 "round $1: the cold run succeeds"
    mv out coldout$1 && mv chain-out out
    results wd >res.chain; results cold$1 >res.cold
    check "round $1: every job's result is the cold run's" -- cmp res.chain res.cold
    check "round $1: the job's exported files are the cold run's, byte for byte" -- \
        diff -r wd/latest/export/output cold$1/latest/export/output
    check "round $1: the dest mirror is the cold run's, byte for byte" -- \
        diff -r -x .axle-export.json out coldout$1
    rm -rf cold$1 coldout$1
}
chain_len() { "$AXLE" ds import -p p.yaml | sed -n 's/^previous .*a chain of \([0-9]*\) datasets.*/\1/p'; }

round=1 compactions=0 incremental=0 was=1 compare_next=false
while [ $round -le 36 ]; do
    next_rand 2; adds=$R; next_rand 2; changes=$R; next_rand 3; removes=$((R / 2))
    i=0; while [ $i -le $adds ]; do new_photo; i=$((i + 1)); done
    i=0; while [ $i -lt $changes ]; do pick; NEXT=$((NEXT + 1)); photo "$P" $NEXT; i=$((i + 1)); done
    i=0; while [ $i -lt $removes ]; do pick; mv "$P" gone/; i=$((i + 1)); done
    if [ $((round % 5)) -eq 0 ] && [ -n "$(ls gone)" ]; then # a re-add
        g=$(ls gone | head -1); mv "gone/$g" "lib/$g"; touch "lib/$g"
    fi
    if [ $((round % 4)) -eq 0 ]; then pick; mv "$P" "$(dirname "$P")/renamed$round.jpg"; fi
    "$AXLE" run p.yaml dest="$T_TMP/out" >run$round.out 2>&1 || echo "# round $round failed"
    if [ "$(grep -c 'built incrementally on' run$round.out)" = 4 ]; then
        incremental=$((incremental + 1))
    else
        echo "# round $round did not build all four steps incrementally:"; sed 's/^/#   /' run$round.out
    fi
    len=$(chain_len)
    echo "# round $round: a chain of ${len:-1}"
    compare=$compare_next compare_next=false
    if [ "${len:-1}" -le "$was" ]; then
        compactions=$((compactions + 1)) compare=true compare_next=true
    fi
    was=${len:-1}
    [ $round = 36 ] && compare=true
    $compare && same_as_cold $round
    if [ $round = 20 ]; then
        "$AXLE" gc -p p.yaml >gc.out 2>&1
        is $? 0 "axle gc after the first compaction"
        "$AXLE" run p.yaml dest="$T_TMP/out" >again.out 2>&1
        contains again.out "5 jobs: 0 built, 5 reused" "after gc every job is reused"
    fi
    round=$((round + 1))
done
is "$incremental" 36 "every round builds import, thumbs, export and mirror incrementally"
is "$compactions" 2 "the chain was compacted twice"
done_testing
