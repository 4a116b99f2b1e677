# tests/policy.mk - issue 10 items 3-5: the on_error policy, options checked
# early (at compile time, at load time, at each read), files written into
# the job folder.  Test methods and the shell tests that use them.
check_LTLIBRARIES += tests/methods/test_policy.la
tests_methods_test_policy_la_SOURCES = tests/methods/test_policy.c
tests_methods_test_policy_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_policy_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_policy_la_LIBADD = lib/libaxle.la
check_LTLIBRARIES += tests/methods/test_opt_misuse.la
tests_methods_test_opt_misuse_la_SOURCES = tests/methods/test_opt_misuse.c
tests_methods_test_opt_misuse_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_opt_misuse_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_opt_misuse_la_LIBADD = lib/libaxle.la
check_LTLIBRARIES += tests/methods/test_bad_default.la
tests_methods_test_bad_default_la_SOURCES = tests/methods/test_bad_default.c
tests_methods_test_bad_default_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_bad_default_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_bad_default_la_LIBADD = lib/libaxle.la
check_LTLIBRARIES += tests/methods/test_bad_choice.la
tests_methods_test_bad_choice_la_SOURCES = tests/methods/test_bad_choice.c
tests_methods_test_bad_choice_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_bad_choice_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_bad_choice_la_LIBADD = lib/libaxle.la
check_LTLIBRARIES += tests/methods/test_int_default.la
tests_methods_test_int_default_la_SOURCES = tests/methods/test_int_default.c
tests_methods_test_int_default_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_int_default_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_int_default_la_LIBADD = lib/libaxle.la
check_LTLIBRARIES += tests/methods/test_write_file.la
tests_methods_test_write_file_la_SOURCES = tests/methods/test_write_file.c
tests_methods_test_write_file_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_write_file_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_write_file_la_LIBADD = lib/libaxle.la

POLICY_TESTS = tests/sdk/on_error.sh tests/sdk/options_checked.sh tests/sdk/write_file.sh
TESTS += $(POLICY_TESTS)
EXTRA_DIST += $(POLICY_TESTS)
