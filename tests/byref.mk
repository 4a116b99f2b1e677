# tests/byref.mk - import by reference and the encoded thumbnail column
# (issue 11 items 1 and 5).
check_LTLIBRARIES += tests/methods/test_alter.la
tests_methods_test_alter_la_SOURCES = tests/methods/test_alter.c
tests_methods_test_alter_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_alter_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_alter_la_LIBADD = lib/libaxle.la
BYREF_TESTS = tests/image/byref.sh tests/image/stored_thumbs.sh
TESTS += $(BYREF_TESTS)
EXTRA_DIST += $(BYREF_TESTS)
