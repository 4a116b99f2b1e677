#!/bin/sh
# keep_exif.sh - `metadata: keep` for photos of every format, read back by
# exiftool: files made by other tools (libvips: TIFF with strips, tiled and
# deflated TIFF, PNG, WebP; libheif's heif-enc: HEIC and AVIF), their EXIF
# written by exiftool (make, model, date taken, GPS, artist, orientation
# 6).  Each exported JPEG carries the photo's facts, orientation 1 (its
# pixels are upright) and no IFD1 thumbnail.  TIFF's are the photo's IFD0
# descriptive tags and Exif and GPS directories, laid out anew.  The EXIF
# is read from the photo's headers only (BENCHMARKS.md measures the bytes).
# The import's metadata columns of the same files agree with exiftool.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
command -v exiftool >/dev/null || skip_all "no exiftool (libimage-exiftool-perl)"
command -v vips >/dev/null || skip_all "no vips (libvips-tools) to make the photos"

mkdir in
gen photo src.png --size 300x200 --seed 5
vips copy src.png in/strips.tif
vips tiffsave src.png in/tiled.tif --tile --tile-width 64 --tile-height 64 \
    --compression deflate
vips copy src.png in/png.png
vips copy src.png in/webp.webp
formats="strips.tif tiled.tif png.png webp.webp"
if command -v heif-enc >/dev/null && ! "$TOOL" probe src.png | grep -q "built without"; then
    heif-enc -q 80 -o in/heic.heic src.png >/dev/null 2>&1 && formats="$formats heic.heic"
    heif-enc -A -q 80 -o in/avif.avif src.png >/dev/null 2>&1 && formats="$formats avif.avif"
fi
for f in $formats; do
    exiftool -q -overwrite_original -Make=AxleCam '-Model=X-1 Test' \
        '-DateTimeOriginal=2024:05:06 07:08:09' -Orientation#=6 -GPSLatitude=48.5 \
        -GPSLatitudeRef=N -GPSLongitude=2.25 -GPSLongitudeRef=E -Artist=Someone "in/$f"
done

cat >p.yaml <<'EOF2'
workdir: wd
jobs:
  import:
    method: import_images
    options: {files: in}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 100}
  keep:
    method: export_images
    datasets: {source: thumbs}
    options: {format: jpeg, quality: 90, metadata: keep}
EOF2
"$AXLE" run p.yaml >run.out 2>run.err; st=$?
is "$st" 0 "import, thumbnails and export with metadata: keep run"
sed 's/^/# /' run.err | head -20
outdir="wd/$(awk '$1 == "keep" { print $2 }' run.out)/output"

tag() { exiftool -s3 "-$1" "$2"; }
for f in $formats; do
    o="$outdir/${f%.*}.jpg"
    check "$f: exported" -- test -f "$o"
    is "$(tag Make "$o")|$(tag Model "$o")" "AxleCam|X-1 Test" "$f: make and model kept"
    is "$(tag DateTimeOriginal "$o")" "2024:05:06 07:08:09" "$f: the date taken kept"
    is "$(tag 'GPSLatitude#' "$o") $(tag 'GPSLongitude#' "$o")" "48.5 2.25" "$f: GPS kept"
    is "$(tag Artist "$o")" "Someone" "$f: the artist kept"
    is "$(tag 'Orientation#' "$o")" "1" "$f: orientation 1, the pixels being upright"
    is "$(exiftool -s3 -IFD1:all "$o")" "" "$f: no IFD1 (no embedded thumbnail)"
    case $f in # HEIF turns by its irot box, not by EXIF (as libheif and Pillow)
    *.heic|*.avif) ;;
    *) is "$(tag ImageSize "$o")" "67x100" "$f: the thumbnail turned as its EXIF said" ;;
    esac
done
# The import's metadata columns agree with exiftool on the same files.
col() { "$AXLE" ds import --workdir wd --column "$1" >"col-$1"; }
for c in filename make model taken latitude longitude; do col "$c"; done
paste -d '|' col-filename col-make col-model col-taken col-latitude col-longitude >cols
for f in $formats; do
    want="$(tag Make "in/$f")|$(tag Model "in/$f")|$(exiftool -s3 -d '%Y-%m-%dT%H:%M:%S'         -DateTimeOriginal "in/$f")|$(tag 'GPSLatitude#' "in/$f")|$(tag 'GPSLongitude#' "in/$f")"
    is "$(awk -F'|' -v n="$f" '$1 == n' cols | cut -d'|' -f2-)" "$want" \
        "$f: import's make, model, taken and GPS agree with exiftool"
done

# A TIFF's IFD0 describes its pixels: none of that comes along.
o="$outdir/strips.jpg"
is "$(exiftool -s3 -IFD0:StripOffsets -IFD0:BitsPerSample -IFD0:Compression "$o")" "" \
    "strips.tif: the TIFF's own pixel tags are not copied"

done_testing
