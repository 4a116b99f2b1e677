/* import_meta.c - the photo metadata columns of import_images.
 *
 * One column per fact, typed so that a reader can sort and filter by it
 * without parsing: times as ISO 8601 text (it sorts as text, and keeps
 * the offset when the camera recorded one), numbers as numbers.  What a
 * photo does not say is null, never 0 or "": a camera without GPS is not
 * at 0 degrees north.  axle_image_photo_meta reads them from the headers
 * import_read.c read, never from pixels. */
#include <math.h>
#include <string.h>

#include "import_meta.h"

enum { M_TAKEN, M_MAKE, M_MODEL, M_LENS, M_EXPOSURE, M_EXPOSURE_TIME, M_F_NUMBER, M_ISO,
       M_FOCAL_LENGTH, M_LATITUDE, M_LONGITUDE, M_PROFILE, NMETA };

static const struct {
    const char *name;
    axle_type type;
} meta_columns[NMETA] = {
    {"taken", AXLE_STRING},          {"make", AXLE_STRING},
    {"model", AXLE_STRING},          {"lens", AXLE_STRING},
    {"exposure", AXLE_STRING},       {"exposure_time", AXLE_FLOAT64},
    {"f_number", AXLE_FLOAT64},      {"iso", AXLE_INT64},
    {"focal_length", AXLE_FLOAT64},  {"latitude", AXLE_FLOAT64},
    {"longitude", AXLE_FLOAT64},     {"profile", AXLE_STRING},
};

int
import_meta_add_columns(axle_writer *w)
{
    for (int c = 0; c < NMETA; c++) {
        int rc = axle_writer_add(w, meta_columns[c].name, meta_columns[c].type);
        if (rc < 0)
            return rc;
    }
    return AXLE_OK;
}

static int
put_text(axle_writer *w, int col, const char *s)
{
    return s[0] ? axle_put_string(w, col, s, strlen(s)) : axle_put_null(w, col);
}

static int
put_number(axle_writer *w, int col, double v)
{
    return isnan(v) ? axle_put_null(w, col) : axle_put_float64(w, col, v);
}

int
import_meta_put(axle_writer *w, int first, const axle_photo_meta *m)
{
    int rc;
    if ((rc = put_text(w, first + M_TAKEN, m->taken)) != AXLE_OK ||
        (rc = put_text(w, first + M_MAKE, m->make)) != AXLE_OK ||
        (rc = put_text(w, first + M_MODEL, m->model)) != AXLE_OK ||
        (rc = put_text(w, first + M_LENS, m->lens)) != AXLE_OK ||
        (rc = put_text(w, first + M_EXPOSURE, m->exposure)) != AXLE_OK ||
        (rc = put_number(w, first + M_EXPOSURE_TIME, m->exposure_time)) != AXLE_OK ||
        (rc = put_number(w, first + M_F_NUMBER, m->f_number)) != AXLE_OK ||
        (rc = m->iso > 0 ? axle_put_int64(w, first + M_ISO, m->iso)
                         : axle_put_null(w, first + M_ISO)) != AXLE_OK ||
        (rc = put_number(w, first + M_FOCAL_LENGTH, m->focal_length)) != AXLE_OK ||
        (rc = put_number(w, first + M_LATITUDE, m->latitude)) != AXLE_OK ||
        (rc = put_number(w, first + M_LONGITUDE, m->longitude)) != AXLE_OK)
        return rc;
    return put_text(w, first + M_PROFILE, m->profile);
}
