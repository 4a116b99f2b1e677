/* thumbnailer_colour.c - option `colour: srgb | keep` and what it did.
 *
 * A warning per converted image would bury everything else on stderr in
 * a folder of Adobe RGB photos, so conversions are only counted, per
 * profile name, and the job's result says how many
 * ({"converted": {"Adobe RGB (1998)": 12}}).  Only what may be wrong is
 * logged: a broken profile each time (that photo's colours may be off), a
 * profile axle cannot use (CMYK, or no lcms2) once per slice.
 *
 * With `colour: keep` the pixels stay in the photo's colour space, so the
 * thumbnail must say which: its stored bitstream carries the photo's
 * profile, as a photo does (JPEG APP2, WebP ICCP; axle_image_add_icc),
 * and export embeds it in the files it writes.  Raw cells (`store: raw`)
 * have nowhere to keep one.
 *
 * Each slice counts in a small table and hands it to synthesis as three
 * parallel lists (action, profile, count), which merge over slices by
 * concatenation; synthesis adds them up by name and sorts, so the result
 * is the same whatever the number of slices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "thumbnailer_colour.h"

/* Distinct (action, profile) pairs a slice keeps apart; more are counted
 * under OVERFLOW_NAME.  A real folder holds a handful. */
#define MAX_TALLIES 32
#define OVERFLOW_NAME "(other profiles)"
#define UNNAMED "(unnamed profile)"

enum action { CONVERTED, KEPT, UNCONVERTED, N_ACTIONS };
static const char *const action_key[N_ACTIONS] = {"converted", "kept", "unconverted"};

struct tally {
    enum action action;
    char profile[sizeof ((axle_colour *)0)->profile];
    long long count;
};

/* This slice's counts (each slice is its own process). */
static struct tally tallies[MAX_TALLIES + N_ACTIONS];
static int n_tallies;

unsigned
thumb_colour_flags(axle_job *job)
{
    return axle_opt_enum(job, "colour") == 0 ? AXLE_TO_SRGB : 0; /* srgb|keep */
}

static struct tally *
find(enum action a, const char *name)
{
    for (int i = 0; i < n_tallies; i++)
        if (tallies[i].action == a && strcmp(tallies[i].profile, name) == 0)
            return &tallies[i];
    return NULL;
}

/* Counts one image; true when the pair is new in this slice. */
static bool
count(enum action a, const char *profile)
{
    const char *name = profile;
    struct tally *t = find(a, name);
    if (!t && n_tallies >= MAX_TALLIES) /* past the limit: the rest together */
        t = find(a, name = OVERFLOW_NAME);
    if (t) {
        t->count++;
        return false;
    }
    t = &tallies[n_tallies++]; /* room: one overflow slot per action is kept */
    t->action = a;
    snprintf(t->profile, sizeof t->profile, "%s", name);
    t->count = 1;
    return true;
}

/* The name a profile is counted under. */
static const char *
label(const axle_colour *c)
{
    if (c->profile[0])
        return c->profile;
    return c->kind == AXLE_COLOUR_BROKEN ? "(broken profile)" : UNNAMED;
}

void
thumb_colour_note(axle_job *job, const axle_image *img, const char *name)
{
    axle_colour c;
    if (axle_image_colour(img, &c) != AXLE_OK || c.kind == AXLE_COLOUR_NONE ||
        c.kind == AXLE_COLOUR_SRGB)
        return;
    if (!thumb_colour_flags(job)) {
        count(KEPT, label(&c));
        return;
    }
    switch (c.kind) {
    case AXLE_COLOUR_CONVERT:
        count(CONVERTED, label(&c));
        break;
    case AXLE_COLOUR_BROKEN:
        count(UNCONVERTED, label(&c));
        axle_log(job, "warning: %s: colour profile%s%s%s taken as sRGB: %s", name,
                 c.profile[0] ? " '" : "", c.profile, c.profile[0] ? "'" : "", c.reason);
        break;
    default: /* AXLE_COLOUR_UNSUPPORTED */
        if (count(UNCONVERTED, label(&c)))
            axle_log(job, "warning: %s: colour profile '%s' not converted: %s "
                     "(said once per profile; the result counts them)",
                     name, label(&c), c.reason);
        break;
    }
}

