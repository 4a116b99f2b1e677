/* resize_rows.c - the CPU time of the resize's row kernels on a 4K
 * photo's shape (BENCHMARKS.md "CPU per photo, fourth pass"), each loop
 * the CPU has, so that they can be compared on one machine: the vertical
 * pass (3 planes of 1920 bytes, 1080 -> 338 rows) with AVX-512 and with
 * AVX2, and the YCbCr horizontal pass (IN -> OUT pixels, 338 rows) as
 * blocks of eight with VNNI, with AVX2, and as the per-pixel AVX2 rows.
 * The kernels are libaxle's own (not exported), so their files are built
 * in, as tests/unit/test_image_rows does:
 *
 *   cc -O2 -Ilib/image -Isdk -Ibuild bench/resize_rows.c lib/image/image_resize.c \
 *      lib/image/image_resize_weights.c lib/image/image_jpeg_planes.c \
 *      -Lbuild/lib/.libs -laxle -lm -o /tmp/resize_rows
 *   LD_LIBRARY_PATH=build/lib/.libs /tmp/resize_rows [REPS [IN OUT]]
 *
 * Prints ms per photo (best of 5 rounds of REPS photos, CPU time of the
 * process: the shared machine makes noise of wall time), and whether each
 * loop's bytes equal the per-pixel rows'.  Not part of `make check`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "image_resize.h"

#define W 1920 /* a 4K photo's planes decoded at 1/2 */
#define IN_ROWS 1080
#define OUT_ROWS 338

static double
cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The vertical pass of one photo: 338 rows of three planes. */
static unsigned
vertical_photo(const struct img_weights *w, const uint8_t *data, uint8_t *dst)
{
    const uint8_t *rows[256];
    unsigned sum = 0;
    for (uint32_t y = 0; y < OUT_ROWS; y++)
        for (int p = 0; p < 3; p++) {
            int32_t first = w->bounds[2 * y];
            for (int32_t j = 0; j < w->bounds[2 * y + 1] && j < 256; j++)
                rows[j] = data + (size_t)(first + j) * W;
            img_resize_vertical_row(w, y, rows, W, dst);
            sum += dst[y];
        }
    return sum;
}

static void
time_vertical(int reps)
{
    struct img_weights w;
    memset(&w, 0, sizeof w);
    if (img_weights_make(&w, IN_ROWS, OUT_ROWS) != AXLE_OK)
        exit(1);
    uint8_t *data = malloc((size_t)IN_ROWS * W + 64), *dst = malloc(W + 64);
    for (size_t i = 0; i < (size_t)IN_ROWS * W; i++)
        data[i] = (uint8_t)((i * 2654435761u) >> 13);
    for (int off = 0; off < 2; off++) {
        img_resize_avx512_off = off;
        double best = 1e9;
        unsigned sum = 0;
        for (int r = 0; r < 5; r++) {
            double t0 = cpu_ms();
            for (int i = 0; i < reps; i++)
                sum += vertical_photo(&w, data, dst);
            double t = (cpu_ms() - t0) / reps;
            best = t < best ? t : best;
        }
        printf("vertical %s: %.3f ms a photo (%u)\n",
               img_have_avx512() ? "AVX-512" : "AVX2 (or less)", best, sum & 1);
    }
    img_resize_avx512_off = 0;
    free(data);
    free(dst);
    img_weights_free(&w);
}

static void
time_horizontal(int reps, uint32_t in, uint32_t out)
{
    struct img_weights w;
    memset(&w, 0, sizeof w);
    if (img_weights_make(&w, in, out) != AXLE_OK)
        exit(1);
    uint8_t *plane[3], *want = malloc(3 * (size_t)out + 32), *got = malloc(3 * (size_t)out + 32);
    for (int p = 0; p < 3; p++) {
        plane[p] = malloc(in + IMG_RESIZE_SLACK);
        for (uint32_t i = 0; i < in + IMG_RESIZE_SLACK; i++)
            plane[p][i] = (uint8_t)(((i + (uint32_t)p) * 2654435761u) >> 13);
    }
    img_ycc_horizontal_row(&w, plane[0], plane[1], plane[2], want);
    static const char *const names[] = {"blocks, VNNI", "blocks, AVX2", "rows, AVX2"};
    for (int way = 0; way < 3; way++) {
        img_resize_avx512_off = way > 0;
        struct img_ycc_rows *blocks = way < 2 ? img_ycc_rows_new(&w) : NULL;
        if (way < 2 && (!blocks || (way == 0 && !img_have_avx512()))) {
            printf("horizontal %u -> %u (kstride %d), %s: not on this CPU\n", in, out,
                   w.kstride, names[way]);
            img_ycc_rows_free(blocks);
            continue;
        }
        double best = 1e9;
        for (int r = 0; r < 5; r++) {
            double t0 = cpu_ms();
            for (int i = 0; i < reps; i++)
                for (int y = 0; y < OUT_ROWS; y++)
                    if (blocks)
                        img_ycc_rows_run(blocks, plane[0], plane[1], plane[2], got);
                    else
                        img_ycc_horizontal_row(&w, plane[0], plane[1], plane[2], got);
            double t = (cpu_ms() - t0) / reps;
            best = t < best ? t : best;
        }
        printf("horizontal %u -> %u (kstride %d), %s: %.3f ms a photo, %s bytes\n", in, out,
               w.kstride, names[way], best,
               memcmp(got, want, 3 * (size_t)out) == 0 ? "the same" : "OTHER");
        img_ycc_rows_free(blocks);
    }
    img_resize_avx512_off = 0;
    for (int p = 0; p < 3; p++)
        free(plane[p]);
    free(want);
    free(got);
    img_weights_free(&w);
}

int
main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 50;
    uint32_t in = argc > 3 ? (uint32_t)atoi(argv[2]) : W;
    uint32_t out = argc > 3 ? (uint32_t)atoi(argv[3]) : 601;
    if (reps < 1 || in < 2 || out < 1 || out >= in) {
        fprintf(stderr, "usage: resize_rows [REPS [IN OUT]] (a reduction: OUT < IN)\n");
        return 2;
    }
    time_vertical(reps);
    time_horizontal(reps, in, out);
    return 0;
}
