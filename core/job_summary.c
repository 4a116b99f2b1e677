/* job_summary.c - JOBDIR/summary.json (job_summary.h). */
#include "job_summary.h"

#include <stdio.h>

#include "fsutil.h"
#include "job_record.h"

json_t *
job_summary_of(json_t *j)
{
    static const char *const kept[] = {"id", "step", "method", "status",
                                       "finished", "seconds", "error"};
    json_t *s = json_object();
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        json_t *v = json_object_get(j, kept[i]);
        if (v)
            json_object_set(s, kept[i], v);
    }
    json_object_set_new(s, "files", json_integer((json_int_t)job_record_count(j, "files")));
    json_object_set_new(s, "skipped",
                        json_integer((json_int_t)job_record_count(j, "skipped")));
    return s;
}

int
job_summary_write(const char *jobdir, json_t *jobjson)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", jobdir, JOB_SUMMARY_NAME);
    json_t *s = job_summary_of(jobjson);
    int rc = s ? fs_write_json(path, s) : -1;
    json_decref(s);
    return rc;
}
