# sdk/dataset.mk - typed columnar datasets (writer, reader, finish).
sdk_libaxle_la_SOURCES +=
