#!/bin/sh
# Photo metadata as import columns (issue 13 item 4): taken, make, model,
# lens, exposure, exposure_time, f_number, iso, focal_length, latitude,
# longitude, profile, read from the headers of JPEG, PNG, WebP, TIFF, HEIF
# and AVIF files whose EXIF Pillow wrote (heif-enc copies it from a JPEG);
# null where a photo does not say; damaged EXIF gives nulls, not a crash
# or a skipped photo; the values agree with exiftool's when it is there.
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/image/lib_image.sh"
exif() { "$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/exif_photos.py" "$@"; }

COLUMNS="taken make model lens exposure exposure_time f_number iso focal_length latitude
longitude profile"
FULL="2024-05-01T12:30:05.25+02:00|Canon|Canon EOS R5|RF24-105mm F4 L IS USM|1/250|0.004|5.6"
FULL="$FULL|400|50|-33.8599|151.20083333333332|null"
NULLS="null|null|null|null|null|null|null|null|null|null|null|null"

mkdir photos
for f in full.jpg full.png full.webp full.tif; do exif full "photos/$f"; done
exif full photos/full-bigendian.jpg --big-endian
exif far photos/far.tif             # its Exif and GPS IFDs past the first 64 KiB
exif partial photos/partial.jpg
exif none photos/none.png
exif icc photos/icc.jpg
heif=no
if command -v heif-enc >/dev/null; then
    # heif-enc writes the Exif item after the image data, here past 64 KiB.
    exif full big.jpg --size 400x300 &&
        heif-enc -q 90 -o photos/full.heic big.jpg >/dev/null &&
        heif-enc -A -q 90 -o photos/full.avif big.jpg >/dev/null && heif=yes
fi
exif hostile hostile

# import WORKDIR FOLDER: a one-step pipeline importing FOLDER, run.
import() {
    printf 'workdir: %s\nslices: 1\njobs:\n  import:\n    method: import_images\n' "$1" > "$1.yaml"
    printf '    options: {files: %s}\n' "$2" >> "$1.yaml"
    "$AXLE" run "$1.yaml" > "$1.out" 2> "$1.err"
}
# table WORKDIR: the import's filename and metadata columns, "|"-joined,
# into WORKDIR.rows; row WORKDIR FILENAME: that file's metadata.
table() {
    files=""
    for c in filename $COLUMNS; do
        "$AXLE" ds import --workdir "$1" --column "$c" > "$1.col-$c"
        files="$files $1.col-$c"
    done
    # shellcheck disable=SC2086
    paste -d '|' $files > "$1.rows"
}
row() { awk -F'|' -v n="$2" '$1 == n' "$1.rows" | cut -d'|' -f2-; }

import wd photos
ok $? "importing photos with EXIF succeeds"
table wd
contains wd.out '"skipped":0' "no photo is skipped"
"$AXLE" ds import --workdir wd > ds.txt
for typed in taken:string make:string model:string lens:string exposure:string \
             exposure_time:float64 f_number:float64 iso:int64 focal_length:float64 \
             latitude:float64 longitude:float64 profile:string; do
    grep -q "^${typed%%:*}  *${typed##*:} " ds.txt
    ok $? "column ${typed%%:*} has type ${typed##*:}"
done

formats="full.jpg full.png full.webp full.tif full-bigendian.jpg far.tif"
[ "$heif" = yes ] && formats="$formats full.heic full.avif"
for f in $formats; do
    is "$(row wd "$f")" "$FULL" "$f: every field as Pillow wrote it"
done
[ "$heif" = yes ] || { T_NUM=$((T_NUM + 2)); echo "ok $((T_NUM - 1)) # SKIP no heif-enc"
                       echo "ok $T_NUM # SKIP no heif-enc"; }
is "$(row wd partial.jpg)" "null|Nikon|null|null|null|null|null|null|null|null|null|null" \
    "partial.jpg: the make alone; a latitude without N/S is no position"
is "$(row wd none.png)" "$NULLS" "none.png: no EXIF, every column null"
is "$(row wd icc.jpg)" "null|null|null|null|null|null|null|null|null|null|null|sRGB built-in" \
    "icc.jpg: the profile's description"

# Damaged EXIF: the photo is imported all the same, with what is sound.
import wh hostile
ok $? "importing photos with damaged EXIF succeeds"
table wh
contains wh.out '"images":7,"skipped":0' "every photo with damaged EXIF is imported"
is "$(row wh loop.jpg)" "null|Canon|null|null|null|null|null|null|null|null|null|null" \
    "IFDs that point back at IFD0: the make, nothing more"
for f in offsets counts entries values types; do
    is "$(row wh $f.jpg)" "$NULLS" "$f.jpg: nothing read from damaged entries"
done
lens=$(printf '\303\251%.0s' $(seq 63))
is "$(row wh text.jpg)" "null|Ca?n?on?|null|$lens|null|null|null|null|null|null|null|null" \
    "text that is not UTF-8 is shown with '?'; a long lens name is cut on a character"

# exiftool's reading of the same files, where it is installed.
if command -v exiftool >/dev/null; then
    for f in $formats; do
        exiftool -n -s3 -f -DateTimeOriginal -SubSecTimeOriginal -OffsetTimeOriginal \
            -Make -Model -LensModel -ExposureTime -FNumber -ISO -FocalLength \
            -GPSLatitude -GPSLongitude "photos/$f" > exiftool.txt
        want=$(awk 'NR == 1 { d = substr($0, 1, 10); gsub(":", "-", d)
                              d = d "T" substr($0, 12) }
                    NR == 2 { d = d "." $0 } NR == 3 { d = d $0; printf "%s", d }
                    NR > 3 { printf "|%s", $0 }' exiftool.txt)
        got=$(row wd "$f" | awk -F'|' '{ printf "%s|%s|%s|%s|%s|%s|%s|%s|%.6f|%.6f",
                   $1, $2, $3, $4, $6, $7, $8, $9, $10, $11 }')
        want=$(echo "$want" | awk -F'|' '{ printf "%s|%s|%s|%s|%s|%s|%s|%s|%.6f|%.6f",
                   $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }')
        is "$got" "$want" "$f: the same values as exiftool's"
    done
else
    for f in $formats; do
        T_NUM=$((T_NUM + 1)); echo "ok $T_NUM # SKIP exiftool missing (libimage-exiftool-perl)"
    done
fi
done_testing
