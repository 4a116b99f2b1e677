#!/bin/sh
# The loader refuses what is not a usable method, naming the file and why.
. "$AXLE_SRCDIR/tests/lib.sh"

refuse() {  # refuse METHOD EXPECTED DESCRIPTION
    printf 'jobs:\n  x:\n    method: %s\n' "$1" > p.yaml
    "$AXLE" run p.yaml > out 2> err
    rc=$?
    is "$rc" 2 "$3: exit status 2"
    contains err "$2" "$3: message"
}
refuse test_bad_abi "test_bad_abi.so: built for SDK ABI 2.0, host is 1.4" "future ABI"
# A method built before the SDK's second edition (ABI 1.0) still loads.
printf 'jobs:\n  x:\n    method: test_abi_1_0\n' > p.yaml
"$AXLE" run p.yaml > out 2> err
is "$?" 0 "a method built for ABI 1.0 loads and runs on ABI 1.4"
contains out '{"abi":"1.0"}' "and its result is recorded"
refuse test_no_entry "test_no_entry.so: exports none of prepare, analysis, synthesis" "no entry points"
refuse test_not_method "test_not_method.so: not an axle method" "no descriptor"
refuse test_misnamed "method name 'something_else' does not match file name 'test_misnamed'" "name mismatch"
refuse no_such_method "unknown method 'no_such_method'" "unknown method"
contains err "p.yaml:3:13: error:" "unknown method error has file, line and column"
echo "not an elf" > fake.so
refuse ./fake.so "fake.so: cannot load" "not a shared object"
contains err "p.yaml:3:13" "the place of the method in the pipeline"

printf 'jobs:\n  x:\n    method: test_counter\n    options: {counter: c.log}\n' > p.yaml
"$AXLE" methods > m.txt
contains m.txt "test_counter" "axle methods lists the test method"
contains m.txt "test_bad_abi" "and the refused ones"
contains m.txt "refused: " "saying why"
mkdir shadow && cp "$AXLE_TEST_METHODS/test_counter.so" shadow/
AXLE_METHOD_PATH="$PWD/shadow:$AXLE_METHOD_PATH" "$AXLE" methods test_counter > m2.txt
contains m2.txt "$PWD/shadow/test_counter.so" "the first in AXLE_METHOD_PATH wins"
contains m2.txt "shadowed" "the other copy is listed as shadowed"
contains m2.txt "counter " "options are listed"
contains m2.txt "rows each slice writes" "with their help"
# A core run from its build tree finds the build's methods before the
# installed ones, without AXLE_METHOD_PATH (an older `make install` must
# not shadow them).
env -u AXLE_METHOD_PATH "$AXLE" methods > m3.txt 2>&1
first=$(grep -m1 'thumbnailer ' m3.txt | awk '{print $NF}')
is "$first" "$AXLE_BUILDDIR/plugins/.libs/thumbnailer.so" \
    "a build-tree axle loads the build's thumbnailer first"
contains m3.txt "search order: $AXLE_BUILDDIR/plugins/.libs" "and says so in its search order"
done_testing
