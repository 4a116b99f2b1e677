/* test_dataset_types.c - every column type round-trips through a written
 * and finished dataset, with nulls and extreme values, and meta.json
 * says what a user would read there (types, nulls, min/max). */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_dataset_util.h"

/* One job, 2 slices, written slice by slice in this process (the core
 * would fork; the writer does not care), column `c` of type t. */
static axle_writer *
one_column(axle_job *job, axle_type t)
{
    td_job(job, 1, 2);
    axle_writer *w = axle_writer_new(job, "default", NULL, NULL);
    assert_non_null(w);
    assert_int_equal(axle_writer_add(w, "c", t), 0);
    return w;
}

static axle_dataset *
finish_and_open(axle_job *job)
{
    char err[1024];
    int rc = td_finish(job, err, sizeof err);
    if (rc)
        print_error("# %s\n", err);
    assert_int_equal(rc, 0);
    return td_open(job, "default");
}

static void
end_row(axle_writer *w)
{
    assert_int_equal(axle_writer_end_row(w), AXLE_OK);
}

static void
test_int64(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = one_column(&job, AXLE_INT64);
    static const int64_t vals[] = {0, INT64_MIN, -1, INT64_MAX, 42};
    td_stage(&job, "analysis", 0);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(axle_put_int64(w, 0, vals[i]), AXLE_OK);
        end_row(w);
        assert_int_equal(axle_put_null(w, 0), AXLE_OK);
        end_row(w);
    }
    td_end_stage(&job);
    td_stage(&job, "analysis", 1);
    assert_int_equal(axle_put_int64(w, 0, 7), AXLE_OK);
    end_row(w);
    td_end_stage(&job);
    axle_dataset *ds = finish_and_open(&job);
    assert_int_equal(axle_dataset_rows(ds, 0), 10);
    assert_int_equal(axle_dataset_rows(ds, 1), 1);
    assert_int_equal(axle_dataset_rows(ds, -1), 11);
    assert_int_equal(axle_dataset_column_type(ds, "c"), AXLE_INT64);
    axle_cursor *c = axle_cursor_open(ds, "c", -1, NULL, 0);
    assert_non_null(c);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(axle_cursor_next(c), 1);
        assert_false(axle_cursor_is_null(c));
        assert_true(axle_cursor_int64(c) == vals[i]);
        assert_int_equal(axle_cursor_slice(c), 0);
        assert_int_equal(axle_cursor_next(c), 1);
        assert_true(axle_cursor_is_null(c));
    }
    assert_int_equal(axle_cursor_next(c), 1);
    assert_int_equal(axle_cursor_int64(c), 7);
    assert_int_equal(axle_cursor_slice(c), 1);
    assert_int_equal(axle_cursor_next(c), 0);
    assert_int_equal(axle_cursor_next(c), 0);
    axle_cursor_close(c);
    json_t *m = td_meta(&job, "default");
    json_t *col = json_array_get(json_object_get(m, "columns"), 0);
    assert_string_equal(json_string_value(json_object_get(col, "type")), "int64");
    assert_true(json_integer_value(json_object_get(col, "min")) == INT64_MIN);
    assert_true(json_integer_value(json_object_get(col, "max")) == INT64_MAX);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(col, "nulls"), 0)), 5);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(col, "nulls"), 1)), 0);
    json_decref(m);
    axle_dataset_close(ds);
    td_job_free(&job);
}

