/* contact_sheet.c - every image of a dataset in a grid, as one JPEG.
 *
 * Each image is fitted into a `cell` x `cell` square (aspect kept, never
 * enlarged, EXIF orientation applied; alpha dropped, so what is
 * transparent shows black), centred on dark grey, `columns` cells across,
 * in the dataset's order (an import's: sorted by file name, slice after
 * slice).  The sheet is written as contact_sheet.jpg in the
 * job folder, whole or not at all, with the job's provenance in its XMP
 * (`axle which contact_sheet.jpg` names the job).  An image that cannot
 * be decoded leaves its cell empty (on_error: skip) or fails the job.
 *
 *   make run      imports axle's sample images and lays them out
 *
 * The sheet is one picture, so the work is in synthesis, which reads
 * every slice's rows in order (sliceno -1). */
#include <string.h>

#include <axle/axle.h>

static const axle_option options[] = {
    AXLE_OPTION_INT("columns", "6", 1, 1000, "cells across"),
    AXLE_OPTION_INT("cell", "160", 8, 4096, "the side of a cell, in pixels"),
    AXLE_OPTION_ON_ERROR("skip"), AXLE_OPTION_END};
static const axle_input inputs[] = {AXLE_INPUT_DATASET("source", true, "images"), AXLE_INPUT_END};
AXLE_METHOD(contact_sheet, "1.0", "every image in a grid, as one JPEG", options, inputs);

static axle_pixels sheet; /* RGB: columns cells across, as many rows as needed */
static axle_geometry cell;  /* a cell's size: each image fits inside, aspect kept */

/* Row r's image fitted into its cell, centred; or (on_error: skip) its
 * cell left empty. */
static int
add_cell(axle_job *job, axle_rows *r)
{
    axle_pixels px;
    if (axle_rows_is_null(r, 0))
        return AXLE_OK; /* skipped by an earlier step */
    /* RGB whatever the image, as the sheet: grey as R = G = B, alpha dropped */
    int rc = axle_rows_image_to_size(r, 0, &cell, 0, AXLE_TO_RGB, &px);
    if (rc != AXLE_OK) /* the SDK has set the reason; on_error decides */
        return axle_item_failed(job, NULL, axle_rows_label(r), rc);
    uint64_t i = (uint64_t)axle_rows_done(r) - 1; /* the row's index over all slices */
    uint32_t x0 = i % (sheet.width / cell.width) * cell.width + (cell.width - px.width) / 2;
    uint32_t y0 = i / (sheet.width / cell.width) * cell.height + (cell.height - px.height) / 2;
    for (uint32_t y = 0; y < px.height; y++)
        memcpy(sheet.data + (y0 + y) * sheet.stride + x0 * 3, px.data + y * px.stride,
               px.width * 3);
    axle_pixels_free(&px);
    return AXLE_OK;
}

int
synthesis(axle_job *job)
{
    uint32_t columns = (uint32_t)axle_opt_int(job, "columns");
    cell.width = cell.height = (uint32_t)axle_opt_int(job, "cell");
    int64_t n = axle_dataset_rows(axle_input_dataset(job, "source"), -1);
    int64_t height = (n + columns - 1) / columns * cell.height; /* 0 without images */
    int rc = height > 65500 ? AXLE_ETOOBIG /* JPEG's limit */
                            : axle_pixels_alloc(&sheet, columns * cell.width, (uint32_t)height, 3);
    if (rc != AXLE_OK) /* none, or too many */
        return axle_error(job, rc, "cannot lay out %lld images in one sheet", (long long)n);
    memset(sheet.data, 32, sheet.stride * sheet.height); /* dark grey */
    axle_rows *r = axle_rows_open(job, "source", -1, (const char *[]){"image", NULL});
    rc = r ? AXLE_OK : AXLE_EINVAL; /* NULL: the SDK has set the message */
    while (rc == AXLE_OK && (rc = axle_rows_next(r)) == 1 && (rc = add_cell(job, r)) == AXLE_OK)
        axle_progress(job, (uint64_t)axle_rows_done(r), (uint64_t)n);
    axle_rows_close(r);
    /* A JPEG with the job's provenance (`axle which` reads it), written
     * whole or not at all and registered: the run line shows where. */
    if (rc == AXLE_OK)
        rc = axle_write_image(job, "contact_sheet.jpg", &sheet, AXLE_CODEC_JPEG, 90, NULL);
    axle_pixels_free(&sheet);
    return rc;
}
