/* digest.c - SHA-256 through OpenSSL's EVP interface (uses SHA-NI). */
#include "digest.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void
to_hex(const unsigned char *md, unsigned len, char hex[DIGEST_HEX_LEN])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < len && i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

void
digest_bytes(const void *data, size_t len, char hex[DIGEST_HEX_LEN])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
    to_hex(md, mdlen, hex);
}

int
digest_fd(int fd, char hex[DIGEST_HEX_LEN])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(ctx);
        errno = ENOMEM;
        return -1;
    }
    unsigned char buf[1 << 16]; /* on the stack: callers may be on several threads */
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            EVP_MD_CTX_free(ctx);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        EVP_DigestUpdate(ctx, buf, (size_t)n);
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    to_hex(md, mdlen, hex);
    return 0;
}

/* ---- a digest over data that comes in parts (digest.h) ---- */

struct digest_stream {
    EVP_MD_CTX *ctx;
};

digest_stream *
digest_begin(void)
{
    digest_stream *d = malloc(sizeof *d);
    if (!d)
        return NULL;
    d->ctx = EVP_MD_CTX_new();
    if (!d->ctx || !EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(d->ctx);
        free(d);
        errno = ENOMEM;
        return NULL;
    }
    return d;
}

void
digest_update(digest_stream *d, const void *data, size_t len)
{
    if (d)
        EVP_DigestUpdate(d->ctx, data, len);
}

void
digest_end(digest_stream *d, char hex[DIGEST_HEX_LEN])
{
    if (!d) { /* out of memory: a digest no data can have */
        if (hex)
            snprintf(hex, DIGEST_HEX_LEN, "unknown");
        return;
    }
    if (hex)
        hex[0] = '\0';
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    if (hex && EVP_DigestFinal_ex(d->ctx, md, &mdlen))
        to_hex(md, mdlen, hex);
    EVP_MD_CTX_free(d->ctx);
    free(d);
}