static void
test_float64(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = one_column(&job, AXLE_FLOAT64);
    const double vals[] = {0.0, -0.0, NAN, INFINITY, -INFINITY, DBL_MAX,
                           -DBL_MAX, DBL_MIN, 5e-324, 0.1, -2.5};
    const size_t n = sizeof vals / sizeof vals[0];
    td_stage(&job, "analysis", 1); /* slice 0 stays empty */
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(axle_put_float64(w, 0, vals[i]), AXLE_OK);
        end_row(w);
    }
    assert_int_equal(axle_put_null(w, 0), AXLE_OK);
    end_row(w);
    td_end_stage(&job);
    axle_dataset *ds = finish_and_open(&job);
    assert_int_equal(axle_dataset_rows(ds, 0), 0);
    axle_cursor *c = axle_cursor_open(ds, "c", 1, NULL, 0);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(axle_cursor_next(c), 1);
        double got = axle_cursor_float64(c);
        if (isnan(vals[i]))
            assert_true(isnan(got));
        else
            assert_memory_equal(&got, &vals[i], sizeof got); /* bit exact, -0.0 too */
    }
    assert_int_equal(axle_cursor_next(c), 1);
    assert_true(axle_cursor_is_null(c));
    assert_int_equal(axle_cursor_next(c), 0);
    axle_cursor_close(c);
    json_t *m = td_meta(&job, "default");
    json_t *col = json_array_get(json_object_get(m, "columns"), 0);
    /* NaN has no order; infinities are spelled out (JSON has no inf). */
    assert_string_equal(json_string_value(json_object_get(col, "min")), "-inf");
    assert_string_equal(json_string_value(json_object_get(col, "max")), "inf");
    json_decref(m);
    axle_dataset_close(ds);
    td_job_free(&job);
}

static void
test_bool(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = one_column(&job, AXLE_BOOL);
    td_stage(&job, "analysis", 0);
    /* 20 rows so the null bitmap spans three bytes. */
    for (int i = 0; i < 20; i++) {
        if (i % 3 == 2)
            assert_int_equal(axle_put_null(w, 0), AXLE_OK);
        else
            assert_int_equal(axle_put_bool(w, 0, i % 3 == 1), AXLE_OK);
        end_row(w);
    }
    td_end_stage(&job);
    td_stage(&job, "analysis", 1);
    assert_int_equal(axle_put_bool(w, 0, false), AXLE_OK);
    end_row(w);
    td_end_stage(&job);
    axle_dataset *ds = finish_and_open(&job);
    axle_cursor *c = axle_cursor_open(ds, "c", 0, NULL, 0);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(axle_cursor_next(c), 1);
        assert_int_equal(axle_cursor_is_null(c), i % 3 == 2);
        if (i % 3 != 2)
            assert_int_equal(axle_cursor_bool(c), i % 3 == 1);
    }
    assert_int_equal(axle_cursor_next(c), 0);
    axle_cursor_close(c);
    json_t *m = td_meta(&job, "default");
    json_t *col = json_array_get(json_object_get(m, "columns"), 0);
    assert_true(json_is_false(json_object_get(col, "min")));
    assert_true(json_is_true(json_object_get(col, "max")));
    json_decref(m);
    axle_dataset_close(ds);
    td_job_free(&job);
}

