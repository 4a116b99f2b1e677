/* test_pipeline_util.h - what the pipeline, params and options tests
 * share: a scratch folder to work in, files written from the test, and
 * stderr captured so diagnostics can be compared as text. */
#ifndef TEST_PIPELINE_UTIL_H
#define TEST_PIPELINE_UTIL_H

#include <stddef.h>

/* Creates a fresh scratch folder and makes it the current folder;
 * returns its absolute (physical) path.  tp_leave removes it. */
const char *tp_enter(void);
void tp_leave(void);
/* Writes `text` to `path` (relative to the current folder), creating its
 * folders. */
void tp_write(const char *path, const char *text);
/* Captures what is written to stderr between the two calls; the text is
 * malloc'd. */
void tp_capture(void);
char *tp_captured(void);
/* Seconds since an arbitrary start, for "returns quickly" checks. */
double tp_now(void);

#endif
