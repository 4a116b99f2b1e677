/* test_image_files.c - which files an import reads and what they are
 * called: axle_expand_paths (files, folders, globs with *, ? and **,
 * hidden names, errors naming the pattern), the folder import names are
 * relative to, and export's collision-free output names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "axle/axle.h"
#include "../../plugins/export_images/export_names.h"
#include "../../plugins/import_images/import_list.h"

static char root[256];

static void
touch(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *p = strchr(path + strlen(root) + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        mkdir(path, 0755);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("x", f);
    fclose(f);
}

static int
setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "%s/axle-files-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(root))
        return -1;
    touch("a.jpg");
    touch("b.webp");
    touch("c.JPG");
    touch(".hidden.jpg");
    touch("2023/x.jpg");
    touch("2023/deep/y.jpg");
    touch("2024/x.jpg");
    touch(".cache/z.jpg");
    char path[512];
    snprintf(path, sizeof path, "%s/empty", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/2023/loop", root);
    if (symlink("..", path) != 0) /* a folder loop through a link */
        return -1;
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* Expands and returns the list joined with spaces, paths shown relative
 * to root; or "error: MESSAGE". */
static char *
expand(bool recursive, int n, ...)
{
    const char *pats[8];
    char buf[8][512], err[512];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        snprintf(buf[i], sizeof buf[i], "%s/%s", root, va_arg(ap, const char *));
        pats[i] = buf[i];
    }
    va_end(ap);
    char **out;
    size_t count;
    static char text[4096];
    if (axle_expand_paths(pats, (size_t)n, recursive, &out, &count, err, sizeof err) != AXLE_OK) {
        snprintf(text, sizeof text, "error: %s", err);
        return text;
    }
    text[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t rl = strlen(root);
        assert_memory_equal(out[i], root, rl);
        strcat(text, i ? " " : "");
        strcat(text, out[i] + rl + 1);
    }
    axle_free_paths(out, count);
    return text;
}

static void
test_files_and_folders(void **state)
{
    (void)state;
    assert_string_equal(expand(true, 1, "a.jpg"), "a.jpg");
    assert_string_equal(expand(true, 1, "."),
                        "2023/deep/y.jpg 2023/x.jpg 2024/x.jpg a.jpg b.webp c.JPG");
    assert_string_equal(expand(false, 1, "."), "a.jpg b.webp c.JPG");
    assert_string_equal(expand(true, 1, "2023/"), "2023/deep/y.jpg 2023/x.jpg");
    /* the same file twice, spelled differently: listed once */
    assert_string_equal(expand(true, 3, "a.jpg", "./a.jpg", "2024"), "2024/x.jpg a.jpg");
    /* a hidden file named explicitly is taken */
    assert_string_equal(expand(true, 1, ".hidden.jpg"), ".hidden.jpg");
}

static void
test_globs(void **state)
{
    (void)state;
    assert_string_equal(expand(true, 1, "*.jpg"), "a.jpg");
    assert_string_equal(expand(true, 1, "?.*"), "a.jpg b.webp c.JPG");
    assert_string_equal(expand(true, 1, "**/x.jpg"), "2023/x.jpg 2024/x.jpg");
    assert_string_equal(expand(true, 1, "**/*.jpg"),
                        "2023/deep/y.jpg 2023/x.jpg 2024/x.jpg a.jpg");
    assert_string_equal(expand(true, 1, "202[3]/*.jpg"), "2023/x.jpg");
    /* a glob matching folders takes their files */
    assert_string_equal(expand(false, 1, "202*"), "2023/x.jpg 2024/x.jpg");
    assert_string_equal(expand(true, 1, ".*/*.jpg"), ".cache/z.jpg");
}

static void
test_errors_name_the_pattern(void **state)
{
    (void)state;
    char *e = expand(true, 1, "nope.jpg");
    assert_non_null(strstr(e, "error: "));
    assert_non_null(strstr(e, "nope.jpg"));
    e = expand(true, 2, "a.jpg", "*.png");
    assert_non_null(strstr(e, "*.png: no file matches"));
    e = expand(true, 1, "empty");
    assert_non_null(strstr(e, "empty: the folder holds no files"));
    char **out;
    size_t n;
    char err[128];
    assert_int_equal(axle_expand_paths(NULL, 0, true, &out, &n, err, sizeof err), AXLE_EINVAL);
}

static void
test_common_folder(void **state)
{
    (void)state;
    static const struct {
        const char *paths[3];
        const char *want;
    } cases[] = {
        {{"/p/2023/a.jpg", "/p/2024/a.jpg", NULL}, "/p"},
        {{"/p/a.jpg", NULL, NULL}, "/p"},
        {{"/p/a/b.jpg", "/p/a/c/d.jpg", NULL}, "/p/a"},
        {{"/p/ab/x.jpg", "/p/abc/y.jpg", NULL}, "/p"},
        {{"/a.jpg", "/b/c.jpg", NULL}, "/"},
        {{"/x/a.jpg", "/y/b.jpg", "/x/c.jpg"}, "/"},
        {{"a.jpg", "b.jpg", NULL}, ""},
        {{"d/a.jpg", "d/e/b.jpg", NULL}, "d"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = 0;
        while (n < 3 && cases[i].paths[n])
            n++;
        char *got = import_list_common_folder((char **)cases[i].paths, n);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
    /* and names below it */
    char *paths[] = {"/p/2023/a.jpg", "/p/2024/a.jpg"};
    struct import_list l = {import_list_common_folder(paths, 2), paths, 2, NULL};
    assert_string_equal(import_list_relname(&l, 0), "2023/a.jpg");
    assert_string_equal(import_list_relname(&l, 1), "2024/a.jpg");
    void *blob;
    size_t len;
    assert_int_equal(import_list_encode(&l, &blob, &len), AXLE_OK);
    struct import_list back;
    assert_int_equal(import_list_decode(blob, len, &back), AXLE_OK);
    assert_int_equal(back.n, 2);
    assert_string_equal(back.base, "/p");
    assert_string_equal(import_list_relname(&back, 1), "2024/a.jpg");
    import_list_free(&back);
    free(blob);
    free(l.base);
}

static void
test_export_names(void **state)
{
    (void)state;
    const char *src[] = {"a.jpg", "a.webp", "sub/a.webp", "a.webp", "../up.jpg",
                         "/abs/b.webp", "noext", ".dot"};
    size_t len;
    char *blob = export_names(src, 8, ".jpg", &len);
    assert_non_null(blob);
    const char *want[] = {"a.jpg", "a.webp.jpg", "sub/a.jpg", "a.webp-2.jpg",
                          "_/up.jpg", "abs/b.jpg", "noext.jpg", ".dot.jpg"};
    const char *p = blob;
    for (size_t i = 0; i < 8; i++) {
        assert_string_equal(p, want[i]);
        p += strlen(p) + 1;
    }
    assert_int_equal((size_t)(p - blob), len);
    free(blob);
    blob = export_names(src, 2, ".webp", &len); /* a.jpg -> a.webp first */
    assert_string_equal(blob, "a.webp");
    assert_string_equal(blob + 7, "a.webp.webp");
    free(blob);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_and_folders),
        cmocka_unit_test(test_globs),
        cmocka_unit_test(test_errors_name_the_pattern),
        cmocka_unit_test(test_common_folder),
        cmocka_unit_test(test_export_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
