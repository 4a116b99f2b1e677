/* image_nclx.c - an ICC profile for a HEIF/AVIF "nclx" colour description
 * (ITU-T H.273 code points), so that a Display P3 iPhone photo is
 * converted to sRGB by the same lcms2 path as an embedded profile.
 *
 * The profile is built from the chromaticities libheif gives for the
 * primaries and a tone curve for the transfer code.  BT.709, BT.601 and
 * BT.2020's curves are taken as sRGB's: cameras and phones that write
 * them mean "display it like sRGB", which is what browsers and Apple's
 * viewers do too.  BT.709 primaries (or unspecified ones) with such a
 * curve are sRGB itself: nothing to convert.  PQ and HLG (HDR) have no
 * 8-bit ICC equivalent here and are refused with the reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lcms2.h>

#include "image_internal.h"

/* H.273 transfer characteristics used below. */
enum {
    TC_BT709 = 1, TC_UNSPECIFIED = 2, TC_GAMMA22 = 4, TC_GAMMA28 = 5, TC_BT601 = 6,
    TC_LINEAR = 8, TC_SRGB = 13, TC_BT2020_10 = 14, TC_BT2020_12 = 15, TC_PQ = 16,
    TC_HLG = 18
};
/* H.273 colour primaries named in profile descriptions. */
enum { CP_BT709 = 1, CP_UNSPECIFIED = 2, CP_BT2020 = 9, CP_DCI_P3 = 11, CP_DISPLAY_P3 = 12 };

static bool
srgb_like_curve(int tc)
{
    return tc == TC_BT709 || tc == TC_UNSPECIFIED || tc == TC_BT601 || tc == TC_SRGB ||
           tc == TC_BT2020_10 || tc == TC_BT2020_12;
}

static cmsToneCurve *
curve_for(int tc)
{
    if (srgb_like_curve(tc)) {
        const cmsFloat64Number p[5] = {2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045};
        return cmsBuildParametricToneCurve(NULL, 4, p);
    }
    double gamma = tc == TC_GAMMA22 ? 2.2 : tc == TC_GAMMA28 ? 2.8 : tc == TC_LINEAR ? 1.0 : 0;
    return gamma > 0 ? cmsBuildGamma(NULL, gamma) : NULL;
}

static void
describe(cmsHPROFILE p, const struct img_nclx *n)
{
    char text[64];
    switch (n->primaries) {
    case CP_DISPLAY_P3: snprintf(text, sizeof text, "Display P3"); break;
    case CP_DCI_P3: snprintf(text, sizeof text, "DCI-P3"); break;
    case CP_BT2020: snprintf(text, sizeof text, "BT.2020"); break;
    default: snprintf(text, sizeof text, "nclx primaries %d", n->primaries); break;
    }
    cmsMLU *mlu = cmsMLUalloc(NULL, 1);
    if (mlu && cmsMLUsetASCII(mlu, "en", "US", text))
        cmsWriteTag(p, cmsSigProfileDescriptionTag, mlu);
    if (mlu)
        cmsMLUfree(mlu);
}

static bool
plausible(const struct img_nclx *n)
{
    const double v[8] = {n->rx, n->ry, n->gx, n->gy, n->bx, n->by, n->wx, n->wy};
    for (int i = 0; i < 8; i++)
        if (!(v[i] > 0 && v[i] < 1))
            return false;
    return true;
}

int
img_nclx_profile(const struct img_nclx *n, uint8_t **icc, size_t *len, bool *srgb,
                 char *err, size_t errlen)
{
    *icc = NULL;
    *len = 0;
    *srgb = false;
    if ((n->primaries == CP_BT709 || n->primaries == CP_UNSPECIFIED) &&
        srgb_like_curve(n->transfer)) {
        *srgb = true;
        return AXLE_OK;
    }
    if (n->transfer == TC_PQ || n->transfer == TC_HLG)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "an HDR image (nclx transfer %s): shown as decoded",
                        n->transfer == TC_PQ ? "PQ" : "HLG");
    cmsToneCurve *curve = curve_for(n->transfer);
    if (!curve)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "nclx transfer characteristics %d are not supported", n->transfer);
    if (!plausible(n)) {
        cmsFreeToneCurve(curve);
        return img_fail(err, errlen, AXLE_EFORMAT, "nclx primaries %d have no chromaticities",
                        n->primaries);
    }
    cmsCIExyY white = {n->wx, n->wy, 1};
    cmsCIExyYTRIPLE prim = {{n->rx, n->ry, 1}, {n->gx, n->gy, 1}, {n->bx, n->by, 1}};
    cmsToneCurve *curves[3] = {curve, curve, curve};
    cmsHPROFILE p = cmsCreateRGBProfile(&white, &prim, curves);
    cmsFreeToneCurve(curve);
    cmsUInt32Number size = 0;
    int rc = AXLE_OK;
    if (p)
        describe(p, n);
    if (!p || !cmsSaveProfileToMem(p, NULL, &size) || size == 0)
        rc = img_fail(err, errlen, AXLE_EFORMAT, "nclx primaries %d make no profile",
                      n->primaries);
    else if (!(*icc = malloc(size)))
        rc = img_fail(err, errlen, AXLE_ENOMEM, "out of memory for an nclx profile");
    else if (!cmsSaveProfileToMem(p, *icc, &size)) {
        free(*icc);
        *icc = NULL;
        rc = img_fail(err, errlen, AXLE_EFORMAT, "nclx primaries %d make no profile",
                      n->primaries);
    } else {
        *len = size;
    }
    if (p)
        cmsCloseProfile(p);
    return rc;
}
