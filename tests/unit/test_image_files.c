/* test_image_files.c - which files an import reads and what they are
 * called: axle_expand_paths (files, folders, globs with *, ? and **,
 * hidden names, errors naming the pattern, workdirs passed over, entries
 * it cannot list reported), the folder import names are relative to, how
 * import reads one file (regular files only, a bounded header first), and
 * export's collision-free, writable output names. */
#include <errno.h>
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
#include "../../lib/axle_internal.h"
#include "../../plugins/export_images/export_names.h"
#include "../../plugins/export_images/export_template.h"
#include "../../plugins/import_images/import_list.h"
#include "../../plugins/import_images/import_read.h"

static char root[256];

static void
touch_in(const char *base, const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", base, rel);
    for (char *p = strchr(path + strlen(base) + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        mkdir(path, 0755);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("x", f);
    fclose(f);
}

static void
touch(const char *rel)
{
    touch_in(root, rel);
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

/* What on_skip heard, "PATH: REASON" joined with "; ", paths relative
 * to the base folder. */
static char heard[4096];
static const char *heard_base;

static void
hear(void *ctx, const axle_path_skip *s)
{
    (void)ctx;
    size_t bl = strlen(heard_base);
    const char *rel = strncmp(s->path, heard_base, bl) == 0 ? s->path + bl + 1 : s->path;
    size_t used = strlen(heard);
    snprintf(heard + used, sizeof heard - used, "%s%s: %s", used ? "; " : "", rel,
             s->reason);
}

/* Expands patterns below `base` and returns the list joined with spaces,
 * paths shown relative to base; or "error: MESSAGE".  What was left out
 * is in `heard`. */
static char *
vexpand(const char *base, bool recursive, int n, va_list ap)
{
    const char *pats[8];
    char buf[8][512], err[512];
    for (int i = 0; i < n; i++) {
        snprintf(buf[i], sizeof buf[i], "%s/%s", base, va_arg(ap, const char *));
        pats[i] = buf[i];
    }
    char **out;
    size_t count;
    static char text[4096];
    heard[0] = '\0';
    heard_base = base;
    if (axle_expand_paths_report(pats, (size_t)n, recursive, hear, NULL, &out, &count, err,
                                 sizeof err) != AXLE_OK) {
        snprintf(text, sizeof text, "error: %s", err);
        return text;
    }
    text[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t rl = strlen(base);
        assert_memory_equal(out[i], base, rl);
        strcat(text, i ? " " : "");
        strcat(text, out[i] + rl + 1);
    }
    axle_free_paths(out, count);
    return text;
}

static char *
expand(bool recursive, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    char *text = vexpand(root, recursive, n, ap);
    va_end(ap);
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
    struct import_list l = {.base = import_list_common_folder(paths, 2), .paths = paths,
                           .n = 2, .skipped = 3};
    assert_string_equal(import_list_relname(&l, 0), "2023/a.jpg");
    assert_string_equal(import_list_relname(&l, 1), "2024/a.jpg");
    void *blob;
    size_t len;
    assert_int_equal(import_list_encode(&l, &blob, &len), AXLE_OK);
    struct import_list back;
    assert_int_equal(import_list_decode(blob, len, &back), AXLE_OK);
    assert_int_equal(back.n, 2);
    assert_string_equal(back.base, "/p");
    assert_int_equal(back.skipped, 3);
    assert_string_equal(import_list_relname(&back, 1), "2024/a.jpg");
    import_list_free(&back);
    free(blob);
    free(l.base);
}

/* Slices cut at equal bytes (issue 12): contiguous, covering, the same
 * for the same sizes; by count when the cuts were made for another slice
 * count; and the cuts survive the list's encoding. */
static void
test_slices_by_bytes(void **state)
{
    (void)state;
    /* One 1 MB file and five of 1 KB: the large one alone in slice 0. */
    uint64_t sizes[] = {1000000, 1000, 1000, 1000, 1000, 1000};
    size_t cuts[3];
    import_list_cut(sizes, 6, 2, cuts);
    assert_int_equal(cuts[0], 0);
    assert_int_equal(cuts[1], 1);
    assert_int_equal(cuts[2], 6);
    /* Equal files: equal counts. */
    uint64_t equal[] = {5000, 5000, 5000, 5000, 5000, 5000};
    size_t thirds[4];
    import_list_cut(equal, 6, 3, thirds);
    assert_int_equal(thirds[1], 2);
    assert_int_equal(thirds[2], 4);
    assert_int_equal(thirds[3], 6);
    /* More slices than files, and no files at all: still covering. */
    size_t many[5];
    import_list_cut(sizes, 2, 4, many);
    assert_int_equal(many[0], 0);
    assert_int_equal(many[4], 2);
    for (int i = 0; i < 4; i++)
        assert_true(many[i] <= many[i + 1]);
    size_t none[3];
    import_list_cut(NULL, 0, 2, none);
    assert_int_equal(none[1], 0);
    assert_int_equal(none[2], 0);

    char *paths[] = {"/p/a.jpg", "/p/b.jpg", "/p/c.jpg", "/p/d.jpg", "/p/e.jpg", "/p/f.jpg"};
    struct import_list l = {.base = "/p", .paths = paths, .n = 6, .cuts = cuts, .ncuts = 3};
    void *blob;
    size_t len, first, end;
    assert_int_equal(import_list_encode(&l, &blob, &len), AXLE_OK);
    struct import_list back;
    assert_int_equal(import_list_decode(blob, len, &back), AXLE_OK);
    assert_int_equal(back.n, 6);
    import_list_slice(&back, 0, 2, &first, &end);
    assert_int_equal(first, 0);
    assert_int_equal(end, 1);
    import_list_slice(&back, 1, 2, &first, &end);
    assert_int_equal(first, 1);
    assert_int_equal(end, 6);
    import_list_slice(&back, 1, 3, &first, &end); /* not cut for 3: by count */
    assert_int_equal(first, 2);
    assert_int_equal(end, 4);
    import_list_free(&back);
    free(blob);
}

/* A fresh folder for one test; the test removes it with remove_tree. */
static void
new_tree(char *tree, size_t len)
{
    snprintf(tree, len, "%s/axle-tree-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(tree));
}

static void
remove_tree(const char *tree)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tree);
    assert_int_equal(system(cmd), 0);
}

static char *
expand_in(const char *base, bool recursive, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    char *text = vexpand(base, recursive, n, ap);
    va_end(ap);
    return text;
}

static void
test_workdirs_are_not_walked(void **state)
{
    (void)state;
    char tree[256];
    new_tree(tree, sizeof tree);
    touch_in(tree, "a.jpg");
    touch_in(tree, "axle-work/.axle-workdir");
    touch_in(tree, "axle-work/axle-work-3/output/a.jpg");
    touch_in(tree, "sub/b.jpg");
    touch_in(tree, "sub/old-work/.axle-workdir");
    touch_in(tree, "sub/old-work/axle-work-1/output/c.jpg");
    /* walks and wildcards pass workdirs over, saying nothing */
    assert_string_equal(expand_in(tree, true, 1, "."), "a.jpg sub/b.jpg");
    assert_string_equal(heard, "");
    assert_string_equal(expand_in(tree, true, 1, "**/*.jpg"), "a.jpg sub/b.jpg");
    assert_non_null(strstr(expand_in(tree, true, 1, "sub/*/*/output/*.jpg"),
                           "output/*.jpg: no file matches this pattern"));
    /* a path spelled into one is followed */
    assert_string_equal(expand_in(tree, true, 1, "axle-work/*/output/*.jpg"),
                        "axle-work/axle-work-3/output/a.jpg");
    assert_string_equal(expand_in(tree, true, 1, "axle-work/axle-work-3/output"),
                        "axle-work/axle-work-3/output/a.jpg");
    /* a workdir named as an input is refused, naming it */
    char *e = expand_in(tree, true, 1, "axle-work");
    assert_non_null(strstr(e, "axle-work: an axle workdir (it holds .axle-workdir)"));
    remove_tree(tree);
}

static void
test_left_out_entries_are_reported(void **state)
{
    (void)state;
    char tree[256], path[512];
    new_tree(tree, sizeof tree);
    touch_in(tree, "a.jpg");
    touch_in(tree, "caf\xe9.jpg");
    touch_in(tree, "only-fifo/.keep");
    snprintf(path, sizeof path, "%s/fifo.jpg", tree);
    assert_int_equal(mkfifo(path, 0644), 0);
    snprintf(path, sizeof path, "%s/only-fifo/p.jpg", tree);
    assert_int_equal(mkfifo(path, 0644), 0);
    snprintf(path, sizeof path, "%s/dangling.webp", tree);
    assert_int_equal(symlink("nowhere", path), 0);

    assert_string_equal(expand_in(tree, true, 1, "."), "a.jpg");
    assert_string_equal(heard, "caf\\xe9.jpg: the name is not valid UTF-8; "
                               "dangling.webp: not a regular file: dangling symbolic link; "
                               "fifo.jpg: not a regular file: FIFO; "
                               "only-fifo/p.jpg: not a regular file: FIFO");
    assert_string_equal(expand_in(tree, true, 1, "*.jpg"), "a.jpg");
    assert_string_equal(heard, "caf\\xe9.jpg: the name is not valid UTF-8; "
                               "fifo.jpg: not a regular file: FIFO");
    /* a folder with nothing but a FIFO: no file, but no error either */
    assert_string_equal(expand_in(tree, true, 1, "only-fifo"), "");
    assert_string_equal(heard, "only-fifo/p.jpg: not a regular file: FIFO");
    /* each entry is told once, even when two patterns meet it */
    assert_string_equal(expand_in(tree, true, 2, "only-fifo", "*/p.jpg"), "");
    assert_string_equal(heard, "only-fifo/p.jpg: not a regular file: FIFO");

    /* the plain call lists the same files and does not fail */
    char **out;
    size_t n;
    char err[256];
    const char *pats[] = {tree};
    assert_int_equal(axle_expand_paths(pats, 1, true, &out, &n, err, sizeof err), AXLE_OK);
    assert_int_equal(n, 1);
    axle_free_paths(out, n);

    /* an unreadable folder below: only a user other than root sees one
     * here (tests/image/unreadable.sh makes one for root too) */
    if (geteuid() != 0) {
        touch_in(tree, "locked/x.jpg");
        snprintf(path, sizeof path, "%s/locked", tree);
        chmod(path, 0);
        assert_string_equal(expand_in(tree, true, 1, "locked/.."), "");
        char *e = expand_in(tree, true, 1, ".");
        chmod(path, 0755);
        assert_string_equal(e, "a.jpg");
        assert_non_null(strstr(heard, "locked: cannot read this folder: Permission denied"));
    }
    remove_tree(tree);
}

/* Writes an encoded noise image of w x h to `path`; returns its size. */
static size_t
write_noise_image(const char *path, axle_codec codec, uint32_t w, uint32_t h)
{
    axle_pixels px;
    assert_int_equal(axle_pixels_alloc(&px, w, h, 3), AXLE_OK);
    uint32_t seed = 12345;
    for (size_t i = 0; i < (size_t)px.stride * h; i++) {
        seed = seed * 1103515245u + 12345u;
        px.data[i] = (uint8_t)(seed >> 16);
    }
    void *enc;
    size_t len;
    char err[256];
    assert_int_equal(axle_image_encode(&px, codec, 100, &enc, &len, err, sizeof err),
                     AXLE_OK);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(enc, 1, len, f), len);
    fclose(f);
    free(enc);
    axle_pixels_free(&px);
    return len;
}

/* Only regular files are opened for their contents; a FIFO is refused at
 * once (the alarm is a watchdog: a read of a FIFO would wait forever). */
static void
test_import_reads_only_regular_files(void **state)
{
    (void)state;
    char tree[256], path[512];
    new_tree(tree, sizeof tree);
    snprintf(path, sizeof path, "%s/photo.jpg", tree);
    assert_int_equal(mkfifo(path, 0644), 0);
    struct import_buf b = {NULL, 0, 0};
    axle_image img;
    struct import_stat st;
    struct import_failure why;
    alarm(60);
    assert_int_equal(import_read_image(&b, path, 0, true, &img, &st, &why), AXLE_EFORMAT);
    alarm(0);
    assert_string_equal(why.reason, "not a regular file: FIFO");
    assert_false(why.transient);
    /* gone since it was listed: the environment's doing */
    snprintf(path, sizeof path, "%s/gone.jpg", tree);
    assert_int_not_equal(import_read_image(&b, path, 0, true, &img, &st, &why), AXLE_OK);
    assert_string_equal(why.reason, "cannot open: No such file or directory");
    assert_true(why.transient);
    assert_true(import_errno_is_transient(EIO));
    assert_true(import_errno_is_transient(EACCES));
    assert_true(import_errno_is_transient(EMFILE));
    assert_false(import_errno_is_transient(EISDIR));
    import_buf_free(&b);
    remove_tree(tree);
}

/* A file that is not an image costs one bounded read; an image is read
 * whole, however far past the first read its header or data go. */
static void
test_import_reads_a_bounded_header(void **state)
{
    (void)state;
    char tree[256], path[512];
    new_tree(tree, sizeof tree);
    struct import_buf b = {NULL, 0, 0};
    axle_image img;
    struct import_stat st;
    struct import_failure why;

    snprintf(path, sizeof path, "%s/video.jpg", tree);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    static const uint8_t mp4[12] = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'};
    fwrite(mp4, 1, sizeof mp4, f);
    assert_int_equal(fseek(f, 8L << 20, SEEK_SET), 0); /* 8 MiB, sparse */
    fputc(0, f);
    fclose(f);
    assert_int_not_equal(import_read_image(&b, path, 0, true, &img, &st, &why), AXLE_OK);
    assert_false(why.transient);
    assert_true(b.cap <= IMPORT_PROBE_BYTES);

    static const struct {
        const char *name;
        axle_codec codec;
    } images[] = {{"big.jpg", AXLE_CODEC_JPEG}, {"big.webp", AXLE_CODEC_WEBP}};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", tree, images[i].name);
        size_t size = write_noise_image(path, images[i].codec, 400, 400);
        assert_true(size > 2 * IMPORT_PROBE_BYTES);
        assert_int_equal(import_read_image(&b, path, 0, true, &img, &st, &why), AXLE_OK);
        assert_int_equal(img.codec, images[i].codec);
        assert_int_equal(img.width, 400);
        assert_int_equal(img.size, size);
        assert_int_equal(b.len, size);
        /* by reference: the header only, and the stat a reference records */
        import_buf_free(&b);
        assert_int_equal(import_read_image(&b, path, 0, false, &img, &st, &why), AXLE_OK);
        assert_int_equal(img.codec, images[i].codec);
        assert_int_equal(img.width, 400);
        assert_int_equal(st.size, size);
        assert_true(st.mtime_ns > 0);
        assert_true(b.len <= IMPORT_PROBE_BYTES);
    }
    /* over max_pixels: refused from its header, not read whole */
    snprintf(path, sizeof path, "%s/big.jpg", tree);
    import_buf_free(&b);
    assert_int_equal(import_read_image(&b, path, 1000, true, &img, &st, &why), AXLE_ETOOBIG);
    assert_string_equal(why.reason,
                        "image is 400x400 = 160000 pixels, over max_pixels 1000");
    assert_true(b.cap <= IMPORT_PROBE_BYTES);
    import_buf_free(&b);
    remove_tree(tree);
}

