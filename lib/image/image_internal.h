/* image_internal.h - what libaxle's image files share; never installed.
 *
 * The probe (image_probe.c) walks container headers itself, so that it
 * reads only headers and can say exactly what is wrong with a bad file;
 * the decoders (image_decode_*.c) hand the bitstream to libjpeg and
 * libwebp.  libjpeg's fatal errors longjmp, but only back into
 * image_decode_jpeg.c's own decode(), never across other code of ours. */
#ifndef AXLE_IMAGE_INTERNAL_H
#define AXLE_IMAGE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axle/axle.h"

/* Shrink-on-load margins: a decode at reduced scale must still be at least
 * MARGIN times the size the caller wants, so that the Lanczos filter that
 * follows has real detail to low-pass instead of already-aliased samples.
 *
 * Chosen by measurement (tests/image_tool bench and thumb, compared with
 * tests/image/pilref.py against Pillow's LANCZOS of the full decode), on
 * 3840x2160 photo-like JPEGs (q90) and a zone plate, into 640x338:
 *
 *   JPEG scale (ratio to target)     photo dB (q95 export)  zone plate dB
 *   1/4 (1.6x, margin 1.0 or 1.5)    40.0-41.6              32.2 (moire)
 *   1/2 (3.2x, margin 2.0)           40.1-41.8              40.9
 *
 * and over many target sizes the zone plate stays >= 34 dB from a 2x
 * decode but falls to 25-30 dB near 1x: DCT scaling is a block average,
 * it aliases close to its own Nyquist limit.  Photos pass the 32 dB bar at
 * any margin, so the margin is set by the zone plate: 2, the same as
 * Pillow's reducing_gap and libvips's "leave a factor of two".  Only
 * 1/8, 1/4, 1/2 and 1 are used: libjpeg-turbo has SIMD for those reduced
 * IDCTs, and its 3/8 decode measured slower than 1/2.
 *
 * libwebp's scaled decode is an area average; zone plate at 640x338 from
 * margins 1 / 2 / 3: 28.4 / 36.3 / 42.8 dB, for 97 % / 93 % / 93 % of the
 * unscaled-output speed (VP8 decoding dominates), hence 3.
 * Overridable at build time for experiments. */
#ifndef AXLE_MARGIN_JPEG
#define AXLE_MARGIN_JPEG 2.0
#endif
#ifndef AXLE_MARGIN_WEBP
#define AXLE_MARGIN_WEBP 3.0
#endif

/* What the JPEG marker walk found. */
struct img_jpeg_info {
    uint32_t width, height;
    int components;     /* 1, 3 or 4 */
    int precision;      /* bits per sample */
    int sof;            /* the SOFn marker byte, 0xC0..0xCF */
    int adobe;          /* an Adobe APP14 segment was present */
    int adobe_transform;
    int orientation;    /* EXIF 1-8, 1 when absent */
};

/* Walks the JPEG markers from SOI up to the first SOS.  When the data
 * ends first: AXLE_EMORE, *need (if given) the bytes the walk needs. */
int img_jpeg_scan(const uint8_t *p, size_t len, struct img_jpeg_info *info,
                  size_t *need, char *err, size_t errlen);

/* A file size the probe does not know: the data may be a prefix. */
#define IMG_SIZE_UNKNOWN UINT64_MAX

/* Probes a RIFF/WEBP container: size, alpha, EXIF orientation.  `p` holds
 * the first `len` bytes of a file of `file_size` bytes (or
 * IMG_SIZE_UNKNOWN); AXLE_EMORE with *need when it needs bytes past len. */
int img_webp_probe(const uint8_t *p, size_t len, uint64_t file_size, size_t *need,
                   axle_image *out, char *err, size_t errlen);

/* A libwebp VP8StatusCode in words. */
const char *img_webp_status(int status);

/* EXIF orientation (1-8) from a bare TIFF structure ("II*\0..." or
 * "MM\0*..."); 1 when absent, out of range or malformed. */
