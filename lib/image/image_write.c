/* image_write.c - axle_write_image: pixels to an image file in the job
 * folder, with the job's provenance, in one call.
 *
 * The encode with provenance (image_provenance.c) and the atomic,
 * registered write (write_file.c) that every method exporting a picture
 * would otherwise chain by hand, with the encoded bytes freed between. */
#include <stdlib.h>

#include "image_internal.h"

int
axle_write_image(axle_job *job, const char *relpath, const axle_pixels *px,
                 axle_codec codec, int quality, const char *source)
{
    void *data = NULL;
    size_t len = 0;
    char err[512];
    int rc = axle_image_encode_provenance(job, px, codec, quality, source, &data, &len,
                                          err, sizeof err);
    if (rc != AXLE_OK)
        return axle_error(job, rc, "%s: %s", relpath ? relpath : "(null)", err);
    rc = axle_write_file(job, relpath, data, len);
    free(data);
    return rc;
}
