# tests/dataset.mk - unit tests of datasets (writer, reader, finish, links,
# slices) and of `axle ds`, plus the dataset benchmark program.
DATASET_UNIT_TESTS = tests/unit/test_dataset_types tests/unit/test_dataset_errors \
	tests/unit/test_dataset_links tests/unit/test_dataset_slices \
	tests/unit/test_dataset_cli tests/unit/test_dataset_damage
check_PROGRAMS += $(DATASET_UNIT_TESTS)
TESTS += $(DATASET_UNIT_TESTS) tests/dataset/damaged.sh
EXTRA_DIST += tests/dataset/damaged.sh

DATASET_TEST_UTIL = tests/unit/test_dataset_util.c tests/unit/test_dataset_util.h

tests_unit_test_dataset_types_SOURCES = tests/unit/test_dataset_types.c $(DATASET_TEST_UTIL)
tests_unit_test_dataset_types_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_dataset_types_LDADD = $(TEST_LIBS) -lm

tests_unit_test_dataset_errors_SOURCES = tests/unit/test_dataset_errors.c $(DATASET_TEST_UTIL)
tests_unit_test_dataset_errors_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_dataset_errors_LDADD = $(TEST_LIBS)

tests_unit_test_dataset_links_SOURCES = tests/unit/test_dataset_links.c $(DATASET_TEST_UTIL)
tests_unit_test_dataset_links_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_dataset_links_LDADD = $(TEST_LIBS)

tests_unit_test_dataset_damage_SOURCES = tests/unit/test_dataset_damage.c $(DATASET_TEST_UTIL)
tests_unit_test_dataset_damage_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_dataset_damage_LDADD = $(TEST_LIBS)

tests_unit_test_dataset_slices_SOURCES = tests/unit/test_dataset_slices.c $(DATASET_TEST_UTIL)
tests_unit_test_dataset_slices_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_dataset_slices_LDADD = $(TEST_LIBS)

# `axle ds` itself (core/cli_ds.c), with REF resolution stubbed in the test.
tests_unit_test_dataset_cli_SOURCES = tests/unit/test_dataset_cli.c $(DATASET_TEST_UTIL) \
	core/cli_ds.c core/diag.c
tests_unit_test_dataset_cli_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_dataset_cli_LDADD = $(TEST_LIBS) -lm

# bench/dataset_bench.sh drives it: `make bench/dataset_bench`.
noinst_PROGRAMS += bench/dataset_bench
bench_dataset_bench_SOURCES = bench/dataset_bench.c
bench_dataset_bench_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
bench_dataset_bench_LDADD = lib/libaxle.la $(JANSSON_LIBS)
EXTRA_DIST += bench/dataset_bench.sh
