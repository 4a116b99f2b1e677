/* decimal.h - "%lld" by hand, for lines written once per file at 100,000
 * files a run (the identity's facts, a manifest's entries), where
 * snprintf's cost showed in profiles. */
#ifndef AXLE_DECIMAL_H
#define AXLE_DECIMAL_H

#include <string.h>

/* `v` in decimal at `out`, zero-padded to `width` digits; the end of what
 * was written (at most 20 + width bytes, no NUL). */
static inline char *
decimal_put(char *out, long long v, int width)
{
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char digits[24];
    char *const end = digits + sizeof digits;
    char *p = end; /* filled from the end, least significant digit first */
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (p > digits && end - p < width)
        *--p = '0';
    if (v < 0)
        *out++ = '-';
    memcpy(out, p, (size_t)(end - p));
    return out + (end - p);
}

#endif
