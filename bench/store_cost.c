/* store_cost.c - what storing a thumbnail costs (axle_image_encode_stored),
 * in instructions rather than wall time, which the shared machine makes noise
 * of (BENCHMARKS.md "Storing thumbnails, cheaper").
 *
 *   cc -O2 bench/store_cost.c bench/corpus_load.c -Isdk -Lbuild/lib/.libs -laxle -o /tmp/store_cost
 *   LD_LIBRARY_PATH=build/lib/.libs valgrind --tool=callgrind \
 *      --toggle-collect=axle_image_encode_stored /tmp/store_cost 640 338 IMAGES.jpg
 *   callgrind_annotate --inclusive=yes callgrind.out.PID | head -40
 *
 * Each photo is made into a thumbnail the thumbnailer's way
 * (axle_image_to_size, outside the collected function), then stored once,
 * in the order given, as one slice of the thumbnailer would.  Printed per
 * photo: the stored bytes, the quality (0: a half step) and an FNV-1a hash
 * of the bytes, so that two builds can be compared for identical output. */
#include <stdio.h>
#include <stdlib.h>

#include "axle/axle.h"
#include "corpus_load.h"

static uint64_t
fnv1a(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3u;
    return h;
}

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: store_cost WIDTH HEIGHT IMAGE...\n");
        return 2;
    }
    axle_geometry g = {.width = (uint32_t)atoi(argv[1]), .height = (uint32_t)atoi(argv[2])};
    char err[256];
    size_t total = 0;
    for (int i = 3; i < argc; i++) {
        axle_image img, stored;
        axle_pixels px = {0};
        void *data = bench_load_photo(argv[i], &img);
        if (!data)
            return 1;
        if (axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err) != AXLE_OK) {
            fprintf(stderr, "%s: %s\n", argv[i], err);
            return 1;
        }
        free(data);
        int quality;
        void *out;
        if (axle_image_encode_stored(&px, &stored, &quality, &out, err, sizeof err) != AXLE_OK) {
            fprintf(stderr, "%s: %s\n", argv[i], err);
            return 1;
        }
        printf("%s %ux%u %zu bytes quality %d hash %016llx\n", argv[i], px.width, px.height,
               stored.size, quality, (unsigned long long)fnv1a(out, stored.size));
        total += stored.size;
        free(out);
        axle_pixels_free(&px);
    }
    printf("total %zu bytes\n", total);
    return 0;
}
