# tests/image.mk - image support (SDK probe/decode/encode/orient, resize
# and fitting to a size, input expansion) and the four image methods end
# to end.  Shell tests compare against Pillow ($PYTHON_PIL) and make their
# own images with tests/gen_images.py.
IMAGE_UNIT_TESTS = tests/unit/test_image_probe tests/unit/test_image_decode \
	tests/unit/test_image_orient tests/unit/test_image_resize \
	tests/unit/test_image_files
check_PROGRAMS += $(IMAGE_UNIT_TESTS) tests/image_tool
TESTS += $(IMAGE_UNIT_TESTS)

IMAGE_TEST_UTIL = tests/unit/test_image_util.c tests/unit/test_image_util.h

tests_unit_test_image_probe_SOURCES = tests/unit/test_image_probe.c $(IMAGE_TEST_UTIL)
tests_unit_test_image_probe_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_image_probe_LDADD = $(TEST_LIBS)

tests_unit_test_image_decode_SOURCES = tests/unit/test_image_decode.c $(IMAGE_TEST_UTIL)
tests_unit_test_image_decode_CFLAGS = $(TEST_CFLAGS) $(TURBOJPEG_CFLAGS)
tests_unit_test_image_decode_LDADD = $(TEST_LIBS) $(TURBOJPEG_LIBS)

tests_unit_test_image_orient_SOURCES = tests/unit/test_image_orient.c $(IMAGE_TEST_UTIL)
tests_unit_test_image_orient_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_image_orient_LDADD = $(TEST_LIBS)

# The weights are libaxle's own (not exported): their file is built in.
tests_unit_test_image_resize_SOURCES = tests/unit/test_image_resize.c $(IMAGE_TEST_UTIL) \
	lib/image/image_resize_weights.c
tests_unit_test_image_resize_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/lib/image
tests_unit_test_image_resize_LDADD = $(TEST_LIBS) -lm

tests_unit_test_image_files_SOURCES = tests/unit/test_image_files.c \
	plugins/import_images/import_read.c \
	plugins/import_images/import_list.c plugins/export_images/export_names.c \
	plugins/export_images/export_template.c
tests_unit_test_image_files_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_image_files_LDADD = $(TEST_LIBS)

# The SDK's image calls from the command line: the shell tests drive it,
# and it measures speed (`image_tool bench`).
tests_image_tool_SOURCES = tests/image_tool.c
tests_image_tool_CFLAGS = $(AM_CFLAGS)
tests_image_tool_LDADD = lib/libaxle.la

IMAGE_SHELL_TESTS = tests/image/formats.sh tests/image/bad_input.sh \
	tests/image/orientation.sh tests/image/quality.sh tests/image/pipeline.sh \
	tests/image/workdir_inside.sh tests/image/unreadable.sh tests/image/special_files.sh \
	tests/image/names.sh \
	tests/image/corrupt_input.sh tests/image/limits.sh
IMAGE_UNIT_TESTS += tests/unit/test_image_xmp
tests_unit_test_image_xmp_SOURCES = tests/unit/test_image_xmp.c $(IMAGE_TEST_UTIL)
tests_unit_test_image_xmp_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_image_xmp_LDADD = $(TEST_LIBS)
# The codecs beyond JPEG and WebP (tests/image/make_formats.py makes their
# files).
IMAGE_SHELL_TESTS += tests/image/more_formats.sh
EXTRA_DIST += tests/image/make_formats.py
# Provenance: XMP in exported files, `axle which` (tests/image/xmp.py reads
# and strips XMP without axle).
IMAGE_SHELL_TESTS += tests/image/provenance.sh
IMAGE_SHELL_TESTS += tests/image/dest.sh
# The thumbnailer's size strings, crops, several sizes, sharpen, background.
IMAGE_SHELL_TESTS += tests/image/thumbopts.sh
# export_images' `name` template (issue 14).
IMAGE_SHELL_TESTS += tests/image/export_name.sh
EXTRA_DIST += tests/image/xmp.py
# photometa: axle_image_photo_meta's contract (prefix, reader, bad input).
IMAGE_UNIT_TESTS += tests/unit/test_photo_meta
tests_unit_test_photo_meta_SOURCES = tests/unit/test_photo_meta.c
tests_unit_test_photo_meta_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_photo_meta_LDADD = $(TEST_LIBS) -lm
# photometa: the photo metadata columns of import_images (issue 13 item 4);
# tests/image/exif_photos.py writes photos with known and damaged EXIF.
IMAGE_SHELL_TESTS += tests/image/photo_meta.sh
EXTRA_DIST += tests/image/exif_photos.py
TESTS += $(IMAGE_SHELL_TESTS)
EXTRA_DIST += $(IMAGE_SHELL_TESTS) tests/image/pilref.py tests/image/lib_image.sh \
	tests/image/corrupt.py \
	tests/gen_images.py pipelines/thumbnails.yaml $(IMAGE_SAMPLES)

