# tests/chains.mk - incremental runs through dataset chains (issue 11
# items 2, 3 and 8).
CHAINS_TESTS = tests/chains/random.sh tests/chains/incremental.sh tests/chains/compaction.sh
# inc100k: the export takes its base's folder over (issue 11 item 7)
CHAINS_TESTS += tests/chains/carry.sh
# rebase: random edits across the chain's limit (compaction without a cold build)
CHAINS_TESTS += tests/chains/random_long.sh
TESTS += $(CHAINS_TESTS)
EXTRA_DIST += $(CHAINS_TESTS) tests/chains/lib_random.sh
CHAINS_UNIT_TESTS = tests/unit/test_dataset_chain
check_PROGRAMS += $(CHAINS_UNIT_TESTS)
TESTS += $(CHAINS_UNIT_TESTS)
tests_unit_test_dataset_chain_SOURCES = tests/unit/test_dataset_chain.c $(DATASET_TEST_UTIL)
tests_unit_test_dataset_chain_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_dataset_chain_LDADD = $(TEST_LIBS)
# diff (issue 11 item 7): the import takes the core's file facts; a photo
# changed in the window between the core's stat and the import's prepare
# (tests/window_shim.c runs a command at that moment).
CHAINS_TESTS_DIFF = tests/chains/facts.sh
TESTS += $(CHAINS_TESTS_DIFF)
EXTRA_DIST += $(CHAINS_TESTS_DIFF)
check_LTLIBRARIES += tests/window_shim.la
tests_window_shim_la_SOURCES = tests/window_shim.c
tests_window_shim_la_CFLAGS = $(WARN_CFLAGS)
tests_window_shim_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
tests_window_shim_la_LIBADD = -ldl
FACTS_UNIT_TESTS = tests/unit/test_file_facts
check_PROGRAMS += $(FACTS_UNIT_TESTS)
TESTS += $(FACTS_UNIT_TESTS)
tests_unit_test_file_facts_SOURCES = tests/unit/test_file_facts.c
tests_unit_test_file_facts_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_file_facts_LDADD = $(TEST_LIBS)
# trust6: a compaction's older base (a superseded one too) damaged by hand
# is refused, and the run says why
CHAINS_TESTS_TRUST6 = tests/chains/compaction_damaged.sh
TESTS += $(CHAINS_TESTS_TRUST6)
EXTRA_DIST += $(CHAINS_TESTS_TRUST6)
# axle_hash_bytes (lib/hash_bytes.c): the chain key maps' and the export's
# name sets' hash, an SDK call since ABI 1.4
HASH_UNIT_TESTS = tests/unit/test_hash_bytes
check_PROGRAMS += $(HASH_UNIT_TESTS)
TESTS += $(HASH_UNIT_TESTS)
tests_unit_test_hash_bytes_SOURCES = tests/unit/test_hash_bytes.c
tests_unit_test_hash_bytes_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_hash_bytes_LDADD = $(TEST_LIBS)