int img_exif_orientation(const uint8_t *tiff, size_t len);

/* Where a decode puts its pixels.  The public calls allocate with
 * axle_pixels_alloc; the fuzz harness (tests/fuzz/fuzz_image.c) pre-fills
 * the buffer with a pattern, so that a pixel a decoder did not write shows
 * up as a difference between two patterns.  The buffer must be freeable
 * with axle_pixels_free. */
typedef int (*img_alloc_fn)(axle_pixels *px, uint32_t w, uint32_t h,
                            uint32_t channels, void *ctx);

/* One decode: what axle_image_decode_ex takes, plus the allocator. */
struct img_decode_req {
    uint32_t want_w, want_h; /* shrink-on-load wish, 0 0: full size */
    uint64_t max_pixels;     /* 0: no limit */
    unsigned flags;          /* AXLE_DECODE_* */
    img_alloc_fn alloc;      /* NULL: axle_pixels_alloc */
    void *alloc_ctx;
};

/* axle_image_decode_ex with an allocator; the public calls are this. */
int img_decode(const axle_image *img, const struct img_decode_req *req,
               axle_pixels *out, char *err, size_t errlen);

/* Codec back ends of img_decode.  Each returns AXLE_OK, AXLE_PARTIAL
 * (only with AXLE_DECODE_PARTIAL) or < 0 with *out freed. */
int img_decode_jpeg(const axle_image *img, const struct img_decode_req *req,
                    axle_pixels *out, char *err, size_t errlen);
int img_decode_webp(const axle_image *img, const struct img_decode_req *req,
                    axle_pixels *out, char *err, size_t errlen);

/* ---- decode to resize, fused (image_decode_jpeg.c; issue 12) ----
 * img_decode, and for a JPEG whose resize can take the decoder's rows as
 * they come (image_resize_stream.c) the result resized to to_w x to_h
 * (stored orientation) without a whole decoded image: *resized says which
 * *out holds.  The pixels are those of img_decode then img_resize_owned,
 * except that a YCbCr JPEG decoded at a reduced scale is resized as its
 * three planes and converted to RGB after (image_jpeg_planes.c). */
int img_decode_resized(const axle_image *img, const struct img_decode_req *req,
                       uint32_t to_w, uint32_t to_h, axle_pixels *out, bool *resized,
                       char *err, size_t errlen);

/* ---- the codec table (image_codecs.c) ----
 *
 * One row per format: adding a format is one file (image_FORMAT.c) and one
 * row.  A format whose library was not found at build time has no row;
 * the probe then names it and the missing library. */

/* Probes a file's headers: `p` holds the first `len` bytes of a file of
 * `file_size` bytes (or IMG_SIZE_UNKNOWN).  AXLE_EMORE with *need (the
 * bytes from the start it needs at least) when the headers go on past
 * len; otherwise what the whole file gives. */
typedef int (*img_probe_fn)(const uint8_t *p, size_t len, uint64_t file_size,
                            size_t *need, axle_image *out, char *err, size_t errlen);
/* Decodes; AXLE_OK, AXLE_PARTIAL (only with AXLE_DECODE_PARTIAL) or < 0
 * with *out freed.  Refuses images over req->max_pixels before
 * allocating. */
typedef int (*img_decode_fn)(const axle_image *img, const struct img_decode_req *req,
                             axle_pixels *out, char *err, size_t errlen);
/* One encode: axle_encode_options checked, plus the XMP packet.  Each
 * encoder embeds what it is given in its own container (JPEG APP1/APP2,
 * WebP chunks, PNG chunks, HEIF items). */
struct img_encode_req {
    int quality;            /* 1-100 */
    bool progressive;       /* JPEG */
    int subsampling;        /* 0: by quality (4:4:4 from 90), 420 or 444 */
    const uint8_t *icc;     /* ICC profile, or NULL */
    size_t icc_len;
    const uint8_t *exif;    /* EXIF as a TIFF structure, or NULL */
    size_t exif_len;
    const char *xmp;        /* an XMP packet, or NULL */
    size_t xmp_len;
};

