/* dataset_format.h - the on-disk dataset format, private to libaxle.
 *
 * A dataset is the folder JOBDIR/ds/NAME.  Once its job is finished it
 * holds meta.json (readable JSON, written only by
 * axle_internal_datasets_finish) and one file per column per slice:
 *
 *   meta.json        {"format": "axle-dataset", "version": 1, "name",
 *                     "slices", "rows": [per slice], "parent", "previous",
 *                     "columns": [{"name", "type", "location", "files":
 *                     [per slice, null when empty], "nulls": [per slice],
 *                     "min", "max"}]}
 *   I-NAME.S         column number I (of the writer that made it), slice S
 *
 * "location", "parent" and "previous" are paths relative to the dataset's
 * own folder ("." for its own files, "../../axle-work-3/ds/default" for a
 * column linked from a parent), so a workdir can be moved as a whole.
 *
 * Column files have no header; meta.json says how to read them:
 *   int64, float64  8 bytes per row, little-endian (host order: x86/ARM LE)
 *   bool            1 byte per row (0 or 1)
 *   fixed-width columns with nulls > 0 in a slice are followed by a null
 *   bitmap of ceil(rows / 8) bytes, bit (row % 8) of byte (row / 8) set
 *   for a null row; a null row's value bytes are zero.
 *   string, bytes, json, image: per row a LEB128 varint n; n = 0 is null,
 *   else n - 1 payload bytes follow.  An image's payload is a 12-byte
 *   header (codec, channels, orientation, quality, width u32le, height
 *   u32le) then the codec's bytes.
 *   Format minor 1 (meta.json "minor": 1; minor 0 cells read the same):
 *   - quality: the quality the bitstream was encoded at, 1-100, or
 *     DS_QUALITY_LOSSLESS; 0 (always, in minor 0) for unknown;
 *   - a codec byte with DS_IMAGE_REF set is a *reference*: the image is
 *     the file whose absolute path ends the cell, after its size (u64le)
 *     and modification time in ns (i64le) when it was recorded; readers
 *     open it and check both (image_ref.c).  A minor-0 reader calls it
 *     an unknown codec rather than misreading it.
 *
 * Chains (dataset_chain.c): meta.json "key" names the column whose value
 * names an item across a chain's links (null: none), "removed" the file
 * (relative path, or null) of the keys this link removed, DS_REMOVED, one
 * JSON string per line; both inherited from the parent when not set.  A
 * reader before them reads a chain whole, dead rows too.
 *
 * While the job runs, each process that closes a writer leaves
 * part.S.json (slice S) or part.STAGE.json (prepare/synthesis) beside the
 * column files it wrote; finishing merges them into meta.json. */
#ifndef AXLE_DATASET_FORMAT_H
#define AXLE_DATASET_FORMAT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axle_internal.h"

#define DS_FORMAT_NAME "axle-dataset"
#define DS_FORMAT_VERSION 1
/* Added to, never changed in meaning: see the image cells above. */
#define DS_FORMAT_MINOR 1
#define DS_META "meta.json"
#define DS_IMAGE_HEADER 12
/* Image cells of format minor 1: the codec byte's flag for a reference,
 * the fixed bytes after the header (size, mtime), the quality byte of a
 * lossless bitstream. */
#define DS_IMAGE_REF 0x80
#define DS_IMAGE_REF_FIXED 16
#define DS_QUALITY_LOSSLESS 255
/* Far above what a workdir is made with; it only bounds what a damaged
 * meta.json can make a reader allocate. */
#define DS_MAX_SLICES 65536
/* Datasets a chain of `previous` links may hold before a reader calls it
 * damaged (a loop), far above what compaction leaves. */
#define DS_MAX_CHAIN 10000
/* Per-column write buffer: large enough that a syscall moves ~1 MiB. */
#define DS_WRITE_BUFFER (1u << 20)

/* A column as a reader sees it (from meta.json). */
struct ds_column {
    char *name;
    axle_type type;
    char *dir;        /* absolute folder holding this column's files */
    char **files;     /* per slice: base name in dir, or NULL when empty */
    int64_t *nulls;   /* per slice */
};

