/* test_dataset_damage.c - a damaged dataset never crashes or hangs a
 * reader: every length, count and offset is checked against the file
 * before use, and the error names the file (and the offset in it).
 *
 * The fixture is a finished dataset over 2 slices with columns img
 * (raw 2x3 RGB images), s (strings) and n (int64); each test damages one
 * thing the way a disk, a bug or a user could. */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_dataset_util.h"

static axle_job job;

static int
setup(void **state)
{
    td_setup(state);
    td_job(&job, 1, 2);
    axle_writer *w = axle_writer_new(&job, "default", NULL, NULL);
    assert_int_equal(axle_writer_add(w, "img", AXLE_IMAGE), 0);
    assert_int_equal(axle_writer_add(w, "s", AXLE_STRING), 1);
    assert_int_equal(axle_writer_add(w, "n", AXLE_INT64), 2);
    static const unsigned char px[2 * 3 * 3] = {1, 2, 3};
    for (int s = 0; s < 2; s++) {
        td_stage(&job, "analysis", s);
        for (int i = 0; i < 2 - s; i++) {
            axle_image img = {AXLE_CODEC_RAW, 2, 3, 3, 1, px, sizeof px};
            assert_int_equal(axle_put_image(w, 0, &img), AXLE_OK);
            assert_int_equal(axle_put_string(w, 1, "hello", 5), AXLE_OK);
            assert_int_equal(axle_put_int64(w, 2, i), AXLE_OK);
            assert_int_equal(axle_writer_end_row(w), AXLE_OK);
        }
        td_end_stage(&job);
    }
    td_finish_ok(&job);
    return 0;
}

static int
teardown(void **state)
{
    td_job_free(&job);
    return td_teardown(state);
}

/* ---- damaging ---- */

static void
file_path(const char *name, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/ds/default/%s", job.dir, name);
}

/* Overwrites bytes of a column file at `offset` (its size stays). */
static void
poke(const char *name, off_t offset, const void *bytes, size_t len)
{
    char path[PATH_MAX];
    file_path(name, path, sizeof path);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, bytes, len, offset), (ssize_t)len);
    close(fd);
}

/* Sets meta.json's key (a JSON path of object keys and array indexes,
 * e.g. "columns/1/files/0") to the JSON text `value`. */
static void
set_meta(const char *where, const char *value)
{
    json_t *m = td_meta(&job, "default"), *at = m;
    char key[256];
    snprintf(key, sizeof key, "%s", where);
    char *last = strrchr(key, '/');
    if (last) {
        *last++ = '\0';
        for (char *k = strtok(key, "/"); k; k = strtok(NULL, "/"))
            at = json_is_array(at) ? json_array_get(at, strtoul(k, NULL, 10))
                                   : json_object_get(at, k);
    } else {
        last = key;
    }
    json_error_t jerr;
    json_t *v = json_loads(value, JSON_DECODE_ANY, &jerr);
    assert_non_null(v);
    if (json_is_array(at))
        assert_int_equal(json_array_set_new(at, strtoul(last, NULL, 10), v), 0);
    else
        assert_int_equal(json_object_set_new(at, last, v), 0);
    char path[PATH_MAX];
    file_path("meta.json", path, sizeof path);
    assert_int_equal(json_dump_file(m, path, 0), 0);
    json_decref(m);
}

/* ---- reading ---- */

/* Opening must fail with a message containing `why`. */
static void
open_fails(const char *why)
{
    char path[PATH_MAX], err[4096] = "";
    file_path("", path, sizeof path);
    axle_dataset *ds = axle_dataset_open(path, err, sizeof err);
    if (ds)
        axle_dataset_close(ds);
    assert_null(ds);
    assert_has(err, "meta.json: ");
    assert_has(err, why);
}

/* Walks `column` over all slices: the rows read before the error, and
 * the error (which must come: the last step returns -1) in err. */
static int
walk_fails(const char *column, char *err, size_t errlen)
{
    axle_dataset *ds = td_open(&job, "default");
    char oerr[1024];
    axle_cursor *c = axle_cursor_open(ds, column, -1, oerr, sizeof oerr);
    assert_non_null(c);
    int rc, rows = 0;
    while ((rc = axle_cursor_next(c)) == 1)
        rows++;
    snprintf(err, errlen, "%s", axle_cursor_error(c));
    assert_int_equal(rc, -1);
    /* It stays failed. */
    assert_int_equal(axle_cursor_next(c), -1);
    axle_cursor_close(c);
    axle_dataset_close(ds);
    return rows;
}

/* ---- cells ---- */

/* A raw image's header claims 4000x1000 pixels, 18 bytes are stored:
 * a method reading its pixels would run off the mapping. */
