#!/bin/sh
# The thumbnail pipeline under mpirun -n 3 --mpi gives what a local run
# with the same slice count gives: the same job identities and, byte for
# byte, the same datasets, exported files and results; each workdir is
# reused by the other way of running.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/mpi/lib_mpi.sh"

cp -r "$AXLE_SRCDIR/pipelines/samples" photos
mkdir here there
cp "$AXLE_SRCDIR/pipelines/thumbnails.yaml" here/p.yaml
cp "$AXLE_SRCDIR/pipelines/thumbnails.yaml" there/p.yaml

(cd here && "$AXLE" run p.yaml input="$T_TMP/photos" --slices 3 > out 2> err)
ok $? "the local run succeeds"
(cd there && mpi_run 3 p.yaml input="$T_TMP/photos" --slices 3 > out 2> err)
ok $? "the run over three ranks succeeds"
is "$(grep -c ' built ' there/out)" 4 "and builds the four jobs"

is "$(ls there/axle-work/index)" "$(ls here/axle-work/index)" "the same job identities"
# job.json, summary.json and manifest.txt hold times, runs.jsonl the history:
# all else is the same.
diff -r -x job.json -x summary.json -x manifest.txt -x runs.jsonl here/axle-work there/axle-work > diffs 2>&1
ok $? "datasets, exported files, results and logs are byte for byte the same"
sed 's/^/# /' diffs | head -20
is "$(ls there/axle-work/axle-work-3/output | wc -l)" "$(ls photos | wc -l)" \
    "the export wrote its files"

# export into a folder of the user's (dest): rank 0's export keeps the
# folder (its lock, its manifest); the others only write their files.
# The same dest (an option, so part of the identity), moved aside between.
for w in here there; do
    sed "s|format: jpeg, quality: \"\${quality}\"}|format: jpeg, quality: \"\${quality}\", dest: $T_TMP/out}|" "$AXLE_SRCDIR/pipelines/thumbnails.yaml" > $w/dest.yaml
done
(cd here && "$AXLE" run dest.yaml input="$T_TMP/photos" > out3 2> err3)
ok $? "a local run exporting to a dest folder succeeds"
mv out here-out
(cd there && mpi_run 3 dest.yaml input="$T_TMP/photos" > out3 2> err3)
ok $? "and so does one over three ranks"
sed 's/^/# /' there/err3 | head -5
is "$(grep -c ' built ' there/out3)" 1 "which builds only the export"
mv out there-out
diff -r -x '.axle*' here-out there-out > diffs 2>&1
ok $? "the files in dest are byte for byte the same"
is "$(ls there-out | wc -l)" "$(ls photos | wc -l)" "and all there"

(cd here && mpi_run 3 p.yaml input="$T_TMP/photos" > out2 2> err2)
is "$(grep -c ' reused ' here/out2)" 4 "a workdir built locally is reused under --mpi"
(cd there && "$AXLE" run p.yaml input="$T_TMP/photos" > out2 2> err2)
is "$(grep -c ' reused ' there/out2)" 4 "and one built under --mpi is reused locally"

# Incremental under --mpi: a photo added and one removed; the ranks build
# on the last jobs (the export links the unchanged files once, on rank 0)
# and the result is a cold local run's, byte for byte.
first=$(ls photos | head -1)
cp "photos/$first" "photos/added-$first"
rm "photos/$(ls photos | tail -1)"
(cd there && mpi_run 3 p.yaml input="$T_TMP/photos" > out4 2> err4)
ok $? "an incremental run over three ranks succeeds"
sed 's/^/# /' there/err4 | head -5
is "$(grep -c 'built incrementally' there/out4)" 3 "import, thumbs and export build on their last jobs"
mkdir cold
cp "$AXLE_SRCDIR/pipelines/thumbnails.yaml" cold/p.yaml
(cd cold && "$AXLE" run p.yaml input="$T_TMP/photos" --slices 3 > out 2> err)
diff -r there/axle-work/latest/export/output cold/axle-work/latest/export/output > diffs 2>&1
ok $? "its exported files are a cold local run's"
sed 's/^/# /' diffs | head -5
for s in import thumbs export shapes; do
    cmp -s there/axle-work/latest/$s/result.json cold/axle-work/latest/$s/result.json
    ok $? "and so is the $s result"
done
done_testing
