# tests/image.mk
