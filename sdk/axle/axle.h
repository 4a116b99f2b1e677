/* axle.h - the whole SDK a method author sees.
 *
 * A method is a shared object that exports up to three entry points,
 *
 *     int prepare(axle_job *job);
 *     int analysis(axle_job *job, int sliceno);
 *     int synthesis(axle_job *job);
 *
 * (any may be absent, not all) and one descriptor, `axle_method`, written
 * with the AXLE_METHOD() macro.  The core runs prepare once, analysis in N
 * forked slices, then synthesis once.  Every entry point returns AXLE_OK or
 * a negative AXLE_E* code; the message goes through axle_error().  Never
 * call exit(), abort() or longjmp() out of an entry point.
 *
 * Memory rules: whoever allocates frees.  Pointers returned by axle_*
 * getters are borrowed and stay valid until the job ends unless the
 * function says otherwise.
 *
 * WARNING: within one ABI major version, structs in this file only grow at
 * their end and functions are only added.  Anything else bumps the major.
 */
#ifndef AXLE_AXLE_H
#define AXLE_AXLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- versions ---------------------------------------------------------- */

#define AXLE_ABI_MAJOR 1
#define AXLE_ABI_MINOR 4

#if defined(__GNUC__)
#define AXLE_EXPORT __attribute__((visibility("default")))
#define AXLE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define AXLE_EXPORT
#define AXLE_PRINTF(f, a)
#endif

/* The version of the libaxle the process runs with, e.g. "0.1.0". */
const char *axle_version(void);

/* ---- status codes ------------------------------------------------------ */

enum axle_status {
    AXLE_OK = 0,
    AXLE_EINVAL = -1,      /* bad argument or option value */
    AXLE_ENOMEM = -2,      /* out of memory */
    AXLE_EIO = -3,         /* a read or write failed (errno is in the text) */
    AXLE_EFORMAT = -4,     /* input data is malformed */
    AXLE_EUNSUPPORTED = -5,/* valid but not handled */
    AXLE_ETOOBIG = -6,     /* over a configured limit (pixels, bytes) */
    AXLE_EINTERNAL = -7,
    AXLE_EMORE = -8,       /* the data ends before what is needed: a prefix
                              needs more bytes, a whole file is truncated
                              (axle_image_probe, axle_image_probe_prefix) */
    AXLE_ESTALE = -9,      /* an input changed or vanished since a job recorded
                              it (a photo imported by reference): never
                              skipped, the job fails; run the pipeline again */
    AXLE_EUNAVAILABLE = -10 /* a library the item needs cannot be loaded
                              (libheif, libjxl: loaded on first use);
                              axle_item_failed skips it as transient, so the
                              next run tries it again (ABI 1.3) */
};

/* ---- opaque handles ---------------------------------------------------- */

typedef struct axle_job axle_job;         /* the running job, one per process */
typedef struct axle_dataset axle_dataset; /* a finished dataset, read-only */
typedef struct axle_writer axle_writer;   /* a dataset being written */
typedef struct axle_cursor axle_cursor;   /* iterates one column of a dataset */

/* ---- the method descriptor --------------------------------------------- */

typedef enum axle_opt_type {
    AXLE_OPT_INT = 1,   /* int64; min/max apply */
    AXLE_OPT_FLOAT,     /* double; min/max apply */
    AXLE_OPT_BOOL,
    AXLE_OPT_STRING,
    AXLE_OPT_ENUM,      /* a string among `choices` ("jpeg|webp") */
    AXLE_OPT_PATH,      /* a string resolved against the pipeline's folder */
    AXLE_OPT_PATHS,     /* a path or a list of paths, always stored as a list */
    AXLE_OPT_SIZE,      /* [w, h], one number n meaning [n, n], or a string
                           "WxH", "N", "Wx", "xH", "WxH!" (see axle_parse_size);
                           min/max per given side; read with axle_opt_size */
    AXLE_OPT_OUTPUT_DIR,/* a folder the method writes into (issue 11): resolved like
                           a path, need not exist, not an input (see the section
                           "output folders" below) */
    AXLE_OPT_SIZES,     /* a map {NAME: SIZE, ...}; read with axle_opt_count,
                           axle_opt_string_at (the names) and axle_opt_size_at */
    AXLE_OPT_COLOUR,    /* "#rrggbb", "#rgb" or a name (white, black, grey);
                           read with axle_opt_colour */
    AXLE_OPT_TEMPLATE   /* text with {NAME} placeholders, NAME among `choices`
                           (issue 14; see the section "name templates" below) */
} axle_opt_type;

typedef struct axle_option {
    const char *name;
    axle_opt_type type;
    const char *default_yaml; /* default as YAML flow text ("85", "[256,256]"); NULL: required */
    double min, max;          /* range for INT, FLOAT, SIZE; ignored when min > max */
    const char *choices;      /* for ENUM: "a|b|c" */
    const char *help;         /* one line */
} axle_option;

#define AXLE_NO_RANGE 1.0, 0.0

/* A default is YAML text in quotes ("85"), or NULL for a required option.
 * AXLE_OPTION_*(n, 85, ...) is a compile error saying so, not a warning
 * and a crash at load time: AXLE_OPT_TYPE_ adds 0 times the size of a
 * struct holding a static assertion on the default's type. */
#if defined(__cplusplus) || !defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L
#define AXLE_OPT_TYPE_(type, def, text) type
#define AXLE_OPT_DEFAULT_(def) (def)
#else
#define AXLE_OPT_TYPE_(type, def, text)                                           \
    (axle_opt_type)(type + 0 * sizeof(struct {                                    \
        _Static_assert(_Generic((def), char *: 1, const char *: 1, void *: 1,     \
                                default: 0),                                      \
                       "an option's default is YAML text in quotes, or NULL for " \
                       "a required option: write \"" text "\", not " text);       \
        int axle_unused_;                                                         \
    }))
#define AXLE_OPT_DEFAULT_(def)                                                    \
    _Generic((def), char *: (def), const char *: (def), default: (const char *)0)
#endif
#define AXLE_OPT_(n, type, def, text, lo, hi, choices, help)                      \
    {n, AXLE_OPT_TYPE_(type, def, text), AXLE_OPT_DEFAULT_(def), lo, hi, choices, help}

#define AXLE_OPTION_INT(n, def, lo, hi, help) AXLE_OPT_(n, AXLE_OPT_INT, def, #def, lo, hi, NULL, help)
#define AXLE_OPTION_FLOAT(n, def, lo, hi, help) AXLE_OPT_(n, AXLE_OPT_FLOAT, def, #def, lo, hi, NULL, help)
#define AXLE_OPTION_BOOL(n, def, help) AXLE_OPT_(n, AXLE_OPT_BOOL, def, #def, 1.0, 0.0, NULL, help)
#define AXLE_OPTION_STRING(n, def, help) AXLE_OPT_(n, AXLE_OPT_STRING, def, #def, 1.0, 0.0, NULL, help)
#define AXLE_OPTION_ENUM(n, def, choices, help) AXLE_OPT_(n, AXLE_OPT_ENUM, def, #def, 1.0, 0.0, choices, help)
#define AXLE_OPTION_PATH(n, def, help) AXLE_OPT_(n, AXLE_OPT_PATH, def, #def, 1.0, 0.0, NULL, help)
#define AXLE_OPTION_PATHS(n, def, help) AXLE_OPT_(n, AXLE_OPT_PATHS, def, #def, 1.0, 0.0, NULL, help)
#define AXLE_OPTION_SIZE(n, def, lo, hi, help) AXLE_OPT_(n, AXLE_OPT_SIZE, def, #def, lo, hi, NULL, help)
#define AXLE_OPTION_SIZES(n, def, lo, hi, help) AXLE_OPT_(n, AXLE_OPT_SIZES, def, #def, lo, hi, NULL, help)
#define AXLE_OPTION_COLOUR(n, def, help) AXLE_OPT_(n, AXLE_OPT_COLOUR, def, #def, 1.0, 0.0, NULL, help)
#define AXLE_OPTION_END {NULL, (axle_opt_type)0, NULL, AXLE_NO_RANGE, NULL, NULL}

typedef enum axle_input_kind {
    AXLE_INPUT_DATASET = 1, /* pipeline: datasets: {NAME: STEP or STEP/DATASET} */
    AXLE_INPUT_JOB          /* pipeline: jobs: {NAME: STEP} */
} axle_input_kind;

typedef struct axle_input {
    const char *name;
    axle_input_kind kind;
    bool required;
    const char *help;
} axle_input;

#define AXLE_INPUT_DATASET(n, req, help) {n, AXLE_INPUT_DATASET, req, help}
#define AXLE_INPUT_JOB(n, req, help) {n, AXLE_INPUT_JOB, req, help}
#define AXLE_INPUT_END {NULL, (axle_input_kind)0, false, NULL}

typedef struct axle_method_desc {
    uint32_t abi_major;      /* filled by AXLE_METHOD */
    uint32_t abi_minor;
    uint32_t struct_size;    /* sizeof(axle_method_desc) at build time */
    const char *name;        /* must equal the file's base name */
    const char *version;     /* the method's own version, free text */
    const char *summary;     /* one line for `axle methods` */
    const axle_option *options; /* ends with AXLE_OPTION_END; may be NULL */
    const axle_input *inputs;   /* ends with AXLE_INPUT_END; may be NULL */
} axle_method_desc;

/* Declares the method.  `name` is a bare word: AXLE_METHOD(thumbnailer, ...). */
#define AXLE_METHOD(name, version, summary, options, inputs)                  \
    AXLE_EXPORT extern const axle_method_desc axle_method;                    \
    AXLE_EXPORT const axle_method_desc axle_method = {                        \
        AXLE_ABI_MAJOR, AXLE_ABI_MINOR, sizeof(axle_method_desc), #name,      \
        version, summary, options, inputs}

/* The entry points, declared here so that a method's definitions are
 * checked against them and exported even under -fvisibility=hidden. */
