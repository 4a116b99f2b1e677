#!/bin/sh
# export_name.sh - export_images' `name` template: the default keeps
# today's names (and jobs), each placeholder is filled in, two export
# steps of two columns give names side by side, a taken name gets a
# counter, and a bad template is refused at load time at its FILE:LINE:COL.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
[ -n "${PYTHON_PIL:-}" ] || skip_all "python3-pil is not installed"

mkdir -p photos/2023
gen photo photos/wide.jpg --size 400x300 --seed 1 >/dev/null
gen photo photos/2023/turned.jpg --size 400x200 --seed 2 --orientation 6 >/dev/null # stored 200x400
gen photo photos/2023/turned.webp --size 300x300 --seed 3 >/dev/null

# pipe FILE THUMBS_EXPORT_OPTIONS IMAGES_EXPORT_OPTIONS
pipe() {
    cat >"$1" <<YAML
jobs:
  import:
    method: import_images
    options: {files: photos}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 100}
  small:
    method: export_images
    datasets: {source: thumbs}
    options: {column: thumb$2}
  big:
    method: export_images
    datasets: {source: thumbs}
    options: {column: image$3}
YAML
}
step() { awk -v s="$2" '$1 == s { print $'"$3"' }' "$1"; }
files() { (cd "axle-work/$(step "$1" "$2" 2)/output" && find . -type f | sed 's|^\./||' | sort |
           tr '\n' ' '); }
size_of() { "$PYTHON_PIL" -c 'import sys; from PIL import Image
w, h = Image.open(sys.argv[1]).size; print(f"{w}x{h}")' "$1"; }

# The default: today's names, the old extension kept where two collide.
pipe default.yaml "" ", format: webp"
"$AXLE" run default.yaml >out 2>err
is "$?" 0 "the run without a template succeeds"
is "$(files out small)" "2023/turned.jpg 2023/turned.webp.jpg wide.jpg " \
    "without a template the names are today's"
is "$(files out big)" "2023/turned.webp 2023/turned.webp.webp wide.webp " \
    "also in another format"
pipe null.yaml ", name: null" ", format: webp, name: null"
"$AXLE" run null.yaml >null_out 2>err
is "$(step null_out small 3) $(step null_out big 3)" "reused reused" \
    "writing name: null is the same job as leaving it out"

# Every placeholder; {w}x{h} is the file's size, turned upright.
pipe all.yaml ', name: "{dir}/{stem}_{column}_{w}x{h}.{ext}"' \
    ', format: webp, name: "by-size/{h}/{stem}-{w}.{ext}"'
"$AXLE" run all.yaml >out 2>err
is "$?" 0 "the run with templates succeeds"
cat err | sed 's/^/# /'
is "$(files out small)" \
    "2023/turned_thumb_100x100.jpg 2023/turned_thumb_100x50.jpg wide_thumb_100x75.jpg " \
    "{dir}, {stem}, {column}, {w}, {h} and {ext} are filled in ({dir} is empty at the top)"
small_dir="axle-work/$(step out small 2)/output"
is "$(size_of "$small_dir/2023/turned_thumb_100x50.jpg")" 100x50 "{w}x{h} is the file's size"
is "$(files out big)" "by-size/200/turned-400.webp by-size/300/turned-300.webp \
by-size/300/wide-400.webp " "the template's folders are made; {ext} follows the format"
big_dir="axle-work/$(step out big 2)/output"
is "$(size_of "$big_dir/by-size/200/turned-400.webp")" 400x200 \
    "a photo stored 200x400 and turned by EXIF is named by the size it is exported at"

# Two export steps of two columns into one folder of names side by side.
pipe side.yaml ', name: "{dir}/{stem}-{column}.{ext}"' ', name: "{dir}/{stem}-{column}.{ext}"'
"$AXLE" run side.yaml >out 2>err
mkdir gallery
cp -r "axle-work/$(step out small 2)/output/." gallery/
cp -rn "axle-work/$(step out big 2)/output/." gallery/
is "$(cd gallery && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')" \
    "2023/turned-image-2.jpg 2023/turned-image.jpg 2023/turned-thumb-2.jpg \
2023/turned-thumb.jpg wide-image.jpg wide-thumb.jpg " \
    "two columns' exports sit side by side; a name taken in a step gets -2"

# A bad template is refused before any job runs, at the value.
pipe bad.yaml ', name: "{stem}-{size}.{ext}"' ""
"$AXLE" run bad.yaml >out 2>err
is "$?" 2 "an unknown placeholder fails the load"
contains err "bad.yaml:12:36: error: option 'name' is '{stem}-{size}.{ext}': unknown placeholder '{size}' (known: {stem}, {ext}, {column}, {w}, {h}, {dir})" \
    "its message names FILE:LINE:COL, the placeholder and those known"
check "no job was made" -- test ! -e axle-work/$(step out import 2)/dataset
pipe brace.yaml ', name: "{stem.{ext}"' ""
"$AXLE" run brace.yaml >out 2>err
contains err "brace.yaml:12:36: error: option 'name' is '{stem.{ext}': '{' at character 1 is not closed" \
    "an unclosed brace is named by its place in the template"
pipe up.yaml ', name: "../{stem}.{ext}"' ""
"$AXLE" run up.yaml >out 2>err
is "$?" 1 "a template leaving the output folder fails the export"
contains err "option 'name' is '../{stem}.{ext}': it has a '..' component: names stay inside the export's folder" \
    "saying why"
done_testing
