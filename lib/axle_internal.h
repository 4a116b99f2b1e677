/* axle_internal.h - what the core and libaxle share, never installed.
 *
 * The core fills a struct axle_job for each stage process; the SDK's
 * accessors (lib/job.c) read it.  Dataset files are finished by the core
 * through axle_internal_datasets_finish once every stage has succeeded. */
#ifndef AXLE_INTERNAL_H
#define AXLE_INTERNAL_H

#include <jansson.h>

#include "axle/axle.h"

/* Every workdir has this file at its top: the core writes it (and writes
 * only into folders that are new, empty or carry it), and input walks
 * skip any folder holding it, so a workdir never imports its own outputs. */
#define WORKDIR_MARKER ".axle-workdir"

/* Shared (MAP_SHARED) progress slot, one per slice plus one for the
 * single-process stages, so the core can render progress without pipes. */
struct axle_progress_slot {
    volatile uint64_t done;
    volatile uint64_t total;
};

struct axle_job {
    char *id;          /* "axle-work-12" */
    char *dir;         /* absolute job folder */
    char *method;      /* method name */
    const char *stage; /* "prepare", "analysis", "synthesis" */
    int slices;        /* slice count of the workdir */
    int sliceno;       /* this process's slice; -1 outside analysis */
    json_t *options;   /* validated, defaulted options (object) */
    char *base_dir;    /* folder relative option paths resolved against */
    json_t *inputs;    /* object: name -> "JOBDIR/ds/DATASET" folder */
    json_t *job_inputs;/* object: name -> "JOBDIR" (job inputs) */
    json_t *opened;    /* object: name -> (integer) axle_dataset pointer cache */
    char errmsg[2048];
    void *prep;        /* prepare result bytes (loaded lazily in slices) */
    size_t prep_len;
    bool prep_loaded;
    void **slice_res;  /* synthesis: per-slice results, loaded lazily */
    size_t *slice_len;
    struct axle_progress_slot *progress; /* this process's slot, or NULL */
    const axle_method_desc *desc; /* the method's descriptor: the option
                                     getters check reads against it */
    char opt_misuse[1024]; /* the first option read the method got wrong
                              in this stage (lib/options_get.c); the core
                              fails the stage on it */
    char *identity;    /* the job's identity (hex SHA-256), for provenance */
    char *step;        /* the pipeline step it runs for (axle_job_step) */
    bool replay;       /* --mpi, a worker rank's prepare (core/job_process.c):
                          run again only to rebuild the memory its slices
                          inherit; libaxle writes nothing (rank 0 did) */
    /* Incremental chains (lib/chain.c): the job this one builds on, and
     * per dataset input the dataset that job read; NULL for a cold build. */
    char *chain_base;
    json_t *chain_inputs; /* name -> "JOBDIR/ds/NAME" */
    json_t *chain_cache;  /* opened datasets and link lists (pointers) */
    char *recipe;         /* the identity without inputs (axle_job_recipe) */
    /* diff: path option -> descriptor of the core's file facts
     * (axle_file_facts_open, lib/file_facts.c), or NULL */
    json_t *file_facts;
};

/* Skipped items each stage process prints on stderr; the rest are only
 * in the job's skipped.json, and the core says how many it did not show
 * (a run skipping 100,000 files would bury everything else). */
#define AXLE_SKIPS_SHOWN 10

/* Registers a file the SDK itself has just written in the job folder
 * (axle_write_file): axle_register_file without its checks. */
int axle_internal_register_written(axle_job *job, const char *relpath);

/* ---- a base's output folder carried over (inc100k, lib/chain_carry.c) ---- */
/* JOBDIR/carried-files.json of a job that took its base's folder over
 * ({"base", "base_id", "folder", "left_out"}: read by the core when it
 * records the job), and BASEDIR/superseded.json of the base ({"by",
 * "folder"}: its reuse check refuses it). */
#define AXLE_CARRIED_FILE "carried-files.json"
#define AXLE_SUPERSEDED_FILE "superseded.json"
/* rebase (issue 11 item 2): the job folder that holds `base`'s `folder`
 * now: `base` itself unless its superseded.json says the folder moved,
 * else the job that mark names, followed on (a compacted chain's base
 * gave its folder away several jobs ago).  malloc'd; NULL when a mark
 * names no job. */
char *axle_internal_folder_holder(const char *base);
/* realpath(3) for datasets' paths, with the folders found real remembered
 * by the process: a chain of 16 links is read by every job's stages, and
 * glibc's realpath reads each component of each path again. */
char *axle_internal_realpath(const char *path);

/* The job this process runs (set by the core before calling a stage). */
extern axle_job *axle_internal_current;

