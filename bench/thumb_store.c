/* thumb_store.c - how to store a thumbnail column: size, encode time and
 * PSNR against the raw pixels of each candidate encoding.
 *
 *   cc -O2 bench/thumb_store.c -Isdk -Lbuild/lib/.libs -laxle -lwebp \
 *      -lturbojpeg -ljpeg -lm \
 *      -o /tmp/thumb_store && LD_LIBRARY_PATH=build/lib/.libs \
 *      /tmp/thumb_store 640 338 bench/.corpus/IMAGES.jpg
 *
 * Each photo is made into a thumbnail the thumbnailer's way
 * (axle_image_to_size), then encoded with every candidate: JPEG at
 * several qualities (4:4:4 from 90 up, axle's rule; progressive, and
 * baseline with optimised Huffman tables through libjpeg, also at the
 * half step 98.5), lossy WebP at 100, and lossless WebP at a few effort
 * levels.  Printed per candidate: mean
 * bytes per thumbnail and as a fraction of raw, mean encode milliseconds,
 * and the worst and mean PSNR (lossless: exact).  bench/workdir_size.sh
 * measures the whole workdir; this picks the column's encoding. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jpeglib.h>
#include <turbojpeg.h>
#include <webp/encode.h>

#include "axle/axle.h"

struct candidate {
    const char *name;
    axle_codec codec;
    int quality;  /* JPEG / lossy WebP */
    int lossless; /* WebP lossless at effort (method) lossless - 1 */
    int progressive; /* JPEG 4:4:4, progressive (optimised Huffman tables) */
    double bytes, ms, psnr_sum, psnr_min;
    int n; /* photos it could encode */
};

static double
now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double
psnr(const axle_pixels *a, const axle_pixels *b)
{
    double se = 0;
    size_t n = 0;
    for (uint32_t y = 0; y < a->height; y++) {
        const uint8_t *p = a->data + y * a->stride, *q = b->data + y * b->stride;
        for (size_t x = 0; x < (size_t)a->width * a->channels; x++, n++) {
            double d = (double)p[x] - q[x];
            se += d * d;
        }
    }
    return se == 0 ? INFINITY : 10 * log10(255.0 * 255.0 / (se / (double)n));
}

static int
encode_progressive(const axle_pixels *px, int quality, void **out, size_t *len)
{
    static tjhandle tj;
    if (!tj)
        tj = tjInitCompress();
    unsigned char *buf = NULL;
    unsigned long n = 0;
    if (px->channels != 3 ||
        tjCompress2(tj, px->data, (int)px->width, (int)px->stride, (int)px->height,
                    TJPF_RGB, &buf, &n, TJSAMP_444, quality, TJFLAG_PROGRESSIVE) != 0)
        return -1;
    *out = buf;
    *len = n;
    return 0;
}

/* Baseline JPEG 4:4:4 with optimised Huffman tables (libjpeg's API:
 * TurboJPEG 2 cannot ask for them without progressive). */
static int
encode_optimized(const axle_pixels *px, int quality, void **out, size_t *len)
{
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr jerr;
    unsigned char *buf = NULL;
    unsigned long n = 0;
    if (px->channels != 3)
        return -1;
    ci.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&ci);
    jpeg_mem_dest(&ci, &buf, &n);
    ci.image_width = px->width;
    ci.image_height = px->height;
    ci.input_components = 3;
    ci.in_color_space = JCS_RGB;
    jpeg_set_defaults(&ci);
    if (quality < 0) /* a linear scale: -3 is quality 98.5 */
        jpeg_set_linear_quality(&ci, -quality, TRUE);
    else
        jpeg_set_quality(&ci, quality, TRUE);
    for (int i = 0; i < 3; i++)
        ci.comp_info[i].h_samp_factor = ci.comp_info[i].v_samp_factor = 1;
    ci.optimize_coding = TRUE;
    ci.dct_method = JDCT_ISLOW;
    jpeg_start_compress(&ci, TRUE);
    while (ci.next_scanline < ci.image_height) {
        JSAMPROW row = px->data + (size_t)ci.next_scanline * px->stride;
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    *out = buf;
    *len = n;
    return 0;
}