/* Encodes checked pixels (1-4 channels) as `req` says. */
typedef int (*img_encode_fn)(const axle_pixels *px, const struct img_encode_req *req,
                             void **out, size_t *outlen, char *err, size_t errlen);

struct img_codec {
    axle_codec codec;
    const char *label;          /* "JPEG": how messages name the format */
    /* True when the first bytes (up to 12; fewer when the file is
     * shorter) are this format's signature. */
    bool (*sniff)(const uint8_t *p, size_t len);
    img_probe_fn probe;
    img_decode_fn decode;       /* NULL: never decoded */
    img_encode_fn encode;       /* NULL: not written */
};

/* The row whose signature the first bytes carry, or NULL. */
const struct img_codec *img_codec_sniff(const uint8_t *p, size_t len);
/* The row of a codec, or NULL (RAW, NONE, a format not built in). */
const struct img_codec *img_codec_find(axle_codec codec);

/* "JPEG, WebP or PNG": the formats read, for messages. */
void img_codec_list(char *buf, size_t len);

/* The table's rows (each in its format's file). */
extern const struct img_codec img_codec_jpeg, img_codec_webp, img_codec_png,
    img_codec_gif, img_codec_tiff, img_codec_heif, img_codec_avif;

/* JPEG and WebP encoders (image_encode.c), PNG (image_encode_png.c) and
 * AVIF (image_encode_avif.c). */
int img_encode_jpeg(const axle_pixels *px, const struct img_encode_req *req, void **out,
                    size_t *outlen, char *err, size_t errlen);
int img_encode_webp(const axle_pixels *px, const struct img_encode_req *req, void **out,
                    size_t *outlen, char *err, size_t errlen);
int img_encode_png(const axle_pixels *px, const struct img_encode_req *req, void **out,
                   size_t *outlen, char *err, size_t errlen);
int img_encode_avif(const axle_pixels *px, const struct img_encode_req *req, void **out,
                    size_t *outlen, char *err, size_t errlen);

/* The one encode behind axle_image_encode, _with and _provenance_with:
 * checks, then the codec's encoder with the XMP packet (may be NULL). */
int img_encode(const axle_pixels *px, axle_codec codec, const axle_encode_options *o,
               const char *xmp, size_t xmp_len, void **out, size_t *outlen, char *err,
               size_t errlen);

/* AVIF is written when libheif has an AV1 encoder (image_encode_avif.c);
 * false with the reason otherwise. */
bool img_avif_can_encode(char *err, size_t errlen);

/* ---- metadata into freshly encoded files (image_embed.c) ----
 * EXIF, ICC and XMP of `req` put into a JPEG that has none yet (after
 * SOI and JFIF: APP1 Exif, APP1 XMP, APP2 ICC_PROFILE segments), or a
 * WebP (EXIF, ICCP, "XMP " chunks through libwebpmux).  On success *buf
 * is replaced (the old one freed) and *len updated. */
int img_embed_jpeg(uint8_t **buf, size_t *len, const struct img_encode_req *req,
                   char *err, size_t errlen);
int img_embed_webp(uint8_t **buf, size_t *len, const struct img_encode_req *req,
                   char *err, size_t errlen);

/* An ICC profile fits pixels of `channels` when its data colour space is
 * grey for 1-2 channels or RGB for 3-4, and its class is one an image
 * can carry (not a device link, abstract or named-colour profile). */
bool img_icc_fits(const uint8_t *icc, size_t len, uint32_t channels);



/* Probe of a JPEG (image_probe_jpeg.c). */
int img_jpeg_probe(const uint8_t *p, size_t len, uint64_t file_size, size_t *need,
                   axle_image *out, char *err, size_t errlen);

/* A header probe's "needs bytes past len": *need = want, AXLE_EMORE, with
 * the message for a whole file that ends there. */
