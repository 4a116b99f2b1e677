# tests/core.mk - the core's tests: test methods and shell tests.
TEST_METHODS = test_counter test_crasher test_bad_abi test_no_entry \
	test_not_method test_misnamed test_misbehave test_abi_1_0
check_LTLIBRARIES += tests/methods/test_counter.la tests/methods/test_crasher.la \
	tests/methods/test_bad_abi.la tests/methods/test_no_entry.la \
	tests/methods/test_not_method.la tests/methods/test_misnamed.la \
	tests/methods/test_misbehave.la tests/methods/test_abi_1_0.la
tests_methods_test_abi_1_0_la_SOURCES = tests/methods/test_abi_1_0.c
tests_methods_test_abi_1_0_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_abi_1_0_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_abi_1_0_la_LIBADD = lib/libaxle.la
tests_methods_test_counter_la_SOURCES = tests/methods/test_counter.c
tests_methods_test_counter_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_counter_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_counter_la_LIBADD = lib/libaxle.la
tests_methods_test_crasher_la_SOURCES = tests/methods/test_crasher.c
tests_methods_test_crasher_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_crasher_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_crasher_la_LIBADD = lib/libaxle.la
tests_methods_test_bad_abi_la_SOURCES = tests/methods/test_bad_abi.c
tests_methods_test_bad_abi_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_bad_abi_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_bad_abi_la_LIBADD = lib/libaxle.la
tests_methods_test_no_entry_la_SOURCES = tests/methods/test_no_entry.c
tests_methods_test_no_entry_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_no_entry_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_no_entry_la_LIBADD = lib/libaxle.la
tests_methods_test_not_method_la_SOURCES = tests/methods/test_not_method.c
tests_methods_test_not_method_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_not_method_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_not_method_la_LIBADD = lib/libaxle.la
tests_methods_test_misnamed_la_SOURCES = tests/methods/test_misnamed.c
tests_methods_test_misnamed_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_misnamed_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_misnamed_la_LIBADD = lib/libaxle.la
check_LTLIBRARIES += tests/methods/test_transient.la
tests_methods_test_transient_la_SOURCES = tests/methods/test_transient.c
tests_methods_test_transient_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_transient_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_transient_la_LIBADD = lib/libaxle.la
check_LTLIBRARIES += tests/methods/test_register.la
tests_methods_test_register_la_SOURCES = tests/methods/test_register.c
tests_methods_test_register_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_register_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_register_la_LIBADD = lib/libaxle.la
tests_methods_test_misbehave_la_SOURCES = tests/methods/test_misbehave.c
tests_methods_test_misbehave_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_misbehave_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_misbehave_la_LIBADD = lib/libaxle.la
check_LTLIBRARIES += tests/methods/test_gate.la
tests_methods_test_gate_la_SOURCES = tests/methods/test_gate.c
tests_methods_test_gate_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_gate_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_gate_la_LIBADD = lib/libaxle.la

CORE_TESTS = tests/core/reuse.sh tests/core/identity.sh tests/core/slices.sh \
	tests/core/interrupt.sh tests/core/concurrent.sh tests/core/loader.sh \
	tests/core/cli.sh tests/core/full_disk.sh tests/core/stages.sh \
	tests/core/descendants.sh tests/core/stage_logs.sh tests/core/vanished.sh
CORE_TESTS += tests/core/libaxle.sh tests/core/transient.sh tests/core/tamper.sh \
	tests/core/registered.sh
CORE_TESTS += tests/core/workdir.sh tests/core/tmpfiles.sh tests/core/inputs.sh \
	tests/core/special_files.sh
CORE_TESTS += tests/core/history.sh tests/core/live.sh
# noop: the identity's stat per photo through its folder
CORE_TESTS += tests/core/input_folders.sh
# noop2: a run numbered from the end of runs.jsonl
CORE_TESTS += tests/core/history_tail.sh
# every tracked file in `make dist`
CORE_TESTS += tests/core/dist_complete.sh
TESTS += $(CORE_TESTS)
EXTRA_DIST += $(CORE_TESTS)

# Unit tests of the core's identity and workdir code.
check_PROGRAMS += tests/unit/test_identity
TESTS += tests/unit/test_identity
tests_unit_test_identity_SOURCES = tests/unit/test_identity.c core/identity.c \
	core/libaxle_digest.c \
	core/digest.c core/workdir.c core/fsutil.c core/diag.c
tests_unit_test_identity_CFLAGS = $(TEST_CFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_identity_LDADD = $(TEST_LIBS) $(CRYPTO_LIBS)

# The atomic file writer (lib/atomic_file.c) against planted links.
check_PROGRAMS += tests/unit/test_atomic_file
TESTS += tests/unit/test_atomic_file
tests_unit_test_atomic_file_SOURCES = tests/unit/test_atomic_file.c \
	tests/unit/test_dataset_util.c tests/unit/test_dataset_util.h
tests_unit_test_atomic_file_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_atomic_file_LDADD = $(TEST_LIBS)

# Misspelt entry points (core/near_miss.c): built as an author builds
# them, every non-static function exported, so the loader can see the
# misspelt names in their .dynsym.
check_LTLIBRARIES += tests/methods/test_typo.la tests/methods/test_typo_only.la
TYPO_MODULE_FLAGS = $(AM_LDFLAGS) -module -avoid-version -no-undefined -shared -rpath /nowhere
tests_methods_test_typo_la_SOURCES = tests/methods/test_typo.c
tests_methods_test_typo_la_LDFLAGS = $(TYPO_MODULE_FLAGS)
tests_methods_test_typo_la_LIBADD = lib/libaxle.la
tests_methods_test_typo_only_la_SOURCES = tests/methods/test_typo_only.c
tests_methods_test_typo_only_la_LDFLAGS = $(TYPO_MODULE_FLAGS)
tests_methods_test_typo_only_la_LIBADD = lib/libaxle.la
CORE_TESTS += tests/core/near_miss.sh tests/core/pipeline_name.sh
CORE_TESTS += tests/core/latest.sh tests/core/gc.sh
# scale: a job's lists and manifest as files in its folder
CORE_TESTS += tests/core/lists.sh

# The near-miss distance and the ELF reader on files that are not what
# they claim.
check_PROGRAMS += tests/unit/test_near_miss
TESTS += tests/unit/test_near_miss
tests_unit_test_near_miss_SOURCES = tests/unit/test_near_miss.c core/near_miss.c \
	core/elf_symbols.c
tests_unit_test_near_miss_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_near_miss_LDADD = $(TEST_LIBS)
# noop2: identity.c stats its files in batches over threads
tests_unit_test_identity_SOURCES += core/stat_batch.c
tests_unit_test_identity_CFLAGS += -pthread
tests_unit_test_identity_LDFLAGS = $(AM_LDFLAGS) -pthread
# noop2: a no-op over tens of thousands of input files keeps the core's
# memory flat, and the batched, threaded stats still see every change
check_LTLIBRARIES += tests/methods/test_paths.la
tests_methods_test_paths_la_SOURCES = tests/methods/test_paths.c
tests_methods_test_paths_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_paths_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_paths_la_LIBADD = lib/libaxle.la
TESTS += tests/core/noop_scale.sh
EXTRA_DIST += tests/core/noop_scale.sh
# overlap: every step's latest job checked early
TESTS += tests/core/reuse_early.sh
EXTRA_DIST += tests/core/reuse_early.sh
