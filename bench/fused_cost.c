/* fused_cost.c - what storing a thumbnail and exporting it costs, per
 * thumbnail, the three ways the thumbnailer can store it (BENCHMARKS.md
 * "One encode per thumbnail (issue 12)"), in instructions rather than wall
 * time, which the shared machine makes noise of.
 *
 *   cc -O2 bench/fused_cost.c bench/corpus_load.c -Isdk -Lbuild/lib/.libs -laxle -o /tmp/fused_cost
 *   LD_LIBRARY_PATH=build/lib/.libs valgrind --tool=callgrind \
 *      --toggle-collect=way_encoded --toggle-collect=way_raw \
 *      --toggle-collect=way_jpeg /tmp/fused_cost 640 338 85 IMAGES.jpg
 *   callgrind_annotate --inclusive=yes callgrind.out.PID | grep way_
 *
 * Each photo is made into a thumbnail the thumbnailer's way
 * (axle_image_to_size, not collected), then, each way collected in its
 * own function:
 *   way_encoded  `store: encoded` (the 45 dB search) and export at QUALITY:
 *                the cell decoded and encoded again;
 *   way_raw      `store: raw` (the pixels copied) and export encoding them;
 *   way_jpeg     `store: jpeg` at QUALITY (export's call and options) and
 *                export passing the cell through (axle_image_encoded_as,
 *                the XMP added).
 * Writing and reading the column is left out (raw: 650 KB a thumbnail).
 * Printed per photo: the bytes of each way's file and whether the jpeg
 * way's file is the raw way's byte for byte (XMP aside: both get the same
 * packet here). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle/axle.h"
#include "corpus_load.h"

static const char xmp[] = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">bench</x:xmpmeta>";

/* The export's file of encoded pixels: encoded, then its XMP. */
static int
export_pixels(const axle_pixels *px, int quality, void **file, size_t *len)
{
    axle_encode_options o = AXLE_ENCODE_OPTIONS(quality);
    void *enc = NULL;
    size_t n = 0;
    char err[256];
    int rc = axle_image_encode_with(px, AXLE_CODEC_JPEG, &o, &enc, &n, err, sizeof err);
    if (rc == AXLE_OK)
        rc = axle_image_add_xmp(enc, n, xmp, strlen(xmp), file, len, err, sizeof err);
    free(enc);
    return rc;
}

__attribute__((noinline)) static int
way_encoded(const axle_pixels *px, int quality, void **file, size_t *len)
{
    axle_image cell;
    int q;
    void *stored = NULL;
    char err[256];
    axle_pixels dec = {0};
    int rc = axle_image_encode_stored(px, &cell, &q, &stored, err, sizeof err);
    if (rc == AXLE_OK)
        rc = axle_image_decode(&cell, 0, 0, 0, &dec, err, sizeof err);
    if (rc == AXLE_OK)
        rc = export_pixels(&dec, quality, file, len);
    axle_pixels_free(&dec);
    free(stored);
    return rc;
}

__attribute__((noinline)) static int
way_raw(const axle_pixels *px, int quality, void **file, size_t *len)
{
    size_t row = (size_t)px->width * px->channels;
    uint8_t *copy = malloc(row * px->height);
    if (!copy)
        return AXLE_ENOMEM;
    for (uint32_t y = 0; y < px->height; y++)
        memcpy(copy + y * row, px->data + (size_t)y * px->stride, row);
    axle_pixels view = *px;
    view.data = copy;
    view.stride = row;
    int rc = export_pixels(&view, quality, file, len);
    free(copy);
    return rc;
}

__attribute__((noinline)) static int
way_jpeg(const axle_pixels *px, int quality, void **file, size_t *len)
{
    axle_encode_options o = AXLE_ENCODE_OPTIONS(quality);
    void *stored = NULL;
    size_t n = 0;
    char err[256];
    axle_image cell;
    int rc = axle_image_encode_with(px, AXLE_CODEC_JPEG, &o, &stored, &n, err, sizeof err);
    if (rc == AXLE_OK)
        rc = axle_image_probe(stored, n, &cell, err, sizeof err);
    if (rc == AXLE_OK && !axle_image_encoded_as(&cell, quality, AXLE_CODEC_JPEG, &o))
        rc = AXLE_EINTERNAL; /* export would encode it again */
    if (rc == AXLE_OK)
        rc = axle_image_add_xmp(stored, n, xmp, strlen(xmp), file, len, err, sizeof err);
    free(stored);
    return rc;
}

int
main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: fused_cost WIDTH HEIGHT QUALITY IMAGE...\n");
        return 2;
    }
    axle_geometry g = {.width = (uint32_t)atoi(argv[1]), .height = (uint32_t)atoi(argv[2])};
    int quality = atoi(argv[3]);
    char err[256];
    int same = 0;
    for (int i = 4; i < argc; i++) {
        axle_image img;
        axle_pixels px = {0};
        void *data = bench_load_photo(argv[i], &img);
        if (!data)
            return 1;
        if (axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err) != AXLE_OK) {
            fprintf(stderr, "%s: %s\n", argv[i], err);
            return 1;
        }
        free(data);
        void *f[3] = {NULL, NULL, NULL};
        size_t n[3] = {0, 0, 0};
        if (way_encoded(&px, quality, &f[0], &n[0]) != AXLE_OK ||
            way_raw(&px, quality, &f[1], &n[1]) != AXLE_OK ||
            way_jpeg(&px, quality, &f[2], &n[2]) != AXLE_OK) {
            fprintf(stderr, "%s: a way failed\n", argv[i]);
            return 1;
        }
        bool identical = n[1] == n[2] && memcmp(f[1], f[2], n[1]) == 0;
        same += identical;
        printf("%s %ux%u encoded %zu raw %zu jpeg %zu bytes; jpeg %s raw\n", argv[i],
               px.width, px.height, n[0], n[1], n[2], identical ? "==" : "!=");
        for (int k = 0; k < 3; k++)
            free(f[k]);
        axle_pixels_free(&px);
    }
    printf("%d of %d files of the jpeg way are the raw way's byte for byte\n", same,
           argc - 4);
    return same == argc - 4 ? 0 : 1;
}
