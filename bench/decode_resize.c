/* decode_resize.c - what a JPEG thumbnail costs from file bytes to resized
 * pixels (axle_image_to_size: shrink-on-load decode, resize, orientation),
 * counted in instructions rather than wall time, which the shared machine
 * makes noise of (BENCHMARKS.md "Decode to resize, fused (issue 12)").
 *
 *   cc -O2 bench/decode_resize.c bench/corpus_load.c -Isdk -Lbuild/lib/.libs -laxle -o /tmp/decode_resize
 *   LD_LIBRARY_PATH=build/lib/.libs valgrind --tool=callgrind \
 *      --toggle-collect=axle_images_to_sizes /tmp/decode_resize 640 338 IMAGES.jpg
 *   callgrind_annotate --inclusive=yes callgrind.out.PID | head -40
 *
 * Without valgrind it prints the CPU time per image (best of ROUNDS, set
 * by AXLE_BENCH_ROUNDS, default 1), and for each photo its result's size
 * and an FNV-1a hash of the pixels, so that two builds can be compared for
 * identical output (diff of the two outputs).  AXLE_BENCH_FLAGS sets the
 * axle_image_to_size flags (default 0; the thumbnailer passes AXLE_TO_SRGB
 * when colour: srgb).
 *
 * AXLE_BENCH_FILE=read|map|populate times getting the file's bytes too, as
 * a reference cell's reader would (BENCHMARKS.md "CPU per photo, third
 * pass"): read(2) into a buffer kept from photo to photo, or mmap(2)
 * without or with MAP_POPULATE; unset, the file is read outside the
 * timing. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "axle/axle.h"
#include "corpus_load.h"

static uint64_t
fnv1a(const axle_pixels *px)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (uint32_t y = 0; y < px->height; y++) {
        const unsigned char *p = px->data + (size_t)y * px->stride;
        for (size_t i = 0; i < (size_t)px->width * px->channels; i++)
            h = (h ^ p[i]) * 0x100000001b3u;
    }
    return h;
}

/* A photo's bytes the way AXLE_BENCH_FILE says; *mapped when they must be
 * unmapped, not freed.  *keep is the buffer read(2) reuses. */
static void *
get_file(const char *path, const char *how, size_t *len, int *mapped, void **keep,
         size_t *cap)
{
    *mapped = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    *len = (size_t)st.st_size;
    void *p = NULL;
    if (strcmp(how, "read") == 0) {
        if (*len > *cap) {
            free(*keep);
            *keep = malloc(*len);
            *cap = *keep ? *len : 0;
        }
        size_t got = 0;
        ssize_t n = 1;
        while (*keep && got < *len && (n = read(fd, (char *)*keep + got, *len - got)) > 0)
            got += (size_t)n;
        p = *keep && got == *len ? *keep : NULL;
    } else {
        int flags = MAP_PRIVATE | (strcmp(how, "populate") == 0 ? MAP_POPULATE : 0);
        p = mmap(NULL, *len, PROT_READ, flags, fd, 0);
        if (p == MAP_FAILED)
            p = NULL;
        *mapped = p != NULL;
    }
    close(fd);
    return p;
}

static double
cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: decode_resize BOX_W BOX_H IMAGE.jpg...\n");
        return 2;
    }
    axle_geometry g = {.width = (uint32_t)atoi(argv[1]), .height = (uint32_t)atoi(argv[2])};
    const char *r = getenv("AXLE_BENCH_ROUNDS"), *fl = getenv("AXLE_BENCH_FLAGS");
    const char *how = getenv("AXLE_BENCH_FILE");
    void *keep = NULL;
    size_t cap = 0;
    int rounds = r ? atoi(r) : 1;
    unsigned flags = fl ? (unsigned)strtoul(fl, NULL, 0) : 0;
    double best = 1e9;
    for (int round = 0; round < rounds; round++) {
        double cpu = 0;
        for (int i = 3; i < argc; i++) {
            size_t len = 0;
            int mapped = 0;
            axle_image img;
            char err[512];
            double t0 = cpu_now();
            void *data = how ? get_file(argv[i], how, &len, &mapped, &keep, &cap)
                             : bench_load_photo(argv[i], &img);
            if (!how)
                t0 = cpu_now();
            if (!data || (how && axle_image_probe(data, len, &img, err, sizeof err) != AXLE_OK)) {
                fprintf(stderr, "%s: cannot read or probe\n", argv[i]);
                return 1;
            }
            axle_pixels px;
            int rc = axle_image_to_size(&img, &g, 0, flags, &px, err, sizeof err);
            if (mapped)
                munmap(data, len);
            cpu += cpu_now() - t0;
            if (rc != AXLE_OK) {
                fprintf(stderr, "%s: %s\n", argv[i], err);
                return 1;
            }
            if (round == 0)
                printf("%s %ux%ux%u %016llx\n", argv[i], px.width, px.height, px.channels,
                       (unsigned long long)fnv1a(&px));
            axle_pixels_free(&px);
            if (!how)
                free(data);
        }
        best = cpu < best ? cpu : best;
    }
    free(keep);
    printf("cpu %.2f ms/image (best of %d)\n", 1e3 * best / (argc - 3), rounds);
    return 0;
}
