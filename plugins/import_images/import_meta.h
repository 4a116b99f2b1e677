/* import_meta.h - import_images' photo metadata columns (taken, make,
 * model, lens, exposure, GPS, colour profile), null where absent. */
#ifndef IMPORT_META_H
#define IMPORT_META_H

#include "axle/axle.h"

/* Adds the columns to `w` (after the others): AXLE_OK or the error. */
int import_meta_add_columns(axle_writer *w);

/* Sets the row's metadata cells from `m`, from column `first` on (the
 * index the first of them got): absent fields as nulls. */
int import_meta_put(axle_writer *w, int first, const axle_photo_meta *m);

#endif
