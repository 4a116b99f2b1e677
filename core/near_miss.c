/* near_miss.c - misspelt entry points, found among the exported names.
 *
 * The loader looks up exactly prepare, analysis and synthesis; a method
 * that defines `analyse` instead builds, loads and silently never runs
 * its slices.  Its .dynsym says what it meant. */
#include "near_miss.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "elf_symbols.h"

static const char *const entry_points[3] = {"prepare", "analysis", "synthesis"};

#define MAX_NAME 64 /* longer names are never within 2 of an entry point */

static int
fold(char c)
{
    return tolower((unsigned char)c);
}

size_t
near_miss_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAX_NAME || lb > MAX_NAME || (la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    /* d[i][j]: the distance between the first i letters of a and the
     * first j of b. */
    unsigned char d[MAX_NAME + 1][MAX_NAME + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (unsigned char)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (unsigned char)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            unsigned best = d[i - 1][j - 1] + (fold(a[i - 1]) != fold(b[j - 1]));
            if (d[i - 1][j] + 1u < best)
                best = d[i - 1][j] + 1u;
            if (d[i][j - 1] + 1u < best)
                best = d[i][j - 1] + 1u;
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]) && d[i - 2][j - 2] + 1u < best)
                best = d[i - 2][j - 2] + 1u; /* two neighbours swapped */
            d[i][j] = (unsigned char)best;
        }
    return d[la][lb] > limit ? limit + 1 : d[la][lb];
}

/* The missing entry point `name` comes closest to, or NULL. */
static const char *
meant(const char *name, const bool have[3])
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t e = 0; e < 3; e++) {
        if (have[e] || strcmp(name, entry_points[e]) == 0)
            continue;
        size_t d = near_miss_distance(name, entry_points[e], 2);
        if (d < best_d) {
            best = entry_points[e];
            best_d = d;
        }
    }
    return best;
}

size_t
near_miss_find(int fd, const bool have[3], char *out, size_t outlen)
{
    if (outlen)
        out[0] = '\0';
    if (have[0] && have[1] && have[2])
        return 0;
    char **names = elf_exported_functions(fd);
    size_t found = 0, used = 0;
    for (size_t i = 0; names && names[i]; i++) {
        const char *m = meant(names[i], have);
        if (!m)
            continue;
        int n = snprintf(out + used, outlen - used, "%s'%s' (did you mean '%s'?)",
                         found ? ", " : "", names[i], m);
        if (n > 0 && (size_t)n < outlen - used)
            used += (size_t)n;
        found++;
    }
    elf_names_free(names);
    return found;
}
