#!/bin/sh
# Identity: an explicit default gives the same job; a different build of
# the .so rebuilds that job and its dependants only.
. "$AXLE_SRCDIR/tests/lib.sh"

mkdir m
cp "$AXLE_TEST_METHODS/test_counter.so" m/
cat > p.yaml <<'YAML'
workdir: wd
slices: 2
jobs:
  up:
    method: test_counter
    options: {counter: up.log}
  mid:
    method: ./m/test_counter.so
    datasets: {source: up}
    options: {counter: mid.log}
  down:
    method: test_counter
    datasets: {source: mid}
    options: {counter: down.log}
YAML
"$AXLE" run p.yaml > out1 2> err1
ok $? "first run"

sed 's/options: {counter: up.log}/options: {counter: up.log, value: 5, label: x}/' p.yaml > p2.yaml
"$AXLE" run p2.yaml > out2 2> err2
is "$(grep -c ' reused ' out2)" 3 "writing the defaults explicitly changes no identity"

# A different build: same source, other bytes (a note section appended).
objcopy --add-section .note.rebuild=p.yaml m/test_counter.so 2>/dev/null ||
    printf 'x' >> m/test_counter.so
"$AXLE" run p.yaml > out3 2> err3
ok $? "run after replacing the .so"
is "$(awk '{print $1, $3}' out3 | head -3 | tr '\n' ' ')" "up reused mid built down built " "replaced .so rebuilds its job and dependants only"
"$AXLE" job mid --workdir wd > job.txt
contains job.txt "the .so changed" "axle job says the .so changed"
grep -q '"so_sha256"' wd/*/job.json
ok $? "the .so digest is recorded readably"
done_testing
