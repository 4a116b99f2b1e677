#!/bin/sh
# `axle new NAME`: a method folder made from the template that builds with
# its own Makefile (flags from pkg-config: -O2, warnings, reproducible)
# and runs with `make run`; axle methods takes the .so by path; an
# existing folder is never written into.
. "$AXLE_SRCDIR/tests/lib.sh"

command -v pkg-config >/dev/null || skip_all "no pkg-config"
command -v make >/dev/null || skip_all "no make"
# The build tree's SDK (axle-uninstalled.pc), whatever is installed.
PKG_CONFIG_PATH="$AXLE_BUILDDIR/sdk"
export PKG_CONFIG_PATH
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make "$@"; }

"$AXLE" new demo > new.out 2> new.err
is $? 0 "axle new demo succeeds"
is "$(cd demo && ls | tr '\n' ' ')" "Makefile demo.c demo.yaml " \
    "it writes demo/ with demo.c, a Makefile and demo.yaml"
contains new.out "demo/demo.c" "and lists what it wrote"
grep -q 'AXLE_METHOD(demo,' demo/demo.c
is $? 0 "demo.c declares the method demo"
is "$(grep -l method_template demo/* | wc -l)" 0 "no file still says method_template"
for f in demo.c Makefile demo.yaml; do
    t=$(echo "$f" | sed 's/demo/method_template/')
    sed 's/method_template/demo/g' "$AXLE_SRCDIR/sdk/template/$t" > want
    cmp -s want "demo/$f"
    is $? 0 "demo/$f is the template's $t with the name replaced"
done

mk -C demo CFLAGS=-Werror > build.out 2>&1
is $? 0 "make -C demo builds, warning-free"
[ -f demo/demo.so ]
is $? 0 "into demo/demo.so"
for flag in -O2 -fPIC -Wall -Wextra -Wmissing-prototypes -Werror=date-time \
    "-ffile-prefix-map=$PWD/demo=."; do
    contains build.out "$flag" "built with $flag (from axle.pc's method_cflags)"
done

"$AXLE" methods ./demo/demo.so > m.out 2> m.err
is $? 0 "axle methods ./demo/demo.so takes a path"
contains m.out "$PWD/demo/demo.so" "and shows that file"
contains m.out "options:" "with its options"
contains m.out "source " "and inputs"
(cd demo && "$AXLE" methods demo.so) > m2.out 2>&1
contains m2.out "$PWD/demo/demo.so" "a bare NAME.so is a path too, against the current folder"
"$AXLE" methods ./nothing.so > m3.out 2> m3.err
is $? 2 "a path to nothing: exit 2"
contains m3.err "nothing.so: No such file or directory" "saying so"
echo "not a shared object" > fake.so
"$AXLE" methods ./fake.so > m4.out 2>&1
is $? 1 "a file that is not a method: exit 1"
contains m4.out "refused: " "listed as refused"

AXLE_PROGRESS=never mk -C demo run AXLE="$AXLE" > run.out 2> run.err
is $? 0 "make run runs demo.yaml"
contains run.out "demo " "with the method demo as a step"
n=$(find "$AXLE_SRCDIR/pipelines/samples" -type f | wc -l)
contains run.out "\"images\":$n" "on the sample images"
AXLE_PROGRESS=never mk -C demo run AXLE="$AXLE" > run2.out 2> run2.err
contains run2.out "2 jobs: 0 built, 2 reused" "a second make run reuses both jobs"

# Reproducible: the same source built in two folders, with debug
# information, gives the same bytes, so the jobs are the same jobs.
"$AXLE" new demo elsewhere > /dev/null 2>&1
mk -C demo clean > /dev/null 2>&1
[ ! -f demo/demo.so ]
is $? 0 "make clean removes demo.so"
mk -C demo CFLAGS=-g > /dev/null 2>&1 && mk -C elsewhere CFLAGS=-g > /dev/null 2>&1
cmp -s demo/demo.so elsewhere/demo.so
is $? 0 "the same source built with -g in two folders gives the same .so"

cp demo/demo.c keep.c
"$AXLE" new demo > again.out 2> again.err
is $? 2 "axle new refuses an existing folder (exit 2)"
contains again.err "demo: error: already exists" "saying so"
cmp -s keep.c demo/demo.c
is $? 0 "and leaves it as it was"
mkdir empty
"$AXLE" new demo empty > e.out 2> e.err
is $? 2 "even an empty one"
"$AXLE" new my-method > bad.out 2> bad.err
is $? 2 "a name that is not an identifier is refused"
contains bad.err "'my-method' is not a method name" "naming it"
[ ! -e my-method ]
is $? 0 "and nothing is written"
"$AXLE" new > u.out 2> u.err
is $? 2 "axle new without a name: usage, exit 2"
contains u.err "usage: axle new NAME [DIR]" "the usage"
done_testing