IMAGE_SAMPLES = pipelines/samples/harbour.jpg pipelines/samples/tower.jpg \
	pipelines/samples/phone-rotated.jpg pipelines/samples/meadow.webp \
	pipelines/samples/street-grey.jpg pipelines/samples/hills-progressive.jpg \
	pipelines/samples/sticker-alpha.webp pipelines/samples/2023/lake.jpg \
	pipelines/samples/2024/lake.jpg pipelines/samples/tiny.jpg

# A fault-injection library for LD_PRELOAD (tests/fault_shim.c): files and
# folders that fail as a sick disk or a locked folder would, even for root.
# Built without sanitizers, so that it can be preloaded ahead of them.
check_LTLIBRARIES += tests/fault_shim.la
tests_fault_shim_la_SOURCES = tests/fault_shim.c
tests_fault_shim_la_CFLAGS = $(WARN_CFLAGS)
tests_fault_shim_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
tests_fault_shim_la_LIBADD = -ldl
# Colour management (issue 13): ICC profiles made with lcms2 by
# tests/icc_tool.c, embedded with Pillow, thumbnails compared with Pillow's
# ImageCms conversion of the full image (tests/image/colourref.py).
if HAVE_LCMS2
check_PROGRAMS += tests/icc_tool
tests_icc_tool_SOURCES = tests/icc_tool.c
tests_icc_tool_CFLAGS = $(AM_CFLAGS) $(LCMS2_CFLAGS)
tests_icc_tool_LDADD = $(LCMS2_LIBS)
endif
IMAGE_SHELL_TESTS += tests/image/colour.sh tests/image/colour_pipeline.sh
EXTRA_DIST += tests/image/colourref.py tests/icc_tool.c bench/colour_order.sh
IMAGE_UNIT_TESTS += tests/unit/test_image_icc
tests_unit_test_image_icc_SOURCES = tests/unit/test_image_icc.c
tests_unit_test_image_icc_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_image_icc_LDADD = $(TEST_LIBS)
# Pixel buffers (allocation messages, RGB) and axle_write_image (issue 10).
IMAGE_UNIT_TESTS += tests/unit/test_image_pixels tests/unit/test_image_write
tests_unit_test_image_pixels_SOURCES = tests/unit/test_image_pixels.c
tests_unit_test_image_pixels_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_image_pixels_LDADD = $(TEST_LIBS)
tests_unit_test_image_write_SOURCES = tests/unit/test_image_write.c $(DATASET_TEST_UTIL)
tests_unit_test_image_write_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_image_write_LDADD = $(TEST_LIBS)
# Export formats and metadata (issue 13 item 5): png, avif, progressive,
# subsampling, metadata strip|keep, colour: keep's profile in every format
# (tests/image/exportcheck.py reads them with Pillow and heif-convert).
IMAGE_SHELL_TESTS += tests/image/export_formats.sh
EXTRA_DIST += tests/image/exportcheck.py
IMAGE_UNIT_TESTS += tests/unit/test_image_export
tests_unit_test_image_export_SOURCES = tests/unit/test_image_export.c $(IMAGE_TEST_UTIL)
tests_unit_test_image_export_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_image_export_LDADD = $(TEST_LIBS)
# Speed (issue 12): progressive JPEGs decoded only as far as the result needs.
IMAGE_SHELL_TESTS += tests/image/progressive.sh
# Speed (issue 12): the thumbnailer's quality: high | fast.
IMAGE_SHELL_TESTS += tests/image/quality_fast.sh
# Speed (issue 12): import slices cut at equal bytes.
IMAGE_SHELL_TESTS += tests/image/slice_bytes.sh
# Speed (issue 12, planes): JPEG rows straight into the resize, the same pixels.
IMAGE_SHELL_TESTS += tests/image/fused_resize.sh
# Storing thumbnails (issue 12, store): the passing trial's bytes kept,
# the same bytes whatever the order of the images and the slice count.
IMAGE_UNIT_TESTS += tests/unit/test_image_store
tests_unit_test_image_store_SOURCES = tests/unit/test_image_store.c
tests_unit_test_image_store_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/lib/image
tests_unit_test_image_store_LDADD = $(TEST_LIBS)
IMAGE_SHELL_TESTS += tests/image/store_order.sh
# One encode per thumbnail (issue 12, fused): the thumbnailer's store:
# jpeg|webp|png, exported as it is, byte for byte a re-encode's file.
IMAGE_SHELL_TESTS += tests/image/store_export.sh
IMAGE_UNIT_TESTS += tests/unit/test_image_encoded_as
tests_unit_test_image_encoded_as_SOURCES = tests/unit/test_image_encoded_as.c \
	$(IMAGE_TEST_UTIL)
