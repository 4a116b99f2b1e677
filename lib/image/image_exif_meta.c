/* image_exif_meta.c - the EXIF facts a photographer sorts by: when, which
 * camera and lens, the exposure, where.
 *
 * EXIF is a TIFF structure: IFD0 names the camera and points to the Exif
 * IFD (time, exposure, lens) and the GPS IFD.  Only those three are read,
 * each at most once and never through a pointer of its own kind, so a
 * directory that points back at itself cannot loop; every count and
 * offset is checked against the bytes (in 64 bits: count times size
 * cannot wrap).  A value that is malformed (a date that is no date, a zero
 * denominator, a latitude past the pole) is left absent rather than
 * guessed, and nothing here ever fails: hostile EXIF gives fewer fields.
 *
 * In a TIFF file the structure is the file, and a directory or value may
 * sit past the prefix the import read: it is read through the caller's
 * reader then, at most FETCH_MAX bytes in all. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle_internal.h"
#include "image_internal.h"

#define TAG_MAKE 0x010F
#define TAG_MODEL 0x0110
#define TAG_EXIF_IFD 0x8769
#define TAG_GPS_IFD 0x8825
#define TAG_EXPOSURE_TIME 0x829A
#define TAG_FNUMBER 0x829D
#define TAG_ISO 0x8827          /* ISOSpeedRatings, PhotographicSensitivity */
#define TAG_ISO_SPEED 0x8833    /* ISOSpeed: where 0x8827 says 65535 */
#define TAG_DATE_ORIGINAL 0x9003
#define TAG_OFFSET_ORIGINAL 0x9011
#define TAG_SUBSEC_ORIGINAL 0x9291
#define TAG_FOCAL_LENGTH 0x920A
#define TAG_LENS_MODEL 0xA434
#define GPS_LAT_REF 1
#define GPS_LAT 2
#define GPS_LON_REF 3
#define GPS_LON 4

enum { T_BYTE = 1, T_ASCII, T_SHORT, T_LONG, T_RATIONAL, T_SRATIONAL = 10, T_IFD = 13 };

/* The most a TIFF file's metadata may read past the bytes given (its
 * directories and the values the columns want), so that a hostile file
 * costs at most this much. */
#define FETCH_MAX (64u * 1024)

struct exif {
    const uint8_t *p;
    size_t len;
    bool little;
    const struct img_reader *more; /* the rest of the file, or NULL */
    uint8_t *fetched;              /* FETCH_MAX bytes read through `more` */
    size_t used;
};

/* One IFD entry.  A value of up to 4 bytes is in the entry itself. */
struct entry {
    uint32_t tag, type, count;
    uint8_t inline_value[4];
    uint64_t at;  /* else the offset of its bytes */
    bool there;   /* a known type, and at least one value */
};

/* n bytes at offset `off` of the structure: in the bytes given, else read
 * through x->more (never moved once read), else NULL. */
static const uint8_t *
bytes_at(struct exif *x, uint64_t off, uint64_t n)
{
    if (off <= x->len && n <= x->len - off)
        return x->p + off;
    if (!x->more || off > x->more->total || n > x->more->total - off || n > FETCH_MAX - x->used)
        return NULL;
    if (!x->fetched && !(x->fetched = malloc(FETCH_MAX)))
        return NULL;
    uint8_t *dst = x->fetched + x->used;
    if (x->more->read_at(x->more->ctx, off, dst, (size_t)n) != AXLE_OK)
        return NULL;
    x->used += (size_t)n;
    return dst;
}

static uint32_t
rd16(const struct exif *x, const uint8_t *q)
{
    return x->little ? (uint32_t)q[0] | (uint32_t)q[1] << 8 : (uint32_t)q[0] << 8 | q[1];
}

static uint32_t
rd32(const struct exif *x, const uint8_t *q)
{
    return x->little ? rd16(x, q) | rd16(x, q + 2) << 16 : rd16(x, q) << 16 | rd16(x, q + 2);
}

static size_t
type_size(uint32_t type)
{
    switch (type) {
    case T_BYTE: case T_ASCII: case 6: case 7: return 1;
    case T_SHORT: case 8: return 2;
    case T_LONG: case 9: case 11: case T_IFD: return 4;
    case T_RATIONAL: case T_SRATIONAL: case 12: return 8;
    default: return 0;
    }
}

