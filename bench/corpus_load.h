/* corpus_load.h - the benchmark programs' way of taking a photo of the
 * corpus: read whole and probed, as a method gets it from its input.
 * Built with each program (bench/corpus_load.c on its cc line). */
#ifndef BENCH_CORPUS_LOAD_H
#define BENCH_CORPUS_LOAD_H

#include "axle/axle.h"

/* The bytes of the photo at `path`, probed into `img` (which points into
 * them: free them once done with `img`).  NULL, after a line on stderr
 * naming the photo and the reason, when it cannot be read or probed. */
void *bench_load_photo(const char *path, axle_image *img);

#endif
