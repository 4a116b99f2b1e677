#!/bin/sh
# The job identity covers the libaxle actually loaded (decoders, encoders
# and the probe live there): another build of it rebuilds every step and
# `axle job` says "libaxle changed"; the same bytes elsewhere change nothing.
. "$AXLE_SRCDIR/tests/lib.sh"

# The libtool wrapper puts the build's libaxle first on LD_LIBRARY_PATH;
# the program behind it lets our copy come first instead.
bin="$(dirname "$AXLE")/.libs/$(basename "$AXLE")"
[ -x "$bin" ] || bin=$AXLE
libdir="$AXLE_BUILDDIR/lib/.libs"
[ -f "$libdir/libaxle.so.0" ] || skip_all "no built libaxle.so.0 in $libdir"
with_lib() {  # with_lib DIR axle-args...: run axle with DIR's libaxle
    d=$1; shift
    LD_LIBRARY_PATH="$d:$libdir" "$bin" "$@"
}

cat > p.yaml <<'YAML'
workdir: wd
slices: 2
jobs:
  up:
    method: test_counter
    options: {counter: up.log}
  down:
    method: test_counter
    datasets: {source: up}
    options: {counter: down.log}
YAML
"$AXLE" run p.yaml > out1 2> err1
ok $? "first run, with the build's libaxle"
grep -q '"libaxle_sha256": "[0-9a-f]\{64\}"' wd/wd-1/job.json
ok $? "the identity record holds libaxle's digest"

mkdir same other
cp "$libdir/libaxle.so.0" same/
with_lib same run p.yaml > out2 2> err2
ok $? "run with a copy of the same libaxle"
is "$(grep -c ' reused ' out2)" 2 "the same bytes from another file reuse every job"

# Another build: the same code, other bytes (a note section added).
cp "$libdir/libaxle.so.0" other/
objcopy --add-section .note.rebuild=p.yaml other/libaxle.so.0 2>/dev/null ||
    printf 'another build' >> other/libaxle.so.0
with_lib other run p.yaml > out3 2> err3
ok $? "run with another build of libaxle"
is "$(awk '{print $1, $3}' out3 | head -2 | tr '\n' ' ')" "up built down built " \
    "every step is rebuilt"
with_lib other job up --workdir wd --json > job.json
contains job.json "$PWD/other/libaxle.so.0" "job.json names the libaxle that was loaded"
with_lib other job up --workdir wd > job.txt
contains job.txt "libaxle changed" "axle job says libaxle changed"

with_lib other run p.yaml > out4 2> err4
is "$(grep -c ' reused ' out4)" 2 "the next run with it reuses every job"
done_testing