void *
thumb_colour_profile(axle_job *job, const axle_image *img, uint32_t channels, size_t *len)
{
    axle_colour c;
    void *icc = NULL;
    char err[256];
    *len = 0;
    if (thumb_colour_flags(job) || axle_image_colour(img, &c) != AXLE_OK ||
        c.kind == AXLE_COLOUR_NONE || c.kind == AXLE_COLOUR_BROKEN ||
        axle_image_icc(img, &icc, len, err, sizeof err) != AXLE_OK)
        return NULL;
    if (icc && !axle_icc_fits(icc, *len, channels)) {
        free(icc);
        icc = NULL;
        *len = 0;
    }
    return icc;
}

int
thumb_colour_attach(axle_job *job, const void *icc, size_t icclen, axle_image *img,
                    void **enc, const char *name)
{
    static bool said; /* per slice: each is its own process */
    if (!icc)
        return AXLE_OK;
    if (img->codec == AXLE_CODEC_RAW) {
        if (!said)
            axle_log(job, "warning: %s: 'store: raw' keeps no colour profile, so its "
                     "exports are taken as sRGB; use 'store: encoded' with 'colour: keep' "
                     "(said once per slice)", name);
        said = true;
        return AXLE_OK;
    }
    void *with = NULL;
    size_t len = 0;
    char err[256];
    int rc = axle_image_add_icc(img->data, img->size, icc, icclen, &with, &len, err,
                                sizeof err);
    if (rc != AXLE_OK)
        return axle_error(job, rc, "%s: keeping the colour profile: %s", name, err);
    free(*enc);
    *enc = with;
    img->data = with;
    img->size = len;
    return AXLE_OK;
}

int
thumb_colour_save(axle_job *job)
{
    for (int i = 0; i < n_tallies; i++) {
        axle_result_append_string(job, "colour_action", action_key[tallies[i].action]);
        axle_result_append_string(job, "colour_profile", tallies[i].profile);
        axle_result_append_int(job, "colour_count", tallies[i].count);
    }
    n_tallies = 0;
    return AXLE_OK; /* a refused call fails the stage by itself */
}

struct total {
    const char *profile;
    long long count;
};

static int
by_name(const void *a, const void *b)
{
    return strcmp(((const struct total *)a)->profile, ((const struct total *)b)->profile);
}

/* One action's totals over all slices, as an object sorted by name. */
static void
add_action(const axle_results *m, enum action a, axle_json *j)
{
    size_t n = axle_results_count(m, "colour_action");
    struct total *t = calloc(n ? n : 1, sizeof *t);
    size_t nt = 0;
    if (!t)
        return;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(axle_results_string_at(m, "colour_action", i), action_key[a]) != 0)
            continue;
        const char *p = axle_results_string_at(m, "colour_profile", i);
        long long c = axle_results_int_at(m, "colour_count", i);
        size_t k = 0;
        while (k < nt && strcmp(t[k].profile, p) != 0)
            k++;
        if (k == nt)
            t[nt++] = (struct total){p, 0};
        t[k].count += c;
    }
    qsort(t, nt, sizeof *t, by_name);
    if (nt) {
        axle_json_begin_object(j, action_key[a]);
        for (size_t k = 0; k < nt; k++)
            axle_json_int(j, t[k].profile, t[k].count);
        axle_json_end(j);
    }
    free(t);
}

void
thumb_colour_result(axle_job *job, axle_json *j)
{
    const axle_results *m = axle_slice_results_merged(job);
    if (!m)
        return;
    for (int a = 0; a < N_ACTIONS; a++)
        add_action(m, (enum action)a, j);
}
