#!/bin/bash
# bench/thumbs.sh - axle's thumbnail pipeline against what users have
# (vipsthumbnail, Pillow with draft()) and against the floor (decode only
# at the scale axle picks), on the same cores, issue 5.
#
# usage: bench/thumbs.sh [--images N] [--webp-images N] [--corpus DIR]
#                        [--runs R] [--build DIR] [--sizes "640x338 256x256"]
#                        [--formats "jpeg progressive webp"]
#                        [--tools "axle axlefast vips pillow probe probe1 cp"]
#                        [--results DIR] [--no-rss]
#
#   --images N       JPEG images (200); --webp-images N: WebP images (50)
#   --corpus DIR     a folder of your own images (*.jpg, *.jpeg, *.webp), or
#                    where to make/reuse the generated corpus (bench/.corpus)
#   --runs R         repetitions of every measurement, alternating (3)
#   --build DIR      measure the axle of a build folder (DIR/core/axle and
#                    DIR/plugins/.libs); default: the installed axle
#   --results DIR    where raw timings, logs and summary.md go
#                    (bench/.results/thumbs-DATE)
#   --no-rss         skip the extra runs that measure peak memory per slice
#
# Formats: jpeg, webp, and progressive: the JPEG set made progressive by
# jpegtran (lossless: the same coefficients in libjpeg's standard scan
# script; kept beside the generated corpus, in the results for --corpus).
#
# Tools: axle (the pipeline, cold), axlefast (the same with the
# thumbnailer's `quality: fast`), vips (vipsthumbnail), pillow
# (pillow_thumbs.py), probe (decode_probe.c at axle's scale: the floor),
# probe1 (decode_probe.c at margin 1, the scale Pillow's draft() picks),
# cp (copying the files to a new folder: the anchor for the import step).
#
# Every measurement starts from a cold axle workdir and a fresh output
# folder, with the input files in the page cache (read once before each
# run; see BENCHMARKS.md).  Prints a summary in Markdown, kept in
# RESULTS/summary.md.  A benchmark, never part of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

images=200 webp_images=50 corpus='' runs=3 build='' results='' rss=1
sizes="640x338 256x256" formats="jpeg progressive webp"
tools="axle axlefast vips pillow probe probe1 cp"
while [ $# -gt 0 ]; do
    case $1 in
    --images) images=$2; shift ;;
    --webp-images) webp_images=$2; shift ;;
    --corpus) corpus=$2; shift ;;
    --runs) runs=$2; shift ;;
    --build) build=$2; shift ;;
    --sizes) sizes=$2; shift ;;
    --formats) formats=$2; shift ;;
    --tools) tools=$2; shift ;;
    --results) results=$2; shift ;;
    --no-rss) rss= ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ "$runs" -ge 1 ] || die "--runs must be at least 1"
[[ " $tools " != *" axle"* ]] || use_build "$build"
AXLE=${AXLE:-}
command -v vipsthumbnail > /dev/null || tools=${tools/vips/}
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"

