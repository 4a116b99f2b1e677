# sdk/install.mk - what `make install` puts beside axle so that someone
# who only installed it can start (tests/sdk/install.sh checks where):
#
#   $(docdir)/README.md                 the project's README (commands)
#   $(docdir)/sdk/README.md             the method author's guide
#   $(docdir)/sdk/template/             the method template
#   $(docdir)/sdk/examples/NAME/        the worked examples
#   $(pkgdatadir)/template/             the template again: `axle new` copies it
#   $(pkgdatadir)/pipelines/            the ready pipelines (`axle run thumbnails`)
#   $(pkgdatadir)/pipelines/samples/    and the sample images they default to
#
# The guide's paths (sdk/template/, sdk/examples/) hold both in the source
# tree and under $(docdir).  A new example or sample image is one more
# line below; the install test fails while one is left out.
SDK_TEMPLATE_FILES = sdk/template/method_template.c sdk/template/Makefile \
	sdk/template/method_template.yaml
SDK_EXAMPLE_FILES = sdk/examples/box_resize/box_resize.c \
	sdk/examples/box_resize/Makefile \
	sdk/examples/colour_stats/colour_stats.c sdk/examples/colour_stats/Makefile \
	sdk/examples/colour_stats/colour_stats.yaml \
	sdk/examples/contact_sheet/contact_sheet.c sdk/examples/contact_sheet/Makefile \
	sdk/examples/contact_sheet/contact_sheet.yaml
PIPELINE_FILES = pipelines/thumbnails.yaml pipelines/thumbnails_box.yaml
PIPELINE_SAMPLES = pipelines/samples/harbour.jpg pipelines/samples/tower.jpg \
	pipelines/samples/phone-rotated.jpg pipelines/samples/meadow.webp \
	pipelines/samples/street-grey.jpg pipelines/samples/hills-progressive.jpg \
	pipelines/samples/sticker-alpha.webp pipelines/samples/tiny.jpg \
	pipelines/samples/2023/lake.jpg pipelines/samples/2024/lake.jpg

dist_doc_DATA = README.md
nobase_doc_DATA = sdk/README.md $(SDK_TEMPLATE_FILES) $(SDK_EXAMPLE_FILES)
templatedir = $(pkgdatadir)/template
template_DATA = $(SDK_TEMPLATE_FILES)
nobase_pkgdata_DATA = $(PIPELINE_FILES) $(PIPELINE_SAMPLES)
EXTRA_DIST += $(SDK_TEMPLATE_FILES) $(SDK_EXAMPLE_FILES) $(PIPELINE_FILES) \
	$(PIPELINE_SAMPLES)
