# core/core.mk - the axle executable.
bin_PROGRAMS += core/axle
core_axle_SOURCES = core/main.c core/cli.h core/diag.c core/diag.h \
	core/cli_run.c core/cli_job.c core/cli_methods.c \
	core/ref.c core/ref.h core/fsutil.c core/fsutil.h \
	core/digest.c core/digest.h core/loader.c core/loader.h \
	core/identity.c core/identity.h core/workdir.c core/workdir.h \
	core/dispatch.c core/dispatch.h core/job_process.c core/job_process.h \
	core/reap.c core/reap.h core/stage_log.c core/stage_log.h \
	core/progress.c core/progress.h core/clock.c core/clock.h core/job_record.c core/job_record.h \
	core/yaml_doc.h core/pipeline.h
core_axle_SOURCES += core/cli_ds.c
core_axle_SOURCES += core/cli_gc.c
core_axle_SOURCES += core/cli_which.c core/provenance.c core/provenance.h
# board: an export's dest manifest, read by axle which and the board;
# a job's summary.json, what the board's listings read
core_axle_SOURCES += core/job_summary.c core/job_summary.h
core_axle_SOURCES += core/dest_manifest.c core/dest_manifest.h
core_axle_SOURCES += core/run_log.c core/run_log.h core/run_status.c core/run_status.h \
	core/cli_runs.c core/cli_status.c
core_axle_SOURCES += core/libaxle_digest.c core/libaxle_digest.h core/job_check.c core/job_check.h
# Incremental chains: the job a step builds on (issue 11).
core_axle_SOURCES += core/chain_plan.c core/chain_plan.h
# inc100k: files a job took over from its base with one rename
core_axle_SOURCES += core/job_carried.c core/job_carried.h
# scale: a job's file lists and manifest as files in its folder
core_axle_SOURCES += core/job_lists.c core/job_lists.h core/manifest_file.c core/manifest_file.h
# small11: "%lld" by hand, shared by the identity's facts and manifest lines
core_axle_SOURCES += core/decimal.h
core_axle_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(JANSSON_CFLAGS) $(CRYPTO_CFLAGS)
core_axle_LDADD = lib/libaxle.la $(YAML_LIBS) $(JANSSON_LIBS) $(CRYPTO_LIBS)
# axle board: the server is built only with libmicrohttpd; without it the
# command says so.  Its sources live in core/board/.
core_axle_SOURCES += core/cli_board.c
if HAVE_MICROHTTPD
core_axle_SOURCES += core/board/board.h core/board/board_server.c \
	core/board/board_routes.c core/board/board_html.c core/board/board_path.c \
	core/board/board_runs.c core/board/board_data.c core/board/board_image.c \
	core/board/board_pages.c core/board/board_ds_pages.c core/board/board_chart.c \
	core/board/board_api.c
# board: an export's dest folder on the board
core_axle_SOURCES += core/board/board_dest.c
core_axle_CFLAGS += $(MHD_CFLAGS) -DAXLE_HAVE_BOARD
core_axle_LDADD += $(MHD_LIBS)
endif
include core/pipeline.mk
# Tooling: axle new, bare pipeline names, misspelt entry points.  The
# build tree's paths let an axle run from it use the source tree's
# template and pipelines (core/datadir.c).
core_axle_SOURCES += core/cli_new.c core/datadir.c core/datadir.h \
	core/pipeline_find.c core/pipeline_find.h \
	core/elf_symbols.c core/elf_symbols.h core/near_miss.c core/near_miss.h
core_axle_CFLAGS += -DAXLE_PKGDATADIR='"$(pkgdatadir)"' \
	-DAXLE_SOURCE_TREE='"$(abs_top_srcdir)"' -DAXLE_BUILD_TREE='"$(abs_top_builddir)"'
# ---- axle run --mpi (issue 16): the slices of a job as MPI ranks.  The
# MPI code lives in core/mpi_*.c; without OpenMPI, mpi_none.c says so.
core_axle_SOURCES += core/mpi_run.h
if HAVE_MPI
core_axle_SOURCES += core/mpi_core.c core/mpi_rank.c core/mpi_wire.c core/mpi_wire.h
core_axle_CFLAGS += $(MPI_CFLAGS) -DAXLE_HAVE_MPI
core_axle_LDADD += $(MPI_LIBS)
else
core_axle_SOURCES += core/mpi_none.c
endif
# noop2: the reuse checks' and identities' stats over threads, in order
core_axle_SOURCES += core/stat_batch.c core/stat_batch.h
core_axle_CFLAGS += -pthread
core_axle_LDFLAGS = $(AM_LDFLAGS) -pthread
EXTRA_DIST += bench/stat_cost.c
# overlap: every step's likely job checked early, beside the first identities
core_axle_SOURCES += core/reuse_early.c core/reuse_early.h
EXTRA_DIST += bench/noop_pairs.sh