static void
test_string(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = one_column(&job, AXLE_STRING);
    /* Longer than the 1 MiB write buffer: written around it. */
    size_t biglen = 3u << 20;
    char *big = malloc(biglen);
    for (size_t i = 0; i < biglen; i++)
        big[i] = (char)('a' + i % 26);
    const char *vals[] = {"", "plain", "åäö ☃ 𝄞", "a\0b"};
    const size_t lens[] = {0, 5, strlen(vals[2]), 3};
    td_stage(&job, "analysis", 0);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(axle_put_string(w, 0, vals[i], lens[i]), AXLE_OK);
        end_row(w);
    }
    assert_int_equal(axle_put_null(w, 0), AXLE_OK);
    end_row(w);
    assert_int_equal(axle_put_string(w, 0, big, biglen), AXLE_OK);
    end_row(w);
    /* Not UTF-8: a lone continuation byte, an overlong '/', a surrogate. */
    static const char *bad[] = {"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "ab\xe2\x82"};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(axle_put_string(w, 0, bad[i], strlen(bad[i])), AXLE_EINVAL);
        assert_non_null(strstr(axle_errmsg(&job), "column 'c': string is not valid UTF-8"));
    }
    td_end_stage(&job);
    axle_dataset *ds = finish_and_open(&job);
    axle_cursor *c = axle_cursor_open(ds, "c", -1, NULL, 0);
    size_t len;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(axle_cursor_next(c), 1);
        assert_false(axle_cursor_is_null(c));
        const void *p = axle_cursor_bytes(c, &len);
        assert_non_null(p);
        assert_int_equal(len, lens[i]);
        if (len)
            assert_memory_equal(p, vals[i], len);
    }
    assert_int_equal(axle_cursor_next(c), 1);
    assert_true(axle_cursor_is_null(c));
    assert_null(axle_cursor_bytes(c, &len));
    assert_int_equal(axle_cursor_next(c), 1);
    const void *p = axle_cursor_bytes(c, &len);
    assert_int_equal(len, biglen);
    assert_memory_equal(p, big, biglen);
    assert_int_equal(axle_cursor_next(c), 0);
    axle_cursor_close(c);
    free(big);
    axle_dataset_close(ds);
    td_job_free(&job);
}

static void
test_bytes(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = one_column(&job, AXLE_BYTES);
    size_t biglen = 20u << 20; /* 20 MB */
    unsigned char *big = malloc(biglen);
    for (size_t i = 0; i < biglen; i++)
        big[i] = (unsigned char)(i * 2654435761u >> 13);
    static const unsigned char small[] = {0, 1, 0, 255, 0};
    td_stage(&job, "analysis", 1);
    assert_int_equal(axle_put_bytes(w, 0, "", 0), AXLE_OK);
    end_row(w);
    assert_int_equal(axle_put_null(w, 0), AXLE_OK);
    end_row(w);
    assert_int_equal(axle_put_bytes(w, 0, big, biglen), AXLE_OK);
    end_row(w);
    assert_int_equal(axle_put_bytes(w, 0, small, sizeof small), AXLE_OK);
    end_row(w);
    td_end_stage(&job);
    axle_dataset *ds = finish_and_open(&job);
    axle_cursor *c = axle_cursor_open(ds, "c", -1, NULL, 0);
    size_t len = 99;
    assert_int_equal(axle_cursor_next(c), 1);
    assert_false(axle_cursor_is_null(c)); /* 0 bytes is not null */
    axle_cursor_bytes(c, &len);
    assert_int_equal(len, 0);
    assert_int_equal(axle_cursor_next(c), 1);
    assert_true(axle_cursor_is_null(c));
    assert_int_equal(axle_cursor_next(c), 1);
    const void *p = axle_cursor_bytes(c, &len);
    assert_int_equal(len, biglen);
    assert_memory_equal(p, big, biglen);
    assert_int_equal(axle_cursor_next(c), 1);
    p = axle_cursor_bytes(c, &len);
    assert_int_equal(len, sizeof small);
    assert_memory_equal(p, small, sizeof small);
    assert_int_equal(axle_cursor_slice(c), 1);
    assert_int_equal(axle_cursor_next(c), 0);
    axle_cursor_close(c);
    free(big);
    axle_dataset_close(ds);
    td_job_free(&job);
}

static void
test_json(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = one_column(&job, AXLE_JSON);
    static const char *vals[] = {"[640, 480]", "{\"a\": null}", "\"text\"", "0", "null"};
    td_stage(&job, "analysis", 0);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(axle_put_json(w, 0, vals[i]), AXLE_OK);
        end_row(w);
    }
    assert_int_equal(axle_put_null(w, 0), AXLE_OK);
    end_row(w);
    assert_int_equal(axle_put_json(w, 0, "[1, 2"), AXLE_EINVAL);
    assert_non_null(strstr(axle_errmsg(&job), "column 'c': not JSON"));
    td_end_stage(&job);
    axle_dataset *ds = finish_and_open(&job);
    axle_cursor *c = axle_cursor_open(ds, "c", -1, NULL, 0);
    size_t len;
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(axle_cursor_next(c), 1);
        assert_false(axle_cursor_is_null(c)); /* JSON null text is a value */
        const char *p = axle_cursor_bytes(c, &len);
        assert_int_equal(len, strlen(vals[i]));
        assert_memory_equal(p, vals[i], len);
    }
    assert_int_equal(axle_cursor_next(c), 1);
    assert_true(axle_cursor_is_null(c));
    assert_int_equal(axle_cursor_next(c), 0);
    axle_cursor_close(c);
    axle_dataset_close(ds);
    td_job_free(&job);
}

