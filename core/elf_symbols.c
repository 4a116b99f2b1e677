/* elf_symbols.c - exported function names from an ELF file's .dynsym.
 *
 * The loader only needs names, so this reads the section headers, the
 * dynamic symbol table and its string table, and nothing else.  The file
 * may be anything a user named, so each table is checked to lie inside
 * the file, and each name to end inside its string table. */
#include "elf_symbols.h"

#include <elf.h>
#include <link.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_ELFDATA ELFDATA2LSB
#else
#define HOST_ELFDATA ELFDATA2MSB
#endif
#if __SIZEOF_POINTER__ == 8
#define HOST_ELFCLASS ELFCLASS64
#else
#define HOST_ELFCLASS ELFCLASS32
#endif

/* No string or symbol table of a method comes near this. */
#define TABLE_LIMIT (64u << 20)

/* `count` items of `size` bytes at `off`, when they lie inside the file. */
static void *
read_table(int fd, uint64_t file_size, uint64_t off, uint64_t count, uint64_t size)
{
    if (size == 0 || count == 0 || count > TABLE_LIMIT / size)
        return NULL;
    uint64_t len = count * size;
    if (off > file_size || len > file_size - off)
        return NULL;
    void *buf = malloc(len);
    if (buf && pread(fd, buf, len, (off_t)off) != (ssize_t)len) {
        free(buf);
        return NULL;
    }
    return buf;
}

static bool
host_object(const ElfW(Ehdr) *eh)
{
    return memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
           eh->e_ident[EI_CLASS] == HOST_ELFCLASS &&
           eh->e_ident[EI_DATA] == HOST_ELFDATA &&
           eh->e_shentsize == sizeof(ElfW(Shdr));
}

static bool
exported_function(const ElfW(Sym) *s)
{
    unsigned bind = ELF64_ST_BIND(s->st_info), type = ELF64_ST_TYPE(s->st_info);
    return s->st_shndx != SHN_UNDEF && type == STT_FUNC &&
           (bind == STB_GLOBAL || bind == STB_WEAK);
}

/* The names of the exported functions among `nsyms` symbols. */
static char **
collect(const ElfW(Sym) *syms, size_t nsyms, const char *strtab, size_t strsize)
{
    char **names = calloc(nsyms + 1, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; names && i < nsyms; i++) {
        const ElfW(Sym) *s = &syms[i];
        if (!exported_function(s) || s->st_name >= strsize)
            continue;
        const char *name = strtab + s->st_name;
        size_t len = strnlen(name, strsize - s->st_name);
        if (len == 0 || len == strsize - s->st_name) /* empty, or no NUL inside */
            continue;
        if (!(names[n] = strndup(name, len))) {
            elf_names_free(names);
            return NULL;
        }
        n++;
    }
    return names;
}

char **
elf_exported_functions(int fd)
{
    struct stat st;
    ElfW(Ehdr) eh;
    if (fstat(fd, &st) < 0 || pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh ||
        !host_object(&eh))
        return NULL;
    uint64_t size = (uint64_t)st.st_size;
    ElfW(Shdr) *sh = read_table(fd, size, eh.e_shoff, eh.e_shnum, sizeof *sh);
    char **names = NULL;
    for (size_t i = 0; sh && i < eh.e_shnum && !names; i++) {
        if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_entsize != sizeof(ElfW(Sym)) ||
            sh[i].sh_link >= eh.e_shnum || sh[sh[i].sh_link].sh_type != SHT_STRTAB)
            continue;
        const ElfW(Shdr) *str = &sh[sh[i].sh_link];
        size_t nsyms = sh[i].sh_size / sizeof(ElfW(Sym));
        ElfW(Sym) *syms = read_table(fd, size, sh[i].sh_offset, nsyms, sizeof *syms);
        char *strtab = read_table(fd, size, str->sh_offset, str->sh_size, 1);
        if (syms && strtab)
            names = collect(syms, nsyms, strtab, str->sh_size);
        free(syms);
        free(strtab);
    }
    free(sh);
    return names;
}

void
elf_names_free(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}
