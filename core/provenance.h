/* provenance.h - which job in a workdir wrote a given image file.
 *
 * Two ways to find it, tried in order (core/provenance.c):
 *   1. the file's own XMP names the job id and identity (export_images
 *      wrote them before incremental chains; now it writes the job's
 *      recipe instead, which names no one job): the workdir's index maps
 *      the identity to its job, or the job id does, when that job still
 *      has the same identity;
 *   2. the file's image digest (axle_image_digest: the coded data without
 *      metadata) is looked up among the `image_sha256` columns that export
 *      jobs record, so a copy whose metadata was stripped is found too.
 * Either way the job's dataset row for the file gives the file name it
 * was written as and its source. */
#ifndef AXLE_PROVENANCE_H
#define AXLE_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>

#include "workdir.h"

/* What the file's own XMP says (each NULL when absent). */
typedef struct prov_claim {
    char *version, *job, *identity, *source;
    char *recipe; /* files of axle since incremental chains carry this, not
                     job and identity (identity_recipe) */
} prov_claim;

/* A job that wrote the file. */
typedef struct prov_match {
    char *job_id;
    char *job_dir;
    char *file;        /* as written, relative to job_dir; NULL when unknown */
    char *source;      /* the source's file name; NULL when unknown */
    char *source_path; /* the source file's path as imported; NULL when unknown */
} prov_match;

/* Reads the claim from an encoded file's bytes; false when it has none. */
bool prov_read_claim(const void *data, size_t len, prov_claim *c);
void prov_claim_free(prov_claim *c);

/* The job the claim names, checked against its identity; *why says, when
 * NULL is returned, what was found instead (malloc'd, may stay NULL). */
prov_match *prov_by_claim(const workdir *w, const prov_claim *c, const char *digest,
                          char **why);

/* Every complete job whose recorded image digests include `digest`,
 * newest first; *n of them.  NULL with *n 0 when none. */
prov_match *prov_by_digest(const workdir *w, const char *digest, size_t *n);

void prov_match_free(prov_match *m);

#endif
