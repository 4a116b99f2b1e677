/* image_colour.c - pixels from an image's embedded ICC profile to sRGB,
 * with lcms2.
 *
 * Reading a profile and building its transform costs about a millisecond,
 * as much as a small thumbnail; a folder of photos from one camera carries
 * the same profile thousands of times.  So each thread keeps the last few
 * profiles it met, keyed by the SHA-256 of their bytes, with what was
 * learnt about them (name, sRGB or not, broken or not) and the transforms
 * built for them (one per pixel layout): 10,000 Adobe RGB photos build one.
 *
 * A profile that is sRGB already (colorants and curves within half a level
 * of lcms2's own sRGB, and no lookup tables that would take precedence)
 * is not converted at all, so such images keep the exact bytes they had
 * before colour management: a round trip through lcms2's 8-bit path would
 * move some values by one.  Nor are images without a profile, which is
 * what the web and Pillow assume too.
 *
 * Grey images with a grey profile are converted to grey with sRGB's curve
 * (what a browser shows them as), staying one channel.  A CMYK JPEG's
 * profile is used by the JPEG decoder, which has the CMYK samples
 * (img_cmyk_with_profile, below): its pixels come out sRGB, and
 * axle_pixels_to_srgb leaves them.  A HEIF/AVIF without a profile but with
 * an nclx colour description (Display P3 on iPhones) gets a profile made
 * from it (image_nclx.c), then goes the same way as an embedded one. */
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lcms2.h>

#include "image_deep.h"
#include "image_internal.h"

/* Profiles kept per thread: more than a mixed folder usually holds
 * (sRGB, Display P3, Adobe RGB, a grey one), few enough to search by hand. */
#define CACHE_SIZE 8
/* Half a level of 8 bits: closer than this to sRGB is sRGB. */
#define SRGB_TOLERANCE (0.5 / 255.0)
/* Colorants (D50 XYZ) closer than this to sRGB's move no value by half a
 * level. */
#define COLORANT_TOLERANCE 0.0015

enum space { SPACE_OTHER, SPACE_RGB, SPACE_GREY, SPACE_CMYK };

/* One profile as met: what it is, and its transforms when it is converted. */
struct colour_entry {
    bool used;
    unsigned char digest[32];
    axle_colour info;        /* of the profile alone, before the image's fit */
    enum space space;
    cmsHPROFILE profile;     /* kept while transforms may still be built */
    cmsHTRANSFORM xf[5];     /* by channels: 1 grey .. 4 RGBA */
    cmsHTRANSFORM xf16[5];   /* the same at 16 bits (img_deep_to_srgb) */
    cmsHTRANSFORM cmyk[2];   /* CMYK to sRGB: plain, inverted (Adobe) */
};

struct colour_cache {
    cmsContext ctx;          /* this thread's lcms2 context, errors to lcms_err */
    cmsHPROFILE srgb, srgb_grey;
    struct colour_entry entry[CACHE_SIZE];
    unsigned next;           /* the entry the next new profile replaces */
    char lcms_err[160];      /* lcms2's last complaint */
};

/* ---- the per-thread cache ---- */

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static bool cache_usable;

static void
entry_clear(struct colour_entry *e)
{
    for (int i = 0; i < 5; i++) {
        if (e->xf[i])
            cmsDeleteTransform(e->xf[i]);
        if (e->xf16[i])
            cmsDeleteTransform(e->xf16[i]);
    }
    for (int i = 0; i < 2; i++)
        if (e->cmyk[i])
            cmsDeleteTransform(e->cmyk[i]);
    if (e->profile)
        cmsCloseProfile(e->profile);
    memset(e, 0, sizeof *e);
}

static void
cache_free(void *p)
{
    struct colour_cache *c = p;
    for (int i = 0; i < CACHE_SIZE; i++)
        entry_clear(&c->entry[i]);
    if (c->srgb)
        cmsCloseProfile(c->srgb);
    if (c->srgb_grey)
        cmsCloseProfile(c->srgb_grey);
    if (c->ctx)
        cmsDeleteContext(c->ctx);
    free(c);
}

static void
cache_init(void)
{
    cache_usable = pthread_key_create(&cache_key, cache_free) == 0;
}

static void
log_lcms_error(cmsContext ctx, cmsUInt32Number code, const char *text)
{
    struct colour_cache *c = cmsGetContextUserData(ctx);
    if (c)
        snprintf(c->lcms_err, sizeof c->lcms_err, "%s", text);
}

