/* fuzz_dataset.c - libFuzzer harness: the dataset reader on damaged
 * dataset files.
 *
 * An input is a dataset folder in one byte string: meta.json, then the
 * column files f0, f1, ... each after a separator line "\n--\n".  The
 * harness writes them into a scratch folder, opens the dataset and reads
 * every cell of every column the way a method does (raw pixels included,
 * byte by byte, so a cell header that lies is caught by ASan), then walks
 * the chain of previous datasets.  Any crash, hang or sanitizer report is
 * a finding; an error message is the right answer to a damaged file.
 *
 * Seeds in tests/fuzz/seeds/dataset/ are small real datasets in this form
 * (tests/fuzz/make_seeds.py writes them). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axle/axle.h"

#define SEPARATOR "\n--\n"
#define MAX_FILES 16

static char folder[64];
static int nwritten; /* files f0..f(n-1) left by the last input */
static int verbose;  /* AXLE_FUZZ_VERBOSE=1: say what each input gave */

static void
remove_folder(void)
{
    char path[sizeof folder + 32];
    for (int i = 0; i < MAX_FILES; i++) {
        snprintf(path, sizeof path, "%s/f%d", folder, i);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/meta.json", folder);
    unlink(path);
    rmdir(folder);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* tmpfs when there is one: every input writes files. */
    snprintf(folder, sizeof folder, "%s/axle-fuzz-dataset.XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(folder)) {
        perror("fuzz_dataset: mkdtemp");
        exit(1);
    }
    atexit(remove_folder);
    verbose = getenv("AXLE_FUZZ_VERBOSE") != NULL;
    return 0;
}

static void
write_file(const char *name, const uint8_t *p, size_t len)
{
    char path[sizeof folder + 32];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    FILE *f = fopen(path, "wb");
    if (!f || (len && fwrite(p, 1, len, f) != len) || fclose(f) != 0) {
        fprintf(stderr, "fuzz_dataset: %s: %s\n", path, strerror(errno));
        abort();
    }
}

/* Splits the input into meta.json and the column files. */
static void
write_dataset(const uint8_t *data, size_t size)
{
    char path[sizeof folder + 32];
    for (int i = 0; i < nwritten; i++) {
        snprintf(path, sizeof path, "%s/f%d", folder, i);
        unlink(path);
    }
    nwritten = 0;
    const uint8_t *end = data + size, *p = data;
    const size_t seplen = strlen(SEPARATOR);
    for (int part = 0; part <= MAX_FILES; part++) {
        const uint8_t *sep = memmem(p, (size_t)(end - p), SEPARATOR, seplen);
        const uint8_t *stop = sep ? sep : end;
        char name[16];
        snprintf(name, sizeof name, part ? "f%d" : "meta.json", part - 1);
        write_file(name, p, (size_t)(stop - p));
        nwritten = part;
        if (!sep)
            break;
        p = sep + seplen;
    }
}

/* What a method does with a cell: reads all of it. */
static unsigned
touch(const void *p, size_t len)
{
    const volatile uint8_t *b = p;
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += b[i];
    return sum;
}

static unsigned
read_cell(axle_cursor *c, axle_type t)
{
    if (axle_cursor_is_null(c))
        return 1;
    size_t len;
    const void *p;
    axle_image img;
    switch (t) {
    case AXLE_INT64:
        return (unsigned)axle_cursor_int64(c);
    case AXLE_FLOAT64:
        return axle_cursor_float64(c) > 0;
    case AXLE_BOOL:
        return axle_cursor_bool(c);
    case AXLE_IMAGE:
        if (axle_cursor_image(c, &img) != AXLE_OK)
            return 0;
        if (img.codec == AXLE_CODEC_RAW) /* as export_images reads them */
            return touch(img.data, (size_t)img.width * img.height * img.channels);
        return touch(img.data, img.size);
    default:
        p = axle_cursor_bytes(c, &len);
        return touch(p, len);
    }
}

static void
read_column(axle_dataset *ds, const char *name, int sliceno)
{
    char err[1024];
    axle_cursor *c = axle_cursor_open(ds, name, sliceno, err, sizeof err);
    if (!c)
        return;
    axle_type t = axle_dataset_column_type(ds, name);
    unsigned sum = 0;
    while (axle_cursor_next(c) == 1) {
        sum += read_cell(c, t);
        sum += (unsigned)axle_cursor_slice(c);
    }
    /* An error ends the walk with a message; that message must be text. */
    sum += (unsigned)strlen(axle_cursor_error(c));
    if (verbose)
        fprintf(stderr, "fuzz_dataset: column %s, slice %d: %s\n", name,
                sliceno, axle_cursor_error(c)[0] ? axle_cursor_error(c) : "ok");
    axle_cursor_close(c);
    (void)sum;
}

static void
read_dataset(axle_dataset *ds)
{
    (void)axle_dataset_name(ds);
    (void)axle_dataset_parent_path(ds);
    (void)axle_dataset_rows(ds, -1);
    for (int s = 0; s < axle_dataset_slices(ds); s++)
        (void)axle_dataset_rows(ds, s);
    for (int i = 0; i < axle_dataset_ncolumns(ds); i++) {
        const char *name = axle_dataset_column_name(ds, i);
        read_column(ds, name, -1);
        read_column(ds, name, axle_dataset_slices(ds) - 1);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_dataset(data, size);
    char err[4096];
    axle_dataset *ds = axle_dataset_open(folder, err, sizeof err);
    if (!ds) {
        if (verbose)
            fprintf(stderr, "fuzz_dataset: %s\n", err);
        return 0;
    }
    /* The chain must end (loops are refused), whatever meta.json says. */
    int links = 0;
    for (axle_dataset *d = ds; d && links < 1000; d = axle_dataset_previous(d)) {
        read_dataset(d);
        links++;
    }
    if (links >= 1000) {
        fprintf(stderr, "fuzz_dataset: a chain of previous datasets never ends\n");
        abort();
    }
    axle_dataset_close(ds);
    return 0;
}