/* The entries of an export_names blob as "name" or "skip ITEM: REASON". */
static void
assert_entries(const char *blob, size_t len, const char *const *want, size_t n)
{
    const char *p = blob, *end = blob + len;
    struct export_name e;
    for (size_t i = 0; i < n; i++) {
        assert_true(export_names_next(&p, end, &e));
        char got[1024];
        if (e.name)
            snprintf(got, sizeof got, "%s", e.name);
        else
            snprintf(got, sizeof got, "skip %s: %s", e.skip_item, e.skip_reason);
        assert_string_equal(got, want[i]);
    }
    assert_false(export_names_next(&p, end, &e));
}

static void
test_export_names(void **state)
{
    (void)state;
    const char *src[] = {"a.jpg", "a.webp", "sub/a.webp", "a.webp", "../up.jpg",
                         "/abs/b.webp", "noext", ".dot", "beach...sunset.jpg", "x/../y.jpg"};
    size_t len;
    char *blob = export_names(src, 10, ".jpg", 4096, &len);
    assert_non_null(blob);
    const char *want[] = {"a.jpg", "a.webp.jpg", "sub/a.jpg", "a.webp-2.jpg",
                          "_/up.jpg", "abs/b.jpg", "noext.jpg", ".dot.jpg",
                          "beach...sunset.jpg", "x/_/y.jpg"};
    assert_entries(blob, len, want, 10);
    free(blob);
    blob = export_names(src, 2, ".webp", 4096, &len); /* a.jpg -> a.webp first */
    const char *want_webp[] = {"a.webp", "a.webp.webp"};
    assert_entries(blob, len, want_webp, 2);
    free(blob);
}