AXLE_EXPORT int prepare(axle_job *job);
AXLE_EXPORT int analysis(axle_job *job, int sliceno);
AXLE_EXPORT int synthesis(axle_job *job);

/* ---- errors and logging ------------------------------------------------ */

/* Sets the job's error message and returns `code`, so a method writes
 *     return axle_error(job, AXLE_EINVAL, "quality %d out of range", q);  */
int axle_error(axle_job *job, int code, const char *fmt, ...) AXLE_PRINTF(3, 4);
/* The last message set by axle_error (or by an SDK call that failed). */
const char *axle_errmsg(const axle_job *job);

/* A line on stderr, prefixed with the method and slice. */
void axle_log(axle_job *job, const char *fmt, ...) AXLE_PRINTF(2, 3);

/* Records a skipped item: one line on stderr naming `item` and the reason,
 * and an entry {file, reason} in the job's skipped list. */
void axle_skip(axle_job *job, const char *item, const char *fmt, ...) AXLE_PRINTF(3, 4);
/* The same for a skip the environment caused, not the item's content
 * (permission denied, an I/O error, too many open files): the entry is
 * marked transient, and a job with transient skips is never reused, so the
 * next run tries the item again. */
void axle_skip_transient(axle_job *job, const char *item, const char *fmt, ...)
    AXLE_PRINTF(3, 4);

/* Progress of this process's work: `done` of `total` items.  Cheap: call it
 * per item.  The core renders rate and time left. */
void axle_progress(axle_job *job, uint64_t done, uint64_t total);

/* ---- the job ----------------------------------------------------------- */

const char *axle_job_id(const axle_job *job);   /* "axle-work-12" */
const char *axle_job_dir(const axle_job *job);  /* absolute path of the job folder */
int axle_slices(const axle_job *job);           /* the workdir's slice count */

/* Registers a file the method wrote, by path relative to the job folder.
 * Registered files are listed by `axle job` and the run line.  The file
 * must exist: a missing one is AXLE_EIO naming it (axle_write_file writes
 * and registers in one call). */
int axle_register_file(axle_job *job, const char *relpath);

/* prepare -> slices: an opaque byte blob, stored in the job folder so that a
 * slice started on another machine gets it too.  Copied. */
int axle_set_prepare_result(axle_job *job, const void *data, size_t len);
const void *axle_prepare_result(const axle_job *job, size_t *len);

/* analysis -> synthesis: each slice's bytes, stored as a file per slice.
 * Bytes, not a string: nothing is added, no NUL at the end.  For numbers
 * and strings by key, see axle_result_* below. */
int axle_set_slice_result(axle_job *job, const void *data, size_t len);
/* In synthesis: slice `sliceno`'s bytes (NULL, len 0 when it set none),
 * exactly `*len` of them: not NUL-terminated, so a text set as bytes is
 * read with "%.*s" or copied first.  The returned buffer is owned by the
 * job. */
const void *axle_slice_result(axle_job *job, int sliceno, size_t *len);

/* The job's result, a JSON text (copied); `axle job` prints it. */
int axle_set_result_json(axle_job *job, const char *json);

/* ---- options (validated and defaulted by the core) ---------------------- */

int64_t axle_opt_int(const axle_job *job, const char *name);
double axle_opt_float(const axle_job *job, const char *name);
bool axle_opt_bool(const axle_job *job, const char *name);
/* STRING, ENUM and PATH (paths come back absolute); NULL if unset. */
const char *axle_opt_string(const axle_job *job, const char *name);
/* PATHS and SIZE: number of elements and element i. */
size_t axle_opt_count(const axle_job *job, const char *name);
const char *axle_opt_string_at(const axle_job *job, const char *name, size_t i);
int64_t axle_opt_int_at(const axle_job *job, const char *name, size_t i);
/* The folder relative paths were resolved against (the pipeline's). */
const char *axle_opt_base_dir(const axle_job *job);

/* ---- inputs ------------------------------------------------------------ */

/* The dataset bound to input `name`, or NULL when the pipeline gave none. */
axle_dataset *axle_input_dataset(axle_job *job, const char *name);
/* The job folder bound to job input `name`, or NULL. */
const char *axle_input_job_dir(const axle_job *job, const char *name);

/* Expands files, folders (walked when `recursive`) and globs with *, ? and
 * ** into a sorted, deduplicated list of regular files.  A pattern that
 * matches nothing is an error naming it.  Walks and wildcards never enter
 * an axle workdir (a folder holding `.axle-workdir`), and leave out what
 * they cannot use (see axle_expand_paths_report).  Free with
 * axle_free_paths. */
int axle_expand_paths(const char *const *patterns, size_t n, bool recursive,
                      char ***out, size_t *nout, char *err, size_t errlen);
void axle_free_paths(char **paths, size_t n);

/* What a walk or a wildcard met and could not list as a file. */
typedef enum axle_path_issue {
    AXLE_PATH_UNREADABLE = 1, /* a folder that could not be read, or an entry
                                 that could not be looked at; errnum says why */
    AXLE_PATH_NOT_REGULAR,    /* a FIFO, socket, device or dangling link */
    AXLE_PATH_BAD_NAME        /* a name that is not valid UTF-8 */
} axle_path_issue;

typedef struct axle_path_skip {
    const char *path;     /* printable: control characters and bytes that
                             are not UTF-8 are escaped as \xNN */
    axle_path_issue issue;
    int errnum;           /* the errno of AXLE_PATH_UNREADABLE, else 0 */
    const char *reason;   /* "cannot read this folder: Permission denied",
                             "not a regular file: FIFO" */
} axle_path_skip;

/* Called once per entry left out, in path order, after the expansion. */
typedef void axle_path_skip_fn(void *ctx, const axle_path_skip *skip);

/* axle_expand_paths that tells `on_skip` (may be NULL) about every entry
 * it left out, so that a caller can list it as a skipped item.  Nothing
 * met below a path the user named fails the expansion; a pattern that
 * found only entries left out is not an error either. */
int axle_expand_paths_report(const char *const *patterns, size_t n, bool recursive,
                             axle_path_skip_fn *on_skip, void *ctx, char ***out,
                             size_t *nout, char *err, size_t errlen);

/* ---- datasets ---------------------------------------------------------- */

typedef enum axle_type {
    AXLE_INT64 = 1,
    AXLE_FLOAT64,
    AXLE_BOOL,
    AXLE_STRING, /* UTF-8 */
    AXLE_BYTES,
    AXLE_JSON,   /* JSON text */
    AXLE_IMAGE   /* an axle_image: encoded bitstream or raw pixels */
} axle_type;

const char *axle_type_name(axle_type t); /* "int64", ... */

/* -- writing --
 * A writer names a dataset of the current job.  Create it in prepare (the
 * slices inherit it) or in each slice with the same name and columns; each
 * slice writes only its own part.  `parent` (may be NULL) is a dataset whose
 * columns the new one extends by linking; its rows per slice must match.
 * `previous` (may be NULL) chains the new dataset after another.
 * The dataset is visible to others only once the job completes. */
axle_writer *axle_writer_new(axle_job *job, const char *name,
                             axle_dataset *parent, axle_dataset *previous);
/* Adds a column before the first row; returns its index (>= 0) or < 0. */
int axle_writer_add(axle_writer *w, const char *column, axle_type type);
/* Index of a column by name, or < 0 with a message. */
int axle_writer_column(axle_writer *w, const char *column);

/* Set each column of the row (by index), then axle_writer_end_row().
 * Each returns AXLE_OK or an error (wrong type, unknown column). */
int axle_put_int64(axle_writer *w, int col, int64_t v);
int axle_put_float64(axle_writer *w, int col, double v);
int axle_put_bool(axle_writer *w, int col, bool v);
int axle_put_string(axle_writer *w, int col, const char *s, size_t len);
int axle_put_bytes(axle_writer *w, int col, const void *p, size_t len);
int axle_put_json(axle_writer *w, int col, const char *json);
int axle_put_null(axle_writer *w, int col);
/* Row complete: every column must have been set (else AXLE_EINVAL). */
int axle_writer_end_row(axle_writer *w);
/* Flushes this process's part.  Called by the core for writers left open
 * at the end of a stage; calling it yourself is allowed. */
int axle_writer_close(axle_writer *w);

/* -- reading -- */

/* Opens a finished dataset by its folder, "JOBDIR/ds/NAME". */
axle_dataset *axle_dataset_open(const char *path, char *err, size_t errlen);
void axle_dataset_close(axle_dataset *ds);
const char *axle_dataset_name(const axle_dataset *ds);
int axle_dataset_slices(const axle_dataset *ds);
/* Rows in one slice, or in all slices with sliceno = -1. */
int64_t axle_dataset_rows(const axle_dataset *ds, int sliceno);
int axle_dataset_ncolumns(const axle_dataset *ds);
const char *axle_dataset_column_name(const axle_dataset *ds, int i);
/* Type of a column, or 0 if the dataset has no such column. */
axle_type axle_dataset_column_type(const axle_dataset *ds, const char *column);
/* The dataset this one chains to, or NULL.  Owned by `ds`. */
axle_dataset *axle_dataset_previous(axle_dataset *ds);
/* The parent's folder ("JOBDIR/ds/NAME") or NULL. */
const char *axle_dataset_parent_path(const axle_dataset *ds);
const char *axle_dataset_path(const axle_dataset *ds);

/* The dataset bound to input `name`, checked to have `column` of `type`;
 * NULL with the reason set (axle_errmsg) when the input is missing or the
 * column is absent or of another type.  In prepare:
 *     axle_dataset *src = axle_input_column(job, "source", "image", AXLE_IMAGE);
 *     if (!src) return AXLE_EINVAL;                                         */
axle_dataset *axle_input_column(axle_job *job, const char *name,
                                const char *column, axle_type type);

