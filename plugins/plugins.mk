# plugins/plugins.mk - the built-in methods, one folder each.
methoddir = @methoddir@

method_LTLIBRARIES += plugins/import_images.la
plugins_import_images_la_SOURCES = plugins/import_images/import_images.c \
	plugins/import_images/import_read.c plugins/import_images/import_read.h \
	plugins/import_images/import_list.c plugins/import_images/import_list.h \
	plugins/import_images/import_chain.c plugins/import_images/import_chain.h
plugins_import_images_la_CFLAGS = $(MODULE_CFLAGS) $(JANSSON_CFLAGS)
plugins_import_images_la_LIBADD = lib/libaxle.la $(JANSSON_LIBS)
plugins_import_images_la_LDFLAGS = $(AM_LDFLAGS) $(MODULE_FLAGS)
# photometa: the photo metadata columns.
plugins_import_images_la_SOURCES += plugins/import_images/import_meta.c \
	plugins/import_images/import_meta.h

method_LTLIBRARIES += plugins/thumbnailer.la
plugins_thumbnailer_la_SOURCES = plugins/thumbnailer/thumbnailer.c \
	plugins/thumbnailer/thumbnailer_colour.c plugins/thumbnailer/thumbnailer_colour.h \
	plugins/thumbnailer/thumbnailer_store.c plugins/thumbnailer/thumbnailer_store.h
plugins_thumbnailer_la_CFLAGS = $(MODULE_CFLAGS) $(JANSSON_CFLAGS)
plugins_thumbnailer_la_LDFLAGS = $(AM_LDFLAGS) $(MODULE_FLAGS)
plugins_thumbnailer_la_LIBADD = lib/libaxle.la $(JANSSON_LIBS)

method_LTLIBRARIES += plugins/export_images.la
plugins_export_images_la_SOURCES = plugins/export_images/export_images.c \
	plugins/export_images/export_names.c plugins/export_images/export_names.h \
	plugins/export_images/export_template.c plugins/export_images/export_template.h \
	plugins/export_images/export_dest.c plugins/export_images/export_dest.h \
	plugins/export_images/export_chain.c plugins/export_images/export_chain.h
# export formats and metadata (issue 13 item 5)
plugins_export_images_la_SOURCES += plugins/export_images/export_format.c \
	plugins/export_images/export_format.h
plugins_export_images_la_CFLAGS = $(MODULE_CFLAGS) $(JANSSON_CFLAGS)
plugins_export_images_la_LDFLAGS = $(AM_LDFLAGS) $(MODULE_FLAGS)
plugins_export_images_la_LIBADD = lib/libaxle.la $(JANSSON_LIBS)

method_LTLIBRARIES += plugins/shapehist.la
plugins_shapehist_la_SOURCES = plugins/shapehist/shapehist.c
plugins_shapehist_la_CFLAGS = $(MODULE_CFLAGS)
plugins_shapehist_la_LDFLAGS = $(AM_LDFLAGS) $(MODULE_FLAGS)
plugins_shapehist_la_LIBADD = lib/libaxle.la