static void
test_image_claims_more_pixels(void **state)
{
    (void)state;
    const uint8_t wide[8] = {0xa0, 0x0f, 0, 0, 0xe8, 0x03, 0, 0};
    poke("0-img.0", 31 + 1 + 4, wide, sizeof wide); /* row 1's header */
    char err[4096];
    assert_int_equal(walk_fails("img", err, sizeof err), 1);
    assert_has(err, "/ds/default/0-img.0: offset 31: raw image cell claims "
                    "4000x1000x3 pixels, holds 18 bytes");
}

static void
test_image_unknown_codec_channels(void **state)
{
    (void)state;
    poke("0-img.1", 1, "\x7f", 1); /* past AXLE_CODEC_LAST */
    char err[4096];
    assert_int_equal(walk_fails("img", err, sizeof err), 2);
    assert_has(err, "0-img.1: offset 0: image cell of unknown codec 127");
    poke("0-img.1", 1, "\x03\x00", 2);
    assert_int_equal(walk_fails("img", err, sizeof err), 2);
    assert_has(err, "0-img.1: offset 0: image cell with 0 channels");
}

/* A cell shorter than the image header: 5 bytes, then what was the rest
 * of the cell is read as further (null) cells. */
static void
test_image_shorter_than_header(void **state)
{
    (void)state;
    poke("0-img.0", 0, "\x06", 1);
    char err[4096];
    assert_int_equal(walk_fails("img", err, sizeof err), 0);
    assert_has(err, "0-img.0: offset 0: image cell of 5 bytes, shorter than "
                    "its 12-byte header");
}

/* A string cell's length claims 2 MB; 3 bytes are left in the file. */
static void
test_cell_claims_too_much(void **state)
{
    (void)state;
    const uint8_t big[3] = {0x81, 0x89, 0x7a}; /* 2000001: 2000000 bytes */
    /* Row 1 of slice 0 starts at 6; its 3-byte length replaces "\x06he". */
    poke("1-s.0", 6, big, sizeof big);
    char err[4096];
    assert_int_equal(walk_fails("s", err, sizeof err), 1);
    assert_has(err, "1-s.0: offset 6: cell claims 2000000 bytes, 3 left");
}

static void
test_cell_length_not_varint(void **state)
{
    (void)state;
    poke("1-s.0", 6, "\xff\xff\xff\xff\xff\xff", 6);
    char err[4096];
    assert_int_equal(walk_fails("s", err, sizeof err), 1);
    assert_has(err, "1-s.0: offset 6: damaged cell length (the file ends inside it)");
}

/* Fewer rows in meta.json than cells in the file: the rest is reported,
 * not silently dropped. */
static void
test_more_cells_than_rows(void **state)
{
    (void)state;
    set_meta("rows/0", "1");
    char err[4096];
    assert_int_equal(walk_fails("s", err, sizeof err), 1);
    assert_has(err, "1-s.0: offset 6: its 1 rows end here, but the file holds "
                    "12 bytes");
}

/* ---- row counts ---- */

/* 2^61 + 2 int64 rows: times 8 wraps to 16 bytes, the file's true size;
 * a reader trusting it would read far past the mapping. */
static void
test_absurd_rows_fixed(void **state)
{
    (void)state;
    set_meta("rows/0", "2305843009213693954");
    char err[4096];
    assert_int_equal(walk_fails("n", err, sizeof err), 0);
    assert_has(err, "2-n.0: holds 16 bytes, but its 2305843009213693954 rows "
                    "of int64 need more");
}

static void
test_absurd_rows_variable(void **state)
{
    (void)state;
    set_meta("rows/1", "1000000");
    char err[4096];
    assert_int_equal(walk_fails("s", err, sizeof err), 2);
    assert_has(err, "1-s.1: holds 6 bytes, too few for its 1000000 rows of string");
}

static void
test_rows_overflow(void **state)
{
    (void)state;
    set_meta("rows", "[9223372036854775807, 1]");
    open_fails("'rows' adds up to more rows than a dataset can hold");
}

static void
test_bad_slices(void **state)
{
    (void)state;
    set_meta("slices", "4294967298"); /* (int) of it is 2 */
    open_fails("'slices' is not a count from 1 to");
    set_meta("slices", "0");
    open_fails("'slices' is not a count from 1 to");
    set_meta("slices", "3");
    open_fails("'rows' does not have one entry per slice");
}

static void
test_bad_nulls(void **state)
{
    (void)state;
    set_meta("columns/2/nulls/0", "3");
    open_fails("column 'n': 'nulls' counts more nulls than rows in a slice");
    set_meta("columns/2/nulls", "[0]");
    open_fails("column 'n': 'nulls' does not have one entry per slice");
}

