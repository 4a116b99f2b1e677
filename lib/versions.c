/* versions.c - the versions that can change a job's output: libaxle and
 * the codec libraries.  They enter every job's identity, so an upgrade that
 * may change pixels rebuilds rather than mixing old and new results. */
#include "axle_internal.h"

#include <jconfig.h>
#include <stdio.h>
#include <webp/decode.h>
#include <webp/encode.h>

static void
webp_version(char *buf, size_t len, int v)
{
    snprintf(buf, len, "%d.%d.%d", (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
}

json_t *
axle_internal_library_versions(void)
{
    char dec[32], enc[32];
    webp_version(dec, sizeof dec, WebPGetDecoderVersion());
    webp_version(enc, sizeof enc, WebPGetEncoderVersion());
    json_t *v = json_pack("{s:s, s:i, s:s, s:s}", "axle", AXLE_VERSION,
                          "libjpeg-turbo", LIBJPEG_TURBO_VERSION_NUMBER,
                          "libwebp-decoder", dec, "libwebp-encoder", enc);
    if (v)
        axle_internal_codec_versions(v);
    return v;
}