struct axle_dataset {
    char *path;       /* absolute, canonical */
    char *name;
    int slices;
    int64_t *rows;    /* per slice */
    int ncolumns;
    struct ds_column *columns;
    char *parent;     /* absolute, or NULL */
    char *previous;   /* absolute, or NULL */
    axle_dataset *previous_ds; /* opened lazily, owned */
    axle_dataset *newer;       /* the dataset owning this one, or NULL */
    char *previous_err;        /* why `previous` could not be opened */
    json_t *meta;     /* the parsed meta.json, for min/max */
    /* Chains (dataset_chain.c): the key column naming an item across
     * links, and the file listing the keys this link removed. */
    char *key;        /* or NULL */
    char *removed_path; /* absolute, or NULL */
    char **removed;   /* loaded on first use, NULL-terminated */
    char *removed_err;
};

union ds_fixed {
    int64_t i;
    double f;
    uint8_t b;
};

/* A column being written, in this process's current part. */
struct ds_wcol {
    char *name;
    char *file;        /* base name: "I-NAME" */
    axle_type type;
    int width;         /* ds_type_width */
    int fd;            /* -1 when no part is open */
    uint8_t *buf;      /* DS_WRITE_BUFFER bytes */
    size_t len;        /* bytes waiting in buf */
    uint64_t flushed;  /* bytes already in the file */
    uint64_t row_start;/* file offset where the current row began */
    bool set;          /* set in the current row */
    bool null;         /* the value staged in this row is null */
    union ds_fixed v;  /* staged fixed-width value */
    int64_t nulls;     /* in this part */
    bool have_minmax;
    union ds_fixed min, max;
    uint8_t *bitmap;   /* nulls of a fixed column, NULL until the first */
    size_t bitmap_cap;
};

struct axle_writer {
    axle_job *job;
    char *name;
    char *dir;         /* JOBDIR/ds/NAME */
    char *parent;      /* absolute folder, or NULL */
    char *previous;    /* absolute folder, or NULL */
    int64_t *parent_rows;
    int ncols, capcols;
    struct ds_wcol *cols;
    bool started;      /* a value was put: no more columns */
    bool failed;       /* an I/O error left the part unusable */
    bool open;         /* a part is open in the context below */
    int open_slice;    /* job->sliceno when it was opened */
    const char *open_stage;
    int target;        /* the slice the part's rows belong to */
    int64_t rows;      /* complete rows in the open part */
    int nset;          /* columns set in the current row */
    char last_key[32]; /* part key last written ("" none) */
    char *key;         /* axle_writer_key's column, or NULL */
    struct axle_writer *next; /* this process's writers */
};

/* ---- writer internals (dataset_writer.c) ---- */

/* Makes sure a part is open for the current stage and slice. */
int ds_writer_ensure_part(axle_writer *w);

/* The per-value fast path of ds_writer_ensure_part: the open part is this
 * process's (same slice and stage) and healthy. */
static inline bool
ds_writer_part_ready(const axle_writer *w)
{
    return w->open && !w->failed && w->open_slice == w->job->sliceno &&
           w->open_stage == w->job->stage;
}
/* Writes out c's buffer; AXLE_OK or AXLE_EIO with a message. */
int ds_writer_flush(axle_writer *w, struct ds_wcol *c);
/* Drops the partly set current row. */
void ds_writer_rollback_row(axle_writer *w);

/* ---- types ---- */

/* Bytes per row for fixed-width types, 0 for variable-width ones. */
int ds_type_width(axle_type t);
/* The type named `name`, or 0. */
axle_type ds_type_parse(const char *name);

/* ---- checks ---- */

bool ds_utf8_valid(const char *s, size_t len);
/* Names of datasets: a plain folder name, not hidden, not too long. */
bool ds_name_ok(const char *name);

/* ---- varints ---- */

