# lib/dataset/dataset.mk - typed columnar datasets (writer, reader, finish).
lib_libaxle_la_SOURCES += lib/dataset/dataset_format.h lib/dataset/dataset_util.c \
	lib/dataset/dataset_writer.c lib/dataset/dataset_put.c lib/dataset/dataset_reader.c \
	lib/dataset/dataset_cursor.c lib/dataset/dataset_finish.c lib/dataset/rows.c \
	lib/dataset/image_ref.c lib/dataset/dataset_chain.c
# inc100k: dataset paths resolved with the real folders remembered (issue 11 item 7).
lib_libaxle_la_SOURCES += lib/dataset/dataset_paths.c
