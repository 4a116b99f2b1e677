# tests/dataset.mk