/* Encodes v at p (room for 10 bytes); returns bytes used. */
static inline size_t
ds_varint_put(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

/* Decodes at p (at most `avail` bytes); returns bytes used, 0 if bad. */
static inline size_t
ds_varint_get(const uint8_t *p, size_t avail, uint64_t *v)
{
    uint64_t r = 0;
    for (size_t i = 0; i < avail && i < 10; i++) {
        r |= (uint64_t)(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
            *v = r;
            return i + 1;
        }
    }
    return 0;
}

/* A little-endian u32 at p (image cell headers). */
static inline uint32_t
ds_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* ---- files and paths ---- */

/* Writes all of buf to fd (retrying short writes); 0 or -1 with errno. */
int ds_write_all(int fd, const void *buf, size_t len);
/* Writes `text` to path through a temporary name and rename(). */
int ds_write_file_atomic(const char *path, const char *text, char *err,
                         size_t errlen);
/* malloc'd "a/b"; NULL on out of memory. */
char *ds_join(const char *a, const char *b);
/* malloc'd canonical absolute path of an existing file or folder. */
char *ds_realpath(const char *path);
/* malloc'd path of `to` relative to folder `from` (both absolute and
 * canonical): "." when equal, else "../..." as needed. */
char *ds_relative(const char *from, const char *to);
/* Loads a JSON file; NULL with a message naming the file. */
json_t *ds_load_json(const char *path, char *err, size_t errlen);

/* ---- reference image cells (image_ref.c) ---- */

/* What a cursor keeps to read referenced images: the file's bytes of the
 * current cell, and why the last one could not be read. */
struct ds_ref_reader {
    uint8_t *buf;
    size_t cap;
    char path[4096];  /* axle_cursor_image_ref's answer */
    char err[4400];
};
/* Longest path a reference cell may hold (with its NUL: path above). */
#define DS_REF_PATH_MAX 4095

/* The referenced file of a cell (header DS_IMAGE_HEADER + fixed + path,
 * checked by the cursor) read into r->buf, *out pointing at it; the
 * column's folder `coldir` names the import job in messages.  AXLE_ESTALE
 * when the file is missing or changed since it was recorded, AXLE_EIO
 * when it cannot be read, with r->err set. */
int ds_ref_load(struct ds_ref_reader *r, const uint8_t *cell, size_t len,
                const char *coldir, axle_image *out);
/* The referenced file's EXIF made fit for export (axle_cursor_image_exif):
 * the same checks as ds_ref_load, then only the file's headers read.
 * AXLE_EFORMAT for an EXIF block that is not usable, with r->err set. */
int ds_ref_exif(struct ds_ref_reader *r, const uint8_t *cell, size_t len,
                const char *coldir, void **exif, size_t *exif_len);
/* The path, size and mtime a reference cell records (path not
 * NUL-terminated: *pathlen bytes). */
void ds_ref_fields(const uint8_t *cell, size_t len, const char **path, size_t *pathlen,
                   uint64_t *size, int64_t *mtime_ns);

/* ---- chains (dataset_chain.c) ---- */

/* The file of a link's removed keys: one JSON string per line. */
#define DS_REMOVED "removed.jsonl"
/* Reads "key" and "removed" of meta.json into ds. */
int ds_chain_load_meta(axle_dataset *ds, char *err, size_t errlen);
void ds_chain_free(axle_dataset *ds);
/* meta.json's "key" and "removed" for a dataset being finished in folder
 * `dir` (canonical), from its parts' key and its parent (may be NULL). */
json_t *ds_chain_meta_key(json_t *part, const axle_dataset *parent);
json_t *ds_chain_meta_removed(const char *dir, json_t *part,
                              const axle_dataset *parent);

/* Which rows of a chain are live: every key of the links newer than the
 * oldest, with the newest link that holds or removes it. */
typedef struct ds_live ds_live;
/* True when the chain has several links and every one names a key: else
 * every row is live (a chain made without keys is read whole). */
bool ds_chain_keyed(axle_dataset **chain, int n);
/* Built over chain[0..n) (oldest first); NULL with the job's message set. */
ds_live *ds_live_build(axle_job *job, axle_dataset **chain, int n);
/* True when the row of link `link` with key `key` is live. */
bool ds_live_row(const ds_live *l, int link, const char *key, size_t len);
void ds_live_free(ds_live *l);
/* The live rows of a keyed chain chain[0..n), n >= 2, into *live, and of
 * chain[0..n-1) (the chain before its newest link) into *live_before: one
 * pass over the rows, where counting each chain alone reads every row
 * twice.  AXLE_OK, or an error with the job's message set. */
int ds_live_counts(axle_job *job, axle_dataset **chain, int n, int64_t *live,
                   int64_t *live_before);

/* JSON for a float min/max: a number, or "inf"/"-inf" (JSON has none). */
json_t *ds_json_double(double v);

#endif
