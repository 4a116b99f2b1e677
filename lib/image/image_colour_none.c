/* image_colour_none.c - colour management in a libaxle built without
 * lcms2 (./configure --without-lcms2, or liblcms2-dev missing).
 *
 * The calls exist all the same, so methods build and run against either
 * libaxle: an image without a profile is sRGB as always, and one with a
 * profile keeps its pixels as decoded, reported as unsupported with the
 * reason, so a method can count or log it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_deep.h"
#include "image_internal.h"

int
axle_image_colour(const axle_image *img, axle_colour *out)
{
    if (!img || !out)
        return AXLE_EINVAL;
    memset(out, 0, sizeof *out);
    uint8_t *icc;
    size_t len;
    char err[160];
    if (img_icc_profile(img, &icc, &len, err, sizeof err) != AXLE_OK) {
        out->kind = AXLE_COLOUR_BROKEN;
        snprintf(out->reason, sizeof out->reason, "%s", err);
        return AXLE_OK;
    }
    if (icc) {
        out->kind = AXLE_COLOUR_UNSUPPORTED;
        snprintf(out->reason, sizeof out->reason,
                 "libaxle was built without lcms2 (colour management)");
    }
    free(icc);
    return AXLE_OK;
}

int
axle_pixels_to_srgb(axle_pixels *px, const axle_image *img, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!px || !img || !px->data)
        return img_fail(err, errlen, AXLE_EINVAL, "axle_pixels_to_srgb: NULL argument");
    return AXLE_OK; /* nothing converts without lcms2 */
}

bool
img_cmyk_with_profile(const axle_image *img, axle_pixels *px, uint32_t rows, bool inverted)
{
    (void)img, (void)px, (void)rows, (void)inverted;
    return false; /* CMYK is made RGB by the plain formula */
}

int
img_deep_to_srgb(img_deep *px, const axle_image *img, char *err, size_t errlen)
{
    (void)px, (void)img, (void)err, (void)errlen;
    return AXLE_OK; /* as axle_pixels_to_srgb: nothing converts without lcms2 */
}
