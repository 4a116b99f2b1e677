# shellcheck shell=bash disable=SC2034 # its variables are used by the scripts that source it
# bench/common.sh - sourced by the bench scripts: where things are, how to
# time a command, how to build the small C helpers.  Not a test: nothing
# here is run by `make check`.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(dirname "$BENCH_DIR")
PY=${PYTHON_PIL:-/usr/bin/python3}   # the python that has PIL
NPROC=$(nproc)

die() { echo "${0##*/}: $*" >&2; exit 1; }
say() { echo "${0##*/}: $*" >&2; }

# use_build [DIR]: the axle to measure.  With a build folder, its
# core/axle and its methods (plugins/.libs first in AXLE_METHOD_PATH);
# without, the installed `axle` and its installed methods.
use_build() {
    if [ -n "${1:-}" ]; then
        BUILD=$(cd "$1" && pwd) || die "no build folder $1"
        AXLE=$BUILD/core/axle
        [ -x "$AXLE" ] || die "$AXLE is not built (make in $BUILD)"
        # libtool's executable itself, not its wrapper script: the wrapper's
        # shell costs 10-20 ms of CPU a run, which an installed axle does
        # not pay and which is 0.1-0.2% of a 400-photo cold run
        if [ -x "$BUILD/core/.libs/axle" ]; then
            AXLE=$BUILD/core/.libs/axle
            export LD_LIBRARY_PATH=$BUILD/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
        fi
        export AXLE_METHOD_PATH=$BUILD/plugins/.libs${AXLE_METHOD_PATH:+:$AXLE_METHOD_PATH}
    else
        BUILD=
        AXLE=$(command -v axle) || die "axle is not on PATH: install it, or give --build DIR"
    fi
}

now() { date +%s.%N; }

# seconds_since T0: wall time since T0 (from now), to the millisecond.
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.4f", b - a }'; }

# timed OUTFILE CMD...: run CMD under /usr/bin/time; OUTFILE gets
# "user sys maxrss_kb" (maxrss: the largest process of the tree, as
# getrusage(RUSAGE_CHILDREN) reports it).  Returns CMD's status.
timed() {
    local out=$1; shift
    /usr/bin/time -f '%U %S %M' -o "$out" "$@"
}

# Pull every file of a list into the page cache, so that no tool pays the
# disk for the others (the VM's memory manager may have dropped them).
warm() { cat "$@" > /dev/null; }

# cc_build OUT SRC [CFLAGS/LIBS...]: build a helper when its source is newer.
cc_build() {
    local out=$1 src=$2; shift 2
    if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
        ${CC:-cc} -O2 -Wall -Wextra -o "$out" "$src" "$@" || die "cannot build $out"
    fi
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# chain_workdir NAME PHOTO COUNT IMAGES SIZE: the incremental benchmarks'
# setup (chains.sh, compaction.sh): COUNT photos of PHOTO (WxH) made by
# make_corpus.py into $corpus, a temporary $work (removed on exit) whose
# in/ holds the first IMAGES of them, $all the corpus's names in order,
# and $work/p.yaml: thumbnails.yaml's four steps into SIZE (WxH) with the
# thumbnailer's default store, the workdir a param `wd`.
chain_workdir() {
    local name=$1 photo=$2 count=$3 images=$4 size=$5 f
    corpus=$BENCH_DIR/.corpus-$photo
    "$PY" "$BENCH_DIR/make_corpus.py" --out "$corpus" --count "$count" \
        --webp-count 0 --size "$photo" >&2
    work=$(mktemp -d "${TMPDIR:-/tmp}/axle-$name.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$work'" EXIT
    mapfile -t all < <(ls "$corpus/jpeg" | sort)
    mkdir "$work/in"
    for f in "${all[@]:0:$images}"; do cp "$corpus/jpeg/$f" "$work/in/"; done
    local w=${size%x*} h=${size#*x}
    cat > "$work/p.yaml" <<YAML
params:
  wd: wd
jobs:
  import:
    method: import_images
    options: {files: "$work/in"}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: [$w, $h]}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {column: thumb, format: jpeg, quality: 85}
  shapes:
    method: shapehist
    datasets: {source: import}
workdir: "$work/\${wd}"
YAML
}