/* A cursor walks one column of one slice (sliceno >= 0) or of all slices
 * in order (sliceno = -1).  Only that column's files are opened. */
axle_cursor *axle_cursor_open(axle_dataset *ds, const char *column, int sliceno,
                              char *err, size_t errlen);
/* 1: a row is current; 0: end; < 0: read error (see axle_cursor_error). */
int axle_cursor_next(axle_cursor *c);
const char *axle_cursor_error(const axle_cursor *c);
bool axle_cursor_is_null(const axle_cursor *c);
int64_t axle_cursor_int64(const axle_cursor *c);
double axle_cursor_float64(const axle_cursor *c);
bool axle_cursor_bool(const axle_cursor *c);
/* STRING, BYTES, JSON: borrowed until the next axle_cursor_next. */
const void *axle_cursor_bytes(const axle_cursor *c, size_t *len);
/* The slice of the current row. */
int axle_cursor_slice(const axle_cursor *c);
void axle_cursor_close(axle_cursor *c);

/* ---- the on_error policy, checked options, files (issue 10) ------------- */

/* The standard `on_error` option: `skip` a bad item (listed in the job's
 * skipped items, its row null) or `fail` the job naming it.  `def` is
 * "skip" or "fail".  Apply it with axle_item_failed. */
#define AXLE_OPTION_ON_ERROR(def)                                                  \
    AXLE_OPTION_ENUM("on_error", def, "skip|fail",                                \
                     "a bad item: skip it (listed, its row null) or fail the job")

/* One item failed with `rc` (< 0), its reason set by axle_error.  Applies
 * the method's on_error option:
 *   skip: records the item as skipped with that reason (axle_skip), ends
 *         the current row of `w` with every column not yet set null
 *         (axle_writer_null_row; `w` NULL: the item gets no row), and
 *         returns AXLE_OK, so the loop goes on;
 *   fail: sets the message to "ITEM: reason" and returns `rc`, so the
 *         stage fails naming the item.
 *     return axle_item_failed(job, w, name, axle_error(job, rc, "%s", err)); */
int axle_item_failed(axle_job *job, axle_writer *w, const char *item, int rc);
/* The same for a failure the environment caused, not the item (permission
 * denied, an I/O error): a skip is recorded as axle_skip_transient does. */
int axle_item_failed_transient(axle_job *job, axle_writer *w, const char *item, int rc);

/* Ends the current row with every column not yet set null: a whole-row
 * null when none is set.  AXLE_OK or an error as axle_writer_end_row. */
int axle_writer_null_row(axle_writer *w);

/* An ENUM option as the index of its value among the choices: with
 * choices "jpeg|webp", 0 for jpeg and 1 for webp.
 *
 * Option getters check the method's own declaration: reading an option
 * the method does not declare, or with the getter of another type, prints
 * the mistake ("option 'qualty' is not declared by method m; did you mean
 * 'quality'?", "option 'quality' is an int; read it with axle_opt_int"),
 * returns 0, false or "" and fails the stage when its entry point
 * returns, whatever that returns. */
int axle_opt_enum(const axle_job *job, const char *name);

/* Writes `len` bytes to `relpath` in the job folder and registers it: in a
 * job that completes the file is whole, and a failed write leaves none (a
 * new name is written in place: a job whose slice dies half way fails and
 * is never reused; an existing one is replaced by a temporary and a
 * rename); parent folders are made as needed.  `relpath` stays inside the
 * job folder: an absolute path, a ".." component or a symbolic link on
 * the way is refused (AXLE_EINVAL).  AXLE_EIO with the reason when writing fails. */
int axle_write_file(axle_job *job, const char *relpath, const void *data, size_t len);

/* ---- images ------------------------------------------------------------ */

typedef enum axle_codec {
    AXLE_CODEC_NONE = 0,
    AXLE_CODEC_JPEG,
    AXLE_CODEC_WEBP,
    AXLE_CODEC_RAW,    /* uncompressed 8-bit pixels, `channels` interleaved */
    /* Read when libaxle was built with their library (configure says
     * which it found); else the probe names the library missing. */
    AXLE_CODEC_PNG,    /* libpng */
    AXLE_CODEC_GIF,    /* giflib: the first frame */
    AXLE_CODEC_TIFF,   /* libtiff: the first page */
    AXLE_CODEC_HEIF,   /* libheif: HEIC/HEIF, the primary image */
    AXLE_CODEC_AVIF,   /* libheif: the primary image */
    /* issue 13, part `formats`: */
    AXLE_CODEC_JXL,    /* libjxl: JPEG XL, the first frame */
    AXLE_CODEC_CAMRAW  /* libraw: a camera RAW (DNG, CR2, NEF, ARW, ...) */
} axle_codec;
#define AXLE_CODEC_LAST AXLE_CODEC_CAMRAW /* the highest value above */

const char *axle_codec_name(axle_codec c); /* "jpeg", "webp", "raw", "png", "gif",
                                              "tiff", "heif", "avif", "jxl",
                                              "camera-raw" */

/* An image value: what an AXLE_IMAGE cell holds. */
typedef struct axle_image {
    axle_codec codec;
    uint32_t width, height;  /* as stored, before orientation */
    uint8_t channels;        /* 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA (CMYK JPEG: 4) */
    uint8_t orientation;     /* EXIF 1-8; 1 when absent */
    const void *data;        /* encoded bitstream, or width*height*channels bytes */
    size_t size;
} axle_image;

/* Reads the header only: codec, size, channels, orientation.  Recognises
 * by content, not name.  AXLE_EFORMAT for anything not a usable image.
 * `data` may be a whole file or its first bytes: when it ends before the
 * headers do, AXLE_EMORE, whose message ("truncated JPEG: ...") is the
 * reason for a whole file.  A WebP whose RIFF size is past `len` is such
 * a case: for prefixes, axle_image_probe_prefix knows better. */
int axle_image_probe(const void *data, size_t len, axle_image *out,
                     char *err, size_t errlen);

/* The probe on the first `len` bytes of a file of `file_size` bytes
 * (len <= file_size; equal for the whole file).  Either the answer
 * axle_image_probe gives for the whole file, or AXLE_EMORE when the
 * headers go on past `len`: *need (if not NULL) is then how many bytes
 * from the start the probe needs at least; read them (or the whole file)
 * and call again.  AXLE_EMORE only when the file has more bytes: a file
 * truncated inside its headers is AXLE_EFORMAT "truncated ...".  Needs
 * beyond 64 KiB: JPEGs with large APPn segments (EXIF thumbnails, ICC
 * profiles) and WebPs with EXIF (the chunk follows the image data).
 * out->data and out->size describe the prefix: point them at the whole
 * file before decoding or storing the image. */
int axle_image_probe_prefix(const void *data, size_t len, uint64_t file_size,
                            size_t *need, axle_image *out, char *err, size_t errlen);

int axle_put_image(axle_writer *w, int col, const axle_image *img);
/* The current cell as an image (borrowed until the next axle_cursor_next). */
int axle_cursor_image(const axle_cursor *c, axle_image *out);

/* Decoded pixels: 8 bits per channel, rows `stride` bytes apart. */
typedef struct axle_pixels {
    uint32_t width, height;
    uint32_t channels;  /* 1, 2, 3 or 4 (always RGB(A) or grey(A); CMYK is converted) */
    size_t stride;
    uint8_t *data;      /* owned: free with axle_pixels_free */
} axle_pixels;

/* Decodes `img` at the smallest reduced scale whose result still covers
 * want_w x want_h (in stored orientation) times the SDK's margin; 0, 0
 * decodes at full size.  Refuses images over `max_pixels` (0: no limit)
 * before allocating.  On error returns < 0 with a message in err.
 * Every pixel returned was decoded from the data: a file that ends early
 * or whose data is damaged is an error (AXLE_EFORMAT), never an image
 * padded with grey or left with whatever memory held.  The message says
 * which: "truncated JPEG: ..." / "truncated WebP: ..." for data that ends
 * before the image does, "corrupt JPEG: ..." / "corrupt WebP ..." for
 * damaged data. */
int axle_image_decode(const axle_image *img, uint32_t want_w, uint32_t want_h,
                      uint64_t max_pixels, axle_pixels *out, char *err, size_t errlen);

/* Flags of axle_image_decode_ex. */
#define AXLE_DECODE_PARTIAL 0x1u /* keep what a truncated or damaged image decoded */
/* axle_image_decode_ex's result for a partial image (only with the flag). */
#define AXLE_PARTIAL 1

/* axle_image_decode with flags; flags 0 is axle_image_decode.  With
 * AXLE_DECODE_PARTIAL, an image that is truncated or damaged part way
 * returns AXLE_PARTIAL (> 0) and the pixels: what the decoder made of the
 * data, and mid-grey (alpha opaque) where it stopped; err says what was
 * wrong, as axle_image_decode would.  Damage that leaves nothing to show
 * (no row decoded, or a progressive JPEG that stops in its scans) is still
 * an error. */
int axle_image_decode_ex(const axle_image *img, uint32_t want_w, uint32_t want_h,
                         uint64_t max_pixels, unsigned flags, axle_pixels *out,
                         char *err, size_t errlen);

/* Applies EXIF orientation 1-8 (rotation/flip) into a new buffer. */
int axle_pixels_orient(const axle_pixels *in, int orientation, axle_pixels *out);

/* Encodes pixels; `*out` is malloc'd (free with free()).  JPEG flattens
 * alpha on white. */
int axle_image_encode(const axle_pixels *px, axle_codec codec, int quality,
                      void **out, size_t *outlen, char *err, size_t errlen);

/* A new buffer of w x h pixels of `channels` (1-4), rows packed (stride =
 * w * channels), contents undefined.  AXLE_OK; or AXLE_EINVAL (a 0 side,
 * channels outside 1-4), AXLE_ETOOBIG (more bytes than memory can hold)
 * or AXLE_ENOMEM, with the running job's message set saying which
 * (axle_errmsg), so a stage can return the code as it is. */
