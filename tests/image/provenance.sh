#!/bin/sh
# provenance.sh - every exported JPEG and WebP names, in its own XMP, the
# axle version, its job's recipe (not its job id or identity, which an
# incremental chain would make differ from a cold run's) and its source;
# the pixels are those of the file without it; the same job gives the same
# bytes; and `axle which` names the job and the chain behind a file, found
# by its image digest: in its workdir, copied and renamed elsewhere, with
# its metadata stripped, from another workdir that wrote the same bytes;
# an unrelated file is not found (exit 1).
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"

xmp() { "$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/xmp.py" "$@"; }

mkdir in
cp -R "$AXLE_SRCDIR/pipelines/samples/." in/
cat >prov.yaml <<'EOF'
params:
  input: in
  size: [128, 128]
jobs:
  import:
    method: import_images
    options: {files: "${input}"}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: "${size}"}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {format: jpeg, quality: 85}
  webp:
    method: export_images
    datasets: {source: thumbs}
    options: {format: webp, quality: 80}
EOF
# run WORKDIR NAME ARGS...: stdout in NAME.out, status in $st.
run() {
    wd=$1 name=$2; shift 2
    sed "1i workdir: $wd" prov.yaml >"$name.yaml"
    "$AXLE" run "$name.yaml" "$@" >"$name.out" 2>"$name.err"; st=$?
    sed 's/^/# /' "$name.out"
}
step_job() { awk -v s="$2" '$1 == s { print $2 }' "$1"; }
recipe_of() { sed -n 's/^  "recipe": "\(.*\)",\{0,1\}$/\1/p' "$1/job.json"; }

run A a
is "$st" 0 "the pipeline runs"
export_id=$(step_job a.out export) webp_id=$(step_job a.out webp)
jpg_dir="A/$export_id/output" webp_dir="A/$webp_id/output"
check "the JPEG export wrote harbour.jpg" -- test -f "$jpg_dir/harbour.jpg"
check "the WebP export wrote harbour.webp" -- test -f "$webp_dir/harbour.webp"

# -- the metadata ---------------------------------------------------------
for f in "$jpg_dir/harbour.jpg" "$webp_dir/2023/lake.webp" "$webp_dir/sticker-alpha.webp" \
         "$jpg_dir/street-grey.jpg"; do
    case $f in *.jpg) id=$export_id ;; *) id=$webp_id ;; esac
    src=${f#*/output/}; src=${src%.*}
    case $src in sticker-alpha|meadow) src=$src.webp ;; *) src=$src.jpg ;; esac
    is "$(xmp field "$f" job)" "" "$f: no XMP axle:job (a chain's files are any job's)"
    is "$(xmp field "$f" identity)" "" "$f: no XMP axle:identity either"
    is "$(xmp field "$f" recipe)" "$(recipe_of "A/$id")" \
        "$f: XMP axle:recipe is the job's recipe"
    is "$(xmp field "$f" version)" "$("$AXLE" --version | awk '{print $2}')" \
        "$f: XMP axle:version is axle's"
    is "$(xmp field "$f" source)" "$src" "$f: XMP axle:source is the source file"
    xmp strip "$f" stripped.img
    check "$f: decodes to the pixels of the same file without its XMP" -- \
        xmp same-pixels "$f" stripped.img
done
xmp show "$jpg_dir/tiny.jpg" >tiny.xmp
contains tiny.xmp 'xmlns:axle="https://axle.dev/ns/1.0/"' "the packet is in axle's namespace"
if grep -q "$(pwd)" tiny.xmp; then ok 1 "the packet holds no path of this machine"
else ok 0 "the packet holds no path of this machine"; fi

# -- deterministic: another workdir, the same jobs, the same bytes ---------
# (job ids are the workdir's name and a number: both are called A)
run two/A a2
is "$st" 0 "a second workdir runs the same pipeline"
check "the same job ids there" -- test "$(step_job a2.out export)" = "$export_id"
check "JPEG files are byte for byte the same" -- diff -r "$jpg_dir" "two/A/$export_id/output"
check "WebP files are byte for byte the same" -- diff -r "$webp_dir" "two/A/$webp_id/output"