int img_more(size_t want, size_t *need, char *err, size_t errlen, const char *fmt, ...)
    AXLE_PRINTF(5, 6);

/* Interleaved 8-bit rows from a decoder's own buffer into `out`, which
 * img_alloc made: `rows` rows of `src_stride` bytes. */
void img_copy_rows(axle_pixels *out, const uint8_t *src, size_t src_stride);

/* The request's allocator (or axle_pixels_alloc), with the out-of-memory
 * message. */
int img_alloc(const struct img_decode_req *req, axle_pixels *px, uint32_t w,
              uint32_t h, uint32_t channels, char *err, size_t errlen);

/* What a partial decode shows where the decoder stopped: rows from
 * `first` to the bottom become mid-grey (128), alpha opaque, the grey
 * libjpeg itself pads a truncated file with. */
void img_fill_missing(axle_pixels *px, uint32_t first);

/* The scale M/8 (num/denom) TurboJPEG will use for a w x h JPEG when the
 * caller wants want_w x want_h (0: no wish in that direction). */
void img_jpeg_pick_scale(uint32_t w, uint32_t h, uint32_t want_w,
                         uint32_t want_h, double margin, int *num, int *denom);

/* The size libwebp is asked to scale to (its rescaler takes any size). */
void img_webp_pick_size(uint32_t w, uint32_t h, uint32_t want_w,
                        uint32_t want_h, double margin, uint32_t *sw,
                        uint32_t *sh);

/* The pixel limit check shared by every decoder: AXLE_ETOOBIG with the
 * count and the limit, before anything is allocated. */
int img_check_pixels(uint32_t w, uint32_t h, uint64_t max_pixels, char *err,
                     size_t errlen);

/* snprintf into err when err is given; returns code. */
int img_fail(char *err, size_t errlen, int code, const char *fmt, ...)
    AXLE_PRINTF(4, 5);

static inline uint32_t
img_be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t
img_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* ---- containers: JPEG segments, WebP chunks (image_container.c) ---- */

/* One JPEG marker segment: bytes [start, end) of the file, marker at
 * start; payload after the length field (none for standalone markers). */
struct img_segment {
    int marker;              /* 0xE1 for APP1, ... */
    size_t start, end;
    const uint8_t *payload;
    size_t paylen;
};

/* SOI and a marker after it. */
bool img_is_jpeg(const uint8_t *p, size_t len);
/* The segment at *pos (0: the first after SOI), moving *pos past it.
 * 1: a segment; 0: *pos is at the first SOS (the headers end); -1: the
 * segments do not add up (a length past the end, no marker). */
int img_jpeg_next_segment(const uint8_t *p, size_t len, size_t *pos,
                          struct img_segment *seg);

/* One RIFF chunk of a WebP: bytes [start, end), pad included. */
struct img_chunk {
    char fourcc[4];
    size_t start, end;
    const uint8_t *payload;
    size_t paylen;
};

/* "RIFF....WEBP". */
bool img_is_webp(const uint8_t *p, size_t len);
/* The chunk at *pos (0: the first), moving *pos past it, within the RIFF
 * size.  1: a chunk; 0: the end; -1: a chunk runs past the end. */
int img_webp_next_chunk(const uint8_t *p, size_t len, size_t *pos,
                        struct img_chunk *ch);

/* PNG's signature; its chunks as img_webp_next_chunk walks WebP's
 * (start: the length field; end: past the CRC; 0 at the end of the data,
 * -1 for a chunk past it); the CRC-32 of a chunk's type and data. */
bool img_is_png(const uint8_t *p, size_t len);
int img_png_next_chunk(const uint8_t *p, size_t len, size_t *pos, struct img_chunk *ch);
uint32_t img_png_crc(const uint8_t *type_and_data, size_t len);

/* The signature that starts an XMP APP1 segment's payload in JPEG. */
#define IMG_XMP_JPEG_SIG "http://ns.adobe.com/xap/1.0/"
#define IMG_XMP_JPEG_SIGLEN 29 /* with its NUL */

