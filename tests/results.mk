# tests/results.mk - the row reader (axle_rows), structured slice results
# (axle_result_*) and the JSON builder (axle_json); a method using them
# end to end, whose run line must show floats in their shortest form.
RESULTS_UNIT_TESTS = tests/unit/test_rows tests/unit/test_results
check_PROGRAMS += $(RESULTS_UNIT_TESTS)
TESTS += $(RESULTS_UNIT_TESTS) tests/core/results.sh tests/sdk/guide_results.sh
EXTRA_DIST += tests/core/results.sh tests/sdk/guide_results.sh

tests_unit_test_rows_SOURCES = tests/unit/test_rows.c $(DATASET_TEST_UTIL)
tests_unit_test_rows_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_rows_LDADD = $(TEST_LIBS)

tests_unit_test_results_SOURCES = tests/unit/test_results.c $(DATASET_TEST_UTIL)
tests_unit_test_results_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_results_LDADD = $(TEST_LIBS) -lm

check_LTLIBRARIES += tests/methods/test_results.la
tests_methods_test_results_la_SOURCES = tests/methods/test_results.c
tests_methods_test_results_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_results_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_results_la_LIBADD = lib/libaxle.la
