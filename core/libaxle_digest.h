/* libaxle_digest.h - the digest of the libaxle this process loaded.
 *
 * Decoders, encoders and the probe live in libaxle, so a job's identity
 * covers its bytes as it covers the method's .so: a fixed decoder rebuilds
 * the thumbnails it made.  The file is found with dladdr() on an axle_
 * symbol (so LD_LIBRARY_PATH, rpath or an install in another prefix all
 * name the copy actually in use) and digested once per process. */
#ifndef AXLE_LIBAXLE_DIGEST_H
#define AXLE_LIBAXLE_DIGEST_H

#include <stddef.h>

/* The path and SHA-256 of the loaded libaxle (static strings), or NULL
 * with the reason in err (the first failure is kept and repeated). */
const char *libaxle_sha256(const char **path, char *err, size_t errlen);

/* Starts the digest on a thread of its own, so that it is made while the
 * run loads its pipeline and methods (a no-op run at 100,000 photos waits
 * for it otherwise, ~1.5 ms); libaxle_sha256 waits for it.  Call it
 * before any other thread or fork, and call libaxle_sha256 before the
 * process forks (no thread of ours across a fork).  Nothing started when
 * a thread cannot be: the digest is then made at first use. */
void libaxle_sha256_start(void);

#endif