/* ---- colour (image_icc.c, image_colour.c) ---- */

/* The embedded ICC profile of `img` as axle_image_icc gives it: a malloc'd
 * copy, or NULL (*len 0) when there is none. */
int img_icc_profile(const axle_image *img, uint8_t **icc, size_t *len, char *err,
                    size_t errlen);

/* ---- progressive JPEG: the scans a reduced decode needs (issue 12,
 * image_jpeg_scans.c) ---- */

struct img_scan_plan {
    double reduction; /* the image's size over the result's, >= 2 */
    int ac_bits;      /* low bits an AC coefficient may still miss */
    int dc_bits;      /* and a DC term */
};

/* 1 and *plan when a decode of a width x height image for a result of
 * want_w x want_h (0: no wish that way) may stop before the last scans;
 * 0 when it must read them all. */
int img_jpeg_scan_plan(uint32_t width, uint32_t height, uint32_t want_w, uint32_t want_h,
                       struct img_scan_plan *plan);

/* 1 when the coefficients that arrived (libjpeg's coef_bits: per
 * component and zig-zag position, -1 or the bits still missing) are all
 * the result needs; h/v_spacing: each component's sample spacing in
 * pixels (max sampling factor over its own). */
int img_jpeg_scans_enough(const struct img_scan_plan *plan, int components,
                          const int (*coef_bits)[64], const int *h_spacing,
                          const int *v_spacing);

/* Walks the rest of a JPEG after a decode stopped early, from p (`left`
 * bytes), `pending` the marker the decoder already read (0: none), to
 * EOI without decoding: 0 and *scans (the scans skipped) when the file is
 * whole, -1 when it ends first (truncated). */
int img_jpeg_rest_scans(const uint8_t *p, size_t left, int pending, size_t *scans);

/* Right after jpeg_start_decompress: the scan's entropy decode by axle's
 * Huffman decoder (image_jpeg_huffman.c) when it is a single sequential
 * Huffman scan; true if it took it.  AXLE_JPEG_HUFFMAN=libjpeg in the
 * environment keeps libjpeg's own (tests compare the two). */
struct jpeg_decompress_struct;
bool img_jpeg_fast_huffman(struct jpeg_decompress_struct *c);
/* The same for a progressive decode in buffered-image mode (the early stop
 * of image_jpeg_scans.c), right after jpeg_start_decompress: its first
 * scans (Ah = 0) by axle's decoder, refinements by libjpeg's.  Uses
 * cinfo->client_data. */
bool img_jpeg_fast_huffman_progressive(struct jpeg_decompress_struct *c);

/* ---- photo metadata (image_exif_meta.c, image_photo_meta.c) ---- */

/* Every field absent: "" and NAN, iso 0. */
void img_photo_meta_clear(axle_photo_meta *m);

/* The rest of a file whose first bytes are in memory. */
struct img_reader {
    axle_read_at_fn *read_at;
    void *ctx;
    uint64_t total; /* the file's size */
};

/* Fills the fields of `m` that a bare TIFF structure ("II*\0", "MM\0*")
 * of `len` bytes holds, from IFD0, the Exif IFD and the GPS IFD.  `more`
 * (may be NULL) reads what lies past len: the structure is a TIFF file
 * read in part.  Never fails: what is malformed or unreadable stays
 * absent. */
void img_exif_meta(const uint8_t *tiff, size_t len, const struct img_reader *more,
                   axle_photo_meta *m);

/* The primary image's EXIF (the TIFF structure, its 4-byte offset header
 * removed) of a HEIF/AVIF of `total` bytes whose first `len` (up to the
 * end of its meta box at least) are at p, the rest through `more` (may
 * be NULL): a malloc'd *exif, or NULL when it has none or it cannot be
 * read.  image_heif_exif.c. */
