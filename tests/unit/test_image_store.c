/* test_image_store.c - the stored thumbnail's search (issue 12): after an
 * image that ended at the same quality, the passing trial's bytes are kept
 * instead of encoding the winner again (one JPEG encoding fewer), and
 * those bytes are the ones a search from scratch writes, whatever came
 * before: the order of the images and so the slice count change nothing. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "axle/axle.h"
#include "image_internal.h"

/* A photo-like RGB image: gradients plus grain of `grain` levels from a
 * fixed LCG, so that its JPEG needs a quality the grain decides. */
static axle_pixels
make_photo(uint32_t w, uint32_t h, int grain, uint32_t seed)
{
    axle_pixels px = {.width = w, .height = h, .channels = 3, .stride = (size_t)w * 3};
    px.data = malloc(px.stride * h);
    assert_non_null(px.data);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                seed = seed * 1664525u + 1013904223u;
                int v = (int)((x * (c + 1) * 255) / w + (y * (3 - c) * 255) / h) / 4 + 64 +
                        (int)(seed >> 24) % (grain + 1) - grain / 2;
                px.data[y * px.stride + x * 3 + c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
    return px;
}

struct stored {
    void *bytes;
    size_t size;
    int quality, encodes;
};

struct run {
    const axle_pixels *images[6];
    int n;
    struct stored out[6];
};

/* Stores each image of a run in order on a thread of its own, so that it
 * starts with no previous image (a new slice). */
static void *
store_all(void *arg)
{
    struct run *r = arg;
    for (int i = 0; i < r->n; i++) {
        axle_image img;
        char err[256];
        void *out;
        int rc = axle_image_encode_stored(r->images[i], &img, &r->out[i].quality, &out, err,
                                          sizeof err);
        assert_int_equal(rc, AXLE_OK);
        assert_int_equal(img.codec, AXLE_CODEC_JPEG);
        r->out[i].bytes = out;
        r->out[i].size = img.size;
        r->out[i].encodes = axle_internal_store_encodes();
    }
    return NULL;
}

static void
run_alone(struct run *r)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, store_all, r), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
}

static void
free_run(struct run *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->out[i].bytes);
}

static void
assert_same_bytes(const struct stored *a, const struct stored *b)
{
    assert_int_equal(a->size, b->size);
    assert_memory_equal(a->bytes, b->bytes, a->size);
    assert_int_equal(a->quality, b->quality);
}

static void
test_kept_trial_is_the_encoding(void **state)
{
    (void)state;
    axle_pixels grainy = make_photo(300, 200, 24, 1);
    struct run r = {.images = {&grainy, &grainy, &grainy}, .n = 3};
    run_alone(&r);
    /* the first search has no previous scale: its winner is encoded again */
    assert_true(r.out[1].encodes >= 2);
    assert_int_equal(r.out[1].encodes, r.out[0].encodes - 1);
    assert_int_equal(r.out[2].encodes, r.out[1].encodes);
    assert_same_bytes(&r.out[0], &r.out[1]);
    assert_same_bytes(&r.out[0], &r.out[2]);
    free_run(&r);
    axle_pixels_free(&grainy);
}

static void
test_order_changes_nothing(void **state)
{
    (void)state;
    axle_pixels grainy = make_photo(300, 200, 24, 1);
    axle_pixels smooth = make_photo(300, 200, 2, 2);
    struct run a = {.images = {&grainy}, .n = 1}, b = {.images = {&smooth}, .n = 1};
    run_alone(&a);
    run_alone(&b);
    /* two images that end at different qualities, so each one's search
     * starts with the other's scale as its guess */
    assert_int_not_equal(a.out[0].quality, b.out[0].quality);
    struct run mixed = {.images = {&smooth, &grainy, &smooth, &grainy, &grainy, &smooth},
                        .n = 6};
    run_alone(&mixed);
    for (int i = 0; i < mixed.n; i++)
        assert_same_bytes(&mixed.out[i], mixed.images[i] == &grainy ? &a.out[0] : &b.out[0]);
    free_run(&a);
    free_run(&b);
    free_run(&mixed);
    axle_pixels_free(&grainy);
    axle_pixels_free(&smooth);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_trial_is_the_encoding),
        cmocka_unit_test(test_order_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
