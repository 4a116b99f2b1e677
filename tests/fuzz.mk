# tests/fuzz.mk - the libFuzzer harnesses (tests/fuzz/fuzz_NAME.c, seeds in
# tests/fuzz/seeds/NAME/), built by tests/fuzz/run.sh with clang into
# build-fuzz/.  `make check` runs each briefly; not in the sanitizer build,
# where the harnesses would be the same binaries again.
if !SANITIZERS
TESTS += tests/fuzz/brief.sh
endif
EXTRA_DIST += tests/fuzz/brief.sh tests/fuzz/run.sh tests/fuzz/lsan.supp tests/fuzz/make_seeds.py \
	tests/fuzz/fuzz_dataset.c tests/fuzz/fuzz_image.c tests/fuzz/fuzz_pipeline.c \
	tests/fuzz/fuzz_exif.c tests/fuzz/fuzz_jpeg_huffman.c \
	tests/fuzz/seeds
