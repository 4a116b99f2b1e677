/* image_size_text.c - sizes and colours as users write them.
 *
 * The size forms are vipsthumbnail's: "WxH" (fit inside), "N" (a square
 * box), "Wx" and "xH" (one side fixed, the other free) and a trailing "!"
 * for an exact size.  The core checks option values with these very
 * functions, so a pipeline is refused before any job runs for what a
 * method would refuse later. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "image_internal.h"

/* A side: digits with optional spaces around; *p moves past them.
 * 0 when there are no digits (a free side), -1 when too large, -2 for a
 * written 0. */
static long long
side(const char **p)
{
    const char *s = *p;
    while (*s == ' ')
        s++;
    long long v = 0;
    bool too_big = false, any = isdigit((unsigned char)*s);
    for (; isdigit((unsigned char)*s); s++) {
        v = v * 10 + (*s - '0');
        if (v > UINT32_MAX)
            too_big = true, v = 0;
    }
    while (*s == ' ')
        s++;
    *p = s;
    return too_big ? -1 : any && !v ? -2 : v;
}

static int
size_fail(char *err, size_t errlen, const char *text, const char *why)
{
    return img_fail(err, errlen, AXLE_EINVAL,
                    "'%s' is not a size: %s (forms: WxH, N, Wx, xH; a trailing ! for "
                    "an exact WxH!)", text, why);
}

int
axle_parse_size(const char *text, axle_geometry *g, char *err, size_t errlen)
{
    if (!text || !g)
        return img_fail(err, errlen, AXLE_EINVAL, "no size");
    const char *p = text;
    long long w = side(&p), h;
    bool has_x = *p == 'x' || *p == 'X';
    if (has_x) {
        p++;
        h = side(&p);
    } else {
        h = w; /* "N": a square */
    }
    bool exact = *p == '!';
    if (exact)
        p++;
    while (*p == ' ')
        p++;
    if (*p)
        return size_fail(err, errlen, text, *p == '-' ? "a side is negative"
                         : "only digits, one 'x' and a final '!' belong in it");
    if (w == -2 || h == -2)
        return size_fail(err, errlen, text, "a side is 0");
    if (w < 0 || h < 0)
        return size_fail(err, errlen, text, "a side is over 4294967295");
    if (!w && !h)
        return size_fail(err, errlen, text, "give a width, a height or both");
    if (exact && (!w || !h))
        return size_fail(err, errlen, text, "an exact size ('!') needs both sides");
    g->width = (uint32_t)w;
    g->height = (uint32_t)h;
    g->mode = exact ? AXLE_FIT_EXACT : AXLE_FIT_INSIDE;
    return AXLE_OK;
}

static int
hex_digit(char c)
{
    return isdigit((unsigned char)c) ? c - '0'
         : (c >= 'a' && c <= 'f') ? c - 'a' + 10
         : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
}

int
axle_parse_colour(const char *text, uint8_t rgb[3], char *err, size_t errlen)
{
    static const struct { const char *name; uint8_t v; } names[] = {
        {"white", 255}, {"black", 0}, {"grey", 128}, {"gray", 128}};
    if (!text || !rgb)
        return img_fail(err, errlen, AXLE_EINVAL, "no colour");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(text, names[i].name) == 0) {
            rgb[0] = rgb[1] = rgb[2] = names[i].v;
            return AXLE_OK;
        }
    size_t n = strlen(text);
    bool ok = text[0] == '#' && (n == 4 || n == 7);
    for (size_t i = 1; ok && i < n; i++)
        ok = hex_digit(text[i]) >= 0;
    if (!ok)
        return img_fail(err, errlen, AXLE_EINVAL,
                        "'%s' is not a colour: write #rrggbb, #rgb, white, black or grey",
                        text);
    for (int c = 0; c < 3; c++)
        rgb[c] = n == 4 ? (uint8_t)(hex_digit(text[1 + c]) * 17)
                        : (uint8_t)(hex_digit(text[1 + 2 * c]) * 16 + hex_digit(text[2 + 2 * c]));
    return AXLE_OK;
}
