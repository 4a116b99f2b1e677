/* import_list.h - the input file list of import_images: expansion, the
 * common folder names are relative to, and its form as bytes. */
#ifndef IMPORT_LIST_H
#define IMPORT_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "axle/axle.h"

struct import_list {
    char *base;    /* deepest folder holding every file ("/" at worst) */
    char **paths;  /* sorted */
    size_t n;
    void *blob;    /* the bytes the list was parsed from, when it was */
    size_t skipped;/* entries the expansion left out and listed as skipped */
    /* Slicing by cost (issue 12): slice s of ncuts - 1 reads paths
     * [cuts[s], cuts[s + 1]); NULL: by count. */
    size_t *cuts;
    size_t ncuts;
    /* Each file's size and time, stat'ed once (import_list_stamp_all):
     * inputs.txt, the diff with a base and the cuts read them.  NULL
     * until then. */
    struct import_stamp *stamps;
};

struct import_stamp {
    long long size, sec;
    long nsec;
    bool ok; /* false: the file could not be stat'ed */
};

/* Stats every file of the list once, through its folder (opened once per
 * folder: the list is sorted), into l->stamps; at 100,000 photos the
 * import stat'ed each by its whole path for inputs.txt and again for the
 * diff with its base.  AXLE_OK or AXLE_ENOMEM. */
int import_list_stamp_all(struct import_list *l);

/* File i's stamp: from l->stamps, else stat'ed now. */
struct import_stamp import_list_stamp(const struct import_list *l, size_t i);

/* Expands the job's `files` option (recursive per the option); what the
 * walk left out is listed as skipped (or, with on_error: fail, fails). */
int import_list_expand(axle_job *job, struct import_list *l);

/* True for a name with an image file's extension (.jpg, .webp, ...). */
bool import_list_named_like_image(const char *path);

/* The deepest folder holding every path (malloc'd; "" for bare names). */
char *import_list_common_folder(char **paths, size_t n);

/* The name a file gets in the dataset: its path below l->base. */
const char *import_list_relname(const struct import_list *l, size_t i);
/* The same for any path below `folder`. */
const char *import_name_below(const char *folder, const char *path);

/* Writes "size<TAB>mtime<TAB>path" per file to JOBDIR/inputs.txt, so a
 * user can see what was read (the core hashes the same facts). */
int import_list_save_text(axle_job *job, const struct import_list *l);

/* inputs.txt line by line (import_chain.c writes it as it merges):
 * open writes the header (NULL with the job's message set on failure),
 * put one file, close says whether it all got written. */
FILE *import_inputs_open(axle_job *job, const char *folder);
void import_inputs_put(FILE *f, const char *path, struct import_stamp t);
int import_inputs_close(axle_job *job, FILE *f);

/* A stamp as inputs.txt has it: "SIZE\tSEC.NSEC" (nine digits), "-\t-"
 * for a file that could not be stat'ed; its length. */
#define IMPORT_STAMP_TEXT 64
size_t import_stamp_text(struct import_stamp t, char out[IMPORT_STAMP_TEXT]);

/* ---- from the core's file facts (axle_file_facts_open) ---- */

/* One pass over the facts: the deepest folder holding every file
 * (malloc'd), and their count; NULL when there is none, the facts are
 * damaged (axle_file_facts_close says) or out of memory. */
char *import_facts_folder(axle_file_facts *facts, size_t *count);

/* The whole list with its stamps, names relative to `folder`, from the
 * facts (a cold build needs every file).  AXLE_OK or AXLE_ENOMEM; damage
 * is for axle_file_facts_close to say. */
int import_list_from_facts(axle_job *job, axle_file_facts *facts, const char *folder,
                           struct import_list *l);

/* The list as bytes for the prepare result (base, the skipped count in
 * decimal, then each path, each NUL-terminated), and back.  Parsing keeps pointers into a copy. */
int import_list_encode(const struct import_list *l, void **out, size_t *len);
int import_list_decode(const void *data, size_t len, struct import_list *l);

void import_list_free(struct import_list *l);

/* ---- slices balanced by cost (issue 12) ---- */

/* Cuts the sorted list into `nslices` contiguous ranges of about equal
 * cost (a file costs its bytes plus a fixed per-file amount), from the
 * files' sizes now; the cuts travel in the encoded list, so every slice
 * sees the same ones.  AXLE_ENOMEM. */
int import_list_balance(struct import_list *l, size_t nslices);

/* The same cuts from sizes given (a file that could not be sized: 0):
 * cuts[s] for s in 0..nslices, cuts[0] = 0, cuts[nslices] = n. */
void import_list_cut(const uint64_t *sizes, size_t n, size_t nslices, size_t *cuts);

/* The range of paths slice `sliceno` of `nslices` reads: the cuts when
 * they were made for that many slices, else [s*n/N, (s+1)*n/N). */
void import_list_slice(const struct import_list *l, size_t sliceno, size_t nslices,
                       size_t *first, size_t *end);

#endif
