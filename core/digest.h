/* digest.h - SHA-256 (OpenSSL EVP) as lowercase hex, for job identity. */
#ifndef AXLE_DIGEST_H
#define AXLE_DIGEST_H

#include <stddef.h>

#define DIGEST_HEX_LEN 65 /* 64 hex digits and NUL */

void digest_bytes(const void *data, size_t len, char hex[DIGEST_HEX_LEN]);
/* Hashes everything readable from fd (from its current offset).
 * Returns 0, or -1 with errno set. */
int digest_fd(int fd, char hex[DIGEST_HEX_LEN]);

/* SHA-256 over data given in parts (a file streamed line by line, the
 * identity's input-file list): begin, update as often as needed, end
 * (which frees the stream; hex may be NULL to drop it).  begin returns
 * NULL when out of memory; ending a NULL stream gives "unknown", a digest
 * no data has. */
typedef struct digest_stream digest_stream;
digest_stream *digest_begin(void);
void digest_update(digest_stream *d, const void *data, size_t len);
void digest_end(digest_stream *d, char hex[DIGEST_HEX_LEN]);

#endif
