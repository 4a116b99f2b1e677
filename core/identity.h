/* identity.h - a job's identity: SHA-256 over a canonical record of
 * everything that can change its output.
 *
 * The record (stored readably in the job folder) holds: the method name and
 * the digest of its .so, the options after defaults, the identities of the
 * input jobs with the dataset used, the workdir's slice count, the store
 * format, the SDK and codec library versions, and, for path options, the
 * sorted list of matching files with size and mtime, and the digest of the
 * libaxle file loaded (decoders and encoders live there). */
#ifndef AXLE_IDENTITY_H
#define AXLE_IDENTITY_H

#include <jansson.h>

#include "digest.h"
#include "loader.h"

/* `inputs`: object name -> {"identity": ..., "dataset": ...} (borrowed).
 * Returns a new record. */
json_t *identity_record(const method *m, json_t *options, json_t *inputs,
                        int slices);
void identity_digest(json_t *record, char hex[DIGEST_HEX_LEN]);
/* The *recipe*: the digest of the record without its inputs and input
 * files (method, .so, options, slices, libraries).  Jobs of one step that
 * differ only in what they read share it: an incremental job and the job
 * it builds on; what an exported file carries instead of a job identity. */
void identity_recipe(json_t *record, char hex[DIGEST_HEX_LEN]);

/* ---- diff: the identity pass's file facts, for the job (issue 11 item 7) ----
 * identity_record keeps, per path option whose expansion was complete
 * (nothing left out, no error), the lines it hashed in an unnamed
 * temporary file.  identity_file_facts: {option: file descriptor} for the
 * job_spec (NULL when none), read by the job through axle_file_facts_open
 * (the job process inherits the descriptors through fork); the
 * descriptors stay the core's.  identity_forget_files closes them: call it
 * when the step is done, before the record is freed. */
json_t *identity_file_facts(const json_t *record);
void identity_forget_files(const json_t *record);

/* Human reasons why `now` differs from `before` (JSON array of strings):
 * "the .so changed", "libaxle changed", "option size changed: [256,256] -> [128,128]", ... */
json_t *identity_explain(json_t *before, json_t *now);

/* ---- overlap ---- */
/* The recipe identity_recipe gives the record of step (m, options,
 * slices), made without walking its input files: whether a step's latest
 * job is of the same recipe, before the run knows its identity. */
void identity_recipe_of(const method *m, json_t *options, int slices,
                        char hex[DIGEST_HEX_LEN]);

#endif
