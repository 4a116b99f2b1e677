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
	lib/image/image_to_size.c \
	lib/image/image_store.c
# The codec table and the formats beyond JPEG and WebP, each compiled in
# when configure found its library (AXLE_HAVE_* in IMAGE_CODEC_CFLAGS).
lib_libaxle_la_SOURCES += lib/image/image_codecs.c lib/image/image_png.c \
	lib/image/image_gif.c lib/image/image_tiff.c lib/image/image_heif.c
# Camera RAW (libraw) and JPEG XL (libjxl), issue 13 part `formats`.
lib_libaxle_la_SOURCES += lib/image/image_raw.c lib/image/image_jxl.c
# Provenance: XMP in the containers, the metadata-free digest, axle's packet.
lib_libaxle_la_SOURCES += lib/image/image_container.c lib/image/image_xmp.c \
	lib/image/image_digest.c lib/image/image_provenance.c
# Colour (issue 13): the embedded ICC profile per codec (image_icc.c), and
# its conversion to sRGB with lcms2 when configure found it
# (image_colour.c), else a stand-in that converts nothing and says why.
lib_libaxle_la_SOURCES += lib/image/image_icc.c
if HAVE_LCMS2
lib_libaxle_la_SOURCES += lib/image/image_colour.c lib/image/image_nclx.c
lib_libaxle_la_CFLAGS += $(LCMS2_CFLAGS)
lib_libaxle_la_LIBADD += $(LCMS2_LIBS)
else
lib_libaxle_la_SOURCES += lib/image/image_colour_none.c
endif
# Pixels to a file in the job folder: encoded, with provenance, registered.
lib_libaxle_la_SOURCES += lib/image/image_write.c
# Thumbnails as users ask for them: size strings, fill-and-crop windows,
# sharpening and flattening after the resize.
lib_libaxle_la_SOURCES += lib/image/image_size_text.c lib/image/image_crop_window.c \
	lib/image/image_finish.c
# Export formats and metadata (issue 13 item 5): PNG and AVIF encoders,
# EXIF/ICC/XMP into files just encoded, a photo's EXIF made fit to export.
lib_libaxle_la_SOURCES += lib/image/image_encode_png.c lib/image/image_encode_avif.c \
	lib/image/image_embed.c lib/image/image_exif_export.c
# Speed (issue 12): the scans a reduced decode of a progressive JPEG needs.
lib_libaxle_la_SOURCES += lib/image/image_jpeg_scans.c
# Photo metadata (issue 13 item 4): EXIF facts and the profile's name
# from the headers, for import_images' columns.
lib_libaxle_la_SOURCES += lib/image/image_exif_meta.c lib/image/image_heif_exif.c \
	lib/image/image_photo_meta.c
# One encode per thumbnail (issue 12): whether a stored cell is coded as
# export would code it, so export passes it through.
lib_libaxle_la_SOURCES += lib/image/image_encoded_as.c
# 16-bit sources kept at 16 bits through the resize and the conversion to
# sRGB, rounded to 8 bits once at the end (issue 13, part `deep`).
lib_libaxle_la_SOURCES += lib/image/image_deep.h lib/image/image_deep.c \
	lib/image/image_resize16.c
# metadata: keep for every format, read from the photo's headers only.
lib_libaxle_la_SOURCES += lib/image/image_exif_head.c
# Decode to resize, fused (issue 12 part `planes`): the resize fed row by
# row from the JPEG decoder.
lib_libaxle_la_SOURCES += lib/image/image_resize_stream.c lib/image/image_jpeg_planes.c \
	lib/image/image_jpeg_huffman.c
# libheif and libjxl loaded on first use, not linked (issue 11 item 7,
# part `lazy`): their function tables and the names mapped onto them.
lib_libaxle_la_SOURCES += lib/image/codec_load.h lib/image/codec_names.h \
	lib/image/codec_load.c
# bench/startup.sh: axle --version at start-up (issue 11 item 7, lazy).
EXTRA_DIST += bench/startup.sh