/* Names that cannot be written are skipped with the reason, not left to
 * fail the export: a name that is also a folder, a component over
 * NAME_MAX, a path longer than what is left. */
static void
test_export_names_unwritable(void **state)
{
    (void)state;
    char long_jpg[300], long_webp[300];
    snprintf(long_jpg, sizeof long_jpg, "%0250d.jpg", 0);
    snprintf(long_webp, sizeof long_webp, "%0250d.webp", 0);
    const char *src[] = {"photo.webp", "photo.jpg/a.jpg", long_jpg, long_webp,
                         "deep/er/x.jpg"};
    size_t len;
    char *blob = export_names(src, 5, ".jpg", 300, &len);
    assert_non_null(blob);
    char want_long[400];
    snprintf(want_long, sizeof want_long,
             "skip %s: its output name is too long: a part of 259 bytes, over 255",
             long_webp);
    const char *want[] = {
        "skip photo.webp: its output photo.jpg is also a folder of other outputs",
        "photo.jpg/a.jpg", long_jpg, want_long, "deep/er/x.jpg"};
    assert_entries(blob, len, want, 5);
    free(blob);
    blob = export_names(src + 4, 1, ".jpg", 10, &len);
    const char *want_short[] = {
        "skip deep/er/x.jpg: its output path is too long: 13 bytes, over the 10 left"};
    assert_entries(blob, len, want_short, 1);
    free(blob);
}

