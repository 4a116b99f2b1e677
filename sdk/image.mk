# sdk/image.mk - image probe, decode with shrink-on-load, encode, and the
# input-file expansion (files, folders, globs) shared with the core.
sdk_libaxle_la_SOURCES += \
	sdk/image_internal.h \
	sdk/image_probe.c \
	sdk/image_probe_jpeg.c \
	sdk/image_probe_webp.c \
	sdk/image_exif.c \
	sdk/image_decode.c \
	sdk/image_decode_jpeg.c \
	sdk/image_decode_webp.c \
	sdk/image_encode.c \
	sdk/image_pixels.c \
	sdk/files.c
# Names printed on a terminal are escaped (used by files.c and job.c).
sdk_libaxle_la_SOURCES += sdk/escape.c
