/* icc_tool.c - ICC profiles for the colour tests, made with lcms2 from
 * their published primaries, white points and curves (Pillow's ImageCms
 * builds only sRGB and Lab):
 *
 *   icc_tool NAME OUT.icc [PAD]
 *
 * NAME: adobe (Adobe RGB (1998): D65, gamma 563/256), prophoto (ROMM RGB:
 * D50, gamma 1.8), p3 (Display P3: D65, sRGB's curve), srgb (sRGB made
 * from its definition, not copied from lcms2's own), grey22 (grey, D50,
 * gamma 2.2), cmyk (a CMYK printer profile of a made-up press: ink
 * values to Lab through a 9^4 lookup table, with dot gain, so that its
 * colours differ from the plain formula's).  PAD adds a private tag of PAD bytes, so that the profile
 * needs several JPEG APP2 segments (each holds at most 65519 bytes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lcms2.h>

static cmsToneCurve *
srgb_curve(void)
{
    /* IEC 61966-2-1: Y = ((X + 0.055) / 1.055)^2.4 above 0.04045, X / 12.92 below. */
    const cmsFloat64Number p[5] = {2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045};
    return cmsBuildParametricToneCurve(NULL, 4, p);
}

static cmsHPROFILE
rgb(const cmsCIExyY *white, double rx, double ry, double gx, double gy, double bx,
    double by, cmsToneCurve *curve)
{
    cmsCIExyYTRIPLE primaries = {{rx, ry, 1}, {gx, gy, 1}, {bx, by, 1}};
    cmsToneCurve *curves[3] = {curve, curve, curve};
    cmsHPROFILE p = cmsCreateRGBProfile(white, &primaries, curves);
    cmsFreeToneCurve(curve);
    return p;
}

/* The made-up press: plain CMYK to sRGB, darkened by dot gain (each
 * channel squared), then to Lab. */
static int
press(const cmsUInt16Number in[], cmsUInt16Number out[], void *cargo)
{
    double k = in[3] / 65535.0, rgb[3];
    for (int i = 0; i < 3; i++) {
        double v = (1 - in[i] / 65535.0) * (1 - k);
        rgb[i] = v * v; /* dot gain, in sRGB's coding */
    }
    cmsCIELab lab;
    cmsDoTransform((cmsHTRANSFORM)cargo, rgb, &lab, 1);
    cmsFloat2LabEncoded(out, &lab);
    return 1;
}

static cmsHPROFILE
cmyk(void)
{
    cmsHPROFILE srgb = cmsCreate_sRGBProfile(), lab = cmsCreateLab4Profile(NULL);
    cmsHTRANSFORM to_lab = cmsCreateTransform(srgb, TYPE_RGB_DBL, lab, TYPE_Lab_DBL,
                                              INTENT_PERCEPTUAL, 0);
    cmsCloseProfile(srgb);
    cmsCloseProfile(lab);
    cmsHPROFILE p = to_lab ? cmsCreateProfilePlaceholder(NULL) : NULL;
    cmsPipeline *pipe = p ? cmsPipelineAlloc(NULL, 4, 3) : NULL;
    cmsStage *clut = pipe ? cmsStageAllocCLut16bit(NULL, 9, 4, 3, NULL) : NULL;
    /* lcms2 saves a lookup table with identity curves around it (mAB). */
    int ok = clut && cmsStageSampleCLut16bit(clut, press, to_lab, 0) &&
             cmsPipelineInsertStage(pipe, cmsAT_END, cmsStageAllocToneCurves(NULL, 4, NULL)) &&
             cmsPipelineInsertStage(pipe, cmsAT_END, clut) &&
             cmsPipelineInsertStage(pipe, cmsAT_END, cmsStageAllocToneCurves(NULL, 3, NULL));
    if (ok) {
        cmsSetProfileVersion(p, 4.3);
        cmsSetDeviceClass(p, cmsSigOutputClass);
        cmsSetColorSpace(p, cmsSigCmykData);
        cmsSetPCS(p, cmsSigLabData);
        ok = cmsWriteTag(p, cmsSigAToB0Tag, pipe);
    }
    if (pipe)
        cmsPipelineFree(pipe);
    if (to_lab)
        cmsDeleteTransform(to_lab);
    if (!ok && p) {
        cmsCloseProfile(p);
        p = NULL;
    }
    return p;
}

