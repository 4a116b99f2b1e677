# lib/lib.mk - libaxle, the one library methods and the core link: its
# implementation, which a method's author never needs to open (sdk/ has
# all they see).
lib_LTLIBRARIES += lib/libaxle.la
lib_libaxle_la_SOURCES = lib/axle_internal.h lib/job.c lib/versions.c lib/atomic_file.c
# Option getters checked against the method's declaration; the on_error
# policy; writing a file into the job folder (issue 10).
lib_libaxle_la_SOURCES += lib/options_get.c lib/item_policy.c lib/write_file.c
# Incremental chains: the base job, the links to process (issue 11).
lib_libaxle_la_SOURCES += lib/chain.c
# A base's output folder taken over with one rename (issue 11 item 7, inc100k).
lib_libaxle_la_SOURCES += lib/chain_carry.c
lib_libaxle_la_CFLAGS = $(AM_CFLAGS) -fno-semantic-interposition $(JANSSON_CFLAGS) $(TURBOJPEG_CFLAGS) $(JPEG_CFLAGS) $(WEBP_CFLAGS) $(CRYPTO_CFLAGS) $(IMAGE_CODEC_CFLAGS)
lib_libaxle_la_LIBADD = $(JANSSON_LIBS) $(TURBOJPEG_LIBS) $(JPEG_LIBS) $(WEBP_LIBS) $(CRYPTO_LIBS) $(IMAGE_CODEC_LIBS) -lm
lib_libaxle_la_LDFLAGS = $(AM_LDFLAGS) -no-undefined -version-info 0:0:0 \
	-export-symbols-regex '^axle_'

include lib/dataset/dataset.mk
include lib/image/image.mk

# The input-file expansion (files, folders, globs) shared with the core.
lib_libaxle_la_SOURCES += lib/files.c
# Names printed on a terminal are escaped (used by files.c and job.c).
lib_libaxle_la_SOURCES += lib/escape.c
# The syntax of template options, shared with the core (issue 14).
lib_libaxle_la_SOURCES += lib/template_check.c
# Structured results from slices to synthesis, the job-result builder, and
# JSON text with floats in their shortest exact form (also the core's).
lib_libaxle_la_SOURCES += lib/results.c lib/result_json.c lib/json_text.c \
	lib/json_read.c
# diff (issue 11 item 7): the core's file facts for the import
lib_libaxle_la_SOURCES += lib/file_facts.c
# the hash of in-memory tables (axle_hash_bytes)
lib_libaxle_la_SOURCES += lib/hash_bytes.c