/* Closes every writer still open in this process (end of a stage). */
int axle_internal_writers_close(axle_job *job);

/* Merges the per-slice parts written under JOBDIR into each dataset's
 * final metadata.  Called once by the core after synthesis succeeded. */
int axle_internal_datasets_finish(const char *jobdir, int slices, char *err,
                                  size_t errlen);

/* Why axle_dataset_previous(ds) returned NULL for a dataset that has a
 * previous link (gone, damaged, a loop), or NULL. */
const char *axle_internal_dataset_previous_error(const axle_dataset *ds);

/* Names of the datasets a finished job holds (JSON array), or NULL. */
json_t *axle_internal_dataset_list(const char *jobdir);

/* Writes a whole file through a temporary and rename.  0, or -1 with
 * errno set. */
int axle_internal_write_atomic(const char *path, const void *data, size_t len);
/* The same with `path` relative to the folder open as `dirfd`. */
int axle_internal_write_atomic_at(int dirfd, const char *path, const void *data,
                                  size_t len);
/* Writes all of `len` bytes to fd (again after EINTR or a short write);
 * -1 with errno. */
int axle_internal_write_all(int fd, const void *data, size_t len);
/* The temporary an atomic write starts with, for a file written as a
 * stream: a new file beside `path` (relative to dirfd), created with
 * O_EXCL|O_NOFOLLOW under an unpredictable name (put in tmp); the caller
 * writes it, then renames it onto path.  An fd, or -1 with errno. */
int axle_internal_atomic_temporary(int dirfd, const char *path, char *tmp, size_t tmplen);

/* {"axle": "0.1.0", "libjpeg-turbo": ..., ...}: part of every identity. */
json_t *axle_internal_library_versions(void);
/* Adds the optional image codec libraries built in (lib/image/
 * image_codecs.c): their versions are part of every job's identity too. */
void axle_internal_codec_versions(json_t *versions);

/* ---- noop2: input files as a stream (lib/files.c) ---- */

/* Called with each input file; AXLE_OK to go on, anything else stops the
 * expansion and is returned. */
typedef int axle_internal_path_fn(void *ctx, const char *path);
/* The files axle_expand_paths lists, in the same (sorted) order, handed
 * to fn one by one.  One path without wildcards (the usual `input:
 * FOLDER`) is walked and streamed: memory stays that of one folder's
 * names however many photos there are.  Returns as axle_expand_paths;
 * files handed over before an error stay handed over.  *left_out (when
 * not NULL): how many entries the expansion left out and would have
 * reported (axle_expand_paths_report); such a list is not the import's
 * whole story, so the core hands it over only when that is 0. */
int axle_internal_expand_each(const char *const *patterns, size_t n, bool recursive,
                              axle_internal_path_fn *fn, void *ctx, size_t *left_out,
                              char *err, size_t errlen);

/* True when `s` is valid UTF-8 (no overlong forms, no surrogates). */
bool axle_internal_is_utf8(const char *s);

/* `in` made safe to print (malloc'd, NULL when out of memory): control
 * characters, DEL and bytes that are not UTF-8 become \xNN; the rest of
 * UTF-8 is kept as it is.  lib/escape.c. */
char *axle_internal_escape(const char *in);

/* json_loadfd(fd, flags, jerr), but reading the file whole first
 * (jansson reads a byte per call).  lib/json_read.c. */
json_t *axle_internal_json_loadfd(int fd, size_t flags, json_error_t *jerr);

/* ---- results (lib/json_text.c, lib/results.c) ---- */

/* `v` in the shortest %.Ng (N <= 17) that reads back to the same double,
 * spelt as jansson spells reals ("176.43", "2.0", "1e300", "-0.0").  `len` >= 32.  -1 (and "") for NaN and infinities. */
int axle_internal_format_double(char *out, size_t len, double v);
/* json_dumps(v, flags) with reals in that shortest form; flags
 * JSON_COMPACT, JSON_INDENT(n) and JSON_SORT_KEYS are honoured, anything
 * is encoded (JSON_ENCODE_ANY).  malloc'd; NULL when out of memory. */
char *axle_internal_json_dumps(const json_t *v, size_t flags);
/* End of a stage: a slice's structured results (axle_result_*) are
 * written to JOBDIR/slice-N.results.json; after synthesis, what was
 * loaded is released.  AXLE_OK, or AXLE_EIO with the job's message set. */
int axle_internal_results_close(axle_job *job);
/* Provenance (lib/image/image_provenance.c): the value of field `name`
 * ("job", "identity", "version", "source") of axle's namespace in an XMP
 * packet (len bytes), entities decoded; malloc'd, NULL when absent. */
char *axle_internal_xmp_field(const char *xmp, size_t len, const char *name);

#endif