results=${results:-$BENCH_DIR/.results/thumbs-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results"
results=$(cd "$results" && pwd)
scratch=$results/scratch
rm -rf "$scratch"
mkdir -p "$scratch"

# ---- the corpus ----------------------------------------------------------
# A folder of images is used as it is; otherwise the generated corpus is
# made (or reused) there.
corpus=${corpus:-$BENCH_DIR/.corpus}
if [ -d "$corpus" ] && [ ! -e "$corpus/corpus.json" ] &&
   [ -n "$(find "$corpus" -maxdepth 1 \( -iname '*.jp*g' -o -iname '*.webp' \) -print -quit)" ]; then
    jpeg_dir=$corpus webp_dir=$corpus prog_dir=$scratch/progressive
else
    "$PY" "$BENCH_DIR/make_corpus.py" --out "$corpus" --count "$images" --webp-count "$webp_images"
    jpeg_dir=$corpus/jpeg webp_dir=$corpus/webp prog_dir=$corpus/progressive
fi
corpus=$(cd "$corpus" && pwd)

# input_set FORMAT: the first N files (sorted) as an array FILES and a folder
# SET holding exactly them (the folder itself, or hard links to them).
input_set() {
    local dir want pat
    if [ "$1" = jpeg ]; then dir=$jpeg_dir want=$images pat='.*\.jpe?g$'
    elif [ "$1" = progressive ]; then dir=$prog_dir want=$images pat='.*\.jpe?g$'
    else dir=$webp_dir want=$webp_images pat='.*\.webp$'; fi
    dir=$(cd "$dir" && pwd)
    mapfile -t all < <(find "$dir" -maxdepth 1 -type f -iregex "$pat" | LC_ALL=C sort)
    [ "${#all[@]}" -ge "$want" ] || die "$dir has ${#all[@]} $1 files, $want wanted"
    FILES=("${all[@]:0:$want}")
    # The folder itself only when it holds nothing else (axle imports a
    # folder recursively, other formats included).
    if [ "$(find "$dir" -mindepth 1 | wc -l)" -eq "$want" ]; then
        SET=$dir
    else
        SET=$scratch/set-$1
        rm -rf "$SET"
        mkdir -p "$SET"
        ln "${FILES[@]}" "$SET"/ 2> /dev/null || cp "${FILES[@]}" "$SET"/
        mapfile -t FILES < <(find "$SET" -maxdepth 1 -type f | LC_ALL=C sort)
    fi
}

# make_progressive: the first N JPEGs as progressive copies in $prog_dir
# (jpegtran: the same coefficients, libjpeg's standard scan script), made
# once per corpus.
make_progressive() {
    command -v jpegtran > /dev/null || die "jpegtran is missing (apt-get install libjpeg-turbo-progs)"
    local src out
    mkdir -p "$prog_dir"
    mapfile -t src < <(find "$(cd "$jpeg_dir" && pwd)" -maxdepth 1 -type f -iregex '.*\.jpe?g$' |
                       LC_ALL=C sort | head -n "$images")
    for f in "${src[@]}"; do
        out=$prog_dir/${f##*/}
        [ -s "$out" ] || jpegtran -copy all -progressive "$f" > "$out" || die "jpegtran failed on $f"
    done
}
[[ " $formats " != *" progressive "* ]] || make_progressive

# ---- the decode-only probe ----------------------------------------------
probe=$scratch/decode_probe
read -ra codec_flags <<< "$(pkg-config --cflags --libs libturbojpeg libwebp)"
cc_build "$probe" "$BENCH_DIR/decode_probe.c" "${codec_flags[@]}" -lm
# The shrink-on-load margins compiled into libaxle: the probe must pick
# the same scale (lib/image/image_internal.h).
margin() { sed -n "/^#define AXLE_MARGIN_$1 /{s/^#define AXLE_MARGIN_$1 \([0-9.]*\).*/\1/p;q}" "$SRC_DIR/lib/image/image_internal.h"; }
margin_jpeg=$(margin JPEG) margin_webp=$(margin WEBP)
margin_jpeg=${margin_jpeg:-1.0} margin_webp=${margin_webp:-2.0}

pipeline=$SRC_DIR/pipelines/thumbnails.yaml
[ -f "$pipeline" ] || die "$pipeline is missing"

raw=$results/raw.tsv
printf 'run\tformat\tsize\ttool\timages\twall\tuser\tsys\tmaxrss_kb\timport\tthumbs\texport\tshapes\tload1\n' > "$raw"

# record RUN FMT SIZE TOOL N WALL TIMEFILE [STEP SECONDS...]
record() {
    local run=$1 fmt=$2 size=$3 tool=$4 n=$5 wall=$6 tf=$7 user sys rss
    read -r user sys rss < <(tail -1 "$tf")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$fmt" "$size" "$tool" "$n" \
        "$wall" "$user" "$sys" "$rss" "${8:--}" "${9:--}" "${10:--}" "${11:--}" "$LOAD1" >> "$raw"
}

# step_seconds CWD OUTFILE STEP: the seconds STEP's job took, from its
# job.json (seconds.total: prepare + slices + synthesis, as the job process
# measured it); the run line prints them to 10 ms only.
step_seconds() {
    local id json
    id=$(awk -v s="$3" '$1 == s { print $2 }' "$2")
    json=$(find "$1" -path "*/$id/job.json" -print -quit)
    "$PY" -c 'import json, sys; print("%.4f" % json.load(open(sys.argv[1]))["seconds"]["total"])' "$json"
}

run_axle() { # run fmt W H [TOOL PIPELINE]
    local tool=${5:-axle} pipe=${6:-$pipeline}
    local cwd=$scratch/axle-cwd log=$results/log/$tool-$2-$3x$4-$1 t0 wall
    rm -rf "$cwd"
    mkdir -p "$cwd"
    warm "${FILES[@]}"
    t0=$(now)
    (cd "$cwd" && timed "$log.time" "$AXLE" run "$pipe" --slices "$NPROC" \
        "input=$SET" "size=[$3,$4]" > "$log.out" 2> "$log.err") ||
        die "axle failed, see $log.err"
    wall=$(seconds_since "$t0")
    grep -q ' built ' "$log.out" || die "axle built nothing (not a cold workdir?): $log.out"
    # The export step's job folder holds the thumbnails: count them.
    local id n
    id=$(awk '$1 == "export" { print $2 }' "$log.out")
    n=$(find "$cwd" -path "*/$id/output/*" -type f | wc -l)
    [ "$n" -eq "${#FILES[@]}" ] || die "axle exported $n of ${#FILES[@]} thumbnails: $log.out"
    record "$1" "$2" "$3x$4" "$tool" "${#FILES[@]}" "$wall" "$log.time" \
        "$(step_seconds "$cwd" "$log.out" import)" "$(step_seconds "$cwd" "$log.out" thumbs)" \
        "$(step_seconds "$cwd" "$log.out" export)" "$(step_seconds "$cwd" "$log.out" shapes)"
    rm -rf "$cwd"
}

# The same pipeline with the thumbnailer's `quality: fast` (margin 1).
pipeline_fast=$scratch/thumbnails-fast.yaml
sed 's/options: {size: "${size}",/options: {size: "${size}", quality: fast,/' "$pipeline" > "$pipeline_fast"
grep -q 'quality: fast' "$pipeline_fast" || die "cannot add quality: fast to $pipeline"
run_axlefast() { run_axle "$@" axlefast "$pipeline_fast"; }

run_vips() {
    local out=$scratch/vips-out log=$results/log/vips-$2-$3x$4-$1 t0 wall
    local chunk=$(( (${#FILES[@]} + NPROC - 1) / NPROC ))
    rm -rf "$out"
    mkdir -p "$out"
    warm "${FILES[@]}"
    t0=$(now)
    # One process per CPU, each with one libvips worker thread, each taking
    # a contiguous share of the files: the same split as axle's slices.
    printf '%s\n' "${FILES[@]}" | VIPS_CONCURRENCY=1 timed "$log.time" \
        xargs -d '\n' -P "$NPROC" -n "$chunk" vipsthumbnail --size "$3x$4" -o "$out/%s.jpg[Q=85]" \
        2> "$log.err" || die "vipsthumbnail failed, see $log.err"
    wall=$(seconds_since "$t0")
    record "$1" "$2" "$3x$4" vips "${#FILES[@]}" "$wall" "$log.time"
    rm -rf "$out"
}

run_pillow() {
    local out=$scratch/pillow-out log=$results/log/pillow-$2-$3x$4-$1 t0 wall
    rm -rf "$out"
    warm "${FILES[@]}"
    t0=$(now)
    timed "$log.time" "$PY" "$BENCH_DIR/pillow_thumbs.py" -j "$NPROC" "$3" "$4" "$out" "${FILES[@]}" \
        > "$log.out" 2> "$log.err" || die "pillow_thumbs.py failed, see $log.err"
    wall=$(seconds_since "$t0")
    record "$1" "$2" "$3x$4" pillow "${#FILES[@]}" "$wall" "$log.time"
    rm -rf "$out"
}

run_probe() {
    local log=$results/log/probe-$2-$3x$4-$1 t0 wall
    warm "${FILES[@]}"
    t0=$(now)
    timed "$log.time" "$probe" -j "$NPROC" -m "$margin_jpeg" -M "$margin_webp" "$3" "$4" "${FILES[@]}" \
        > "$log.out" 2> "$log.err" || die "decode_probe failed, see $log.err"
    wall=$(seconds_since "$t0")
    record "$1" "$2" "$3x$4" probe "${#FILES[@]}" "$wall" "$log.time"
}

# The same probe with margin 1: the scale Pillow's draft() picks for JPEG
# (the smallest that still covers the target), to show what axle's
# quality margin costs.
run_probe1() {
    local log=$results/log/probe1-$2-$3x$4-$1 t0 wall
    warm "${FILES[@]}"
    t0=$(now)
    timed "$log.time" "$probe" -j "$NPROC" -m 1 -M 1 "$3" "$4" "${FILES[@]}" \
        > "$log.out" 2> "$log.err" || die "decode_probe failed, see $log.err"
    wall=$(seconds_since "$t0")
    record "$1" "$2" "$3x$4" probe1 "${#FILES[@]}" "$wall" "$log.time"
}

# cp of the same files into a fresh folder: the anchor for axle's import
# step, which copies the bitstreams into its dataset ("disk speed").
run_cp() {
    local out=$scratch/cp-out log=$results/log/cp-$2-$3x$4-$1 t0 wall
    rm -rf "$out"
    mkdir -p "$out"
    warm "${FILES[@]}"
    t0=$(now)
    timed "$log.time" cp "${FILES[@]}" "$out"/ 2> "$log.err" || die "cp failed, see $log.err"
    wall=$(seconds_since "$t0")
    record "$1" "$2" "$3x$4" cp "${#FILES[@]}" "$wall" "$log.time"
    rm -rf "$out"
}

mkdir -p "$results/log"
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "axle: $AXLE (AXLE_METHOD_PATH=${AXLE_METHOD_PATH:-})"
    echo "corpus: $corpus ($images JPEG, $webp_images WebP)"
    echo "cpus: $NPROC; runs: $runs; sizes: $sizes; formats: $formats; tools: $tools"
    echo "margins: jpeg $margin_jpeg webp $margin_webp"
} > "$results/setup.txt"
cat "$results/setup.txt" >&2

for run in $(seq 1 "$runs"); do
    for fmt in $formats; do
        input_set "$fmt"
        for size in $sizes; do
            w=${size%x*} h=${size#*x}
            for tool in $tools; do
                say "run $run/$runs: $fmt $size $tool"
                # The machine's load just before: other work skews wall times.
                LOAD1=$(cut -d' ' -f1 /proc/loadavg)
                "run_$tool" "$run" "$fmt" "$w" "$h"
            done
        done
    done
done

# ---- peak memory per slice ------------------------------------------------
# Separate runs under rss_watch.py (its polling would cost the timed runs
# a little CPU): per (format, size), and for JPEG also with a quarter of
# the images, to show whether a slice's peak grows with the image count.
rsstsv=$results/rss.tsv
printf 'format\tsize\timages\tprocess\tcount\thwm_kb\tanon_kb\tfile_kb\n' > "$rsstsv"
rss_run() { # fmt W H
    local cwd=$scratch/axle-cwd log=$results/log/rss-$1-$2x$3-${#FILES[@]}
    rm -rf "$cwd"
    mkdir -p "$cwd"
    (cd "$cwd" && "$PY" "$BENCH_DIR/rss_watch.py" --json "$log.json" -- \
        "$AXLE" run "$pipeline" --slices "$NPROC" "input=$SET" "size=[$2,$3]" \
        > "$log.out" 2> "$log.err") || die "axle failed under rss_watch.py, see $log.err"
    # One row per kind of process: axle, the job processes, and the
    # slices of each step (job ids mapped to steps by the run's lines).
    "$PY" - "$log.json" "$log.out" "$1" "$2x$3" "${#FILES[@]}" >> "$rsstsv" <<'PYEOF'
import json, sys
procs = json.load(open(sys.argv[1]))["processes"]
step = {}
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) >= 3 and f[2] in ("built", "reused"):
        step[f[1]] = f[0]
groups = {}
for p in procs:
    name = ("axle" if p["depth"] == 0 else "job processes" if p["depth"] == 1
            else "slices of " + step.get(p["label"], p["label"] or "?"))
    groups.setdefault(name, []).append(p)
for name, ps in groups.items():
    print("\t".join([sys.argv[3], sys.argv[4], sys.argv[5], name, str(len(ps))] +
                    [str(max(p[k] for p in ps)) for k in ("hwm_kb", "anon_kb", "file_kb")]))
PYEOF
    rm -rf "$cwd"
}
if [ -n "$rss" ] && [[ " $tools " == *" axle "* ]]; then
    for fmt in $formats; do
        input_set "$fmt"
        for size in $sizes; do
            say "peak memory: $fmt $size"
            rss_run "$fmt" "${size%x*}" "${size#*x}"
        done
        if [ "$fmt" = jpeg ] && [ "${#FILES[@]}" -ge 8 ]; then
            size=${sizes%% *}
            FILES=("${FILES[@]:0:$(( ${#FILES[@]} / 4 ))}")
            SET=$scratch/set-quarter
            rm -rf "$SET"
            mkdir -p "$SET"
            ln "${FILES[@]}" "$SET"/ 2> /dev/null || cp "${FILES[@]}" "$SET"/
            say "peak memory: $fmt $size, ${#FILES[@]} images"
            rss_run "$fmt" "${size%x*}" "${size#*x}"
        fi
    done
fi

# The scale the probe (and axle) decode at, for the record.
for fmt in $formats; do
    input_set "$fmt"
    for size in $sizes; do
        for m in "$margin_jpeg $margin_webp" "1 1"; do
            read -r mj mw <<< "$m"
            echo "margin $mj (JPEG), $mw (WebP): $("$probe" -v -j 1 -m "$mj" -M "$mw" "${size%x*}" "${size#*x}" \
                "${FILES[0]}" 2>&1 > /dev/null | sed "s|^.*/||")"
        done
    done
done > "$results/scales.txt"

rm -rf "$scratch"
"$PY" "$BENCH_DIR/summarize.py" "$results" | tee "$results/summary.md"
say "raw timings, logs and summary in $results"
