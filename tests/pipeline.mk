# tests/pipeline.mk - unit tests of the pipeline loader, params and option
# validation.  The core files they test are built once, into a convenience
# library, with the same flags the core uses.
check_LTLIBRARIES += tests/libpipeline_core.la
tests_libpipeline_core_la_SOURCES = core/yaml_doc.c core/params.c core/pipeline.c \
	core/options.c core/diag.c core/fsutil.c
tests_libpipeline_core_la_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(JANSSON_CFLAGS)

PIPELINE_UNIT_TESTS = tests/unit/test_yaml_doc tests/unit/test_pipeline \
	tests/unit/test_options
check_PROGRAMS += $(PIPELINE_UNIT_TESTS)
TESTS += $(PIPELINE_UNIT_TESTS)

PIPELINE_TEST_UTIL = tests/unit/test_pipeline_util.c tests/unit/test_pipeline_util.h
PIPELINE_TEST_LDADD = tests/libpipeline_core.la $(TEST_LIBS) $(YAML_LIBS)

tests_unit_test_yaml_doc_SOURCES = tests/unit/test_yaml_doc.c $(PIPELINE_TEST_UTIL)
tests_unit_test_yaml_doc_CFLAGS = $(TEST_CFLAGS) $(YAML_CFLAGS)
tests_unit_test_yaml_doc_LDADD = $(PIPELINE_TEST_LDADD)

tests_unit_test_pipeline_SOURCES = tests/unit/test_pipeline.c $(PIPELINE_TEST_UTIL)
tests_unit_test_pipeline_CFLAGS = $(TEST_CFLAGS) $(YAML_CFLAGS)
tests_unit_test_pipeline_LDADD = $(PIPELINE_TEST_LDADD)

tests_unit_test_options_SOURCES = tests/unit/test_options.c $(PIPELINE_TEST_UTIL)
tests_unit_test_options_CFLAGS = $(TEST_CFLAGS) $(YAML_CFLAGS)
tests_unit_test_options_LDADD = $(PIPELINE_TEST_LDADD)
