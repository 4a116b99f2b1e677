#!/bin/sh
# `make install DESTDIR=...`: the guide, the template and the examples land
# under the documentation folder, the template again and the ready
# pipelines with their sample images under the data folder, where axle.pc
# and the guide say; and the installed axle runs `axle run thumbnails` on
# the installed samples.  Every file of the source tree's template,
# examples and pipelines must be installed: one left out fails here.
. "$AXLE_SRCDIR/tests/lib.sh"

command -v pkg-config >/dev/null || skip_all "no pkg-config"
src=$AXLE_SRCDIR
dest=$T_TMP/dest
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$AXLE_BUILDDIR" install \
    DESTDIR="$dest" > inst.out 2>&1
ok $? "make install DESTDIR=... succeeds"
pc=$(find "$dest" -name axle.pc | head -1)
[ -n "$pc" ] || { sed 's/^/# /' inst.out; done_testing; exit 1; }
var() { PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_LIBDIR= PKG_CONFIG_SYSROOT_DIR= \
    pkg-config --variable="$1" axle; }
prefix=$(var prefix)
docdir=$(var docdir)
templatedir=$(var templatedir)
pipelinedir=$(var pipelinedir)
samplesdir=$(var samplesdir)
is "$docdir" "$prefix/share/doc/axle" "axle.pc names the documentation folder (docdir)"
is "$templatedir" "$prefix/share/axle/template" "the template folder"
is "$pipelinedir" "$prefix/share/axle/pipelines" "the pipelines folder"
is "$samplesdir" "$pipelinedir/samples" "and the samples in it"
contains "$pc" "-Wmissing-prototypes" "and the flags methods are built with (method_cflags)"

same() {  # same SOURCE INSTALLED DESCRIPTION
    cmp -s "$1" "$dest$2"
    is $? 0 "$3"
}
same "$src/README.md" "$docdir/README.md" "the README is in the documentation folder"
same "$src/sdk/README.md" "$docdir/sdk/README.md" "the guide is at docdir/sdk/README.md"

# What an author's folder holds, not what building it left there.
shipped() { (cd "$src/$1" && find . -type f ! -name '*.so' ! -name '*.o' \
    ! -name '.*' ! -name '*.mk' | sed 's|^\./||' | sort); }
files=0 missing=""
for f in $(shipped sdk/template); do
    files=$((files + 1))
    cmp -s "$src/sdk/template/$f" "$dest$docdir/sdk/template/$f" || missing="$missing doc:$f"
    cmp -s "$src/sdk/template/$f" "$dest$templatedir/$f" || missing="$missing data:$f"
done
is "$missing" "" "all $files template files, under docdir/sdk/template and the template folder"
missing=""
for f in $(cd "$src/sdk/examples" && find . -mindepth 2 -type f ! -name '*.so' \
    ! -name '*.o' ! -name '.*' | sed 's|^\./||' | sort); do
    cmp -s "$src/sdk/examples/$f" "$dest$docdir/sdk/examples/$f" || missing="$missing $f"
done
is "$missing" "" "every example under docdir/sdk/examples"
missing=""
for f in "$src"/pipelines/*.yaml; do
    cmp -s "$f" "$dest$pipelinedir/$(basename "$f")" || missing="$missing $f"
done
is "$missing" "" "every ready pipeline in the pipelines folder"
missing=""
n=0
for f in $(shipped pipelines/samples); do
    n=$((n + 1))
    cmp -s "$src/pipelines/samples/$f" "$dest$samplesdir/$f" || missing="$missing $f"
done
is "$missing" "" "all $n sample images, subfolders kept"

# The installed axle, as a user who only installed it runs it (the
# installed axle looks in $prefix without DESTDIR: the environment points
# it into DESTDIR).
axle=$(find "$dest" -path '*/bin/axle' -type f | head -1)
LD_LIBRARY_PATH="$dest$(var libdir)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
AXLE_METHOD_PATH="$dest$(var methoddir)" AXLE_PIPELINE_PATH="$dest$pipelinedir" \
AXLE_PROGRESS=never "$axle" run thumbnails --slices 2 > run.out 2> run.err
ok $? "the installed axle runs: axle run thumbnails"
sed 's/^/# /' run.err | grep -i error
contains run.out "\"images\":$n" "on the installed sample images"
contains run.out "4 jobs: 4 built" "all four steps"
done_testing
