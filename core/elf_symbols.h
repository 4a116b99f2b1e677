/* elf_symbols.h - the function names a shared object exports, read from
 * its ELF dynamic symbol table (.dynsym), with no library but libc. */
#ifndef AXLE_ELF_SYMBOLS_H
#define AXLE_ELF_SYMBOLS_H

/* The defined global or weak functions of the .dynsym table of the ELF
 * file open on `fd` (read with pread: the offset is left alone), for the
 * host's ELF class and byte order.  A malloc'd NULL-terminated array of
 * malloc'd names (free with elf_names_free), or NULL when the file is not
 * such an object, has no .dynsym, or its tables do not add up: every
 * offset, size and name is checked against the file before it is used. */
char **elf_exported_functions(int fd);
void elf_names_free(char **names);

#endif