tests_unit_test_image_encoded_as_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_image_encoded_as_LDADD = $(TEST_LIBS)
EXTRA_DIST += tests/image/cells.py
# issue 13, part `formats`: profiles of PNG, TIFF, HEIF/AVIF (ICC and
# nclx) and CMYK JPEGs; camera RAW and JPEG XL (tests/image/make_raw.py
# writes DNGs).
IMAGE_SHELL_TESTS += tests/image/colour_formats.sh tests/image/camera_raw.sh \
	tests/image/jpeg_xl.sh
EXTRA_DIST += tests/image/make_raw.py
# issue 13, part `deep`: 16-bit sources reduced to 8 bits after the resize.
IMAGE_SHELL_TESTS += tests/image/deep16.sh
EXTRA_DIST += tests/image/deep16.py
IMAGE_SHELL_TESTS += tests/image/keep_exif.sh
IMAGE_SHELL_TESTS += tests/image/jxl_dc.sh
# tidy: store: webp and WebP's 16383 pixels a side
IMAGE_SHELL_TESTS += tests/image/store_webp_limit.sh
# tidy: export journals named by host and pid (--mpi)
IMAGE_SHELL_TESTS += tests/image/dest_journal.sh

# cpu12 (issue 12): the fused resize's row kernels against plain integers;
# libaxle's own (not exported), so their files are built in.
check_PROGRAMS += tests/unit/test_image_rows
TESTS += tests/unit/test_image_rows
tests_unit_test_image_rows_SOURCES = tests/unit/test_image_rows.c \
	lib/image/image_resize.c lib/image/image_resize_weights.c lib/image/image_jpeg_planes.c
tests_unit_test_image_rows_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/lib/image
tests_unit_test_image_rows_LDADD = $(TEST_LIBS) -lm
# issue 12: axle's Huffman decoder gives libjpeg's pixels on every kind of
# sequential JPEG (made here by libjpeg's compressor), refuses what it refuses.
check_PROGRAMS += tests/unit/test_jpeg_huffman
TESTS += tests/unit/test_jpeg_huffman
tests_unit_test_jpeg_huffman_SOURCES = tests/unit/test_jpeg_huffman.c
tests_unit_test_jpeg_huffman_CFLAGS = $(TEST_CFLAGS) $(JPEG_CFLAGS)
tests_unit_test_jpeg_huffman_LDADD = $(TEST_LIBS) $(JPEG_LIBS)
# libheif and libjxl loaded on first use (issue 11 item 7, part `lazy`):
# not mapped by a run that reads none; a library that cannot be loaded
# fails its images by name (tests/dlopen_shim.c refuses the dlopen).
check_LTLIBRARIES += tests/dlopen_shim.la
tests_dlopen_shim_la_SOURCES = tests/dlopen_shim.c
tests_dlopen_shim_la_CFLAGS = $(WARN_CFLAGS)
tests_dlopen_shim_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
tests_dlopen_shim_la_LIBADD = -ldl
IMAGE_SHELL_TESTS += tests/image/lazy_codecs.sh
