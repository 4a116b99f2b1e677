#!/bin/sh
# tests/core/dist_complete.sh - `make dist` carries every file the project
# tracks: a tarball user gets the benchmark scripts BENCHMARKS.md names and
# every test the suite runs.  Needs the source to be a git checkout.
. "$AXLE_SRCDIR/tests/lib.sh"
command -v git >/dev/null || skip_all "git is not installed"
git -C "$AXLE_SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
    skip_all "the source is not a git checkout"

dist=$T_TMP/dist
env -u MAKEFLAGS -u MFLAGS make -s -C "$AXLE_BUILDDIR" distdir distdir="$dist" \
    >distdir.log 2>&1
ok $? "make distdir succeeds"

# Files only git needs are not part of a release.
git -C "$AXLE_SRCDIR" ls-files | grep -v -e '\.gitignore$' -e '^\.gitattributes$' |
    while IFS= read -r f; do [ -e "$dist/$f" ] || echo "$f"; done >missing.txt
is "$(cat missing.txt)" "" "every tracked file is in the distribution (else add it to EXTRA_DIST)"
done_testing