/* A `name` template (issue 14): each placeholder filled in, the result
 * made safe, a taken name numbered before its extension, a null cell
 * given no name, unwritable names skipped as without a template. */
static void
test_export_names_template(void **state)
{
    (void)state;
    const struct export_row rows[] = {
        {"2023/a.webp", 640, 480, false}, {"2023/a.jpg", 640, 480, false},
        {"top.jpg", 300, 200, false},     {"../up.jpg", 10, 20, false},
        {"gone.jpg", 0, 0, true},         {"2023/a.png", 640, 480, false},
        {"noext", 1, 1, false}};
    size_t len;
    char *blob = export_names_template("{dir}/{stem}-{column}-{w}x{h}.{ext}", rows, 7, "small",
                                       ".jpg", 4096, &len);
    assert_non_null(blob);
    const char *want[] = {"2023/a-small-640x480.jpg", "2023/a-small-640x480-2.jpg",
                          "top-small-300x200.jpg",    "_/up-small-10x20.jpg",
                          "skip gone.jpg: no image",  "2023/a-small-640x480-3.jpg",
                          "noext-small-1x1.jpg"};
    assert_entries(blob, len, want, 7);
    free(blob);
    /* without the extension at the end, the counter goes at the end */
    blob = export_names_template("{ext}/{stem}", rows, 2, "thumb", ".webp", 4096, &len);
    const char *want_end[] = {"webp/a", "webp/a-2"};
    assert_entries(blob, len, want_end, 2);
    free(blob);
    /* a name that is a folder of other names, one too long */
    const struct export_row nested[] = {{"x.jpg", 1, 1, false}, {"x/y.jpg", 1, 1, false}};
    blob = export_names_template("{dir}/{stem}", nested, 2, "c", ".jpg", 4096, &len);
    const char *want_nested[] = {"skip x.jpg: its output x is also a folder of other outputs",
                                 "x/y"};
    assert_entries(blob, len, want_nested, 2);
    free(blob);
    blob = export_names_template("{stem}-{column}.{ext}", nested, 1, "c", ".jpg", 5, &len);
    const char *want_long[] = {"skip x.jpg: its output path is too long: 7 bytes, over the 5 left"};
    assert_entries(blob, len, want_long, 1);
    free(blob);
}

