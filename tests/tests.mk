# tests/tests.mk - the TAP harness; each part's tests live in tests/*.mk.
TEST_EXTENSIONS = .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT; \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1; export UBSAN_OPTIONS; \
	ASAN_OPTIONS=detect_leaks=0:handle_segv=0; export ASAN_OPTIONS; \
	AXLE=$(abs_builddir)/core/axle; export AXLE; \
	AXLE_METHOD_PATH=$(abs_builddir)/plugins/.libs:$(abs_builddir)/tests/methods/.libs; \
	export AXLE_METHOD_PATH; \
	AXLE_TEST_METHODS=$(abs_builddir)/tests/methods/.libs; export AXLE_TEST_METHODS; \
	AXLE_SRCDIR=$(abs_top_srcdir); export AXLE_SRCDIR; \
	AXLE_BUILDDIR=$(abs_top_builddir); export AXLE_BUILDDIR; \
	PYTHON_PIL='$(PYTHON_PIL)'; export PYTHON_PIL;
TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(JANSSON_CFLAGS)
TEST_LIBS = lib/libaxle.la $(CMOCKA_LIBS) $(JANSSON_LIBS)
# Test methods are modules that are never installed.
TEST_MODULE_FLAGS = $(MODULE_FLAGS) -rpath /nowhere
EXTRA_DIST += tests/lib.sh

include tests/core.mk
include tests/dataset.mk
include tests/fuzz.mk
include tests/image.mk
include tests/pipeline.mk
include tests/policy.mk
include tests/results.mk
include tests/board.mk
include tests/byref.mk
include tests/mpi.mk
include tests/chains.mk

# tests/sdk/install.sh runs `make install`, and libtool relinks the methods
# while it installs them: for a moment build/plugins/.libs/*.so are other
# binaries, empty or gone.  A test beside it could load a half-written
# method, or see another method digest and build cold (random_long.sh did,
# in CI).  So it runs first, and every other test after it.
$(TEST_LOGS:tests/sdk/install.log=): tests/sdk/install.log
