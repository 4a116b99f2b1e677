# core/pipeline.mk - pipeline YAML, params, option validation.
core_axle_SOURCES += core/yaml_doc.c core/params.c core/params.h \
	core/pipeline.c core/options.c
