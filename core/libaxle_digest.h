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

#endif
