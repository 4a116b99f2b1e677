/* fuzz_exif.c - libFuzzer harness for the photo metadata reader
 * (lib/image/image_exif_meta.c, image_heif_exif.c, image_photo_meta.c).
 *
 * Each input is read four ways:
 *   1. as a bare TIFF structure in memory (EXIF as JPEG and PNG carry it);
 *   2. as a TIFF file of which only the first half was read, the rest
 *      coming through a reader (as import_images reads a TIFF);
 *   3. wrapped in a JPEG APP1 "Exif" segment, through axle_image_photo_meta;
 *   4. as a HEIF file, whole and half-read with a reader.
 * Besides the sanitizers, three oracles:
 *   - every text field is NUL-terminated, UTF-8 without control
 *     characters; every number is absent (NAN, iso 0) or in its range;
 *   - 2 and 3 give exactly what 1 gives (the reader changes where bytes
 *     come from, never what is read; the segment holds the same bytes);
 *   - the half-read HEIF gives what the whole one gives.
 * Seeds (tests/fuzz/seeds/exif/): `tests/image/exif_photos.py seeds DIR`
 * (sound EXIF in both byte orders, and each damaged kind of the test),
 * and a small HEIF from heif-enc with that EXIF. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle_internal.h"
#include "image_internal.h"

/* Inputs up to this size are compared across the ways: the reader's
 * 64 KiB budget then always suffices. */
#define COMPARE_MAX 16384

static void
oracle_failed(const char *what)
{
    fprintf(stderr, "fuzz_exif: %s\n", what);
    abort();
}

static void
check_text(const char *s, size_t size)
{
    if (!memchr(s, '\0', size))
        oracle_failed("a text field is not NUL-terminated");
    if (!axle_internal_is_utf8(s))
        oracle_failed("a text field is not UTF-8");
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            oracle_failed("a text field holds a control character");
}

static void
check_range(double v, double lo, double hi, const char *what)
{
    if (!isnan(v) && !(v >= lo && v <= hi))
        oracle_failed(what);
}

static void
check(const axle_photo_meta *m)
{
    check_text(m->taken, sizeof m->taken);
    check_text(m->make, sizeof m->make);
    check_text(m->model, sizeof m->model);
    check_text(m->lens, sizeof m->lens);
    check_text(m->exposure, sizeof m->exposure);
    check_text(m->profile, sizeof m->profile);
    size_t t = strlen(m->taken);
    if (t != 0 && (t < 19 || m->taken[10] != 'T'))
        oracle_failed("taken is not ISO 8601");
    check_range(m->exposure_time, 1e-12, 1e12, "exposure_time out of range");
    check_range(m->f_number, 1e-12, 1e12, "f_number out of range");
    check_range(m->focal_length, 1e-12, 1e12, "focal_length out of range");
    check_range(m->latitude, -90, 90, "latitude out of range");
    check_range(m->longitude, -180, 180, "longitude out of range");
    if (isnan(m->latitude) != isnan(m->longitude))
        oracle_failed("half a GPS position");
    if (m->iso < 0)
        oracle_failed("negative iso");
}

/* Equal but for the profile: that is the ICC reader's (image_icc.c),
 * which the bare structure never meets. */
static void
same(const axle_photo_meta *a, const axle_photo_meta *b, const char *what)
{
    axle_photo_meta x = *a, y = *b;
    memset(x.profile, 0, sizeof x.profile);
    memset(y.profile, 0, sizeof y.profile);
    if (memcmp(&x, &y, sizeof x) != 0)
        oracle_failed(what);
}

/* The file in memory, served past the part "read" as a reader would. */
struct file {
    const uint8_t *p;
    size_t n;
};

static int
read_at(void *ctx, uint64_t offset, void *buf, size_t len)
{
    const struct file *f = ctx;
    if (offset > f->n || len > f->n - offset)
        return AXLE_EIO;
    memcpy(buf, f->p + offset, len);
    return AXLE_OK;
}

static void
as_tiff(const uint8_t *d, size_t n, const axle_photo_meta *whole)
{
    struct file f = {d, n};
    axle_image img = {AXLE_CODEC_TIFF, 1, 1, 3, 1, d, n / 2};
    axle_photo_meta m;
    axle_image_photo_meta(&img, n, read_at, &f, &m);
    check(&m);
    if (n <= COMPARE_MAX)
        same(&m, whole, "a TIFF read in part differs from the whole");
}

static void
as_jpeg(const uint8_t *d, size_t n, const axle_photo_meta *whole)
{
    if (n > 65535 - 8)
        return;
    size_t len = 2 + 4 + 6 + n + 2;
    uint8_t *j = malloc(len);
    if (!j)
        return;
    memcpy(j, "\xFF\xD8\xFF\xE1", 4);
    j[4] = (uint8_t)((n + 8) >> 8);
    j[5] = (uint8_t)(n + 8);
    memcpy(j + 6, "Exif\0\0", 6);
    memcpy(j + 12, d, n);
    memcpy(j + 12 + n, "\xFF\xDA", 2);
    axle_image img = {AXLE_CODEC_JPEG, 1, 1, 3, 1, j, len};
    axle_photo_meta m;
    axle_image_photo_meta(&img, len, NULL, NULL, &m);
    check(&m);
    same(&m, whole, "EXIF in a JPEG segment differs from the bare structure");
    free(j);
}

static void
as_heif(const uint8_t *d, size_t n)
{
    struct file f = {d, n};
    axle_image img = {AXLE_CODEC_HEIF, 1, 1, 3, 1, d, n};
    axle_photo_meta whole, half;
    axle_image_photo_meta(&img, n, NULL, NULL, &whole);
    check(&whole);
    /* Half read: the meta box may then be cut, and nothing found; when it
     * is whole, the item comes through the reader. */
    img.size = n / 2;
    axle_image_photo_meta(&img, n, read_at, &f, &half);
    check(&half);
    axle_photo_meta none;
    img_photo_meta_clear(&none);
    memcpy(none.profile, half.profile, sizeof none.profile);
    if (memcmp(&half, &none, sizeof half) != 0)
        same(&half, &whole, "a HEIF read in part differs from the whole");
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    axle_photo_meta whole;
    img_photo_meta_clear(&whole);
    img_exif_meta(d, n, NULL, &whole);
    check(&whole);
    as_tiff(d, n, &whole);
    as_jpeg(d, n, &whole);
    as_heif(d, n);
    return 0;
}