/* What a template may not be, in words. */
static void
test_export_template_check(void **state)
{
    (void)state;
    char err[512];
    assert_int_equal(export_template_check("{dir}/{stem}-{w}x{h}.{ext}", err, sizeof err), 0);
    assert_int_equal(export_template_check("plain.jpg", err, sizeof err), 0);
    const struct {
        const char *tmpl, *why;
    } bad[] = {
        {"", "it is empty"},
        {"{stem}.{size}", "unknown placeholder '{size}' (known: {stem}, {ext}, {column}, {w}, "
                          "{h}, {dir})"},
        {"{stem", "'{' at character 1 is not closed"},
        {"a}.{ext}", "'}' at character 2 has no '{' before it (braces only surround "
                     "placeholders: {stem}, {ext}, {column}, {w}, {h}, {dir})"},
        {"/srv/{stem}.{ext}", "it starts with '/': names are relative to the export's folder"},
        {"{dir}/../{stem}", "it has a '..' component: names stay inside the export's folder"},
        {"{dir}/", "it ends with '/': it must name a file"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(export_template_check(bad[i].tmpl, err, sizeof err), -1);
        assert_string_equal(err, bad[i].why);
    }
    assert_true(export_template_uses("{stem}-{w}", "w"));
    assert_false(export_template_uses("{stem}-{w}", "h"));
}

/* ---- noop2: the files of one folder as a stream ---- */

struct streamed {
    char text[4096];
    size_t n, stop_at;
    char last[512];
    bool in_order;
};

static int
take_streamed(void *ctx, const char *path)
{
    struct streamed *s = ctx;
    if (s->n && strcmp(s->last, path) >= 0)
        s->in_order = false;
    snprintf(s->last, sizeof s->last, "%s", path);
    size_t used = strlen(s->text);
    snprintf(s->text + used, sizeof s->text - used, "%s%s", s->n ? " " : "", path);
    return ++s->n == s->stop_at ? AXLE_EIO : AXLE_OK;
}

/* The list axle_expand_paths gives, joined with spaces. */
static void
listed(const char *const *pats, size_t n, char *text, size_t size)
{
    char **out, err[512];
    size_t count;
    assert_int_equal(axle_expand_paths(pats, n, true, &out, &count, err, sizeof err), AXLE_OK);
    text[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t used = strlen(text);
        snprintf(text + used, size - used, "%s%s", i ? " " : "", out[i]);
    }
    axle_free_paths(out, count);
}

/* A walk yields the sorted list without sorting it, even where a folder's
 * files come among its neighbours' ("a.jpg" < "a/b.jpg" < "a0.jpg"): the
 * core digests a no-op's 100,000 photos as they come, holding none. */
static void
test_expand_each_streams_the_sorted_list(void **state)
{
    (void)state;
    char base[300];
    snprintf(base, sizeof base, "%s-order", root); /* beside the tree others list */
    assert_int_equal(mkdir(base, 0755), 0);
    static const char *const names[] = {"a.jpg", "a/b.jpg", "a/z/q.jpg", "a/z.jpg",
                                        "a0.jpg", "a-b.jpg", "a b.jpg", "ab/c.jpg",
                                        "ab.jpg", "a/z0/x.jpg", "\xc3\xa9t\xc3\xa9.jpg",
                                        "Z/y.jpg", "zz/x.jpg"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        touch_in(base, names[i]);
    const char *one[] = {base};
    char want[4096];
    listed(one, 1, want, sizeof want);
    struct streamed s = {.in_order = true};
    char err[512];
    assert_int_equal(axle_internal_expand_each(one, 1, true, take_streamed, &s, NULL,
                                               err, sizeof err), AXLE_OK);
    assert_string_equal(s.text, want);
    assert_true(s.in_order);
    assert_int_equal(s.n, sizeof names / sizeof *names);

    /* patterns that overlap: each file once, in order, as listed */
    char sub[320];
    snprintf(sub, sizeof sub, "%s/a", base);
    const char *two[] = {sub, base};
    listed(two, 2, want, sizeof want);
    struct streamed s2 = {.in_order = true};
    assert_int_equal(axle_internal_expand_each(two, 2, true, take_streamed, &s2, NULL,
                                               err, sizeof err), AXLE_OK);
    assert_string_equal(s2.text, want);
    assert_true(s2.in_order);

    /* the callback's error stops the walk and is returned */
    struct streamed s3 = {.in_order = true, .stop_at = 3};
    assert_int_equal(axle_internal_expand_each(one, 1, true, take_streamed, &s3, NULL,
                                               err, sizeof err), AXLE_EIO);
    assert_int_equal(s3.n, 3);

    /* and a folder that is not there is the same error as for the list */
    char gone[320];
    snprintf(gone, sizeof gone, "%s/nope", base);
    const char *missing[] = {gone};
    struct streamed s4 = {.in_order = true};
    assert_int_equal(axle_internal_expand_each(missing, 1, true, take_streamed, &s4, NULL,
                                               err, sizeof err), AXLE_EIO);
    assert_non_null(strstr(err, "No such file or directory"));
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    assert_int_equal(system(cmd), 0);
}

/* What the expansion left out is counted, streamed or listed: the core
 * hands its list over to the import only when that is none. */
static void
test_expand_each_counts_what_it_left_out(void **state)
{
    (void)state;
    char base[300], path[400];
    snprintf(base, sizeof base, "%s-left", root);
    assert_int_equal(mkdir(base, 0755), 0);
    touch_in(base, "a.jpg");
    touch_in(base, "sub/b.jpg");
    const char *one[] = {base};
    struct streamed s = {.in_order = true};
    char err[512];
    size_t left = 99;
    assert_int_equal(axle_internal_expand_each(one, 1, true, take_streamed, &s, &left,
                                               err, sizeof err), AXLE_OK);
    assert_int_equal(left, 0);
    snprintf(path, sizeof path, "%s/sub/p.jpg", base);
    assert_int_equal(mkfifo(path, 0644), 0);
    struct streamed s2 = {.in_order = true};
    assert_int_equal(axle_internal_expand_each(one, 1, true, take_streamed, &s2, &left,
                                               err, sizeof err), AXLE_OK);
    assert_int_equal(left, 1);
    assert_int_equal(s2.n, 2);
    char sub[320];
    snprintf(sub, sizeof sub, "%s/sub", base);
    const char *two[] = {sub, base}; /* listed, sorted: the FIFO once */
    struct streamed s3 = {.in_order = true};
    left = 99;
    assert_int_equal(axle_internal_expand_each(two, 2, true, take_streamed, &s3, &left,
                                               err, sizeof err), AXLE_OK);
    assert_int_equal(left, 1);
    assert_int_equal(s3.n, 2);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    assert_int_equal(system(cmd), 0);
}

/* ---- small11: export_names_plain, rewritten without a copy of each name,
 * against what export_names gives ---- */

/* What export_names_plain must say: every source gets the name it gets
 * alone, and none is skipped. */
static bool
plain_by_export_names(const char *const *src, size_t n, const char *ext, size_t max_len)
{
    size_t len;
    char *all = export_names(src, n, ext, max_len, &len);
    assert_non_null(all);
    const char *p = all, *end = all + len;
    bool plain = true;
    for (size_t i = 0; i < n; i++) {
        struct export_name e, one;
        assert_true(export_names_next(&p, end, &e));
        size_t alone_len;
        char *alone = export_names(&src[i], 1, ext, max_len, &alone_len);
        const char *q = alone;
        assert_true(export_names_next(&q, alone + alone_len, &one));
        plain = plain && e.name && one.name && strcmp(e.name, one.name) == 0;
        free(alone);
    }
    free(all);
    return plain;
}

static void
check_plain(const char *const *src, size_t n, size_t max_len, bool want)
{
    assert_int_equal(plain_by_export_names(src, n, ".jpg", max_len), want);
    assert_int_equal(export_names_plain(src, n, ".jpg", max_len), want);
}

static void
test_export_names_plain(void **state)
{
    (void)state;
    char long_name[300];
    snprintf(long_name, sizeof long_name, "%0260d.png", 0);
    const char *distinct[] = {"a/b.jpg", "a/c.png", "a", "d/e/f.jpg"};
    check_plain(distinct, 4, 4096, true);
    const char *compete[] = {"a.jpg", "b.jpg", "a.png"}; /* both a.jpg */
    check_plain(compete, 3, 4096, false);
    const char *folder[] = {"x.jpg", "x.jpg/y.png"}; /* x.jpg is a folder too */
    check_plain(folder, 2, 4096, false);
    const char *made_safe[] = {"../a.jpg", "x/./b.jpg", "c//d.jpg"}; /* _/a, x/b, c/d */
    check_plain(made_safe, 3, 4096, true);
    const char *safe_same[] = {"/abs/a.jpg", "abs/a.png"}; /* both abs/a.jpg */
    check_plain(safe_same, 2, 4096, false);
    const char *too_long[] = {"ok.jpg", long_name};
    check_plain(too_long, 2, 4096, false);
    check_plain(distinct, 4, 8, false); /* d/e/f.jpg is over 8 bytes */

    /* 3,000 names in 300 folders (the sets grow), then one that competes */
    enum { N = 3001 };
    char (*names)[32] = malloc(N * sizeof *names);
    const char **src = malloc(N * sizeof *src);
    assert_non_null(names);
    assert_non_null(src);
    for (size_t i = 0; i < N - 1; i++) {
        snprintf(names[i], sizeof names[i], "f%03zu/x%04zu.jpg", i % 300, i);
        src[i] = names[i];
    }
    check_plain(src, N - 1, 4096, true);
    snprintf(names[N - 1], sizeof names[N - 1], "f%03d/x%04d.png", 1234 % 300, 1234);
    src[N - 1] = names[N - 1];
    check_plain(src, N, 4096, false);
    free(src);
    free(names);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_and_folders),
        cmocka_unit_test(test_globs),
        cmocka_unit_test(test_errors_name_the_pattern),
        cmocka_unit_test(test_common_folder),
        cmocka_unit_test(test_slices_by_bytes),
        cmocka_unit_test(test_workdirs_are_not_walked),
        cmocka_unit_test(test_left_out_entries_are_reported),
        cmocka_unit_test(test_import_reads_only_regular_files),
        cmocka_unit_test(test_import_reads_a_bounded_header),
        cmocka_unit_test(test_export_names),
        cmocka_unit_test(test_export_names_unwritable),
        cmocka_unit_test(test_export_names_plain),
        cmocka_unit_test(test_export_names_template),
        cmocka_unit_test(test_export_template_check),
        cmocka_unit_test(test_expand_each_streams_the_sorted_list),
        cmocka_unit_test(test_expand_each_counts_what_it_left_out),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