/* sRGB's grey: D50 white, sRGB's tone curve. */
static cmsHPROFILE
make_srgb_grey(cmsContext ctx, cmsHPROFILE srgb)
{
    const cmsToneCurve *curve = cmsReadTag(srgb, cmsSigRedTRCTag);
    return curve ? cmsCreateGrayProfileTHR(ctx, cmsD50_xyY(), curve) : NULL;
}

static struct colour_cache *
cache_new(void)
{
    struct colour_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->ctx = cmsCreateContext(NULL, c);
    if (c->ctx) {
        cmsSetLogErrorHandlerTHR(c->ctx, log_lcms_error);
        c->srgb = cmsCreate_sRGBProfileTHR(c->ctx);
    }
    if (c->srgb)
        c->srgb_grey = make_srgb_grey(c->ctx, c->srgb);
    if (!c->srgb_grey) {
        cache_free(c);
        return NULL;
    }
    return c;
}

/* This thread's cache, or NULL when there is no memory for one. */
static struct colour_cache *
cache_get(void)
{
    pthread_once(&cache_once, cache_init);
    if (!cache_usable)
        return NULL;
    struct colour_cache *c = pthread_getspecific(cache_key);
    if (!c && (c = cache_new()) && pthread_setspecific(cache_key, c) != 0) {
        cache_free(c);
        c = NULL;
    }
    return c;
}

/* ---- what a profile is ---- */

static void
set_info(axle_colour *info, axle_colour_kind kind, const char *fmt, ...) AXLE_PRINTF(3, 4);

static void
set_info(axle_colour *info, axle_colour_kind kind, const char *fmt, ...)
{
    info->kind = kind;
    info->reason[0] = '\0';
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(info->reason, sizeof info->reason, fmt, ap);
        va_end(ap);
    }
}

/* The description, as printable ASCII without trailing blanks: it goes
 * into messages and JSON. */
static void
profile_name(cmsHPROFILE p, char *name, size_t len)
{
    name[0] = '\0';
    cmsGetProfileInfoASCII(p, cmsInfoDescription, "en", "US", name, (cmsUInt32Number)len);
    name[len - 1] = '\0';
    size_t n = strlen(name);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] > 0x7E)
            name[i] = '?';
    while (n > 0 && name[n - 1] == ' ')
        name[--n] = '\0';
}

static bool
same_curve(const cmsToneCurve *a, const cmsToneCurve *b)
{
    if (!a || !b)
        return false;
    for (int i = 0; i <= 64; i++) {
        float x = (float)i / 64;
        float d = cmsEvalToneCurveFloat(a, x) - cmsEvalToneCurveFloat(b, x);
        if (d > SRGB_TOLERANCE || d < -SRGB_TOLERANCE)
            return false;
    }
    return true;
}

static bool
same_colorant(const cmsCIEXYZ *a, const cmsCIEXYZ *b)
{
    return a && b && a->X - b->X < COLORANT_TOLERANCE && b->X - a->X < COLORANT_TOLERANCE &&
           a->Y - b->Y < COLORANT_TOLERANCE && b->Y - a->Y < COLORANT_TOLERANCE &&
           a->Z - b->Z < COLORANT_TOLERANCE && b->Z - a->Z < COLORANT_TOLERANCE;
}

/* An RGB profile that converts to sRGB as the identity, within half a
 * level: a matrix-shaper (lcms2 would use lookup tables first) with sRGB's
 * colorants and curves. */
static bool
is_srgb(const struct colour_cache *c, cmsHPROFILE p)
{
    if (cmsIsTag(p, cmsSigAToB0Tag) || cmsIsTag(p, cmsSigAToB1Tag) ||
        cmsIsTag(p, cmsSigAToB2Tag) || cmsIsTag(p, cmsSigDToB0Tag))
        return false;
    static const cmsTagSignature colorants[] = {cmsSigRedColorantTag,
                                                cmsSigGreenColorantTag,
                                                cmsSigBlueColorantTag};
    static const cmsTagSignature curves[] = {cmsSigRedTRCTag, cmsSigGreenTRCTag,
                                             cmsSigBlueTRCTag};
    for (int i = 0; i < 3; i++)
        if (!same_colorant(cmsReadTag(p, colorants[i]), cmsReadTag(c->srgb, colorants[i])) ||
            !same_curve(cmsReadTag(p, curves[i]), cmsReadTag(c->srgb, curves[i])))
            return false;
    return true;
}

