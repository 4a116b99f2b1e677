# sdk/dataset.mk - typed columnar datasets (writer, reader, finish).
sdk_libaxle_la_SOURCES += sdk/dataset_format.h sdk/dataset_util.c \
	sdk/dataset_writer.c sdk/dataset_put.c sdk/dataset_reader.c \
	sdk/dataset_cursor.c sdk/dataset_finish.c
