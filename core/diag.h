/* diag.h - error messages in the one format users and tools parse:
 * "FILE:LINE:COL: error: MESSAGE" where a place is known, else
 * "axle: error: MESSAGE". */
#ifndef AXLE_DIAG_H
#define AXLE_DIAG_H

#include "axle/axle.h"

/* file may be NULL; line/col 0 leave the place out. */
void diag_error(const char *file, int line, int col, const char *fmt, ...)
    AXLE_PRINTF(4, 5);
void diag_warning(const char *file, int line, int col, const char *fmt, ...)
    AXLE_PRINTF(4, 5);
/* A note line under an error ("  did you mean ..."), same place rules. */
void diag_note(const char *fmt, ...) AXLE_PRINTF(1, 2);

#endif
