# lib/image/image.mk - image probe, decode with shrink-on-load, encode,
# resize and fitting to a size.
lib_libaxle_la_SOURCES += \
	lib/image/image_internal.h \
	lib/image/image_probe.c \
	lib/image/image_probe_jpeg.c \
	lib/image/image_probe_webp.c \
	lib/image/image_exif.c \
	lib/image/image_decode.c \
	lib/image/image_decode_jpeg.c \
	lib/image/image_decode_webp.c \
	lib/image/image_encode.c \
	lib/image/image_pixels.c \
	lib/image/image_resize.h \
	lib/image/image_resize_weights.c \
	lib/image/image_resize.c \
	lib/image/image_fit.c \
	lib/image/image_to_size.c
# Provenance: XMP in the containers, the metadata-free digest, axle's packet.
lib_libaxle_la_SOURCES += lib/image/image_container.c lib/image/image_xmp.c \
	lib/image/image_digest.c lib/image/image_provenance.c
# Thumbnails as users ask for them: size strings, fill-and-crop windows,
# sharpening and flattening after the resize.
lib_libaxle_la_SOURCES += lib/image/image_size_text.c lib/image/image_crop_window.c \
	lib/image/image_finish.c
