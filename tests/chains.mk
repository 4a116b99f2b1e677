# tests/chains.mk - incremental runs through dataset chains (issue 11
# items 2, 3 and 8).
CHAINS_TESTS = tests/chains/random.sh tests/chains/incremental.sh
TESTS += $(CHAINS_TESTS)
EXTRA_DIST += $(CHAINS_TESTS)
