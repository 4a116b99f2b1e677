#!/bin/sh
# Incremental chains against cold runs: a library of generated photos goes
# through rounds of random additions, changes, removals and renames (a
# fixed seed); after each round the pipeline runs on the one workdir,
# building on its earlier jobs, and cold in a fresh workdir.  Every job's
# result, every exported file (in the job's folder and in dest) and the
# shape histogram must be the cold run's, byte for byte, and the steps
# must say they were built incrementally.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
. "$AXLE_SRCDIR/tests/chains/lib_random.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

cat > p.yaml <<'YAML'
workdir: "${wd}"
slices: 3
params:
  wd: wd
  input: lib
  dest: out
jobs:
  import:
    method: import_images
    options: {files: "${input}"}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 24}
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

SEED=20261130
photo() { # photo PATH SEED
    next_rand 40; w=$((30 + R)); next_rand 30; h=$((20 + R))
    mkdir -p "$(dirname "$1")"
    gen photo "$1" --size ${w}x$h --seed "$2" --quality 85 || exit 99
}
NEXT=0
new_photo() { NEXT=$((NEXT + 1)); next_rand 3
    case $R in 0) d=lib ;; 1) d=lib/a ;; *) d=lib/b/c ;; esac
    photo "$d/p$NEXT.jpg" $NEXT; }

i=0; while [ $i -lt 20 ]; do new_photo; i=$((i + 1)); done
"$AXLE" run p.yaml wd="$T_TMP/wd" dest="$T_TMP/out" >run0.out 2>run0.err
is $? 0 "the first run builds the library"

round=1
while [ $round -le 6 ]; do
    next_rand 3; adds=$R; next_rand 3; changes=$R; next_rand 2; removes=$R
    i=0; while [ $i -le $adds ]; do new_photo; i=$((i + 1)); done
    i=0; while [ $i -lt $changes ]; do pick; NEXT=$((NEXT + 1)); photo "$P" $NEXT; i=$((i + 1)); done
    i=0; while [ $i -lt $removes ]; do pick; rm "$P"; i=$((i + 1)); done
    if [ $((round % 2)) -eq 0 ]; then pick; mv "$P" "$(dirname "$P")/renamed$round.jpg"; fi
    "$AXLE" run p.yaml wd="$T_TMP/wd" dest="$T_TMP/out" >run$round.out 2>run$round.err
    is $? 0 "round $round: the run on the workdir succeeds"
    # the cold run's dest is the same folder (an option, so in the recipe
    # its files carry): the chain's steps aside meanwhile
    mv out chain-out
    "$AXLE" run p.yaml wd="$T_TMP/cold$round" dest="$T_TMP/out" \
        >cold$round.out 2>cold$round.err
    is $? 0 "round $round: the cold run succeeds"
    mv out coldout$round && mv chain-out out
    n=$(grep -c "built incrementally on" run$round.out)
    is "$n" 4 "round $round: import, thumbs, export and mirror are built incrementally"
    results wd >res.chain; results cold$round >res.cold
    contains res.chain '"images":' "round $round: the results were read"
    check "round $round: every job's result is the cold run's" -- cmp res.chain res.cold
    check "round $round: the job's exported files are the cold run's, byte for byte" -- \
        diff -r wd/latest/export/output cold$round/latest/export/output
    check "round $round: the dest mirror is the cold run's, byte for byte" -- \
        diff -r -x .axle-export.json out coldout$round
    round=$((round + 1))
done
done_testing