static cmsHPROFILE
make(const char *name)
{
    if (strcmp(name, "cmyk") == 0)
        return cmyk();
    cmsCIExyY d65 = {0.3127, 0.3290, 1}, d50 = *cmsD50_xyY();
    if (strcmp(name, "adobe") == 0)
        return rgb(&d65, 0.64, 0.33, 0.21, 0.71, 0.15, 0.06,
                   cmsBuildGamma(NULL, 563.0 / 256));
    if (strcmp(name, "prophoto") == 0)
        return rgb(&d50, 0.7347, 0.2653, 0.1596, 0.8404, 0.0366, 0.0001,
                   cmsBuildGamma(NULL, 1.8));
    if (strcmp(name, "p3") == 0)
        return rgb(&d65, 0.680, 0.320, 0.265, 0.690, 0.150, 0.060, srgb_curve());
    if (strcmp(name, "srgb") == 0)
        return rgb(&d65, 0.64, 0.33, 0.30, 0.60, 0.15, 0.06, srgb_curve());
    if (strcmp(name, "grey22") == 0) {
        cmsToneCurve *g = cmsBuildGamma(NULL, 2.2);
        cmsHPROFILE p = cmsCreateGrayProfile(&d50, g);
        cmsFreeToneCurve(g);
        return p;
    }
    return NULL;
}

static const char *
description(const char *name)
{
    if (strcmp(name, "adobe") == 0)
        return "Adobe RGB (1998)";
    if (strcmp(name, "prophoto") == 0)
        return "ProPhoto RGB";
    if (strcmp(name, "p3") == 0)
        return "Display P3";
    if (strcmp(name, "srgb") == 0)
        return "sRGB IEC61966-2.1";
    if (strcmp(name, "cmyk") == 0)
        return "Axle Test Press CMYK";
    return "Gray Gamma 2.2";
}

static int
describe(cmsHPROFILE p, const char *text)
{
    cmsMLU *mlu = cmsMLUalloc(NULL, 1);
    int ok = mlu && cmsMLUsetASCII(mlu, "en", "US", text) &&
             cmsWriteTag(p, cmsSigProfileDescriptionTag, mlu);
    cmsMLUfree(mlu);
    return ok;
}

int
main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: icc_tool adobe|prophoto|p3|srgb|grey22|cmyk OUT.icc [PAD]\n");
        return 2;
    }
    cmsHPROFILE p = make(argv[1]);
    if (!p || !describe(p, description(argv[1]))) {
        fprintf(stderr, "icc_tool: cannot make profile '%s'\n", argv[1]);
        return 2;
    }
    if (strcmp(argv[1], "cmyk") != 0) /* a lookup-table profile is v4 */
        cmsSetProfileVersion(p, 2.1); /* what cameras and editors embed most */
    size_t pad = argc == 4 ? strtoul(argv[3], NULL, 10) : 0;
    unsigned char *junk = pad ? malloc(pad) : NULL;
    if (pad && junk) {
        for (size_t i = 0; i < pad; i++)
            junk[i] = (unsigned char)(i * 7 + 3);
        cmsWriteRawTag(p, (cmsTagSignature)0x61786c65 /* 'axle' */, junk,
                       (cmsUInt32Number)pad);
    }
    int ok = cmsSaveProfileToFile(p, argv[2]);
    free(junk);
    cmsCloseProfile(p);
    if (!ok) {
        fprintf(stderr, "icc_tool: cannot write %s\n", argv[2]);
        return 1;
    }
    return 0;
}
