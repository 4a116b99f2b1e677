/* image_provenance.c - axle's XMP packet: which job wrote a file.
 *
 * The packet names the axle version, the job's recipe (its identity
 * without its inputs: axle_job_recipe) and the source file, in axle's own
 * namespace; nothing in it changes from one run of the same job to the
 * next (no date, no host, no path of the workdir), nor from a cold job to
 * an incremental one (no job id, no identity, which depend on every other
 * input), so export stays deterministic, a file kept from an earlier job
 * of a chain is the one a cold run writes, and a published file tells
 * nothing about the machine it was made on.  `axle which` reads the
 * fields back (axle_internal_xmp_field), accepting them as elements, as
 * written here, or as attributes, as XMP tools that rewrite a packet may
 * leave them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle_internal.h"
#include "image_internal.h"

#define AXLE_XMP_NS "https://axle.dev/ns/1.0/"

/* `s` as XML character data (malloc'd): control characters and bytes that
 * are not UTF-8 are first written as \xNN (XML 1.0 cannot hold them), then
 * the five markup characters become entities. */
static char *
xml_text(const char *s)
{
    char *safe = axle_internal_escape(s);
    if (!safe)
        return NULL;
    char *out = malloc(6 * strlen(safe) + 1), *o = out;
    for (const char *p = safe; out && *p; p++) {
        switch (*p) {
        case '&': o = stpcpy(o, "&amp;"); break;
        case '<': o = stpcpy(o, "&lt;"); break;
        case '>': o = stpcpy(o, "&gt;"); break;
        case '"': o = stpcpy(o, "&quot;"); break;
        case '\'': o = stpcpy(o, "&apos;"); break;
        default: *o++ = *p;
        }
    }
    if (out)
        *o = '\0';
    free(safe);
    return out;
}

/* The packet for this job and source (malloc'd, *len bytes), or NULL. */
static char *
provenance_packet(const axle_job *job, const char *source, size_t *len)
{
    char *src = source ? xml_text(source) : NULL, *id = xml_text(axle_job_recipe(job));
    char *out = NULL, *source_el = NULL;
    if ((source && !src) || !id)
        goto done;
    if (asprintf(&source_el, src ? "   <axle:source>%s</axle:source>\n" : "%s",
                 src ? src : "") < 0) {
        source_el = NULL;
        goto done;
    }
    int n = asprintf(&out,
                     "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                     "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                     " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                     "  <rdf:Description rdf:about=\"\" xmlns:axle=\"" AXLE_XMP_NS "\">\n"
                     "   <axle:version>%s</axle:version>\n"
                     "   <axle:recipe>%s</axle:recipe>\n"
                     "%s"
                     "  </rdf:Description>\n"
                     " </rdf:RDF>\n"
                     "</x:xmpmeta>\n"
                     "<?xpacket end=\"r\"?>",
                     axle_version(), id, source_el);
    if (n < 0)
        out = NULL;
    else
        *len = (size_t)n;
done:
    free(src);
    free(id);
    free(source_el);
    return out;
}

int
axle_image_encode_provenance_with(const axle_job *job, const axle_pixels *px,
                                  axle_codec codec, const axle_encode_options *o,
                                  const char *source, void **out, size_t *outlen,
                                  char *err, size_t errlen)
{
    if (!job)
        return img_fail(err, errlen, AXLE_EINVAL, "no job to name in the file");
    size_t xmplen = 0;
    char *xmp = provenance_packet(job, source, &xmplen);
    if (!xmp)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    /* The packet goes in as the file is made: AVIF cannot take it later. */
    int rc = img_encode(px, codec, o, xmp, xmplen, out, outlen, err, errlen);
    free(xmp);
    return rc;
}

int
axle_image_encode_provenance(const axle_job *job, const axle_pixels *px, axle_codec codec,
                             int quality, const char *source, void **out, size_t *outlen,
                             char *err, size_t errlen)
{
    axle_encode_options o = AXLE_ENCODE_OPTIONS(quality);
    return axle_image_encode_provenance_with(job, px, codec, &o, source, out, outlen, err,
                                             errlen);
}

int
axle_image_add_provenance(const axle_job *job, const void *data, size_t len,
                          const char *source, void **out, size_t *outlen, char *err,
                          size_t errlen)
{
    if (!job)
        return img_fail(err, errlen, AXLE_EINVAL, "no job to name in the file");
    size_t xmplen = 0;
    char *xmp = provenance_packet(job, source, &xmplen);
    if (!xmp)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    int rc = axle_image_add_xmp(data, len, xmp, xmplen, out, outlen, err, errlen);
    free(xmp);
    return rc;
}

/* ---- reading a field back ---- */

/* `s` (n bytes) with the XML entities replaced (malloc'd). */
static char *
xml_unescape(const char *s, size_t n)
{
    static const struct {
        const char *ent;
        char c;
    } named[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
                 {"&apos;", '\''}};
    char *out = malloc(n + 1), *o = out;
    for (size_t i = 0; out && i < n;) {
        size_t k = 0;
        while (k < sizeof named / sizeof named[0] &&
               (n - i < strlen(named[k].ent) ||
                memcmp(s + i, named[k].ent, strlen(named[k].ent)) != 0))
            k++;
        if (k < sizeof named / sizeof named[0]) {
            *o++ = named[k].c;
            i += strlen(named[k].ent);
        } else {
            *o++ = s[i++];
        }
    }
    if (out)
        *o = '\0';
    return out;
}

/* The value of <axle:NAME>value</axle:NAME>, or NULL. */
static char *
element_value(const char *xmp, size_t len, const char *name)
{
    char open[64], close[64];
    snprintf(open, sizeof open, "<axle:%s>", name);
    snprintf(close, sizeof close, "</axle:%s>", name);
    const char *a = memmem(xmp, len, open, strlen(open));
    if (!a)
        return NULL;
    a += strlen(open);
    const char *b = memmem(a, len - (size_t)(a - xmp), close, strlen(close));
    if (!b || memchr(a, '<', (size_t)(b - a)))
        return NULL;
    return xml_unescape(a, (size_t)(b - a));
}

/* The value of axle:NAME="value" (or '...'), or NULL. */
static char *
attribute_value(const char *xmp, size_t len, const char *name)
{
    char key[64];
    int kl = snprintf(key, sizeof key, "axle:%s=", name);
    for (const char *p = xmp, *end = xmp + len;
         (p = memmem(p, (size_t)(end - p), key, (size_t)kl)) != NULL; p += kl) {
        const char *q = p + kl;
        if (q >= end || (*q != '"' && *q != '\''))
            continue;
        const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
        if (close)
            return xml_unescape(q + 1, (size_t)(close - q - 1));
    }
    return NULL;
}

char *
axle_internal_xmp_field(const char *xmp, size_t len, const char *name)
{
    if (!xmp || !name || strlen(name) > 40 || !memmem(xmp, len, AXLE_XMP_NS,
                                                      strlen(AXLE_XMP_NS)))
        return NULL;
    char *v = element_value(xmp, len, name);
    return v ? v : attribute_value(xmp, len, name);
}
