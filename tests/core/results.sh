#!/bin/sh
# results.sh - a method reading rows with axle_rows, passing structured
# results from its slices to synthesis and building its job result with
# axle_json: the merged numbers are right, and floats read as written on
# the run line and in `axle job` (176.43, not 176.43000000000001).
. "$AXLE_SRCDIR/tests/lib.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

S="$AXLE_SRCDIR/pipelines/samples"
mkdir photos
cp "$S/harbour.jpg" "$S/tower.jpg" "$S/meadow.webp" photos/
cp "$S/tiny.jpg" photos/small.jpg
cat > p.yaml <<'YAML'
workdir: wd
slices: 3
params:
  value: 176.43
  nan: false
jobs:
  import:
    method: import_images
    options: {files: photos}
  stats:
    method: test_results
    datasets: {source: import}
    options: {value: "${value}", nan: "${nan}"}
YAML
"$AXLE" run p.yaml > out 2> err
is "$?" 0 "the run succeeds"
sed 's/^/# /' out err
contains out '{"images":4,"jpeg":3,"smallest":"small.jpg","value":176.43}' \
    "the run line shows the merged result, the float as written"
"$AXLE" job stats -p p.yaml > job.txt 2>&1
check "axle job shows the result as written" -- grep -q '"value": 176.43$' job.txt
check "and the option too" -- grep -q '^  value  *176.43$' job.txt
if grep -q 176.4300000 out job.txt; then ok 1 "no float shows 17 digits"
else ok 0 "no float shows 17 digits"; fi
contains wd/wd-2/result.json '"smallest": "small.jpg", "value": 176.43}' \
    "result.json holds the builder's text"
check "each slice's results are a file in the job folder" -- \
    test -f wd/wd-2/slice-0.results.json -a -f wd/wd-2/slice-2.results.json

"$AXLE" run p.yaml value=0.30000000000000004 > out2 2> err2
contains out2 '"value":0.30000000000000004}' "a float that needs 17 digits keeps them"
"$AXLE" run p.yaml value=1e300 > out3 2> err3
contains out3 '"value":1e300}' "1e300 stays short"

"$AXLE" run p.yaml nan=true > out4 2> err4
is "$?" 1 "a refused result call that the method did not check fails the job"
contains err4 "returned, but its results failed: a result call was refused: \
axle_result_set_float: result 'bad' is NaN" "naming the call and the reason"
done_testing