int axle_pixels_alloc(axle_pixels *px, uint32_t w, uint32_t h, uint32_t channels);
void axle_pixels_free(axle_pixels *px);

/* `in` as RGB in a new buffer `*out` (free with axle_pixels_free), as
 * Pillow's convert("RGB"): grey copied into R, G and B; alpha dropped,
 * not flattened (a premultiplied resize has made fully transparent pixels
 * black already).  AXLE_EINVAL for no pixels; errors as axle_pixels_alloc. */
int axle_pixels_to_rgb(const axle_pixels *in, axle_pixels *out);

/* An axle_image that points at `px` as raw pixels (no copy). */
axle_image axle_image_from_pixels(const axle_pixels *px);

/* ---- rows: several columns of a dataset, row by row -------------------- */

/* A row reader walks some columns of a dataset together, one row at a
 * time, over one slice (sliceno >= 0) or all slices in order (-1):
 *
 *     axle_rows *r = axle_rows_open(job, "source", sliceno,
 *                                   (const char *[]){"image", "filename", NULL});
 *     if (!r)
 *         return AXLE_EINVAL;                 (the message is set)
 *     int more;
 *     while ((more = axle_rows_next(r)) == 1) {
 *         const char *name = axle_rows_string(r, 1);   (NULL when null)
 *         ...  axle_skip(job, axle_rows_label(r), "...");
 *     }
 *     axle_rows_close(r);
 *     if (more < 0) return more;              (the message is set)
 *
 * Columns are named in a NULL-terminated list and read by their index in
 * it.  Errors set the job's message (axle_errmsg). */
typedef struct axle_rows axle_rows;

/* Flags of axle_rows_open_dataset. */
#define AXLE_ROWS_CHAIN 0x1u /* walk the dataset's `previous` chain too,
                                oldest dataset first, then `ds` itself */

/* Opens the columns of input `input`; NULL when the input is not bound or
 * lacks a column (the message lists the columns it has). */
axle_rows *axle_rows_open(axle_job *job, const char *input, int sliceno,
                          const char *const *columns);
/* The same over any dataset (owned by the caller; keep it open while the
 * reader is); flags 0 or AXLE_ROWS_CHAIN. */
axle_rows *axle_rows_open_dataset(axle_job *job, axle_dataset *ds, int sliceno,
                                  const char *const *columns, unsigned flags);
/* 1: a row is current; 0: the end; < 0: AXLE_EIO for a column file that
 * cannot be read or is damaged (the message names the file and the
 * offset), AXLE_EINVAL for a getter used on a column of another type or
 * an index out of range in the row before. */
int axle_rows_next(axle_rows *r);
/* The current row's cell of column `col` (its index in the list).  The
 * getters of another type than the column's give 0 / NULL and make the
 * next axle_rows_next fail saying which getter fits. */
bool axle_rows_is_null(axle_rows *r, int col);
int64_t axle_rows_int64(axle_rows *r, int col);
double axle_rows_float64(axle_rows *r, int col);
bool axle_rows_bool(axle_rows *r, int col);
/* STRING and JSON: the text, NUL-terminated (a text holding a NUL byte
 * ends there: use axle_rows_bytes); NULL when null.  Borrowed until the
 * next axle_rows_next. */
const char *axle_rows_string(axle_rows *r, int col);
/* STRING, BYTES, JSON: the bytes and their length; NULL when null. */
const void *axle_rows_bytes(axle_rows *r, int col, size_t *len);
/* IMAGE: AXLE_OK, or AXLE_EINVAL for a null cell.  Borrowed as above. */
int axle_rows_image(axle_rows *r, int col, axle_image *out);
/* (axle_rows_image_to_size, below with the image helpers: the cell as
 * pixels of a size, in one call.) */
/* The current row for messages: the dataset's `filename` cell when it has
 * a string column of that name (read even if not asked for) and the cell
 * is not null, else "row N of slice S" (N from 1), with " of JOB/ds/NAME"
 * for a row of an earlier dataset of a chain.  Borrowed as above. */
const char *axle_rows_label(axle_rows *r);
/* The current row's slice, and its index in that slice (from 0). */
int axle_rows_slice(const axle_rows *r);
int64_t axle_rows_index(const axle_rows *r);
/* Rows read so far, and rows in all, for axle_progress(job, done, total).
 * Reading a chain's live rows, the total starts at every row of its links
 * and goes down by one for each dead row passed, so it ends equal to the
 * rows read. */
int64_t axle_rows_done(const axle_rows *r);
int64_t axle_rows_total(const axle_rows *r);
void axle_rows_close(axle_rows *r);

/* ---- structured results: analysis -> synthesis, and the job's result ---- */

/* In analysis, a slice records results by key; synthesis reads them per
 * slice or merged over all slices, typed, without parsing.  Each key is
 * one kind, fixed by the first call that makes it:
 *
 *   axle_result_add_int/_float   a sum: added to within the slice, and
 *                                the merged value is the sum over slices
 *   axle_result_set_*            a value (a later set replaces it); merged:
 *                                the list of the slices' values, in order
 *   axle_result_append_*         a small list; merged: the slices' lists
 *                                one after another
 *   axle_result_min / _max       the least / greatest value with a label
 *                                (a file name); merged: the least of all,
 *                                the earliest slice's on a tie
 *   axle_result_mean             a mean of the values given; merged: the
 *                                mean of all of them (each slice weighed
 *                                by its count), which axle_results_count
 *                                gives
 *
 * Each returns AXLE_OK, or AXLE_EINVAL with the message set: called
 * outside analysis, a key of another kind, NaN or an infinity, a string
 * that is not UTF-8.  A refused call is also kept, and the stage fails
 * naming the first when it returns: checking each call is optional.
 * Results are kept in memory and written (as
 * JOBDIR/slice-N.results.json) when analysis returns: keep them small;
 * put data in a dataset. */
int axle_result_add_int(axle_job *job, const char *key, int64_t n);
int axle_result_add_float(axle_job *job, const char *key, double x);
int axle_result_set_int(axle_job *job, const char *key, int64_t v);
int axle_result_set_float(axle_job *job, const char *key, double v);
int axle_result_set_string(axle_job *job, const char *key, const char *s);
int axle_result_append_int(axle_job *job, const char *key, int64_t v);
int axle_result_append_float(axle_job *job, const char *key, double v);
int axle_result_append_string(axle_job *job, const char *key, const char *s);
int axle_result_min(axle_job *job, const char *key, double v, const char *label);
int axle_result_max(axle_job *job, const char *key, double v, const char *label);
int axle_result_mean(axle_job *job, const char *key, double v);

/* Results as synthesis reads them: owned by the job. */
typedef struct axle_results axle_results;

/* In synthesis: slice `sliceno`'s results (empty when it recorded none),
 * or all slices' merged as said above.  NULL with the message set when a
 * slice's file is damaged or slices made one key of different kinds. */
const axle_results *axle_slice_results(axle_job *job, int sliceno);
const axle_results *axle_slice_results_merged(axle_job *job);

/* Getters: a missing key gives 0, NULL or false (a sum nobody added to
 * is 0).  On a list (a set or appended key), the scalar getters give its
 * first element; count and the _at getters give them all.  The float
 * getter reads integers too; min and max give their value to the float
 * getter and their label to axle_results_label; a mean, its value to
 * the float getter. */
bool axle_results_has(const axle_results *r, const char *key);
int64_t axle_results_int(const axle_results *r, const char *key);
double axle_results_float(const axle_results *r, const char *key);
const char *axle_results_string(const axle_results *r, const char *key);
const char *axle_results_label(const axle_results *r, const char *key);
/* Elements of a list (1 for a sum, a min or a max; for a mean, how many
 * values it is the mean of; 0 when missing). */
size_t axle_results_count(const axle_results *r, const char *key);
int64_t axle_results_int_at(const axle_results *r, const char *key, size_t i);
double axle_results_float_at(const axle_results *r, const char *key, size_t i);
const char *axle_results_string_at(const axle_results *r, const char *key, size_t i);

/* A JSON builder for the job's result (or a JSON cell): strings escaped,
 * floats in their shortest exact form (176.43, not 176.43000000000001):
 *
 *     axle_json *j = axle_json_new();
 *     axle_json_int(j, "images", axle_results_int(m, "images"));
 *     axle_json_float(j, "mean_r", axle_results_float(m, "sum_r") / n);
 *     axle_json_string(j, "darkest", axle_results_label(m, "darkest"));
 *     return axle_json_set_result(job, j);      (sets the result, frees j)
 *
 * The top level is an object.  Inside an object every value has a key;
 * inside a list the key is NULL.  Calls return nothing: the first mistake
 * (NaN or an infinity, a key given twice, a missing key, a string that is
 * not UTF-8, an end without an open list) is kept, later calls do
 * nothing, and axle_json_set_result or axle_json_text reports it. */
typedef struct axle_json axle_json;

axle_json *axle_json_new(void); /* NULL only when out of memory */
void axle_json_int(axle_json *j, const char *key, int64_t v);
void axle_json_float(axle_json *j, const char *key, double v);
void axle_json_string(axle_json *j, const char *key, const char *s); /* NULL: null */
void axle_json_bool(axle_json *j, const char *key, bool v);
void axle_json_null(axle_json *j, const char *key);
/* Opens a list or an object as the value of `key`; axle_json_end closes
 * the innermost one. */
void axle_json_begin_list(axle_json *j, const char *key);
void axle_json_begin_object(axle_json *j, const char *key);
void axle_json_end(axle_json *j);
/* The text ({"images": 3, "mean_r": 176.43}), owned by j until the next
 * call; NULL after a mistake or with a list or object still open, and
 * then axle_json_error says why. */
const char *axle_json_text(axle_json *j);
const char *axle_json_error(const axle_json *j);
/* Sets the job's result to the text and frees j (j may be NULL: out of
 * memory).  AXLE_OK, or the error with the message set. */
