# tests/pipeline.mk
