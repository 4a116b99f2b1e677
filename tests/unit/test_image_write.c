/* test_image_write.c - axle_write_image: pixels to a file in the job
 * folder in one call, encoded with the job's provenance, written whole
 * and registered; a refusal names the file and leaves nothing behind. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_dataset_util.h"

static axle_job job;

static int
setup(void **state)
{
    td_setup(state);
    td_job(&job, 1, 1);
    td_stage(&job, "synthesis", -1);
    return 0;
}

static int
teardown(void **state)
{
    td_job_free(&job);
    return td_teardown(state);
}

/* The whole of JOBDIR/rel, or NULL when it is not there. */
static char *
slurp(const char *rel, size_t *len)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", job.dir, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static axle_pixels
grey_square(void)
{
    axle_pixels px;
    assert_int_equal(axle_pixels_alloc(&px, 16, 16, 3), AXLE_OK);
    memset(px.data, 90, px.stride * px.height);
    return px;
}

static void
test_written_with_provenance_and_registered(void **state)
{
    (void)state;
    axle_pixels px = grey_square();
    assert_int_equal(axle_write_image(&job, "out/sheet.jpg", &px, AXLE_CODEC_JPEG, 90,
                                      "a.jpg"), AXLE_OK);
    size_t len;
    char *jpeg = slurp("out/sheet.jpg", &len);
    assert_non_null(jpeg);
    axle_image img;
    char err[256];
    assert_int_equal(axle_image_probe(jpeg, len, &img, err, sizeof err), AXLE_OK);
    assert_int_equal(img.codec, AXLE_CODEC_JPEG);
    assert_int_equal(img.width, 16);
    size_t xmplen;
    const char *xmp = axle_image_xmp(jpeg, len, &xmplen);
    assert_non_null(xmp);
    char *packet = strndup(xmp, xmplen);
    assert_has(packet, "<axle:recipe>"); /* not the job id: see image_provenance.c */
    assert_null(strstr(packet, "<axle:job>"));
    assert_has(packet, "<axle:source>a.jpg</axle:source>");
    free(packet);
    free(jpeg);
    char *files = slurp(".files.synthesis", &len);
    assert_non_null(files);
    assert_has(files, "\"out/sheet.jpg\"");
    free(files);
    axle_pixels_free(&px);
}

static void
test_refusals_name_the_file(void **state)
{
    (void)state;
    axle_pixels px = grey_square();
    size_t len;
    /* a codec that cannot carry provenance */
    assert_true(axle_write_image(&job, "x.raw", &px, AXLE_CODEC_RAW, 90, NULL) < 0);
    assert_has(axle_errmsg(&job), "x.raw: ");
    assert_null(slurp("x.raw", &len));
    /* no pixels */
    axle_pixels none = {0};
    assert_true(axle_write_image(&job, "empty.jpg", &none, AXLE_CODEC_JPEG, 90, NULL) < 0);
    assert_has(axle_errmsg(&job), "empty.jpg: ");
    assert_null(slurp("empty.jpg", &len));
    /* a path leaving the job folder: axle_write_file's refusal */
    assert_int_equal(axle_write_image(&job, "../out.jpg", &px, AXLE_CODEC_WEBP, 90, NULL),
                     AXLE_EINVAL);
    assert_has(axle_errmsg(&job), "it has a \"..\" component");
    assert_null(slurp("../out.jpg", &len));
    assert_null(slurp(".files.synthesis", &len)); /* nothing registered */
    axle_pixels_free(&px);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_written_with_provenance_and_registered, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refusals_name_the_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