int axle_json_set_result(axle_job *job, axle_json *j);
void axle_json_free(axle_json *j);

/* ---- image helpers: geometry, resize, a cell to a size ----------------- */

/* How a size is fitted to a box. */
typedef enum axle_fit_mode {
    AXLE_FIT_INSIDE = 0, /* the largest size with the image's aspect that fits
                            in the box, rounded as PIL's Image.thumbnail() */
    AXLE_FIT_EXACT       /* exactly the box, aspect not kept */
} axle_fit_mode;

/* Whether a size fills its box and which part of the image it keeps.
 * AXLE_CROP_NONE fits inside the box; the others fill the box (scale so
 * that both sides cover it, as Pillow's ImageOps.fit) and cut the excess,
 * keeping the middle (CENTRE), the busiest part (ENTROPY: the window whose
 * luminance histogram has the most entropy) or the most salient part
 * (ATTENTION: skin tones, saturated colour and edges).  The window is
 * found on the reduced decode.  A box with a free side has no excess: the
 * crop changes nothing there. */
typedef enum axle_crop {
    AXLE_CROP_NONE = 0,
    AXLE_CROP_CENTRE,
    AXLE_CROP_ENTROPY,
    AXLE_CROP_ATTENTION
} axle_crop;

/* A wanted size.  Zero-initialised fields are the usual choice, so
 *     axle_geometry g = {.width = 256, .height = 256};
 * is PIL's thumbnail((256, 256)): inside the box, aspect kept, never
 * enlarged. */
typedef struct axle_geometry {
    uint32_t width, height; /* the box, as shown (after EXIF orientation);
                               with AXLE_FIT_INSIDE, 0 leaves that side free */
    axle_fit_mode mode;
    axle_crop crop;         /* AXLE_FIT_INSIDE only: fill the box and cut */
    bool upscale;           /* AXLE_FIT_INSIDE: enlarge an image smaller than
                               the box; false: it keeps its own size (with a
                               crop: it is cut to the box, never enlarged) */
} axle_geometry;

/* The size a width x height image gets in geometry `g` (*out_w, *out_h).
 * With a crop and both sides given: the box (or, without upscale, the box
 * cut down to the image's own sides).  AXLE_EINVAL for a 0 image side, a
 * box with no side, an exact box with a 0 side or a crop, or an unknown
 * mode or crop; AXLE_ETOOBIG when a side would pass UINT32_MAX. */
int axle_fit(uint32_t width, uint32_t height, const axle_geometry *g,
             uint32_t *out_w, uint32_t *out_h);

/* axle_fit on the image as shown: width and height swapped for EXIF
 * orientations 5-8.  The size axle_image_to_size returns. */
int axle_image_fit(const axle_image *img, const axle_geometry *g,
                   uint32_t *out_w, uint32_t *out_h);

/* Resizes `in` to width x height into a new buffer `*out` (free with
 * axle_pixels_free): Lanczos3 with Pillow's weights in fixed point, the
 * same bytes on every machine.  Grey+alpha and RGBA are resized
 * premultiplied, as Pillow does, so transparent pixels do not bleed into
 * the edges.  `in` is not changed.  AXLE_EINVAL for an empty or 0-sized
 * buffer or channels outside 1-4; AXLE_ENOMEM. */
int axle_pixels_resize(const axle_pixels *in, uint32_t width, uint32_t height,
                       axle_pixels *out);

/* An image cell to pixels of the size axle_image_fit gives, as shown: the
 * decode at the smallest reduced scale that keeps the SDK's margin
 * (shrink-on-load), a Lanczos3 resize to the size, then EXIF orientation.
 * This is what the thumbnailer does per row, byte for byte.  `*out` is
 * new (free with axle_pixels_free).  Images over `max_pixels` (0: no
 * limit) are refused before decoding, and so is a result over it (an
 * upscale or an exact box).  `flags`: 0, or any of AXLE_DECODE_PARTIAL,
 * to get AXLE_PARTIAL and the resized pixels of a damaged image (see
 * axle_image_decode_ex), and AXLE_TO_RGB, to get 3 channels whatever the
 * image has (axle_pixels_to_rgb on the result: resized as grey or
 * premultiplied first, so the pixels are those without the flag, made
 * RGB).  Errors are < 0 with a message in err. */
#define AXLE_TO_RGB 0x4u /* a flag of axle_image_to_size: RGB pixels */
int axle_image_to_size(const axle_image *img, const axle_geometry *g,
                       uint64_t max_pixels, unsigned flags, axle_pixels *out,
                       char *err, size_t errlen);

/* ---- colour: embedded ICC profiles to sRGB (issue 13) ------------------ */

/* Flag of axle_image_to_size: convert pixels from the image's embedded ICC
 * profile to sRGB (after the resize, on the few pixels left).  An image
 * without a profile, or with an sRGB one, gets exactly the bytes it gets
 * without the flag; see axle_image_colour for what else can happen. */
#define AXLE_TO_SRGB 0x2u

/* What an image's embedded colour profile means for AXLE_TO_SRGB. */
typedef enum axle_colour_kind {
    AXLE_COLOUR_NONE = 0,    /* no profile: the pixels are taken as sRGB */
    AXLE_COLOUR_SRGB,        /* an sRGB profile: nothing to convert */
    AXLE_COLOUR_CONVERT,     /* an RGB or grey profile that is converted */
    AXLE_COLOUR_UNSUPPORTED, /* left as decoded: a CMYK profile (CMYK is made
                                RGB without it), a device link, or a libaxle
                                built without lcms2; `reason` says which */
    AXLE_COLOUR_BROKEN       /* a damaged profile, or one that does not fit
                                the pixels (RGB on grey): left as decoded,
                                that is taken as sRGB; `reason` says why */
} axle_colour_kind;

typedef struct axle_colour {
    axle_colour_kind kind;
    char profile[128]; /* the profile's description, "Adobe RGB (1998)",
                          printable ASCII; "" without a profile or a name */
    char reason[160];  /* UNSUPPORTED and BROKEN: why, in words */
} axle_colour;

/* The embedded ICC profile of an encoded image: JPEG APP2 "ICC_PROFILE"
 * segments (joined in order when split over several), WebP's ICCP chunk.
 * `*icc` is malloc'd (free with free()), or NULL with *len 0 when the
 * image has none (raw pixels never have one).  AXLE_EFORMAT with the
 * reason when the segments do not add up (one missing, numbered twice). */
int axle_image_icc(const axle_image *img, void **icc, size_t *len, char *err,
                   size_t errlen);

/* What AXLE_TO_SRGB does with `img`, without decoding it.  A profile is
 * read once per thread: later images with the same profile (by SHA-256)
 * reuse what was learnt and the conversion built for it.  AXLE_EINVAL
 * only for NULL arguments. */
int axle_image_colour(const axle_image *img, axle_colour *out);

/* Converts `px`, decoded from `img` (any scale, stored orientation or not),
 * in place from img's embedded profile to sRGB, as AXLE_TO_SRGB does; does
 * nothing unless axle_image_colour says AXLE_COLOUR_CONVERT.  Alpha is
 * kept.  AXLE_OK, AXLE_ENOMEM, or AXLE_EINVAL for pixels whose channels do
 * not fit the profile. */
int axle_pixels_to_srgb(axle_pixels *px, const axle_image *img, char *err,
                        size_t errlen);
/* A row reader's IMAGE cell as pixels of a size: axle_image_to_size on
 * it (see there for `g`, `max_pixels` and `flags`: AXLE_TO_RGB,
 * AXLE_DECODE_PARTIAL).  `*out` is new (free with axle_pixels_free).  On
 * failure, < 0 with the reason as the job's message (AXLE_PARTIAL: the
 * reason too), ready for
 *     if (axle_rows_is_null(r, 0))
 *         return axle_writer_null_row(out);
 *     int rc = axle_rows_image_to_size(r, 0, &size, 0, AXLE_TO_RGB, &px);
 *     if (rc != AXLE_OK)
 *         return axle_item_failed(job, out, axle_rows_label(r), rc);
 * A null cell is AXLE_EINVAL: check axle_rows_is_null first. */
int axle_rows_image_to_size(axle_rows *r, int col, const axle_geometry *g,
                            uint64_t max_pixels, unsigned flags, axle_pixels *out);

/* ---- provenance: what an exported file says about its job ------------- */

/* The job's identity: the SHA-256 (64 hex digits) of everything it was
 * made of (method, options, inputs, libraries), under which the workdir
 * indexes it for reuse.  `axle job` prints it too. */
const char *axle_job_identity(const axle_job *job);

/* axle_image_encode, then the job's provenance embedded in the file's own
 * metadata: an XMP packet (namespace "https://axle.dev/ns/1.0/", prefix
 * axle) with axle:version, axle:job, axle:identity and axle:source, the
 * name of the file the image came from (NULL leaves it out).  JPEG: an
 * APP1 XMP segment after the JFIF header; WebP: an "XMP " chunk (the file
 * becomes extended, VP8X).  The pixels decode as without it, and the same
 * job and pixels give the same bytes (no time, no host in the packet).
 * `axle which FILE` reads it back. */
int axle_image_encode_provenance(const axle_job *job, const axle_pixels *px,
                                 axle_codec codec, int quality, const char *source,
                                 void **out, size_t *outlen, char *err, size_t errlen);

/* Pixels to an image file in the job folder: axle_image_encode_provenance
 * (`source`: the name of the file the image came from, or NULL), then
 * axle_write_file (whole or not at all, registered), the encoded bytes
 * freed.  AXLE_OK, or the error with the job's message set, naming
 * `relpath` ("sheet.jpg: ...").
 *     return axle_write_image(job, "sheet.jpg", &px, AXLE_CODEC_JPEG, 90, NULL); */
int axle_write_image(axle_job *job, const char *relpath, const axle_pixels *px,
                     axle_codec codec, int quality, const char *source);

