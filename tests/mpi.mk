# tests/mpi.mk - axle run --mpi (issue 16): slices as the ranks of mpirun.
# The tests skip, saying why, when axle was built without MPI.
check_LTLIBRARIES += tests/methods/test_ranks.la
tests_methods_test_ranks_la_SOURCES = tests/methods/test_ranks.c
tests_methods_test_ranks_la_CFLAGS = $(MODULE_CFLAGS)
tests_methods_test_ranks_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
tests_methods_test_ranks_la_LIBADD = lib/libaxle.la
# prepare run again (axle_job.replay), in libaxle: tested in every build.
check_PROGRAMS += tests/unit/test_prepare_again
TESTS += tests/unit/test_prepare_again
tests_unit_test_prepare_again_SOURCES = tests/unit/test_prepare_again.c $(DATASET_TEST_UTIL)
tests_unit_test_prepare_again_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_prepare_again_LDADD = $(TEST_LIBS)
MPI_TESTS = tests/mpi/ranks.sh tests/mpi/same_results.sh tests/mpi/rank_death.sh \
	tests/mpi/two_hosts.sh
TESTS += $(MPI_TESTS)
EXTRA_DIST += $(MPI_TESTS) tests/mpi/lib_mpi.sh bench/mpi_overhead.sh
if HAVE_MPI
AM_TESTS_ENVIRONMENT += AXLE_MPIRUN='$(MPIRUN)'; export AXLE_MPIRUN;
endif
# tidy: axle status of an --mpi run counts every rank's slices
MPI_TESTS += tests/mpi/status.sh
