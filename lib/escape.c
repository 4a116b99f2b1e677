/* escape.c - text made safe to print on a terminal.
 *
 * A file name may hold any byte but '/' and NUL, and a terminal obeys
 * control characters: a name with ESC can recolour or rewrite the screen,
 * one with a newline can forge a whole line of output.  So everything
 * libaxle prints that may hold a name (skip lines, logs, error messages)
 * goes through here: C0 and C1 control characters, DEL and bytes that are
 * not UTF-8 become \xNN; valid UTF-8 is kept as it is, so a user's
 * "café" or "東京" still reads as written. */
#include <stdlib.h>
#include <string.h>

#include "axle_internal.h"

/* Length of the valid UTF-8 sequence at `p` (1-4), or 0 when the bytes
 * there are not one (overlong forms and surrogates are not valid). */
static size_t
utf8_seq_len(const unsigned char *p)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        if (c == 0xF4)
            hi = 0x8F; /* over U+10FFFF */
    } else
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    return n;
}

bool
axle_internal_is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_seq_len(p);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

/* True for the sequence at `p` (of length n) that a terminal would act on:
 * C0 controls, DEL, and C1 controls (U+0080..U+009F, as C2 80..C2 9F). */
static bool
is_control(const unsigned char *p, size_t n)
{
    if (n == 1)
        return p[0] < 0x20 || p[0] == 0x7F;
    return n == 2 && p[0] == 0xC2 && p[1] < 0xA0;
}

char *
axle_internal_escape(const char *in)
{
    const unsigned char *p = (const unsigned char *)(in ? in : "");
    char *out = malloc(4 * strlen((const char *)p) + 1), *o = out;
    static const char hex[] = "0123456789abcdef";
    if (!out)
        return NULL;
    while (*p) {
        size_t n = utf8_seq_len(p);
        if (n > 0 && !is_control(p, n)) {
            memcpy(o, p, n);
            o += n;
            p += n;
            continue;
        }
        /* one byte at a time: an invalid byte, or each byte of a control */
        for (size_t k = 0; k < (n ? n : 1); k++, p++) {
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}