/* Adds the XMP packet `xmp` (xmplen bytes, "<?xpacket ..." or
 * "<x:xmpmeta ...") to an encoded JPEG, WebP or PNG (an iTXt chunk),
 * replacing an XMP packet it already has; `*out` is malloc'd.
 * AXLE_ETOOBIG for a packet over what one JPEG segment holds (65502
 * bytes); AXLE_EUNSUPPORTED for other codecs (AVIF gets its packet when
 * encoded: axle_image_encode_provenance_with). */
int axle_image_add_xmp(const void *data, size_t len, const char *xmp, size_t xmplen,
                       void **out, size_t *outlen, char *err, size_t errlen);

/* The XMP packet of an encoded JPEG, WebP, PNG (uncompressed iTXt) or
 * AVIF/HEIF (the first packet wrapper in the file), borrowed from `data`
 * (*xmplen bytes, not NUL-terminated), or NULL when it has none. */
const char *axle_image_xmp(const void *data, size_t len, size_t *xmplen);

/* The image digest: SHA-256 (64 hex digits and a NUL into `hex`) of an
 * encoded image's coded data without its metadata.  JPEG: every segment
 * but APPn and COM, and the scans; WebP: the image chunks (VP8, VP8L,
 * ALPH, ANIM, ANMF) but not VP8X, ICCP, EXIF, XMP or unknown ones; PNG:
 * the critical chunks and tRNS; AVIF/HEIF: the whole file.  So a copy
 * whose metadata a tool stripped or rewrote has the digest of the file as
 * written (not for AVIF); a re-encoded copy has another.  AXLE_EFORMAT for
 * data that is none of these, or whose containers do not add up. */
#define AXLE_DIGEST_HEX 65
int axle_image_digest(const void *data, size_t len, char hex[AXLE_DIGEST_HEX],
                      char *err, size_t errlen);

/* ---- output folders outside the job (issue 11: export `dest`) ---------- */

/* An option naming a folder the method keeps files in, outside the job
 * folder (an export's `dest`).  Resolved like AXLE_OPTION_PATH (against
 * the pipeline's folder, or the current one for a command-line value),
 * read with axle_opt_string (NULL when unset: give def "null"); unlike a
 * path option it need not exist, and what it holds is not an input: its
 * files do not enter the job's identity. */
#define AXLE_OPTION_OUTPUT_DIR(n, def, help) AXLE_OPT_(n, AXLE_OPT_OUTPUT_DIR, def, #def, 1.0, 0.0, NULL, help)

/* The pipeline step this job runs for ("export"). */
const char *axle_job_step(const axle_job *job);

/* Registers a file the method wrote outside the job folder, by absolute
 * path (a file in an AXLE_OPTION_OUTPUT_DIR folder).  Like a registered
 * file of the job folder, reuse checks its size and modification time: a
 * job whose outside file was deleted or changed since is built again.
 * The file must exist and be a regular file (AXLE_EIO naming it);
 * a relative path or a ".." component is AXLE_EINVAL. */
int axle_register_outside(axle_job *job, const char *abspath);
/* ---- name templates (issue 14: export `name`) -------------------------- */

/* An option holding a template: text with placeholders in braces, each
 * among `fields` ("dir|stem|ext"), as "{dir}/{stem}-small.{ext}".  Braces
 * only surround placeholders; there is no escape.  The core refuses an
 * unknown placeholder or a brace without its pair when it loads the
 * pipeline, at the value's FILE:LINE:COL.  Read with axle_opt_string
 * (NULL when unset: give def "null"); filling it in is the method's. */
#define AXLE_OPTION_TEMPLATE(n, def, fields, help) AXLE_OPT_(n, AXLE_OPT_TEMPLATE, def, #def, 1.0, 0.0, fields, help)

/* The core's check of a template: 0, or -1 with `err` saying what is
 * wrong ("unknown placeholder '{size}' (known: {dir}, {stem}, {ext})",
 * "'{' at character 7 is not closed"). */
int axle_template_check(const char *tmpl, const char *fields, char *err, size_t errlen);

/* ---- images by reference, encoded columns (issue 11) ------------------- */

/* An image cell that refers to a file instead of holding its bytes, as
 * import_images makes by default: `img` gives codec (JPEG or WebP), size,
 * channels and orientation (its data is not used); `path` is absolute;
 * `size` and `mtime_ns` (st_mtim as nanoseconds since the epoch) are the
 * file's when it was read.  Reading the cell (axle_cursor_image,
 * axle_rows_image) opens the file and checks both, so a photo changed or
 * removed since gives AXLE_ESTALE naming the file and the job that
 * recorded it, never other pixels.  A moved photo needs a new import. */
int axle_put_image_ref(axle_writer *w, int col, const axle_image *img, const char *path,
                       uint64_t size, int64_t mtime_ns);

/* The quality of a lossless bitstream. */
#define AXLE_QUALITY_LOSSLESS 255

/* axle_put_image for a bitstream this job encoded, with the quality it was
 * encoded at (1-100, or AXLE_QUALITY_LOSSLESS), so that a reader can pass
 * it on untouched when it would encode at that quality anyway. */
int axle_put_image_quality(axle_writer *w, int col, const axle_image *img, int quality);

/* The current image cell's recorded quality: 1-100, AXLE_QUALITY_LOSSLESS,
 * or 0 when unknown (raw pixels, an imported file, a null cell). */
int axle_cursor_image_quality(const axle_cursor *c);
int axle_rows_image_quality(axle_rows *r, int col);

/* The file a reference cell names (NUL-terminated, borrowed until the
 * next axle_cursor_next) and the size and mtime it recorded, without
 * opening it; NULL for a cell that holds its bytes.  size and mtime_ns
 * may be NULL. */
const char *axle_cursor_image_ref(const axle_cursor *c, uint64_t *size, int64_t *mtime_ns);

/* Encodes a computed image for storing in a dataset, small but faithful:
 * JPEG 4:4:4 at the coarsest quality from 95 up, in half steps, whose
 * pixels are within AXLE_STORE_MIN_PSNR of `px`, else lossless WebP;
 * images with alpha go to lossless WebP (exact, transparent pixels
 * included), grey with alpha stays raw.  *out is malloc'd (free()); *img
 * describes it (data = *out); *quality is the JPEG quality, or
 * AXLE_QUALITY_LOSSLESS, or 0 for a half step or raw pixels: store a
 * non-zero one with axle_put_image_quality, else axle_put_image.
 * Deterministic: the same pixels give the same bytes. */
#define AXLE_STORE_MIN_PSNR 45.0
int axle_image_encode_stored(const axle_pixels *px, axle_image *img, int *quality,
                             void **out, char *err, size_t errlen);

/* Lossless WebP of RGB or RGBA pixels, every value kept (also under
 * transparent pixels).  *out is malloc'd (free()). */
int axle_image_encode_lossless(const axle_pixels *px, void **out, size_t *outlen,
                               char *err, size_t errlen);

/* PSNR in dB of `b` against `a` over every channel value: INFINITY when
 * they are equal, -1 when their sizes or channels differ. */
double axle_pixels_psnr(const axle_pixels *a, const axle_pixels *b);

/* An encoded JPEG or WebP with the job's provenance XMP added (what
 * axle_image_encode_provenance writes), its coded data untouched: for a
 * stored bitstream passed on without re-encoding.  *out is malloc'd. */
int axle_image_add_provenance(const axle_job *job, const void *data, size_t len,
                              const char *source, void **out, size_t *outlen, char *err,
                              size_t errlen);

/* ---- sizes as users write them; crops, several sizes, finishing -------- */

/* Reads a size string into g->width, g->height and g->mode (crop and
 * upscale are left alone): "WxH" fits inside W x H, "N" inside N x N,
 * "Wx" fixes the width only and "xH" the height only (the other side
 * free, 0), and a trailing "!" ("300x200!") asks for exactly W x H,
 * aspect not kept (both sides needed).  Spaces around the parts are
 * allowed; "X" works as "x".  AXLE_EINVAL with what was wrong in err. */
int axle_parse_size(const char *text, axle_geometry *g, char *err, size_t errlen);

/* Option `name` of type AXLE_OPT_SIZE as a geometry (width, height and
 * mode; crop and upscale zero); AXLE_EINVAL when it is not one. */
int axle_opt_size(const axle_job *job, const char *name, axle_geometry *g);
/* Entry i of an AXLE_OPT_SIZES option (entries in the order of their
 * names, which axle_opt_string_at gives), as axle_opt_size. */
int axle_opt_size_at(const axle_job *job, const char *name, size_t i, axle_geometry *g);

/* Reads "#rrggbb", "#rgb" or white, black, grey (gray) into rgb.
 * AXLE_EINVAL with what was wrong in err. */
int axle_parse_colour(const char *text, uint8_t rgb[3], char *err, size_t errlen);
/* Option `name` of type AXLE_OPT_COLOUR into rgb; AXLE_EINVAL when unset. */
int axle_opt_colour(const axle_job *job, const char *name, uint8_t rgb[3]);

/* axle_image_to_size for n geometries from one decode: the image is
 * decoded once, at the reduced scale the largest of them needs.  Without
 * crops, out[i] is resized from the smallest earlier out[j] at least
 * twice its size on both sides (so put the largest first), else from the
 * decode; with crops, each is cut and resized from the decode (halved
 * first while it stays twice the result).  out[0] is byte for byte what
 * axle_image_to_size gives for g[0] when g[0] is the largest and no
 * geometry crops.  `flags` are axle_image_to_size's (AXLE_DECODE_PARTIAL,
 * AXLE_TO_SRGB, AXLE_TO_RGB), and the conversions apply to every out[i].
 * On error no out[i] is left allocated. */
int axle_images_to_sizes(const axle_image *img, const axle_geometry *g, size_t n,
                         uint64_t max_pixels, unsigned flags, axle_pixels *out,
                         char *err, size_t errlen);

