/* test_near_miss.c - which exported names count as misspelt entry points,
 * and the ELF reader behind it on a real method, on every truncation of
 * it and on damaged copies: names or NULL, never a read outside. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf_symbols.h"
#include "near_miss.h"

static void
distances(void **state)
{
    (void)state;
    assert_int_equal(near_miss_distance("analyse", "analysis", 2), 2);
    assert_int_equal(near_miss_distance("synthesize", "synthesis", 2), 2);
    assert_int_equal(near_miss_distance("prepar", "prepare", 2), 1);
    assert_int_equal(near_miss_distance("Analysis", "analysis", 2), 0);
    assert_int_equal(near_miss_distance("ANALYSIS", "analysis", 2), 0);
    assert_int_equal(near_miss_distance("anaylsis", "analysis", 2), 1); /* swap */
    assert_int_equal(near_miss_distance("parse", "prepare", 2), 3);     /* over */
    assert_int_equal(near_miss_distance("helper_count", "analysis", 2), 3);
    assert_int_equal(near_miss_distance("", "prepare", 2), 3);
}

/* The test method with misspelt entry points, as built for the suite. */
static char *
typo_method(void)
{
    const char *dir = getenv("AXLE_TEST_METHODS");
    char *path;
    if (!dir || asprintf(&path, "%s/test_typo.so", dir) < 0)
        return NULL;
    return path;
}

static bool
has(char **names, const char *name)
{
    for (size_t i = 0; names && names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static void
exported_functions_of_a_method(void **state)
{
    (void)state;
    char *path = typo_method();
    if (!path)
        skip();
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    char **names = elf_exported_functions(fd);
    assert_non_null(names);
    assert_true(has(names, "analyse"));
    assert_true(has(names, "Prepare"));
    assert_true(has(names, "synthesis"));
    assert_true(has(names, "helper_count"));
    assert_false(has(names, "axle_error"));  /* undefined here: libaxle's */
    assert_false(has(names, "axle_method")); /* data, not a function */
    elf_names_free(names);

    char text[512];
    bool have[3] = {false, false, true};
    assert_int_equal(near_miss_find(fd, have, text, sizeof text), 2);
    assert_non_null(strstr(text, "'analyse' (did you mean 'analysis'?)"));
    assert_non_null(strstr(text, "'Prepare' (did you mean 'prepare'?)"));
    assert_null(strstr(text, "helper_count"));
    bool all[3] = {true, true, true};
    assert_int_equal(near_miss_find(fd, all, text, sizeof text), 0);
    assert_string_equal(text, "");
    close(fd);
    free(path);
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *buf = malloc(*len);
    assert_int_equal(fread(buf, 1, *len, f), *len);
    fclose(f);
    return buf;
}

/* `len` bytes of `data` in an anonymous file. */
static int
as_file(const char *data, size_t len)
{
    char tmpl[] = "/tmp/axle-elf.XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    unlink(tmpl);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    return fd;
}

static void
truncated_and_damaged_files(void **state)
{
    (void)state;
    char *path = typo_method();
    if (!path)
        skip();
    size_t len;
    char *data = slurp(path, &len);
    /* Every cut that loses the end of a table gives NULL or a subset; the
     * sanitizer build checks that nothing is read outside. */
    for (size_t cut = 0; cut < len; cut += cut < 256 ? 1 : 61) {
        int fd = as_file(data, cut);
        char **names = elf_exported_functions(fd);
        for (size_t i = 0; names && names[i]; i++)
            assert_true(strlen(names[i]) > 0);
        elf_names_free(names);
        close(fd);
    }
    /* Damage every byte of the header and the last 4 KiB (where the
     * section headers are) in turn. */
    size_t tail = len > 4096 + 64 ? len - 4096 : 64;
    for (size_t at = 0; at < len; at = at == 63 ? tail : at + 1) {
        char *copy = malloc(len);
        memcpy(copy, data, len);
        copy[at] ^= (char)0xa5;
        int fd = as_file(copy, len);
        elf_names_free(elf_exported_functions(fd));
        close(fd);
        free(copy);
    }
    int fd = as_file("not an elf file at all", 22);
    assert_null(elf_exported_functions(fd));
    close(fd);
    free(data);
    free(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(distances),
        cmocka_unit_test(exported_functions_of_a_method),
        cmocka_unit_test(truncated_and_damaged_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
