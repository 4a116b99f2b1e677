/* json_read.c - reading a JSON file whole, then parsing it.
 *
 * jansson's json_loadfd asks read(2) for one byte at a time: 7,700 of an
 * import's 14,400 reads on 1,000 photos were the slices' part.N.json, and
 * a job.json listing 100,000 files took minutes on the board.  One
 * fstat, reads of the whole size, one json_loadb. */
#include "axle_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

json_t *
axle_internal_json_loadfd(int fd, size_t flags, json_error_t *jerr)
{
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size < 0 || st.st_size >= ((off_t)1 << 31)) {
        if (jerr) {
            memset(jerr, 0, sizeof *jerr);
            snprintf(jerr->text, sizeof jerr->text, "%s",
                     st.st_size >= ((off_t)1 << 31) ? "file too large for JSON (2 GiB or more)"
                                                   : strerror(errno));
        }
        return NULL;
    }
    size_t want = (size_t)st.st_size, len = 0;
    char *text = malloc(want + 1);
    if (!text) {
        if (jerr)
            snprintf(jerr->text, sizeof jerr->text, "out of memory");
        return NULL;
    }
    /* A file that grows while read is read as far as its size then. */
    ssize_t n;
    while (len < want && (n = read(fd, text + len, want - len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            if (jerr)
                snprintf(jerr->text, sizeof jerr->text, "%s", strerror(errno));
            free(text);
            return NULL;
        }
        len += (size_t)n;
    }
    json_t *v = json_loadb(text, len, flags, jerr);
    free(text);
    return v;
}