void img_heif_exif(const uint8_t *p, size_t len, const struct img_reader *more,
                   uint64_t total, uint8_t **exif, size_t *exif_len);
/* --- image_store.c (issue 12, store) --- */
/* JPEG encodings (trials and final) the calling thread's last
 * axle_image_encode_stored made: what its tests count. */
int axle_internal_store_encodes(void);

/* ---- formats: colour of PNG, TIFF and HEIF, CMYK, camera RAW, JPEG XL
 * (issue 13, part `formats`) ---- */

/* A HEIF/AVIF "nclx" colour description (ITU-T H.273 code points), with
 * the chromaticities libheif gives for its primaries. */
struct img_nclx {
    bool present;
    int primaries, transfer;
    double rx, ry, gx, gy, bx, by, wx, wy;
};

/* Where an image's colours are described: an ICC profile (malloc'd, as
 * img_icc_profile), or for HEIF/AVIF without one, an nclx box.  AXLE_OK
 * with neither when there is none. */
int img_colour_source(const axle_image *img, uint8_t **icc, size_t *len,
                      struct img_nclx *nclx, char *err, size_t errlen);

/* The ICC profile of each container (in its format's file): a malloc'd
 * copy, or NULL with *len 0; AXLE_EFORMAT with the reason when the profile
 * is there but damaged. */
int img_png_icc(const uint8_t *p, size_t n, uint8_t **icc, size_t *len, char *err,
                size_t errlen);
int img_tiff_icc(const uint8_t *p, size_t n, uint8_t **icc, size_t *len, char *err,
                 size_t errlen);
int img_heif_colour(const uint8_t *p, size_t n, uint8_t **icc, size_t *len,
                    struct img_nclx *nclx, char *err, size_t errlen);
int img_jxl_icc(const uint8_t *p, size_t n, uint8_t **icc, size_t *len, char *err,
                size_t errlen);

/* An RGB profile made from an nclx description (image_nclx.c): *icc is
 * malloc'd; *srgb true (and no profile) when it describes sRGB (BT.709
 * primaries, an sRGB-like curve).  AXLE_EUNSUPPORTED with the reason for
 * what has no ICC equivalent here (PQ, HLG). */
int img_nclx_profile(const struct img_nclx *n, uint8_t **icc, size_t *len, bool *srgb,
                     char *err, size_t errlen);

/* CMYK rows of a JPEG decode (4 bytes a pixel, `inverted` as Adobe writes
 * them) made RGB in place with the image's embedded CMYK profile
 * (image_colour.c, lcms2): true when done, false when the image has no
 * usable CMYK profile (the caller then converts without one). */
bool img_cmyk_with_profile(const axle_image *img, axle_pixels *px, uint32_t rows,
                           bool inverted);

/* TIFF-structured camera RAWs (DNG, NEF, ARW, CR2, ...) told from plain
 * TIFF by their first directory (image_tiff.c decides, image_raw.c
 * decodes). */
extern const struct img_codec img_codec_camraw, img_codec_jxl;

/* Camera RAW shrink-on-load: the embedded preview or a half-size demosaic
 * is used when it is this many times the wanted size (the JPEG margin). */
#ifndef AXLE_MARGIN_RAW
#define AXLE_MARGIN_RAW 2.0
#endif

/* ---- metadata: keep for every format, from headers only (issue 13,
 * part `deep`: image_exif_head.c, image_exif_export.c) ---- */

/* The EXIF block `src` (a TIFF structure of n bytes, malloc'd; taken)
 * made fit for export: IFD1 cut, orientation 1; *exif is src reused. */
int img_exif_fit(uint8_t *src, size_t n, void **exif, size_t *len, char *err,
                 size_t errlen);

/* A TIFF file's photo EXIF, laid out anew from IFD0's descriptive tags
 * and its Exif and GPS directories: malloc'd, or NULL. */
uint8_t *img_tiff_exif(const uint8_t *p, size_t len, size_t *exif_len);

#endif