static void
test_image(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = one_column(&job, AXLE_IMAGE);
    /* An encoded stream is kept byte for byte; raw pixels too. */
    static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9};
    unsigned char px[3 * 2 * 4];
    for (size_t i = 0; i < sizeof px; i++)
        px[i] = (unsigned char)i;
    axle_image a = {AXLE_CODEC_JPEG, 4000, 3000, 3, 6, jpeg, sizeof jpeg};
    axle_image b = {AXLE_CODEC_RAW, 3, 2, 4, 1, px, sizeof px};
    axle_image huge = {AXLE_CODEC_WEBP, UINT32_MAX, 70000, 4, 8, jpeg, 1};
    td_stage(&job, "analysis", 0);
    assert_int_equal(axle_put_image(w, 0, &a), AXLE_OK);
    end_row(w);
    assert_int_equal(axle_put_null(w, 0), AXLE_OK);
    end_row(w);
    assert_int_equal(axle_put_image(w, 0, &b), AXLE_OK);
    end_row(w);
    assert_int_equal(axle_put_image(w, 0, &huge), AXLE_OK);
    end_row(w);
    axle_image bad = b;
    bad.size--; /* raw but not width*height*channels */
    assert_int_equal(axle_put_image(w, 0, &bad), AXLE_EINVAL);
    assert_non_null(strstr(axle_errmsg(&job), "raw but size is not"));
    td_end_stage(&job);
    axle_dataset *ds = finish_and_open(&job);
    axle_cursor *c = axle_cursor_open(ds, "c", -1, NULL, 0);
    axle_image got;
    assert_int_equal(axle_cursor_next(c), 1);
    assert_int_equal(axle_cursor_image(c, &got), AXLE_OK);
    assert_int_equal(got.codec, AXLE_CODEC_JPEG);
    assert_int_equal(got.width, 4000);
    assert_int_equal(got.height, 3000);
    assert_int_equal(got.channels, 3);
    assert_int_equal(got.orientation, 6);
    assert_int_equal(got.size, sizeof jpeg);
    assert_memory_equal(got.data, jpeg, sizeof jpeg);
    assert_int_equal(axle_cursor_next(c), 1);
    assert_true(axle_cursor_is_null(c));
    assert_int_equal(axle_cursor_image(c, &got), AXLE_EINVAL);
    assert_int_equal(axle_cursor_next(c), 1);
    assert_int_equal(axle_cursor_image(c, &got), AXLE_OK);
    assert_int_equal(got.codec, AXLE_CODEC_RAW);
    assert_int_equal(got.width * got.height * got.channels, got.size);
    assert_memory_equal(got.data, px, sizeof px);
    assert_int_equal(axle_cursor_next(c), 1);
    assert_int_equal(axle_cursor_image(c, &got), AXLE_OK);
    assert_true(got.width == UINT32_MAX);
    assert_int_equal(got.height, 70000);
    assert_int_equal(got.orientation, 8);
    assert_int_equal(axle_cursor_next(c), 0);
    axle_cursor_close(c);
    axle_dataset_close(ds);
    td_job_free(&job);
}