# -- axle which -----------------------------------------------------------
"$AXLE" which "$jpg_dir/2023/lake.jpg" >w1.out 2>w1.err; st=$?
sed 's/^/# /' w1.out w1.err
is "$st" 0 "axle which on an exported file, its workdir found from the path"
contains w1.out "job       $export_id in $(pwd)/A, wrote output/2023/lake.jpg" \
    "names the job and the file it wrote"
contains w1.out "found by  its image digest, made by the recipe its metadata names" \
    "says how it was found"
contains w1.out "source    2023/lake.jpg  ($(pwd)/in/2023/lake.jpg)" \
    "names the source photo and its path"
contains w1.out "export  $export_id  export_images  {\"column\":\"thumb\",\"dest\":null,\"format\":\"jpeg\"" \
    "the chain starts at the export with its method and options"
contains w1.out "<- source: thumbs  $(step_job a.out thumbs)  thumbnailer  {" \
    "then the thumbnailer"
contains w1.out "<- source: import  $(step_job a.out import)  import_images  {\"copy\":false,\"files\":[\"$(pwd)/in\"]" \
    "then the import"

mkdir -p far/away
cp "$webp_dir/meadow.webp" far/away/holiday.webp
(cd far/away && "$AXLE" which holiday.webp --workdir ../../A) >w2.out 2>w2.err; st=$?
sed 's/^/# /' w2.out w2.err
is "$st" 0 "axle which on a renamed copy elsewhere (--workdir)"
contains w2.out "job       $webp_id in $(pwd)/A, wrote output/meadow.webp" \
    "the copy is traced to the WebP it was"
contains w2.out "source    meadow.webp" "and to its source"
"$AXLE" which far/away/holiday.webp -p a.yaml >w2p.out 2>&1
contains w2p.out "job       $webp_id" "-p FILE names the workdir too"

for f in "$jpg_dir/phone-rotated.jpg" "$webp_dir/phone-rotated.webp"; do
    xmp strip "$f" "far/bare.${f##*.}"
    is "$(xmp show "far/bare.${f##*.}" | wc -c)" 0 "the stripped copy of $f has no XMP"
    "$AXLE" which "far/bare.${f##*.}" --workdir A >w3.out 2>w3.err; st=$?
    sed 's/^/# /' w3.out w3.err
    is "$st" 0 "axle which finds a metadata-stripped copy of $f"
    contains w3.out "found by  its image digest (the file has no axle metadata)" \
        "by its image digest"
    contains w3.out "wrote output/phone-rotated.${f##*.}" "naming the file it was"
    contains w3.out "source    phone-rotated.jpg" "and its source photo"
done

gen photo unrelated.jpg --size 128x96
"$AXLE" which unrelated.jpg --workdir A >w4.out 2>w4.err; st=$?
is "$st" 1 "an unrelated file: exit 1"
contains w4.err "unrelated.jpg: no axle metadata and no export in $(pwd)/A wrote these bytes" \
    "with the reason"
echo "not an image" >notes.txt
"$AXLE" which notes.txt --workdir A >w5.out 2>w5.err; st=$?
is "$st" 1 "a file that is no image: exit 1"
"$AXLE" which missing.jpg --workdir A >w6.out 2>w6.err; st=$?
is "$st" 2 "a missing file: exit 2"
contains w6.err "missing.jpg" "naming it"

# -- another workdir A: the same bytes there are found, other bytes not ----
run three/A b1 size=[64,64]
run three/A b2
is "$st" 0 "workdir three/A ran 64 then 128 pixels"
b_export=$(step_job b2.out export)
check "its 128-pixel export has another id than A's" -- test "$b_export" != "$export_id"
"$AXLE" which "$jpg_dir/tower.jpg" --workdir three/A >w7.out 2>w7.err; st=$?
sed 's/^/# /' w7.out w7.err
is "$st" 0 "A's file is found in three/A"
contains w7.out "job       $b_export in $(pwd)/three/A, wrote output/tower.jpg" \
    "as its job that wrote the same bytes, not its $export_id"
run four/A c1 size=[64,64]
"$AXLE" which "$jpg_dir/tower.jpg" --workdir four/A >w8.out 2>w8.err; st=$?
sed 's/^/# /' w8.err
is "$st" 1 "a workdir where no export wrote the bytes: exit 1"
contains w8.err "its metadata names recipe $(recipe_of "A/$export_id" | cut -c1-12)... of axle" \
    "saying what the metadata names"

done_testing
