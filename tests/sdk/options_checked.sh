#!/bin/sh
# Options are checked early: a default that is not a string does not
# compile; a default that does not fit its own option (range, choices, a
# number where text belongs) makes the loader refuse the method, and
# `axle methods` says why; an option read under a wrong name or with the
# getter of another type fails the stage, naming the fix; an enum reads
# as its index.
. "$AXLE_SRCDIR/tests/lib.sh"

cc=${CC:-cc}
command -v "$cc" >/dev/null || cc=gcc
cat > good.c <<'EOF2'
#include <axle/axle.h>
static const axle_option options[] = {
    AXLE_OPTION_INT("q", "85", 1, 100, "quality"),
    AXLE_OPTION_SIZE("size", NULL, 1, 100, "required"),
    AXLE_OPTION_ON_ERROR("skip"),
    AXLE_OPTION_END};
AXLE_METHOD(good, "1.0", "compiles", options, NULL);
EOF2
sed 's/"85"/85/' good.c > bad.c
check "options with string defaults compile warning-free" -- \
    "$cc" -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$AXLE_SRCDIR/sdk" good.c
"$cc" -Wall -Wextra -fsyntax-only -I"$AXLE_SRCDIR/sdk" bad.c > cc.txt 2>&1
is "$?" 1 "AXLE_OPTION_INT(\"q\", 85, ...) does not compile"
contains cc.txt 'write \"85\", not 85' "the compiler says to write the default in quotes"

"$AXLE" methods test_bad_default > m.txt 2>&1
is "$?" 1 "axle methods NAME exits 1 for a method whose default does not fit"
contains m.txt "test_bad_default refused: " "it is listed as refused"
contains m.txt "test_bad_default.so: method 'test_bad_default' declares a default for option 'quality' that does not fit: option 'quality' is 150, outside 1..100" \
    "naming the file, the option and why"
contains m.txt "fix its AXLE_OPTION_* line and rebuild" "and the fix"
"$AXLE" methods > all.txt 2>&1
contains all.txt "test_bad_choice  refused: " "axle methods lists every such method as refused"
contains all.txt "option 'format' is 'gif', not one of: jpeg, webp" \
    "a default not among the choices"
contains all.txt "test_int_default refused: " "a number where the default's text belongs"
contains all.txt "option 'quality': its default is not a string; write it in quotes" \
    "is refused with a message, not a crash"
printf 'jobs:\n  x:\n    method: test_bad_default\n' > b.yaml
"$AXLE" run b.yaml > out 2> err
is "$?" 2 "a pipeline using it cannot load it (exit 2)"
contains err "b.yaml:3:13: error: " "the error points at the method line"
contains err "outside 1..100" "and says why"

cat > m.yaml <<'YAML'
workdir: wd
slices: 2
params:
  mistake: none
  format: jpeg
jobs:
  m:
    method: test_opt_misuse
    options: {mistake: "${mistake}", format: "${format}"}
YAML
"$AXLE" run m.yaml format=png > out 2> err
ok $? "options read right: the job succeeds"
contains out '{"format":2,"quality":85,"width":4}' "axle_opt_enum gives png's index among jpeg|webp|png"

misread() {  # misread MISTAKE EXPECTED DESCRIPTION
    "$AXLE" run m.yaml mistake="$1" > out 2> err
    is "$?" 1 "$3: the run fails though the method returned AXLE_OK"
    contains err "$2" "$3: the message says what to fix"
}
misread typo "prepare() failed: option 'qualty' is not declared by method test_opt_misuse; did you mean 'quality'?" \
    "a misspelt option"
misread getter "prepare() failed: option 'quality' is an int; read it with axle_opt_int, not axle_opt_string" \
    "a string getter on an int"
misread enum_getter "option 'quality' is an int; read it with axle_opt_int, not axle_opt_enum" \
    "the enum getter on an int"
misread index "axle_opt_int_at: option 'size' has 2 elements; index 2 is past its end" \
    "an index past a size's end"
misread slice_typo "failed: option 'formt' is not declared by method test_opt_misuse; did you mean 'format'?" \
    "a misspelt option in a slice"
contains err "analysis() in slice " "the stage named is the slice's"
done_testing
