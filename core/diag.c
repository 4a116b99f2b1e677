/* diag.c - the error line format shared by every part of the core. */
#include "diag.h"

#include <stdio.h>

static void
diag_vprint(const char *kind, const char *file, int line, int col,
            const char *fmt, va_list ap)
{
    if (file && line > 0)
        fprintf(stderr, "%s:%d:%d: %s: ", file, line, col, kind);
    else if (file)
        fprintf(stderr, "%s: %s: ", file, kind);
    else
        fprintf(stderr, "axle: %s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void
diag_error(const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vprint("error", file, line, col, fmt, ap);
    va_end(ap);
}

void
diag_warning(const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vprint("warning", file, line, col, fmt, ap);
    va_end(ap);
}

void
diag_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("  note: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
