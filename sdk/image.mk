# sdk/image.mk - image probe, decode with shrink-on-load, encode.
sdk_libaxle_la_SOURCES +=
