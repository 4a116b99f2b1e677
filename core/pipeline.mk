# core/pipeline.mk - pipeline YAML, params, option validation.
core_axle_SOURCES +=
