/* digest.h - SHA-256 (OpenSSL EVP) as lowercase hex, for job identity. */
#ifndef AXLE_DIGEST_H
#define AXLE_DIGEST_H

#include <stddef.h>

#define DIGEST_HEX_LEN 65 /* 64 hex digits and NUL */

void digest_bytes(const void *data, size_t len, char hex[DIGEST_HEX_LEN]);
/* Hashes everything readable from fd (from its current offset).
 * Returns 0, or -1 with errno set. */
int digest_fd(int fd, char hex[DIGEST_HEX_LEN]);

/* A digest fed in pieces: digest_begin, digest_update..., digest_end
 * (which frees it).  A NULL context (out of memory) gives "unknown". */
typedef struct digest_ctx digest_ctx;
digest_ctx *digest_begin(void);
void digest_update(digest_ctx *d, const void *data, size_t len);
void digest_end(digest_ctx *d, char hex[DIGEST_HEX_LEN]);

#endif
