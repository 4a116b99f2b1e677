# sdk/examples/examples.mk - the SDK as a product: the worked examples and
# the template (shipped, and built against the *installed* SDK by
# installcheck), the author's guide, axle(1), and the tests that build
# them out of tree with their own Makefiles and run them.
dist_man_MANS += doc/axle.1
EXTRA_DIST += sdk/README.md \
	sdk/template/method_template.c sdk/template/Makefile \
	sdk/examples/box_resize/box_resize.c sdk/examples/box_resize/Makefile \
	pipelines/thumbnails_box.yaml
SDK_TESTS = tests/sdk/swap.sh tests/sdk/template.sh tests/sdk/guide.sh
SDK_TESTS += tests/sdk/new.sh tests/sdk/install.sh
SDK_TESTS += tests/sdk/colour_stats.sh tests/sdk/contact_sheet.sh tests/sdk/example_lines.sh \
	tests/sdk/guide_images.sh

# The short examples are also check modules: built with the project's
# warnings (and, in check-sanitizers, with ASan and UBSan), so their tests
# run them instrumented; the tests build them with their own Makefiles too.
SDK_EXAMPLE_MODULES = sdk/examples/colour_stats/colour_stats.la \
	sdk/examples/contact_sheet/contact_sheet.la
check_LTLIBRARIES += $(SDK_EXAMPLE_MODULES)
sdk_examples_colour_stats_colour_stats_la_SOURCES = sdk/examples/colour_stats/colour_stats.c
sdk_examples_colour_stats_colour_stats_la_CFLAGS = $(MODULE_CFLAGS)
sdk_examples_colour_stats_colour_stats_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
sdk_examples_colour_stats_colour_stats_la_LIBADD = lib/libaxle.la
sdk_examples_contact_sheet_contact_sheet_la_SOURCES = sdk/examples/contact_sheet/contact_sheet.c
sdk_examples_contact_sheet_contact_sheet_la_CFLAGS = $(MODULE_CFLAGS)
sdk_examples_contact_sheet_contact_sheet_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_MODULE_FLAGS)
sdk_examples_contact_sheet_contact_sheet_la_LIBADD = lib/libaxle.la
TESTS += $(SDK_TESTS)
EXTRA_DIST += $(SDK_TESTS)

# installcheck: what an author does after `make install`, in a scratch
# folder of the build tree.  The template and the example are copied
# there, built by their own Makefiles (pkg-config and nothing else: no
# path into this tree), then the installed axle is asked to load them and
# to run them on the sample images (box_resize in thumbnails_box.yaml).
# A DESTDIR install is found through pkg-config's sysroot, its libaxle
# through LD_LIBRARY_PATH and its built-in methods through
# AXLE_METHOD_PATH (the installed axle looks in $(methoddir) without
# DESTDIR).  The sub-make gets no MAKEFLAGS, so variables given to this
# make cannot override the author's Makefile.
SDK_CHECK = sdk-installcheck
SDK_CHECK_ENV = PKG_CONFIG_PATH='$(DESTDIR)$(pkgconfigdir)' \
	PKG_CONFIG_SYSROOT_DIR='$(DESTDIR)' \
	LD_LIBRARY_PATH='$(DESTDIR)$(libdir)'$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH} \
	AXLE_METHOD_PATH='$(abs_builddir)/$(SDK_CHECK)/methods:$(DESTDIR)$(methoddir)'

installcheck-local: installcheck-sdk
installcheck-sdk:
	@rm -rf $(SDK_CHECK) && mkdir -p $(SDK_CHECK)/methods
	@cp -R $(srcdir)/sdk/template $(SDK_CHECK)/template
	@for d in box_resize colour_stats contact_sheet; do \
	  cp -R $(srcdir)/sdk/examples/$$d $(SDK_CHECK)/$$d; done
	@chmod -R u+w $(SDK_CHECK)
	@env $(SDK_CHECK_ENV) sh -c 'pkg-config --exists axle' || { \
	  echo "installcheck: pkg-config finds no axle.pc in $(DESTDIR)$(pkgconfigdir)" >&2; \
	  exit 1; }
	@echo "installcheck: cflags/libs: `env $(SDK_CHECK_ENV) pkg-config --cflags --libs axle`"
	@for d in template box_resize colour_stats contact_sheet; do \
	  (cd $(SDK_CHECK)/$$d && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    $(SDK_CHECK_ENV) CFLAGS='-O2 -Werror' make) || exit 1; \
	done
	@cp $(SDK_CHECK)/template/method_template.so $(SDK_CHECK)/box_resize/box_resize.so \
	  $(SDK_CHECK)/colour_stats/colour_stats.so \
	  $(SDK_CHECK)/contact_sheet/contact_sheet.so $(SDK_CHECK)/methods/
	@for m in method_template box_resize colour_stats contact_sheet; do \
	  env $(SDK_CHECK_ENV) '$(DESTDIR)$(bindir)/axle' methods $$m \
	    > $(SDK_CHECK)/$$m.txt 2>&1; \
	  cat $(SDK_CHECK)/$$m.txt; \
	  grep -q "^$$m .*ABI $(AXLE_ABI_MAJOR)\.[0-9]*  $(abs_builddir)/$(SDK_CHECK)/methods/$$m.so" \
	    $(SDK_CHECK)/$$m.txt || { \
	    echo "installcheck: the installed axle did not accept $$m.so" >&2; exit 1; }; \
	done
	@printf '%s\n' 'jobs:' '  import:' '    method: import_images' \
	  "    options: {files: $(abs_srcdir)/pipelines/samples}" '  bright:' \
	  '    method: method_template' '    datasets: {source: import}' \
	  > $(SDK_CHECK)/template.yaml
	@cd $(SDK_CHECK) && for p in $(abs_srcdir)/pipelines/thumbnails_box.yaml \
	    template.yaml; do \
	  env $(SDK_CHECK_ENV) AXLE_PROGRESS=never \
	    '$(DESTDIR)$(bindir)/axle' run $$p --slices 2 > run.txt 2> run.err || { \
	    cat run.txt run.err; \
	    echo "installcheck: the installed axle failed to run $$p" >&2; exit 1; }; \
	  cat run.txt; \
	done
	@for d in colour_stats contact_sheet; do \
	  (cd $(SDK_CHECK)/$$d && env $(SDK_CHECK_ENV) AXLE_PROGRESS=never \
	    '$(DESTDIR)$(bindir)/axle' run $$d.yaml input='$(abs_srcdir)/pipelines/samples') || { \
	    echo "installcheck: the installed axle failed to run the example $$d" >&2; exit 1; }; \
	done
	@echo "installcheck: the template and the examples build against the installed SDK, load and run"

clean-local: clean-sdk-installcheck
clean-sdk-installcheck:
	rm -rf $(SDK_CHECK)

.PHONY: installcheck-sdk clean-sdk-installcheck