/* The 12 bytes of an entry at q. */
static void
read_entry(const struct exif *x, const uint8_t *q, struct entry *out)
{
    out->tag = rd16(x, q);
    out->type = rd16(x, q + 2);
    out->count = rd32(x, q + 4);
    memcpy(out->inline_value, q + 8, 4);
    uint64_t bytes = (uint64_t)type_size(out->type) * out->count;
    out->at = bytes <= 4 ? 0 : rd32(x, q + 8);
    out->there = bytes > 0;
}

/* n bytes of an entry's value from byte k on, or NULL.  A value whose
 * count runs past the end of the structure is no value at all, even when
 * the bytes asked for are there: its count is a lie. */
static const uint8_t *
value(struct exif *x, const struct entry *e, uint64_t k, uint64_t n)
{
    uint64_t bytes = (uint64_t)type_size(e->type) * e->count;
    uint64_t end = x->more ? x->more->total : x->len;
    if (!e->there || k > bytes || n > bytes - k)
        return NULL;
    if (bytes <= 4)
        return e->inline_value + k;
    if (e->at > end || bytes > end - e->at)
        return NULL;
    return bytes_at(x, e->at + k, n);
}

/* The length of the well-formed UTF-8 character at s (n bytes left), or
 * 0 when the bytes there are not one. */
static size_t
utf8_char_len(const uint8_t *s, size_t n)
{
    size_t k = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
             : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    char one[5] = {0};
    if (k == 0 || k > n)
        return 0;
    memcpy(one, s, k);
    return axle_internal_is_utf8(one) ? k : 0;
}

/* Text of an ASCII value: up to its first NUL, trailing blanks dropped,
 * bytes that are not printable UTF-8 shown as '?' (the columns are UTF-8
 * text).  "" when absent or blank. */
static void
ascii(struct exif *x, const struct entry *e, char *out, size_t outlen)
{
    out[0] = '\0';
    if (e->type != T_ASCII)
        return;
    /* Never more than the field holds: a count of 4 GB reads nothing more. */
    uint64_t want = e->count < outlen ? e->count : outlen;
    const uint8_t *s = value(x, e, 0, want);
    if (!s)
        return;
    size_t n = 0;
    while (n < want && s[n] != '\0')
        n++;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < outlen;) {
        size_t len = utf8_char_len(s + i, n - i);
        if (len == 0 || (len == 1 && s[i] < 0x20) || s[i] == 0x7F) {
            out[o++] = '?';
            i++;
            continue;
        }
        if (o + len >= outlen)
            break; /* no room for the whole character */
        memcpy(out + o, s + i, len);
        o += len;
        i += len;
    }
    out[o] = '\0';
}

/* The i-th unsigned rational of an entry; NAN when absent or x/0. */
static double
rational(struct exif *x, const struct entry *e, uint32_t i, uint32_t *num, uint32_t *den)
{
    const uint8_t *q = e->type == T_RATIONAL ? value(x, e, 8 * (uint64_t)i, 8) : NULL;
    if (!q)
        return NAN;
    *num = rd32(x, q);
    *den = rd32(x, q + 4);
    return *den ? (double)*num / *den : NAN;
}

static double
rational_value(struct exif *x, const struct entry *e)
{
    uint32_t n, d;
    return rational(x, e, 0, &n, &d);
}

/* The first value of a SHORT or LONG entry, or 0. */
static uint32_t
integer(struct exif *x, const struct entry *e)
{
    if (e->type == T_SHORT) {
        const uint8_t *q = value(x, e, 0, 2);
        return q ? rd16(x, q) : 0;
    }
    const uint8_t *q = e->type == T_LONG || e->type == T_IFD ? value(x, e, 0, 4) : NULL;
    return q ? rd32(x, q) : 0;
}

