/* corpus_load.c - reading and probing a corpus photo for the benchmark
 * programs (see corpus_load.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_load.h"

/* The whole file, *len its size; NULL with errno set when it cannot be
 * read (an empty file cannot). */
static void *
read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    void *buf = NULL;
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    int e = n < 0 ? errno : n == 0 ? ENODATA : 0;
    if (!e) {
        rewind(f);
        if (!(buf = malloc((size_t)n)))
            e = ENOMEM;
        else if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
            e = EIO;
        }
    }
    fclose(f);
    errno = e;
    *len = buf ? (size_t)n : 0;
    return buf;
}

void *
bench_load_photo(const char *path, axle_image *img)
{
    size_t len;
    void *data = read_all(path, &len);
    if (!data) {
        fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
        return NULL;
    }
    char err[512];
    if (axle_image_probe(data, len, img, err, sizeof err) != AXLE_OK) {
        fprintf(stderr, "%s: %s\n", path, err);
        free(data);
        return NULL;
    }
    return data;
}
