/* image_resize_stream.c - a resize fed row by row as a decoder makes the
 * rows (issue 12: decode to resize, fused).
 *
 * A shrink-on-load JPEG decode of a 4K photo is still a 1920x1080 image:
 * 6 MB written by the decoder and read back by the resize, out of every
 * cache.  The vertical pass needs only a few input rows at a time (the
 * taps of one output row, about 20 for a 3x reduction), so the rows go
 * into a ring just large enough for them plus one batch of the decoder's,
 * and each output row is made, vertically then horizontally, as soon as
 * its last input row has arrived.  The kernels and weights are those of
 * the whole-image resize (image_resize.c), so the pixels are the same,
 * byte for byte; only where the input rows lie differs. */
#include <stdlib.h>
#include <string.h>

#include "image_resize.h"

struct img_stream {
    const struct img_weights *vert, *horiz;
    struct img_weights own[2]; /* when the thread keeps no weights */
    uint32_t channels;
    size_t row;                /* bytes of an input row */
    uint32_t slots;            /* rows in the ring */
    uint8_t *ring;             /* input row y is slot y % slots */
    uint8_t *mid;              /* one row after the vertical pass, and slack */
    const uint8_t **taps;      /* the input rows of one output row */
    uint32_t next;             /* the next output row to make */
    axle_pixels *out;
};

void
img_stream_free(struct img_stream *s)
{
    if (!s)
        return;
    img_weights_free(&s->own[0]);
    img_weights_free(&s->own[1]);
    free(s->ring);
    free(s->mid);
    free(s->taps);
    free(s);
}

struct img_stream *
img_stream_new(uint32_t in_w, uint32_t in_h, uint32_t channels, uint32_t out_w,
               uint32_t out_h, axle_pixels *out)
{
    memset(out, 0, sizeof *out);
    if ((channels != 1 && channels != 3) || !in_w || !in_h || !out_w || !out_h ||
        in_w == out_w || in_h == out_h)
        return NULL;
    struct img_stream *s = calloc(1, sizeof *s);
    if (!s || img_resize_weights(in_w, in_h, out_w, out_h, s->own, &s->vert,
                                 &s->horiz) != AXLE_OK) {
        img_stream_free(s);
        return NULL;
    }
    s->channels = channels;
    s->row = (size_t)in_w * channels;
    /* Rows still needed when a batch comes: the unfinished output row's
     * taps, fewer than ksize, all before the batch. */
    uint32_t ksize = (uint32_t)s->vert->ksize;
    s->slots = ksize + IMG_STREAM_BATCH < in_h ? ksize + IMG_STREAM_BATCH : in_h;
    s->ring = malloc(s->slots * s->row);
    s->mid = malloc(s->row + IMG_RESIZE_SLACK);
    s->taps = malloc((ksize ? ksize : 1) * sizeof *s->taps);
    if (!s->ring || !s->mid || !s->taps ||
        axle_pixels_alloc(out, out_w, out_h, channels) != AXLE_OK) {
        img_stream_free(s);
        return NULL;
    }
    s->out = out;
    return s;
}

uint8_t *
img_stream_row(struct img_stream *s, uint32_t y)
{
    return s->ring + (size_t)(y % s->slots) * s->row;
}

void
img_stream_fed(struct img_stream *s, uint32_t rows)
{
    const int32_t *bounds = s->vert->bounds;
    for (; s->next < s->out->height; s->next++) {
        uint32_t y = s->next, first = (uint32_t)bounds[2 * y];
        int32_t count = bounds[2 * y + 1];
        if (first + (uint32_t)count > rows)
            return; /* its last tap has not arrived yet */
        for (int32_t j = 0; j < count; j++)
            s->taps[j] = img_stream_row(s, first + (uint32_t)j);
        img_resize_vertical_row(s->vert, y, s->taps, s->row, s->mid);
        img_resize_horizontal_row(s->horiz, s->mid, s->out->data + y * s->out->stride,
                                  s->channels);
    }
}
