# tests/board.mk - `axle board`: pages, API and path checks over HTTP,
# and the pages in headless Chromium.
BOARD_TESTS = tests/board/pages.sh tests/board/browser.sh tests/board/usr1.sh
TESTS += $(BOARD_TESTS)
EXTRA_DIST += $(BOARD_TESTS) tests/board/lib_board.sh