/* Decodes this process has made (axle_image_decode and its kin): a
 * counter for tests and statistics, not for logic. */
uint64_t axle_image_decode_count(void);

/* A mild unsharp mask for after a downscale (colour channels only, alpha
 * kept), in place: each pixel gains half its difference from its 3x3
 * neighbours' mean.  AXLE_EINVAL / AXLE_ENOMEM. */
int axle_pixels_sharpen(axle_pixels *px);

/* Flattens alpha onto an opaque colour: grey+alpha becomes grey when the
 * colour is grey, else RGB; RGBA becomes RGB; images without alpha are
 * left as they are.  In place (*px is replaced).  AXLE_ENOMEM. */
int axle_pixels_flatten(axle_pixels *px, const uint8_t rgb[3]);

/* ---- export formats and metadata (issue 13 item 5) --------------------- */

/* How axle_image_encode_with encodes: the quality and what the file
 * carries besides its pixels.  Start from AXLE_ENCODE_OPTIONS(q), which
 * sets struct_size (the struct may grow at its end) and the defaults. */
typedef struct axle_encode_options {
    size_t struct_size;    /* sizeof(axle_encode_options) when built */
    int quality;           /* 1-100; PNG is lossless and ignores it */
    bool progressive;      /* JPEG: progressive scans (else baseline) */
    int subsampling;       /* JPEG and AVIF chroma: 420, 444, or 0 for the
                              default, 4:2:0 below quality 90 and 4:4:4 from
                              90 (grey images have no chroma to subsample) */
    const void *icc;       /* an ICC profile to embed (JPEG APP2, WebP ICCP,
                              PNG iCCP, AVIF colr), or NULL for none (sRGB
                              implied); it must fit the pixels (RGB or grey) */
    size_t icc_len;
    const void *exif;      /* EXIF to embed, a TIFF structure ("II*\0" or
                              "MM\0*", as axle_image_exif_for_export gives):
                              JPEG APP1 "Exif", WebP EXIF, PNG eXIf, AVIF
                              Exif item; NULL for none */
    size_t exif_len;
} axle_encode_options;

#define AXLE_ENCODE_OPTIONS(q) \
    ((axle_encode_options){sizeof(axle_encode_options), (q), false, 0, NULL, 0, NULL, 0})

/* axle_image_encode with options.  Codecs: JPEG, WebP, PNG (libpng: 8-bit
 * grey, grey+alpha, RGB, RGBA; the same pixels give the same bytes) and
 * AVIF (libheif with an AV1 encoder; AXLE_EUNSUPPORTED "AVIF encoding
 * needs libheif with an AV1 encoder" without one: see
 * axle_can_encode).  AXLE_EINVAL for options the codec has no use for
 * (progressive but JPEG, subsampling for WebP or PNG), a subsampling
 * other than 0, 420, 444, or a profile that does not fit the pixels;
 * err says which. */
int axle_image_encode_with(const axle_pixels *px, axle_codec codec,
                           const axle_encode_options *o, void **out, size_t *outlen,
                           char *err, size_t errlen);

/* Whether this libaxle writes `codec`: true for JPEG and WebP, for PNG
 * when built with libpng, for AVIF when libheif has an AV1 encoder at run
 * time; false otherwise, with the reason in err. */
bool axle_can_encode(axle_codec codec, char *err, size_t errlen);

/* axle_image_encode_provenance with options: the job's XMP packet goes in
 * with the EXIF and profile of `o` (PNG: an iTXt chunk
 * "XML:com.adobe.xmp"; AVIF: an XMP item). */
int axle_image_encode_provenance_with(const axle_job *job, const axle_pixels *px,
                                      axle_codec codec, const axle_encode_options *o,
                                      const char *source, void **out, size_t *outlen,
                                      char *err, size_t errlen);

/* Whether an ICC profile can describe pixels of `channels` (1-4): a grey
 * profile for 1-2 channels, an RGB one for 3-4, of a class an image
 * carries (not a device link, abstract or named-colour profile).  A CMYK
 * photo's profile does not fit its decoded RGB pixels. */
bool axle_icc_fits(const void *icc, size_t len, uint32_t channels);

/* An encoded JPEG or WebP with the ICC profile `icc` in place of the one
 * it had (if any), its coded data untouched: how the thumbnailer's
 * `colour: keep` makes a stored thumbnail carry its photo's profile (JPEG
 * APP2 segments, WebP ICCP chunk), which axle_image_icc reads back and
 * export embeds in its files.  *out is malloc'd (free()).
 * AXLE_EUNSUPPORTED for other codecs. */
int axle_image_add_icc(const void *data, size_t len, const void *icc, size_t icclen,
                       void **out, size_t *outlen, char *err, size_t errlen);

/* The EXIF of an encoded photo (JPEG APP1 "Exif", WebP EXIF chunk, PNG
 * eXIf chunk) made fit to travel with an exported copy of its pixels:
 * IFD1, the embedded thumbnail, is dropped (its bytes cut off the end or
 * zeroed), and the orientation tag set to 1, since the copy's pixels are
 * already upright.  Everything else is copied as it is, maker notes
 * included.  `*exif` is malloc'd (free()), or NULL with *len 0 when the
 * photo has no EXIF.  AXLE_EFORMAT with the reason for an EXIF block that
 * is not a TIFF structure. */
int axle_image_exif_for_export(const axle_image *img, void **exif, size_t *len,
                               char *err, size_t errlen);
/* ---- speed: decode quality levels (issue 12) ---------------------------- */

/* Flag of axle_image_decode_ex, axle_image_to_size and axle_images_to_sizes:
 * shrink-on-load with margin 1 instead of the default 2, for JPEG: the
 * smallest DCT scale that still covers the wanted size, the scale Pillow's
 * draft() picks.  About a third less decode work on large photos, within
 * the quality bar on photographs; fine periodic detail (a zone plate,
 * fabric) shows moire the default margin avoids.  A lossy JPEG XL's DC
 * pass (1/8) is used at margin 1 alike; other formats decode as without
 * the flag.  The thumbnailer's `quality: fast`. */
#define AXLE_DECODE_FAST 0x40u

/* A progressive JPEG decoded for a result at least twice smaller stops
 * after the scans the result can show (the refinement scans, about half
 * the decode, change it by less than its stored encoding does); the rest
 * of the file is only checked to be there.  The scans this process has
 * left undecoded so: a counter for tests and statistics. */
uint64_t axle_image_scans_skipped(void);
/* ---- photo metadata from the headers (issue 13 item 4: photometa) ------ */

/* What a photo says about itself in its EXIF and colour profile.  Text is
 * UTF-8 ("" when absent); numbers are NAN (0 for iso) when absent or
 * malformed.  import_images stores each field as a column, null where
 * absent. */
typedef struct axle_photo_meta {
    char taken[40];        /* DateTimeOriginal as ISO 8601 local time,
                              "2024-05-01T12:30:05", with SubSecTimeOriginal
                              (".25") and OffsetTimeOriginal ("+02:00")
                              appended when recorded */
    char make[64];         /* Make, "Canon" */
    char model[64];        /* Model, "Canon EOS R5" */
    char lens[128];        /* LensModel, "RF24-105mm F4 L IS USM" */
    char exposure[32];     /* ExposureTime as a reduced fraction: "1/250",
                              "2" (seconds), "5/2" */
    double exposure_time;  /* the same in seconds, 0.004 */
    double f_number;       /* FNumber, 5.6 */
    int64_t iso;           /* ISOSpeedRatings (PhotographicSensitivity), or
                              ISOSpeed where that says 65535 */
    double focal_length;   /* FocalLength in mm (not 35 mm equivalent) */
    double latitude;       /* GPS, signed decimal degrees: north and east */
    double longitude;      /* positive; both or neither */
    char profile[128];     /* the embedded ICC profile's description, as
                              axle_image_colour gives it */
} axle_photo_meta;

/* Reads `len` bytes at `offset` of a file into `buf`: AXLE_OK when all of
 * them were read, else < 0 (e.g. AXLE_EIO). */
typedef int axle_read_at_fn(void *ctx, uint64_t offset, void *buf, size_t len);

/* Reads `img`'s photo metadata from its headers (JPEG APP1 EXIF, PNG eXIf,
 * WebP EXIF, TIFF, the HEIF/AVIF Exif item; the ICC profile), never
 * decoding pixels.  img->data may be the whole file or the prefix
 * axle_image_probe_prefix left it pointing at, of a file of `file_size`
 * bytes.  A TIFF may keep its EXIF directories, and a HEIF its Exif item,
 * past that prefix (a HEIF often at the end of the file): they are then
 * read through `read_at` (NULL: left absent), only the bytes needed, at
 * most 64 KiB for a TIFF and 4 MiB for a HEIF's item.  AXLE_OK with *out
 * filled: a damaged or hostile EXIF, or a failed read_at, gives absent
 * fields, never an error.  AXLE_EINVAL for NULL img or out. */
int axle_image_photo_meta(const axle_image *img, uint64_t file_size,
                          axle_read_at_fn *read_at, void *ctx, axle_photo_meta *out);
/* ---- axle run --mpi: prepare again on the other ranks (issue 16) -------- */

/* 1 in a prepare that runs again on an MPI rank other than 0, only to
 * rebuild the memory that rank's slices inherit (writers, tables); 0
 * everywhere else.  There libaxle writes nothing (datasets, prepare
 * result, files, skipped items: rank 0's prepare wrote them); skip what
 * has effects of its own outside the job folder, such as taking a lock or
 * tidying an output folder. */
int axle_prepare_again(const axle_job *job);
/* ---- incremental chains (issue 11 items 2, 3, 8) ---------------------- */

