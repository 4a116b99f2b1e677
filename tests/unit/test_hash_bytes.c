/* test_hash_bytes.c - axle_hash_bytes, the hash of libaxle's chain key maps
 * and a method's own tables: equal bytes hash equal wherever they lie in
 * memory, a byte past `len` is never read into it, every length from 0
 * to 40 and every byte of a key changes it, and 100,000 names like an
 * export's spread over a table's buckets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "axle/axle.h"

static void
test_same_bytes_same_hash(void **state)
{
    (void)state;
    char a[64], b[64 + 7];
    for (size_t len = 0; len <= 40; len++) {
        for (size_t i = 0; i < len; i++)
            a[i] = (char)('a' + i % 26);
        for (size_t shift = 0; shift < 8; shift++) { /* any alignment */
            memcpy(b + shift, a, len);
            b[shift + len] = 'X'; /* past the end: not part of the key */
            a[len] = 'Y';
            assert_int_equal(axle_hash_bytes(a, len), axle_hash_bytes(b + shift, len));
        }
    }
}

static void
test_every_byte_and_length_counts(void **state)
{
    (void)state;
    unsigned char key[40] = {0};
    /* zero bytes of different lengths differ: the length is in the hash */
    for (size_t len = 1; len <= 40; len++)
        assert_true(axle_hash_bytes(key, len) != axle_hash_bytes(key, len - 1));
    for (size_t len = 1; len <= 40; len++)
        for (size_t i = 0; i < len; i++) {
            uint64_t before = axle_hash_bytes(key, len);
            key[i] ^= 0x01;
            assert_true(axle_hash_bytes(key, len) != before);
            key[i] ^= 0x01;
        }
}

static void
test_names_spread_over_buckets(void **state)
{
    (void)state;
    enum { NAMES = 100000, BUCKETS = 1 << 17 };
    unsigned char *used = calloc(BUCKETS, 1);
    assert_non_null(used);
    size_t taken = 0;
    char name[64];
    for (int i = 0; i < NAMES; i++) {
        int n = snprintf(name, sizeof name, "d%04d/t%05d.jpg", i / 1000, i % 1000);
        size_t b = axle_hash_bytes(name, (size_t)n) & (BUCKETS - 1);
        taken += !used[b];
        used[b] = 1;
    }
    free(used);
    /* uniform hashing fills 1 - e^(-100000/131072) = 53.4% of the buckets
     * (70,010); a hash that clumped the names would fill far fewer */
    assert_true(taken > 68000);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes_same_hash),
        cmocka_unit_test(test_every_byte_and_length_counts),
        cmocka_unit_test(test_names_spread_over_buckets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
