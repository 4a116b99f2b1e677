# sdk/sdk.mk - libaxle, the one library methods and the core link.
lib_LTLIBRARIES += sdk/libaxle.la
sdk_libaxle_la_SOURCES = sdk/axle_internal.h sdk/job.c sdk/versions.c sdk/atomic_file.c
sdk_libaxle_la_CFLAGS = $(AM_CFLAGS) -fno-semantic-interposition $(JANSSON_CFLAGS) $(TURBOJPEG_CFLAGS) $(JPEG_CFLAGS) $(WEBP_CFLAGS)
sdk_libaxle_la_LIBADD = $(JANSSON_LIBS) $(TURBOJPEG_LIBS) $(JPEG_LIBS) $(WEBP_LIBS) -lm
sdk_libaxle_la_LDFLAGS = $(AM_LDFLAGS) -no-undefined -version-info 0:0:0 \
	-export-symbols-regex '^axle_'
EXTRA_DIST += sdk/template/method_template.c sdk/template/Makefile

include sdk/dataset.mk
include sdk/image.mk
