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

/* End of analysis: the slice's counts as structured results. */
int thumb_colour_save(axle_job *job);

/* Synthesis: adds "converted", "kept" and "unconverted" objects
 * ({"Adobe RGB (1998)": 12}) to the result, each only when not empty. */
void thumb_colour_result(axle_job *job, axle_json *j);

#endif