static int
encode_lossless(const axle_pixels *px, int method, void **out, size_t *len)
{
    WebPConfig cfg;
    WebPPicture pic;
    WebPMemoryWriter wr;
    if (!WebPConfigInit(&cfg) || !WebPPictureInit(&pic))
        return -1;
    WebPConfigLosslessPreset(&cfg, method);
    cfg.exact = 1;
    pic.use_argb = 1;
    pic.width = (int)px->width;
    pic.height = (int)px->height;
    WebPMemoryWriterInit(&wr);
    pic.writer = WebPMemoryWrite;
    pic.custom_ptr = &wr;
    int ok = px->channels == 4 ? WebPPictureImportRGBA(&pic, px->data, (int)px->stride)
                               : WebPPictureImportRGB(&pic, px->data, (int)px->stride);
    ok = ok && WebPEncode(&cfg, &pic);
    WebPPictureFree(&pic);
    if (!ok) {
        WebPMemoryWriterClear(&wr);
        return -1;
    }
    *out = wr.mem;
    *len = wr.size;
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: thumb_store W H FILE...\n");
        return 2;
    }
    struct candidate cands[] = {
        {"jpeg q85 4:2:0 (export default)", AXLE_CODEC_JPEG, 85, 0, 0, 0, 0, 0, INFINITY, 0},
        {"jpeg q90 4:4:4", AXLE_CODEC_JPEG, 90, 0, 0, 0, 0, 0, INFINITY, 0},
        {"jpeg q93 4:4:4", AXLE_CODEC_JPEG, 93, 0, 0, 0, 0, 0, INFINITY, 0},
        {"jpeg q95 4:4:4", AXLE_CODEC_JPEG, 95, 0, 0, 0, 0, 0, INFINITY, 0},
        {"jpeg q96 4:4:4", AXLE_CODEC_JPEG, 96, 0, 0, 0, 0, 0, INFINITY, 0},
        {"jpeg q97 4:4:4", AXLE_CODEC_JPEG, 97, 0, 0, 0, 0, 0, INFINITY, 0},
        {"jpeg q98 4:4:4", AXLE_CODEC_JPEG, 98, 0, 0, 0, 0, 0, INFINITY, 0},
        {"jpeg q99 4:4:4", AXLE_CODEC_JPEG, 99, 0, 0, 0, 0, 0, INFINITY, 0},
        {"jpeg q97 4:4:4 progressive", AXLE_CODEC_JPEG, 97, 0, 1, 0, 0, 0, INFINITY, 0},
        {"jpeg q98 4:4:4 progressive", AXLE_CODEC_JPEG, 98, 0, 1, 0, 0, 0, INFINITY, 0},
        {"jpeg q99 4:4:4 progressive", AXLE_CODEC_JPEG, 99, 0, 1, 0, 0, 0, INFINITY, 0},
        {"jpeg q98 4:4:4 optimised", AXLE_CODEC_JPEG, 98, 0, 2, 0, 0, 0, INFINITY, 0},
        {"jpeg q98.5 4:4:4 optimised", AXLE_CODEC_JPEG, -3, 0, 2, 0, 0, 0, INFINITY, 0},
        {"jpeg q99 4:4:4 optimised", AXLE_CODEC_JPEG, 99, 0, 2, 0, 0, 0, INFINITY, 0},
        {"webp lossy q100", AXLE_CODEC_WEBP, 100, 0, 0, 0, 0, 0, INFINITY, 0},
        {"webp lossless effort 0", AXLE_CODEC_WEBP, 0, 1, 0, 0, 0, 0, INFINITY, 0},
        {"webp lossless effort 1", AXLE_CODEC_WEBP, 0, 2, 0, 0, 0, 0, INFINITY, 0},
        {"webp lossless effort 3", AXLE_CODEC_WEBP, 0, 4, 0, 0, 0, 0, INFINITY, 0},
        {"webp lossless effort 6", AXLE_CODEC_WEBP, 0, 7, 0, 0, 0, 0, INFINITY, 0},
    };
    size_t ncand = sizeof cands / sizeof cands[0];
    axle_geometry g = {.width = (uint32_t)atoi(argv[1]), .height = (uint32_t)atoi(argv[2])};
    int files = 0;
    double raw = 0, make_ms = 0;
    char err[512];
    for (int i = 3; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        rewind(f);
        void *buf = malloc((size_t)size);
        if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
            fclose(f);
            free(buf);
            continue;
        }
        fclose(f);
        axle_image img;
        axle_pixels px;
        double t0 = now_ms();
        if (axle_image_probe(buf, (size_t)size, &img, err, sizeof err) != AXLE_OK ||
            axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err) != AXLE_OK) {
            fprintf(stderr, "%s: %s\n", argv[i], err);
            free(buf);
            continue;
        }
        make_ms += now_ms() - t0;
        files++;
        raw += (double)px.width * px.height * px.channels;
        for (size_t k = 0; k < ncand; k++) {
            struct candidate *c = &cands[k];
            void *enc = NULL;
            size_t len = 0;
            t0 = now_ms();
            if ((c->lossless && px.channels < 3) || (c->progressive && px.channels != 3))
                continue; /* libwebp takes RGB(A) only */
            int rc = c->lossless      ? encode_lossless(&px, c->lossless - 1, &enc, &len)
                     : c->progressive == 2 ? encode_optimized(&px, c->quality, &enc, &len)
                     : c->progressive ? encode_progressive(&px, c->quality, &enc, &len)
                                      : axle_image_encode(&px, c->codec, c->quality, &enc,
                                                     &len, err, sizeof err);
            c->ms += now_ms() - t0;
            axle_image e;
            axle_pixels back;
            if (rc != 0 || axle_image_probe(enc, len, &e, err, sizeof err) != AXLE_OK ||
                axle_image_decode(&e, 0, 0, 0, &back, err, sizeof err) != AXLE_OK) {
                fprintf(stderr, "%s: %s failed\n", argv[i], c->name);
                free(enc);
                continue;
            }
            double p = psnr(&px, &back);
            c->bytes += (double)len;
            c->n++;
            c->psnr_sum += isinf(p) ? 99 : p;
            if (p < c->psnr_min)
                c->psnr_min = p;
            axle_pixels_free(&back);
            free(enc);
        }
        axle_pixels_free(&px);
        free(buf);
    }
    if (!files)
        return 1;
    printf("%d photos, thumbnails %sx%s: raw %.0f KB each, made in %.1f ms each\n\n",
           files, argv[1], argv[2], raw / files / 1000, make_ms / files);
    printf("| encoding | KB | of raw | encode ms | PSNR worst | PSNR mean |\n");
    printf("| --- | --- | --- | --- | --- | --- |\n");
    for (size_t k = 0; k < ncand; k++) {
        struct candidate *c = &cands[k];
        if (!c->n)
            continue;
        if (isinf(c->psnr_min))
            printf("| %s | %.1f | %.2f | %.1f | exact | exact |\n", c->name,
                   c->bytes / c->n / 1000, c->bytes / c->n / (raw / files),
                   c->ms / c->n);
        else
            printf("| %s | %.1f | %.2f | %.1f | %.2f | %.2f |\n", c->name,
                   c->bytes / c->n / 1000, c->bytes / c->n / (raw / files),
                   c->ms / c->n, c->psnr_min, c->psnr_sum / c->n);
    }
    return 0;
}