/* Many rows of several types cross every buffer boundary intact. */
static void
test_many_rows(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 2);
    axle_writer *w = axle_writer_new(&job, "default", NULL, NULL);
    int ci = axle_writer_add(w, "i", AXLE_INT64);
    int cs = axle_writer_add(w, "s", AXLE_STRING);
    int cb = axle_writer_add(w, "b", AXLE_BOOL);
    const int64_t n = 400000;
    for (int s = 0; s < 2; s++) {
        td_stage(&job, "analysis", s);
        for (int64_t i = 0; i < n; i++) {
            char text[32];
            int len = snprintf(text, sizeof text, "row %lld", (long long)i);
            assert_int_equal(axle_put_int64(w, ci, i * 3 + s), AXLE_OK);
            assert_int_equal(axle_put_string(w, cs, text, (size_t)len), AXLE_OK);
            if (i % 1000 == 0)
                assert_int_equal(axle_put_null(w, cb), AXLE_OK);
            else
                assert_int_equal(axle_put_bool(w, cb, i & 1), AXLE_OK);
            assert_int_equal(axle_writer_end_row(w), AXLE_OK);
        }
        td_end_stage(&job);
    }
    axle_dataset *ds = finish_and_open(&job);
    assert_int_equal(axle_dataset_rows(ds, -1), 2 * n);
    axle_cursor *c1 = axle_cursor_open(ds, "i", -1, NULL, 0);
    axle_cursor *c2 = axle_cursor_open(ds, "s", -1, NULL, 0);
    axle_cursor *c3 = axle_cursor_open(ds, "b", -1, NULL, 0);
    int64_t rows = 0, bad = 0;
    while (axle_cursor_next(c1) == 1) {
        assert_int_equal(axle_cursor_next(c2), 1);
        assert_int_equal(axle_cursor_next(c3), 1);
        int64_t i = rows % n;
        int s = (int)(rows / n);
        char text[32];
        int len = snprintf(text, sizeof text, "row %lld", (long long)i);
        size_t got;
        const char *p = axle_cursor_bytes(c2, &got);
        bad += axle_cursor_int64(c1) != i * 3 + s;
        bad += got != (size_t)len || memcmp(p, text, got) != 0;
        bad += axle_cursor_is_null(c3) != (i % 1000 == 0);
        bad += i % 1000 && axle_cursor_bool(c3) != (bool)(i & 1);
        rows++;
    }
    assert_int_equal(bad, 0);
    assert_int_equal(rows, 2 * n);
    assert_int_equal(axle_cursor_next(c2), 0);
    axle_cursor_close(c1);
    axle_cursor_close(c2);
    axle_cursor_close(c3);
    axle_dataset_close(ds);
    td_job_free(&job);
}

/* A damaged column file gives a read error naming it, not garbage. */
static void
test_damaged_file(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = one_column(&job, AXLE_STRING);
    td_stage(&job, "analysis", 0);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(axle_put_string(w, 0, "0123456789", 10), AXLE_OK);
        end_row(w);
    }
    td_end_stage(&job);
    axle_dataset *ds = finish_and_open(&job);
    char path[4096];
    snprintf(path, sizeof path, "%s/ds/default/0-c.0", job.dir);
    assert_int_equal(truncate(path, 555), 0);
    axle_cursor *c = axle_cursor_open(ds, "c", -1, NULL, 0);
    int rc, n = 0;
    while ((rc = axle_cursor_next(c)) == 1)
        n++;
    assert_int_equal(rc, -1);
    assert_int_equal(n, 50);
    assert_non_null(strstr(axle_cursor_error(c),
                           "0-c.0: offset 550: cell claims 10 bytes, 4 left"));
    axle_cursor_close(c);
    axle_dataset_close(ds);
    td_job_free(&job);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_int64, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_float64, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_bool, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_string, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_bytes, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_json, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_image, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_many_rows, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_damaged_file, td_setup, td_teardown),
    };
    return cmocka_run_group_tests_name("dataset types", tests, NULL, NULL);
}