static bool
is_srgb_grey(const struct colour_cache *c, cmsHPROFILE p)
{
    return !cmsIsTag(p, cmsSigAToB0Tag) &&
           same_curve(cmsReadTag(p, cmsSigGrayTRCTag), cmsReadTag(c->srgb, cmsSigRedTRCTag));
}

/* The transform for `channels` (1-4) of entry e, built on first use. */
static cmsHTRANSFORM
transform_for(struct colour_cache *c, struct colour_entry *e, uint32_t channels)
{
    if (e->xf[channels])
        return e->xf[channels];
    static const cmsUInt32Number formats[] = {0, TYPE_GRAY_8, TYPE_GRAYA_8, TYPE_RGB_8,
                                              TYPE_RGBA_8};
    cmsUInt32Number flags = channels == 2 || channels == 4 ? cmsFLAGS_COPY_ALPHA : 0;
    cmsHPROFILE to = channels <= 2 ? c->srgb_grey : c->srgb;
    c->lcms_err[0] = '\0';
    e->xf[channels] = cmsCreateTransformTHR(c->ctx, e->profile, formats[channels], to,
                                            formats[channels], INTENT_PERCEPTUAL, flags);
    return e->xf[channels];
}

/* The CMYK transform of entry e, plain or for Adobe's inverted samples. */
static cmsHTRANSFORM
cmyk_transform(struct colour_cache *c, struct colour_entry *e, bool inverted)
{
    if (!e->cmyk[inverted]) {
        c->lcms_err[0] = '\0';
        e->cmyk[inverted] = cmsCreateTransformTHR(c->ctx, e->profile,
                                                  inverted ? TYPE_CMYK_8_REV : TYPE_CMYK_8,
                                                  c->srgb, TYPE_RGB_8, INTENT_PERCEPTUAL, 0);
    }
    return e->cmyk[inverted];
}

/* Fills e->info and e->space from the profile's bytes. */
static void
classify(struct colour_cache *c, struct colour_entry *e, const uint8_t *icc, size_t len)
{
    axle_colour *info = &e->info;
    c->lcms_err[0] = '\0';
    cmsHPROFILE p = cmsOpenProfileFromMemTHR(c->ctx, icc, (cmsUInt32Number)len);
    if (!p) {
        set_info(info, AXLE_COLOUR_BROKEN, "unreadable ICC profile%s%s",
                 c->lcms_err[0] ? ": " : "", c->lcms_err);
        return;
    }
    e->profile = p;
    profile_name(p, info->profile, sizeof info->profile);
    cmsProfileClassSignature cls = cmsGetDeviceClass(p);
    cmsColorSpaceSignature space = cmsGetColorSpace(p);
    if (cls == cmsSigLinkClass || cls == cmsSigAbstractClass || cls == cmsSigNamedColorClass) {
        set_info(info, AXLE_COLOUR_UNSUPPORTED,
                 "a device link, abstract or named-colour profile, not an image's");
        return;
    }
    if (space == cmsSigCmykData) {
        e->space = SPACE_CMYK;
        if (!cmyk_transform(c, e, false))
            set_info(info, AXLE_COLOUR_BROKEN, "CMYK ICC profile cannot be converted to "
                     "sRGB%s%s", c->lcms_err[0] ? ": " : "", c->lcms_err);
        else
            set_info(info, AXLE_COLOUR_CONVERT, NULL);
        return;
    }
    if (space != cmsSigRgbData && space != cmsSigGrayData) {
        set_info(info, AXLE_COLOUR_UNSUPPORTED, "a profile of colour space 0x%08x, not RGB or grey",
                 (unsigned)space);
        return;
    }
    e->space = space == cmsSigRgbData ? SPACE_RGB : SPACE_GREY;
    if (e->space == SPACE_RGB ? is_srgb(c, p) : is_srgb_grey(c, p)) {
        set_info(info, AXLE_COLOUR_SRGB, NULL);
        return;
    }
    /* Build the common transform now: a profile lcms2 reads but cannot
     * convert from is broken, and better known before any pixel. */
    if (!transform_for(c, e, e->space == SPACE_RGB ? 3 : 1)) {
        set_info(info, AXLE_COLOUR_BROKEN, "ICC profile cannot be converted to sRGB%s%s",
                 c->lcms_err[0] ? ": " : "", c->lcms_err);
        return;
    }
    set_info(info, AXLE_COLOUR_CONVERT, NULL);
}