static uint32_t
gcd(uint32_t a, uint32_t b)
{
    while (b) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* ExposureTime as the camera wrote it, reduced: "1/250", "2", "5/2". */
static void
exposure(struct exif *x, const struct entry *e, axle_photo_meta *m)
{
    uint32_t num, den;
    double v = rational(x, e, 0, &num, &den);
    if (!(v > 0))
        return;
    uint32_t g = gcd(num, den);
    num /= g;
    den /= g;
    if (den == 1)
        snprintf(m->exposure, sizeof m->exposure, "%u", num);
    else
        snprintf(m->exposure, sizeof m->exposure, "%u/%u", num, den);
    m->exposure_time = v;
}

/* The decimal number of s[at, at + n), all digits (checked by iso_date). */
static unsigned
number(const char *s, int at, int n)
{
    unsigned v = 0;
    for (int i = at; i < at + n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

/* "YYYY:MM:DD HH:MM:SS" as ISO 8601 "YYYY-MM-DDTHH:MM:SS" into out[20],
 * checked field by field (cameras without a clock write blanks or
 * zeros). */
static bool
iso_date(const char *s, char out[20])
{
    if (strlen(s) != 19)
        return false;
    for (int i = 0; i < 19; i++)
        if ((i == 4 || i == 7 || i == 13 || i == 16) ? s[i] != ':'
            : i == 10 ? s[i] != ' ' : (s[i] < '0' || s[i] > '9'))
            return false;
    unsigned y = number(s, 0, 4), mo = number(s, 5, 2), d = number(s, 8, 2),
             h = number(s, 11, 2), mi = number(s, 14, 2), se = number(s, 17, 2);
    if (y == 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return false;
    memcpy(out, s, 20);
    out[4] = out[7] = '-';
    out[10] = 'T';
    return true;
}

/* "+HH:MM" or "-HH:MM" (OffsetTimeOriginal), else false. */
static bool
valid_offset(const char *s)
{
    return strlen(s) == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':' &&
           s[1] >= '0' && s[1] <= '2' && s[2] >= '0' && s[2] <= '9' &&
           s[4] >= '0' && s[4] <= '5' && s[5] >= '0' && s[5] <= '9' &&
           (s[1] - '0') * 10 + (s[2] - '0') <= 14;
}

/* taken: the date, with ".subseconds" and the offset when recorded. */
static void
taken(const char *date, const char *subsec, const char *offset, axle_photo_meta *m)
{
    char iso[20];
    if (!iso_date(date, iso))
        return;
    size_t digits = strspn(subsec, "0123456789");
    if (digits > 9 || subsec[digits] != '\0')
        digits = 0; /* not a fraction of a second: left out */
    /* 19 + 1 + 9 + 6 characters at most: the field holds them all. */
    snprintf(m->taken, sizeof m->taken, "%.19s%s%.*s%.6s", iso, digits ? "." : "",
             (int)digits, subsec, valid_offset(offset) ? offset : "");
}

/* Degrees, minutes, seconds (three rationals) and the N/S or E/W
 * reference as signed degrees; NAN when any part is missing or odd. */
static double
coordinate(struct exif *x, const struct entry *dms, const struct entry *ref,
           char positive, char negative, double limit)
{
    char r[4];
    ascii(x, ref, r, sizeof r);
    if (dms->count < 3 || (r[0] != positive && r[0] != negative) || r[1])
        return NAN;
    uint32_t n, d;
    double deg = rational(x, dms, 0, &n, &d), min = rational(x, dms, 1, &n, &d),
           sec = rational(x, dms, 2, &n, &d);
    double v = deg + min / 60 + sec / 3600;
    if (!(v <= limit)) /* also NAN */
        return NAN;
    return r[0] == negative ? -v : v;
}

/* The entries of the IFD at `ifd` into `slot` by tag (`tags` lists the
 * wanted ones): as many entries as can be read. */
static void
read_ifd(struct exif *x, uint64_t ifd, const uint32_t *tags, struct entry *slot, size_t ntags)
{
    for (size_t i = 0; i < ntags; i++)
        slot[i].there = false;
    const uint8_t *head = ifd >= 8 ? bytes_at(x, ifd, 2) : NULL;
    if (!head)
        return;
    uint64_t count = rd16(x, head), end = x->more ? x->more->total : x->len;
    if (count > (end - ifd - 2) / 12)
        count = (end - ifd - 2) / 12; /* cut short: the entries that are there */
    const uint8_t *q = count ? bytes_at(x, ifd + 2, 12 * count) : NULL;
    for (uint64_t i = 0; q && i < count; i++) {
        struct entry en;
        read_entry(x, q + 12 * i, &en);
        for (size_t t = 0; t < ntags; t++)
            if (en.tag == tags[t] && !slot[t].there)
                slot[t] = en;
    }
}

enum { I0_MAKE, I0_MODEL, I0_EXIF, I0_GPS, N_IFD0 };
static const uint32_t ifd0_tags[N_IFD0] = {TAG_MAKE, TAG_MODEL, TAG_EXIF_IFD, TAG_GPS_IFD};

enum { EX_TIME, EX_FNUMBER, EX_ISO, EX_ISO_SPEED, EX_DATE, EX_OFFSET, EX_SUBSEC, EX_FOCAL,
       EX_LENS, N_EXIF };
static const uint32_t exif_tags[N_EXIF] = {
    TAG_EXPOSURE_TIME, TAG_FNUMBER, TAG_ISO, TAG_ISO_SPEED, TAG_DATE_ORIGINAL,
    TAG_OFFSET_ORIGINAL, TAG_SUBSEC_ORIGINAL, TAG_FOCAL_LENGTH, TAG_LENS_MODEL};

enum { G_LAT_REF, G_LAT, G_LON_REF, G_LON, N_GPS };
static const uint32_t gps_tags[N_GPS] = {GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON};

static void
read_exif_ifd(struct exif *x, const struct entry *ptr, axle_photo_meta *m)
{
    struct entry e[N_EXIF];
    read_ifd(x, integer(x, ptr), exif_tags, e, N_EXIF);
    exposure(x, &e[EX_TIME], m);
    double f = rational_value(x, &e[EX_FNUMBER]);
    m->f_number = f > 0 ? f : NAN;
    double focal = rational_value(x, &e[EX_FOCAL]);
    m->focal_length = focal > 0 ? focal : NAN;
    uint32_t iso = integer(x, &e[EX_ISO]);
    if (iso == 0 || iso == 65535) /* absent, or "65535 or more": ISOSpeed says */
        iso = integer(x, &e[EX_ISO_SPEED]) ? integer(x, &e[EX_ISO_SPEED]) : iso;
    m->iso = iso;
    ascii(x, &e[EX_LENS], m->lens, sizeof m->lens);
    char date[32], subsec[16], offset[16];
    ascii(x, &e[EX_DATE], date, sizeof date);
    ascii(x, &e[EX_SUBSEC], subsec, sizeof subsec);
    ascii(x, &e[EX_OFFSET], offset, sizeof offset);
    taken(date, subsec, offset, m);
}

static void
read_gps_ifd(struct exif *x, const struct entry *ptr, axle_photo_meta *m)
{
    struct entry e[N_GPS];
    read_ifd(x, integer(x, ptr), gps_tags, e, N_GPS);
    double lat = coordinate(x, &e[G_LAT], &e[G_LAT_REF], 'N', 'S', 90);
    double lon = coordinate(x, &e[G_LON], &e[G_LON_REF], 'E', 'W', 180);
    if (!isnan(lat) && !isnan(lon)) { /* half a position is no position */
        m->latitude = lat;
        m->longitude = lon;
    }
}

void
img_photo_meta_clear(axle_photo_meta *m)
{
    memset(m, 0, sizeof *m);
    m->exposure_time = m->f_number = m->focal_length = NAN;
    m->latitude = m->longitude = NAN;
}

/* IFD0 and the IFDs it points to, from the 8-byte header on. */
static void
read_structure(struct exif *x, axle_photo_meta *m)
{
    const uint8_t *head = bytes_at(x, 0, 8);
    if (!head || !((head[0] == 'I' && head[1] == 'I') || (head[0] == 'M' && head[1] == 'M')))
        return;
    x->little = head[0] == 'I';
    if (rd16(x, head + 2) != 42)
        return;
    struct entry e[N_IFD0];
    read_ifd(x, rd32(x, head + 4), ifd0_tags, e, N_IFD0);
    ascii(x, &e[I0_MAKE], m->make, sizeof m->make);
    ascii(x, &e[I0_MODEL], m->model, sizeof m->model);
    if (e[I0_EXIF].there)
        read_exif_ifd(x, &e[I0_EXIF], m);
    if (e[I0_GPS].there)
        read_gps_ifd(x, &e[I0_GPS], m);
}

void
img_exif_meta(const uint8_t *tiff, size_t len, const struct img_reader *more,
              axle_photo_meta *m)
{
    struct exif x = {tiff, len, false, more, NULL, 0};
    read_structure(&x, m);
    free(x.fetched);
}