/* A null count the file has no bitmap for: the size says so. */
static void
test_nulls_without_bitmap(void **state)
{
    (void)state;
    set_meta("columns/2/nulls/0", "1");
    char err[4096];
    assert_int_equal(walk_fails("n", err, sizeof err), 0);
    assert_has(err, "2-n.0: holds 16 bytes, but its 2 rows of int64 with nulls "
                    "need another size");
}

static void
test_bad_files(void **state)
{
    (void)state;
    set_meta("columns/1/files/0", "\"../../../../etc/passwd\"");
    open_fails("column 's': slice 0's file is not a plain file name");
    set_meta("columns/1/files/0", "\"..\"");
    open_fails("column 's': slice 0's file is not a plain file name");
    set_meta("columns/1/files/0", "null");
    open_fails("column 's': slice 0 has 2 rows but no file");
}

static void
test_bad_columns(void **state)
{
    (void)state;
    set_meta("columns/1/name", "\"img\"");
    open_fails("column 'img' is listed twice");
    set_meta("columns/1/type", "\"float128\"");
    open_fails("column img has no name, type or location");
    set_meta("format", "\"something\"");
    open_fails("not an axle dataset description");
}

/* ---- files that are not what they seem ---- */

/* A FIFO in place of a column file or of meta.json: opening it for
 * reading would wait for a writer forever. */
static void
test_fifo(void **state)
{
    (void)state;
    char path[PATH_MAX], err[4096];
    file_path("1-s.1", path, sizeof path);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkfifo(path, 0644), 0);
    alarm(60); /* without the fix this hangs: fail instead of stalling */
    assert_int_equal(walk_fails("s", err, sizeof err), 2);
    assert_has(err, "1-s.1: not a regular file");
    file_path("meta.json", path, sizeof path);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkfifo(path, 0644), 0);
    open_fails("meta.json: not a regular file");
    alarm(0);
}

/* A column file truncated while a cursor walks it: the walk ends with a
 * message before it touches a page past the new end (SIGBUS). */
static void
test_truncated_while_reading(void **state)
{
    (void)state;
    axle_job big;
    td_job(&big, 2, 1);
    axle_writer *w = axle_writer_new(&big, "default", NULL, NULL);
    assert_int_equal(axle_writer_add(w, "s", AXLE_STRING), 0);
    assert_int_equal(axle_writer_add(w, "n", AXLE_INT64), 1);
    static char text[65536];
    memset(text, 'x', sizeof text);
    td_stage(&big, "analysis", 0);
    for (int i = 0; i < 1 << 20; i++) { /* 9 MiB of strings, 8 MiB of ints */
        assert_int_equal(axle_put_string(w, 0, text, i < 128 ? sizeof text : 0), 0);
        assert_int_equal(axle_put_int64(w, 1, i), 0);
        assert_int_equal(axle_writer_end_row(w), AXLE_OK);
    }
    td_end_stage(&big);
    td_finish_ok(&big);
    axle_dataset *ds = td_open(&big, "default");
    static const char *const cols[] = {"s", "n"};
    for (int k = 0; k < 2; k++) {
        axle_cursor *c = axle_cursor_open(ds, cols[k], 0, NULL, 0);
        assert_int_equal(axle_cursor_next(c), 1);
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/ds/default/%d-%s.0", big.dir, k, cols[k]);
        assert_int_equal(truncate(path, 3 << 20), 0);
        int rc, rows = 1;
        while ((rc = axle_cursor_next(c)) == 1)
            rows++;
        assert_int_equal(rc, -1);
        assert_has(axle_cursor_error(c), "bytes while being read");
        axle_cursor_close(c);
    }
    axle_dataset_close(ds);
    td_job_free(&big);
}

/* ---- chains ---- */

/* previous pointing back at the dataset itself (or a later one): a walk
 * down the chain must end, with the reason. */
static void
test_previous_loop(void **state)
{
    (void)state;
    set_meta("previous", "\".\"");
    axle_dataset *ds = td_open(&job, "default");
    axle_dataset *d = ds;
    int n = 0;
    while (d && n < 100) {
        d = axle_dataset_previous(d);
        n++;
    }
    assert_null(d);
    assert_int_equal(n, 1);
    assert_has(axle_internal_dataset_previous_error(ds),
               "meta.json: 'previous' ");
    assert_has(axle_internal_dataset_previous_error(ds),
               "the chain of previous datasets loops back to itself");
    axle_dataset_close(ds);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_image_claims_more_pixels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_image_unknown_codec_channels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_image_shorter_than_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_claims_too_much, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_length_not_varint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_more_cells_than_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_absurd_rows_fixed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_absurd_rows_variable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_overflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_slices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_nulls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nulls_without_bitmap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_while_reading, setup, teardown),
        cmocka_unit_test_setup_teardown(test_previous_loop, setup, teardown),
    };
    return cmocka_run_group_tests_name("dataset damage", tests, NULL, NULL);
}
