# tests/board.mk - `axle board`: pages, API and path checks over HTTP,
# and the pages in headless Chromium.
BOARD_TESTS = tests/board/pages.sh tests/board/browser.sh
# board (issue 15 gaps): stage times per slice, dest exports, axle which in dest
BOARD_TESTS += tests/board/stage_times.sh tests/board/dest.sh tests/board/listing.sh
# inc100k: the page of an export another one took the files of
BOARD_TESTS += tests/board/superseded.sh
BOARD_TESTS += tests/board/usr1.sh
TESTS += $(BOARD_TESTS)
EXTRA_DIST += $(BOARD_TESTS) tests/board/lib_board.sh
