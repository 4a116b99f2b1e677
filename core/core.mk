# core/core.mk - the axle executable.
bin_PROGRAMS += core/axle
core_axle_SOURCES = core/main.c core/diag.c core/diag.h core/yaml_doc.h core/pipeline.h
core_axle_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(JANSSON_CFLAGS) $(CRYPTO_CFLAGS)
core_axle_LDADD = sdk/libaxle.la $(YAML_LIBS) $(JANSSON_LIBS) $(CRYPTO_LIBS)
include core/pipeline.mk
