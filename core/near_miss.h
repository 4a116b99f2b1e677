/* near_miss.h - exported names that look like misspelt entry points
 * (`analyse`, `Prepare`, `synthesize`), which axle would never call. */
#ifndef AXLE_NEAR_MISS_H
#define AXLE_NEAR_MISS_H

#include <stdbool.h>
#include <stddef.h>

/* Looks through the functions the ELF file on `fd` exports for names
 * within edit distance 2 of an entry point the method lacks (`have`:
 * prepare, analysis, synthesis), letters compared without case, and
 * describes them in `out` as "'analyse' (did you mean 'analysis'?)",
 * joined by ", ".  Returns how many were found; `out` is "" for none. */
size_t near_miss_find(int fd, const bool have[3], char *out, size_t outlen);

/* Optimal string alignment distance between a and b ignoring case
 * (insertions, deletions, substitutions and swaps of neighbours), stopping
 * early: any distance above `limit` is returned as limit + 1. */
size_t near_miss_distance(const char *a, const char *b, size_t limit);

#endif
