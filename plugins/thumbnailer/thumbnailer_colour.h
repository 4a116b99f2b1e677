/* thumbnailer_colour.h - the thumbnailer's colour option and its tally:
 * how many thumbnails were converted to sRGB, from which profiles. */
#ifndef THUMBNAILER_COLOUR_H
#define THUMBNAILER_COLOUR_H

#include "axle/axle.h"

/* The flags axle_image_to_size needs for option `colour`. */
unsigned thumb_colour_flags(axle_job *job);

/* After a thumbnail of `img` (row `name`) was made: counts its profile
 * under converted / kept / unconverted, and logs a broken profile (each
 * time) or an unsupported one (once per profile and slice). */
void thumb_colour_note(axle_job *job, const axle_image *img, const char *name);

/* With `colour: keep`, the profile the thumbnails of `img` carry to the
 * export: the photo's embedded ICC profile when it fits pixels of
 * `channels` and is not broken (malloc'd, *len bytes); else NULL (colour:
 * srgb, no profile, a CMYK one). */
void *thumb_colour_profile(axle_job *job, const axle_image *img, uint32_t channels,
                           size_t *len);

/* A thumbnail stored with the photo's profile `icc` (NULL: none): the
 * encoded cell *img gets the profile (*enc replaced); raw pixels cannot
 * carry one, which is said once per slice. */
int thumb_colour_attach(axle_job *job, const void *icc, size_t icclen, axle_image *img,
                        void **enc, const char *name);

/* End of analysis: the slice's counts as structured results. */
int thumb_colour_save(axle_job *job);

/* Synthesis: adds "converted", "kept" and "unconverted" objects
 * ({"Adobe RGB (1998)": 12}) to the result, each only when not empty. */
void thumb_colour_result(axle_job *job, axle_json *j);

#endif
