#!/bin/sh
# What the core reads whole must be a regular file: a method path naming a
# FIFO or a device is refused at once (it used to hang, or hash /dev/zero
# for ever); a pipeline may be a regular file or a pipe, not a device.
# `timeout` only stops a hang from stopping the suite.
. "$AXLE_SRCDIR/tests/lib.sh"

run() {  # run FILE: axle run, its status in $rc
    timeout 60 "$AXLE" run "$1" > out 2> err
    rc=$?
}

mkfifo fifo.so
printf 'jobs:\n  x:\n    method: ./fifo.so\n' > p.yaml
run p.yaml
is "$rc" 2 "a FIFO as method path: exit 2, no hang"
contains err "p.yaml:3:13: error: $PWD/fifo.so: a FIFO, not a regular file" "saying what it is"

printf 'jobs:\n  x:\n    method: /dev/zero\n' > z.yaml
run z.yaml
is "$rc" 2 "/dev/zero as method: exit 2, no endless read"
contains err "/dev/zero: a character device, not a regular file" "saying what it is"

mkdir methods && mkfifo methods/stuck.so
AXLE_METHOD_PATH="$PWD/methods:$AXLE_METHOD_PATH" timeout 60 "$AXLE" methods > m.txt 2>&1
is "$?" 0 "axle methods with a FIFO among the methods does not hang"
contains m.txt "refused: $PWD/methods/stuck.so: a FIFO, not a regular file" "and lists it as refused"

run /dev/zero
is "$rc" 2 "/dev/zero as pipeline: exit 2"
contains err "/dev/zero: error: cannot read: a character device, not a regular file or a pipe" \
    "a device is not a pipeline"

mkfifo pipe.yaml
run pipe.yaml
is "$rc" 2 "a FIFO nobody writes as pipeline: exit 2, no hang"
contains err "pipe.yaml:1:1: error: a pipeline is a mapping" "it reads as empty"

printf 'jobs:\n  x:\n    method: test_counter\n    options: {counter: c.log}\n' > ok.yaml
cat ok.yaml | timeout 60 "$AXLE" run /dev/stdin > out 2> err
ok $? "a pipeline from a pipe still runs"
done_testing