/* The entry of a profile: found by digest, or classified into the slot
 * used longest ago. */
static struct colour_entry *
entry_for(struct colour_cache *c, const uint8_t *icc, size_t len)
{
    unsigned char digest[32];
    unsigned int dlen = 0;
    if (!EVP_Digest(icc, len, digest, &dlen, EVP_sha256(), NULL) || dlen != sizeof digest)
        return NULL;
    for (int i = 0; i < CACHE_SIZE; i++)
        if (c->entry[i].used && memcmp(c->entry[i].digest, digest, sizeof digest) == 0)
            return &c->entry[i];
    struct colour_entry *e = &c->entry[c->next];
    c->next = (c->next + 1) % CACHE_SIZE;
    entry_clear(e);
    e->used = true;
    memcpy(e->digest, digest, sizeof digest);
    classify(c, e, icc, len);
    return e;
}

/* ---- a profile on an image ---- */

/* A JPEG with four components is CMYK (axle_image's channels). */
static bool
is_cmyk(const axle_image *img)
{
    return img->codec == AXLE_CODEC_JPEG && img->channels == 4;
}

/* The image's profile (*icc malloc'd), or for an nclx description one made
 * from it; false with *info set when there is nothing to convert from. */
static bool
profile_of(const axle_image *img, uint8_t **icc, size_t *len, axle_colour *info)
{
    struct img_nclx nclx;
    char err[160];
    if (img_colour_source(img, icc, len, &nclx, err, sizeof err) != AXLE_OK) {
        set_info(info, AXLE_COLOUR_BROKEN, "%s", err);
        return false;
    }
    if (*icc || !nclx.present)
        return *icc != NULL; /* no profile: AXLE_COLOUR_NONE */
    bool srgb;
    int rc = img_nclx_profile(&nclx, icc, len, &srgb, err, sizeof err);
    if (rc != AXLE_OK)
        set_info(info, rc == AXLE_EFORMAT ? AXLE_COLOUR_BROKEN : AXLE_COLOUR_UNSUPPORTED, "%s",
                 err);
    else if (srgb)
        set_info(info, AXLE_COLOUR_SRGB, NULL);
    return *icc != NULL;
}

/* What AXLE_TO_SRGB does with img: *info, and the entry when it converts. */
static struct colour_entry *
judge(const axle_image *img, axle_colour *info)
{
    memset(info, 0, sizeof *info);
    uint8_t *icc;
    size_t len;
    if (!profile_of(img, &icc, &len, info))
        return NULL;
    struct colour_cache *c = cache_get();
    struct colour_entry *e = c ? entry_for(c, icc, len) : NULL;
    free(icc);
    if (!e) {
        set_info(info, AXLE_COLOUR_UNSUPPORTED, "out of memory for colour management");
        return NULL;
    }
    *info = e->info;
    if (info->kind != AXLE_COLOUR_CONVERT && info->kind != AXLE_COLOUR_SRGB)
        return NULL;
    if (e->space == SPACE_CMYK) { /* the JPEG decoder converts with it */
        if (!is_cmyk(img))
            set_info(info, AXLE_COLOUR_UNSUPPORTED, "a CMYK profile on a%s image: made RGB "
                     "without it", img->codec == AXLE_CODEC_TIFF ? " CMYK TIFF" : "n RGB");
        return NULL;
    }
    bool grey = img->channels <= 2;
    if (is_cmyk(img) || grey != (e->space == SPACE_GREY)) {
        set_info(info, AXLE_COLOUR_BROKEN, "%s ICC profile on a %s image",
                 e->space == SPACE_GREY ? "a grey" : "an RGB",
                 is_cmyk(img) ? "CMYK" : grey ? "grey" : "colour");
        return NULL;
    }
    return info->kind == AXLE_COLOUR_CONVERT ? e : NULL;
}

int
axle_image_colour(const axle_image *img, axle_colour *out)
{
    if (!img || !out)
        return AXLE_EINVAL;
    judge(img, out);
    return AXLE_OK;
}

static cmsHTRANSFORM transform16_for(struct colour_cache *c, struct colour_entry *e,
                                     uint32_t channels);

/* Converts `height` rows of `width` pixels of `ch` channels, `bytes` a
 * sample, `stride` bytes apart, from img's profile to sRGB in place: at 8
 * bits for axle_pixels, at 16 for a deep decode (image_deep.h). */
