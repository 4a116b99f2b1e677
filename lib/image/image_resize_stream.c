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
 * byte for byte; only where the input rows lie differs.
 *
 * A YCbCr stream takes the three planes of a raw JPEG decode, one ring
 * each, and its horizontal pass (image_jpeg_planes.c) converts each
 * output pixel to RGB as it makes it. */
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"
#include "image_resize.h"

struct img_stream {
    const struct img_weights *vert, *horiz;
    struct img_weights own[2]; /* when the thread keeps no weights */
    uint32_t channels;         /* of an input row (1 per plane for YCbCr) */
    uint32_t planes;           /* 1, or 3 for YCbCr */
    size_t row;                /* bytes of an input row */
    size_t stride;             /* bytes between rows in a ring */
    uint32_t slots;            /* rows in a ring */
    uint8_t *ring;             /* plane p's row y: ring p, slot y % slots */
    uint8_t *mid;              /* each plane's row after the vertical pass */
    const uint8_t **taps;      /* the input rows of one output row */
    struct img_ycc_rows *ycc;  /* YCbCr's horizontal pass in blocks, or NULL */
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
    img_ycc_rows_free(s->ycc);
    free(s);
}

static struct img_stream *
stream_new(uint32_t in_w, uint32_t in_h, uint32_t channels, uint32_t planes, uint32_t out_w,
           uint32_t out_h, axle_pixels *out)
{
    memset(out, 0, sizeof *out);
    if (!in_w || !in_h || !out_w || !out_h || in_w == out_w || in_h == out_h)
        return NULL;
    struct img_stream *s = calloc(1, sizeof *s);
    if (!s || img_resize_weights(in_w, in_h, out_w, out_h, s->own, &s->vert,
                                 &s->horiz) != AXLE_OK) {
        img_stream_free(s);
        return NULL;
    }
    s->channels = channels;
    s->planes = planes;
    s->row = (size_t)in_w * channels;
    s->stride = s->row + IMG_STREAM_PAD;
    /* Rows still needed when a batch comes: the unfinished output row's
     * taps, fewer than ksize, all before the batch. */
    uint32_t ksize = (uint32_t)s->vert->ksize;
    s->slots = ksize + IMG_STREAM_BATCH < in_h ? ksize + IMG_STREAM_BATCH : in_h;
    s->ring = malloc(planes * s->slots * s->stride);
    /* zeroed: the horizontal pass reads into the slack (times weight 0) */
    s->mid = calloc(planes, s->row + IMG_RESIZE_SLACK);
    s->taps = malloc((ksize ? ksize : 1) * sizeof *s->taps);
    if (!s->ring || !s->mid || !s->taps ||
        axle_pixels_alloc(out, out_w, out_h, planes == 3 ? 3 : channels) != AXLE_OK) {
        img_stream_free(s);
        return NULL;
    }
    if (planes == 3) /* NULL without AVX-512: img_ycc_horizontal_row */
        s->ycc = img_ycc_rows_new(s->horiz);
    s->out = out;
    return s;
}

struct img_stream *
img_stream_new(uint32_t in_w, uint32_t in_h, uint32_t channels, uint32_t out_w,
               uint32_t out_h, axle_pixels *out)
{
    if (channels != 1 && channels != 3) {
        memset(out, 0, sizeof *out);
        return NULL;
    }
    return stream_new(in_w, in_h, channels, 1, out_w, out_h, out);
}

struct img_stream *
img_stream_new_ycc(uint32_t in_w, uint32_t in_h, uint32_t out_w, uint32_t out_h,
                   axle_pixels *out)
{
    return stream_new(in_w, in_h, 1, 3, out_w, out_h, out);
}

uint8_t *
img_stream_plane_row(struct img_stream *s, uint32_t plane, uint32_t y)
{
    return s->ring + ((size_t)plane * s->slots + y % s->slots) * s->stride;
}

uint8_t *
img_stream_row(struct img_stream *s, uint32_t y)
{
    return img_stream_plane_row(s, 0, y);
}

void
img_stream_fed(struct img_stream *s, uint32_t rows)
{
    const int32_t *bounds = s->vert->bounds;
    size_t mid_stride = s->row + IMG_RESIZE_SLACK;
    for (; s->next < s->out->height; s->next++) {
        uint32_t y = s->next, first = (uint32_t)bounds[2 * y];
        int32_t count = bounds[2 * y + 1];
        if (first + (uint32_t)count > rows)
            return; /* its last tap has not arrived yet */
        for (uint32_t p = 0; p < s->planes; p++) {
            for (int32_t j = 0; j < count; j++)
                s->taps[j] = img_stream_plane_row(s, p, first + (uint32_t)j);
            img_resize_vertical_row(s->vert, y, s->taps, s->row, s->mid + p * mid_stride);
        }
        uint8_t *dst = s->out->data + y * s->out->stride;
        if (s->planes == 3 && s->ycc)
            img_ycc_rows_run(s->ycc, s->mid, s->mid + mid_stride, s->mid + 2 * mid_stride,
                             dst);
        else if (s->planes == 3)
            img_ycc_horizontal_row(s->horiz, s->mid, s->mid + mid_stride,
                                   s->mid + 2 * mid_stride, dst);
        else
            img_resize_horizontal_row(s->horiz, s->mid, dst, s->channels);
    }
}
