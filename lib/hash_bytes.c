/* lib/hash_bytes.c - axle_hash_bytes: the hash of the chain key maps and of
 * the export's name sets.  Eight bytes a step, then the murmur3 finaliser
 * to spread them: at 100,000 names a byte-a-step FNV-1a showed in profiles.
 * In-memory tables only; nothing stored depends on it, so it may change. */
#include <string.h>

#include "axle/axle.h"

uint64_t
axle_hash_bytes(const void *data, size_t len)
{
    const unsigned char *s = data;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;
    for (; len >= 8; s += 8, len -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, len);
    h ^= w;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}