/* A chain is a dataset made with `previous` (a *link*) and the datasets it
 * chains to.  A link holds the rows that are new or changed since its
 * previous dataset and the keys of the items removed; an item is named by
 * its value in the chain's key column (import's `filename`).  A chain's
 * *live rows* are those no newer link replaced (a row with the same key)
 * or removed: exactly the rows a cold build would have, in another order
 * (oldest link first, slice order within a link).  AXLE_ROWS_CHAIN reads
 * the live rows; a cursor reads one link.  See "Incremental chains" in
 * the guide. */

/* Declares the method row-wise: each output row depends only on its own
 * input row (and options), so a job may build on the method's earlier job
 * and process only what changed.  Write it once, beside AXLE_METHOD. */
#define AXLE_ROW_WISE                                                      \
    AXLE_EXPORT extern const int axle_row_wise;                            \
    AXLE_EXPORT const int axle_row_wise = 1

/* The job this one builds on (its folder), or NULL for a cold build.  The
 * core offers one to a row-wise method when an earlier complete job of
 * the step had the same method, options and slices, and each dataset
 * input of this job is a chain holding the dataset that job read. */
const char *axle_chain_base(const axle_job *job);
/* In prepare: build cold after all (the base cannot be built on: its
 * result cannot be updated, a name collides, ...); `why` goes to the log. */
int axle_chain_cold(axle_job *job, const char *why);
/* Dataset `name` of the base job (owned by the job), or NULL. */
axle_dataset *axle_chain_base_dataset(axle_job *job, const char *name);
/* The links of dataset input `input` this job processes, oldest first,
 * into *links (owned by the job; *n of them): with a base, the links newer
 * than the dataset the base read; without, every link of the chain (a
 * dataset that chains to nothing is one link). */
int axle_input_links(axle_job *job, const char *input, axle_dataset ***links, size_t *n);
/* Which rows of slice `sliceno` of links[link] (axle_input_links) are
 * live in the chain: *live gets one bool per row (malloc'd: free it),
 * *n rows.  A job mirroring older links writes a null row for a dead one
 * (its item was replaced or removed later) instead of working on it. */
int axle_link_live(axle_job *job, const char *input, size_t link, int sliceno,
                   bool **live, int64_t *n);
/* axle_writer_new whose `previous` is another writer of this job: a job
 * that mirrors several links of its input writes one link per link. */
axle_writer *axle_writer_new_after(axle_job *job, const char *name, axle_dataset *parent,
                                   axle_writer *previous);
/* Names the key column of the dataset (a string column of it).  A dataset
 * with a parent inherits its parent's key unless it names one. */
int axle_writer_key(axle_writer *w, const char *column);
/* Records that the item `key` is gone (the writer must have a previous):
 * rows of older links with this key are no longer live.  A dataset with a
 * parent and a previous inherits its parent's removed keys. */
int axle_writer_remove(axle_writer *w, const char *key);
/* The key column of a dataset, or NULL. */
const char *axle_dataset_key(const axle_dataset *ds);
/* The keys the link `ds` removed, NULL-terminated (owned by ds); NULL
 * with a message when they cannot be read. */
const char *const *axle_dataset_removed(axle_dataset *ds);
/* For a job built on a base over one new link of input `input`: the rows
 * live in the input the base read, and how many of those the new link
 * replaced or removed (*dropped).  A method whose result counts rows
 * carries the base's counts over: base's - dropped + the new link's. */
int axle_chain_counts(axle_job *job, const char *input, int64_t *base_live,
                      int64_t *dropped);
/* The job's recipe: the SHA-256 (64 hex digits) of its identity without
 * its inputs (method, .so, options, slices, libraries), the same for an
 * incremental job and a cold one.  Exported files carry it, not the job's
 * id or identity, so a file is the same bytes whichever job of a chain
 * wrote it ("" outside a job run by the core). */
const char *axle_job_recipe(const axle_job *job);
/* Live rows of ds's whole chain (all its rows without a chain), or -1. */
int64_t axle_dataset_live_rows(axle_job *job, axle_dataset *ds);
/* ---- a base's output folder taken over (issue 11 item 7, inc100k) ------ */

/* In prepare of a job built on a base (axle_chain_base): moves the base
 * job's folder `folder` (one name, such as "output") into this job with
 * one rename, removes from it the files `left_out` names (NULL-terminated,
 * paths relative to `folder`: the items the new link replaces or removes;
 * a name not there is no error, folders left empty go too) and makes
 * every other file the base registered below `folder` this job's, with
 * the size and time the base's manifest recorded: no work per carried
 * file.  The base is then superseded: its reuse check refuses it ("its
 * output/ moved to axle-work-9") and a run needing it again rebuilds it.
 * AXLE_OK also when the base has no such folder; under --mpi a no-op on
 * the other ranks. */
int axle_chain_take_folder(axle_job *job, const char *folder, const char *const *left_out);

/* ---- compaction without a cold build (issue 11 item 2, rebase) -------- */

/* At a chain's link limit the core builds a step on an older job of its
 * chain (the root, or a newer link that keeps the work bounded), not on
 * the step's newest job.  Files that newest job holds (a folder
 * axle_chain_take_folder takes over, a `dest` mirror) are those of the
 * input links it read beyond the base's: this gives those links of dataset
 * input `input`, oldest first, into *links (owned by the job; *n of them;
 * none when the base is the newest job).  The items they hold or remove
 * differ in those files from the base's: leave them out too. */
int axle_chain_newer_links(axle_job *job, const char *input, axle_dataset ***links,
                           size_t *n);

/* ---- thumbnails stored as export writes them (issue 12: one encode) ---- */

/* Whether an encoded cell, stored with the recorded quality `quality`
 * (axle_cursor_image_quality), is coded as axle_image_encode_with(px,
 * codec, o) codes pixels: same codec; JPEG at that quality, baseline or
 * progressive as o asks, with the chroma o gives (grey has none); lossy
 * WebP at that quality; PNG recorded lossless (AXLE_QUALITY_LOSSLESS);
 * upright (orientation 1), and o without EXIF, which the cell cannot
 * gain unencoded.  Then writing the cell as it is, with its own ICC
 * profile and the provenance XMP added (axle_image_add_provenance), gives
 * the file its decode re-encoded with that profile would: export_images
 * passes such cells through.  Never for AVIF, which takes its XMP only
 * when encoded.  The thumbnailer's `store: jpeg|webp|png` makes them. */
bool axle_image_encoded_as(const axle_image *img, int quality, axle_codec codec,
                           const axle_encode_options *o);

/* ---- metadata: keep from headers only, every format (issue 13: deep) -- */

/* axle_image_exif_for_export for a photo file of `file_size` bytes whose
 * first `len` bytes are at `head`, the rest read through `read_at` (may be
 * NULL: then only `head` is looked at), only the bytes needed: JPEG
 * segments up to the first scan, PNG chunks up to the image data, WebP
 * chunk headers, a HEIF/AVIF meta box and Exif item, a TIFF's
 * directories.  A TIFF (or DNG) gives IFD0's descriptive tags (make,
 * model, date, software, artist, copyright, description, resolution) and
 * its Exif and GPS directories, laid out anew without the maker note
 * (whose offsets point into the original file); axle_image_exif_for_export
 * does the same for a TIFF held whole.  *exif NULL when there is none. */
int axle_image_exif_for_export_at(const void *head, size_t len, uint64_t file_size,
                                  axle_read_at_fn *read_at, void *ctx, void **exif,
                                  size_t *exif_len, char *err, size_t errlen);

/* The current image cell's EXIF made fit for export, as above: a cell
 * that holds its bytes is read in memory; a reference cell's file is
 * opened and checked as axle_cursor_image checks it (AXLE_ESTALE when it
 * changed since its import), and only its headers are read, not the
 * whole photo.  AXLE_EINVAL for a null or non-image cell. */
int axle_cursor_image_exif(const axle_cursor *c, void **exif, size_t *len, char *err,
                           size_t errlen);
/* The same for column `col` of the current row of `r`: AXLE_OK with *exif
 * NULL for a null cell; an error (set as the job's message) otherwise. */
int axle_rows_image_exif(axle_rows *r, int col, void **exif, size_t *len);

/* ---- the core's file facts: an import without a second walk (issue 11
 * item 7: diff) ---------------------------------------------------------- */

/* One input file as the core found it for the job's identity: the path as
 * the expansion gives it (axle_expand_paths_report), its size and
 * modification time.  Valid until the next axle_file_facts_next. */
typedef struct axle_file_fact {
    const char *path;
    int64_t size;
    int64_t mtime_sec;
    long mtime_nsec;
} axle_file_fact;

typedef struct axle_file_facts axle_file_facts;

/* In prepare: the files of path option `option` exactly as `axle run`
 * listed and stat'ed them for this job's identity in this run, sorted
 * bytewise, each once, so a method need not walk and stat the collection a
 * second time.  They are facts of that moment: a file changed since
 * changes the next run's identity, and a reference to it is refused by
 * readers (AXLE_ESTALE).  NULL when the core has none to hand over: the
 * expansion left entries out (an unreadable folder, a FIFO) or failed, a
 * worker rank under --mpi, a job not started by `axle run`, or out of
 * memory; then expand (axle_expand_paths_report) and stat as before. */
axle_file_facts *axle_file_facts_open(axle_job *job, const char *option);
/* The next file, or NULL at the end or when the list is damaged (then
 * axle_file_facts_close says so). */
const axle_file_fact *axle_file_facts_next(axle_file_facts *f);
/* Back to the first file, for a second pass. */
void axle_file_facts_rewind(axle_file_facts *f);
/* Ends the reading: AXLE_OK, or AXLE_EFORMAT (the job's message set) when
 * the list was damaged or out of order.  NULL is fine. */
int axle_file_facts_close(axle_file_facts *f);

/* ---- a hash for in-memory tables (ABI 1.4) ------------------------------ */

/* A fast 64-bit hash of data[0..len), eight bytes a step, for a method's
 * own hash tables (names, keys).  It may change between versions of
 * libaxle: never store it, never put it in a result or a file. */
uint64_t axle_hash_bytes(const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* AXLE_AXLE_H */