static int
rows_to_srgb(void *data, uint32_t width, uint32_t height, size_t stride, uint32_t ch,
             size_t bytes, const axle_image *img, char *err, size_t errlen)
{
    axle_colour info;
    struct colour_entry *e = judge(img, &info);
    if (!e)
        return AXLE_OK; /* nothing to convert, or nothing axle can */
    if (ch < 1 || ch > 4 || (ch <= 2) != (e->space == SPACE_GREY))
        return img_fail(err, errlen, AXLE_EINVAL,
                        "%u-channel pixels do not fit the %s profile '%s'", ch,
                        e->space == SPACE_GREY ? "grey" : "RGB", info.profile);
    struct colour_cache *c = cache_get(); /* judge made it */
    cmsHTRANSFORM xf = bytes == 2 ? transform16_for(c, e, ch) : transform_for(c, e, ch);
    if (!xf)
        return img_fail(err, errlen, AXLE_EFORMAT, "ICC profile '%s' cannot be converted "
                        "to sRGB for %u channels: %s", info.profile, ch,
                        c->lcms_err[0] ? c->lcms_err : "lcms2 refused");
    size_t row = (size_t)width * ch * bytes;
    uint8_t *scratch = malloc(row ? row : 1);
    if (!scratch)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory converting '%s' to sRGB",
                        info.profile);
    for (uint32_t y = 0; y < height; y++) {
        uint8_t *line = (uint8_t *)data + y * stride;
        cmsDoTransform(xf, line, scratch, width);
        memcpy(line, scratch, row);
    }
    free(scratch);
    return AXLE_OK;
}

int
axle_pixels_to_srgb(axle_pixels *px, const axle_image *img, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!px || !img || !px->data)
        return img_fail(err, errlen, AXLE_EINVAL, "axle_pixels_to_srgb: NULL argument");
    return rows_to_srgb(px->data, px->width, px->height, px->stride, px->channels, 1, img,
                        err, errlen);
}

bool
img_cmyk_with_profile(const axle_image *img, axle_pixels *px, uint32_t rows, bool inverted)
{
    uint8_t *icc;
    size_t len;
    if (px->channels != 4 || img_icc_profile(img, &icc, &len, NULL, 0) != AXLE_OK || !icc)
        return false;
    struct colour_cache *c = cache_get();
    struct colour_entry *e = c ? entry_for(c, icc, len) : NULL;
    free(icc);
    cmsHTRANSFORM xf = e && e->space == SPACE_CMYK && e->info.kind == AXLE_COLOUR_CONVERT
                           ? cmyk_transform(c, e, inverted)
                           : NULL;
    size_t w = px->width;
    uint8_t *scratch = xf ? malloc(w ? w * 3 : 1) : NULL;
    if (!scratch)
        return false;
    /* Row y's RGB goes to y * 3w, never past its own CMYK at y * 4w. */
    for (uint32_t y = 0; y < rows; y++) {
        cmsDoTransform(xf, px->data + y * px->stride, scratch, (cmsUInt32Number)w);
        memcpy(px->data + (size_t)y * w * 3, scratch, w * 3);
    }
    free(scratch);
    px->channels = 3;
    px->stride = w * 3;
    return true;
}

/* ---- 16-bit pixels (image_deep.h): converted before they are rounded
 * to 8 bits, so that the conversion adds no rounding of its own ---- */

static cmsHTRANSFORM
transform16_for(struct colour_cache *c, struct colour_entry *e, uint32_t channels)
{
    if (e->xf16[channels])
        return e->xf16[channels];
    static const cmsUInt32Number formats[] = {0, TYPE_GRAY_16, TYPE_GRAYA_16, TYPE_RGB_16,
                                              TYPE_RGBA_16};
    cmsUInt32Number flags = channels == 2 || channels == 4 ? cmsFLAGS_COPY_ALPHA : 0;
    cmsHPROFILE to = channels <= 2 ? c->srgb_grey : c->srgb;
    c->lcms_err[0] = '\0';
    e->xf16[channels] = cmsCreateTransformTHR(c->ctx, e->profile, formats[channels], to,
                                              formats[channels], INTENT_PERCEPTUAL, flags);
    return e->xf16[channels];
}

int
img_deep_to_srgb(img_deep *px, const axle_image *img, char *err, size_t errlen)
{
    return rows_to_srgb(px->data, px->width, px->height, px->stride * sizeof *px->data,
                        px->channels, 2, img, err, errlen);
}
