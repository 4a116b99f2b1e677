/* test_identity.c - job identity: what changes it, what does not, and how
 * the difference is explained; plus the workdir's numbering and index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fsutil.h"
#include "identity.h"
#include "libaxle_digest.h"
#include "workdir.h"

static const axle_option opts[] = {
    AXLE_OPTION_PATHS("files", NULL, "inputs"),
    AXLE_OPTION_INT("q", "85", 1, 100, "quality"),
    AXLE_OPTION_END};
static const axle_method_desc desc = {1, 0, sizeof desc, "m", "1", "", opts, NULL};

static method
fake_method(const char *sha)
{
    method m = {0};
    m.path = (char *)"/x/m.so";
    snprintf(m.sha256, sizeof m.sha256, "%s", sha);
    m.desc = &desc;
    return m;
}

static void
digest_of(const char *sha, json_t *options, json_t *inputs, int slices,
          char out[DIGEST_HEX_LEN])
{
    method m = fake_method(sha);
    json_t *rec = identity_record(&m, options, inputs, slices);
    identity_digest(rec, out);
    json_decref(rec);
}

static void
test_same_record_same_digest(void **state)
{
    char a[DIGEST_HEX_LEN], b[DIGEST_HEX_LEN];
    json_t *o1 = json_pack("{s:i, s:[]}", "q", 85, "files");
    json_t *o2 = json_pack("{s:[], s:i}", "files", "q", 85); /* other key order */
    json_t *in = json_object();
    digest_of("aa", o1, in, 2, a);
    digest_of("aa", o2, in, 2, b);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 64);
    json_decref(o1);
    json_decref(o2);
    json_decref(in);
}

static void
test_each_part_changes_digest(void **state)
{
    char base[DIGEST_HEX_LEN], other[DIGEST_HEX_LEN];
    json_t *o = json_pack("{s:i, s:[]}", "q", 85, "files");
    json_t *o2 = json_pack("{s:i, s:[]}", "q", 86, "files");
    json_t *in = json_object();
    json_t *in2 = json_pack("{s:{s:s, s:s}}", "source", "identity", "ff", "dataset", "default");
    digest_of("aa", o, in, 2, base);
    digest_of("ab", o, in, 2, other);
    assert_string_not_equal(base, other);
    digest_of("aa", o2, in, 2, other);
    assert_string_not_equal(base, other);
    digest_of("aa", o, in2, 2, other);
    assert_string_not_equal(base, other);
    digest_of("aa", o, in, 3, other);
    assert_string_not_equal(base, other);
    json_decref(o);
    json_decref(o2);
    json_decref(in);
    json_decref(in2);
}

static void
test_input_file_change_changes_digest(void **state)
{
    char dir[] = "/tmp/axle-identity-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char file[256];
    snprintf(file, sizeof file, "%s/a.jpg", dir);
    assert_int_equal(fs_write_atomic(file, "abc", 3), 0);
    json_t *o = json_pack("{s:i, s:[s]}", "q", 85, "files", dir);
    json_t *in = json_object();
    char a[DIGEST_HEX_LEN], b[DIGEST_HEX_LEN];
    digest_of("aa", o, in, 2, a);
    assert_int_equal(fs_write_atomic(file, "abcd", 4), 0); /* size changes */
    digest_of("aa", o, in, 2, b);
    assert_string_not_equal(a, b);
    json_decref(o);
    json_decref(in);
    fs_remove_tree(dir);
}

static void
test_explain_names_the_change(void **state)
{
    method m1 = fake_method("aa"), m2 = fake_method("bb");
    json_t *o1 = json_pack("{s:i, s:[]}", "q", 85, "files");
    json_t *o2 = json_pack("{s:i, s:[]}", "q", 90, "files");
    json_t *in = json_object();
    json_t *r1 = identity_record(&m1, o1, in, 2);
    json_t *r2 = identity_record(&m2, o2, in, 2);
    json_t *why = identity_explain(r1, r2);
    char *text = json_dumps(why, JSON_COMPACT);
    assert_non_null(strstr(text, "the .so changed"));
    assert_non_null(strstr(text, "option q changed: 85 -> 90"));
    free(text);
    json_decref(why);
    why = identity_explain(NULL, r2);
    assert_string_equal(json_string_value(json_array_get(why, 0)),
                        "no earlier job of this step");
    json_decref(why);
    json_decref(r1);
    json_decref(r2);
    json_decref(o1);
    json_decref(o2);
    json_decref(in);
}

/* The record holds the digest of the libaxle file this process loaded, and
 * a different one is explained as such. */
static void
test_record_covers_loaded_libaxle(void **state)
{
    const char *path = NULL;
    char err[512];
    const char *sha = libaxle_sha256(&path, err, sizeof err);
    assert_non_null(sha);
    assert_non_null(strstr(path, "libaxle.so"));
    char want[DIGEST_HEX_LEN];
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(digest_fd(fd, want), 0);
    close(fd);
    assert_string_equal(sha, want);

    method m = fake_method("aa");
    json_t *o = json_pack("{s:i, s:[]}", "q", 85, "files");
    json_t *in = json_object();
    json_t *now = identity_record(&m, o, in, 2);
    assert_string_equal(json_string_value(json_object_get(now, "libaxle_sha256")), want);
    json_t *before = json_deep_copy(now);
    json_object_set_new(before, "libaxle_sha256", json_string("0123"));
    char a[DIGEST_HEX_LEN], b[DIGEST_HEX_LEN];
    identity_digest(before, a);
    identity_digest(now, b);
    assert_string_not_equal(a, b);
    json_t *why = identity_explain(before, now);
    assert_int_equal(json_array_size(why), 1);
    assert_string_equal(json_string_value(json_array_get(why, 0)), "libaxle changed");
    json_decref(why);
    json_decref(before);
    json_decref(now);
    json_decref(o);
    json_decref(in);
}

static void
test_workdir_numbers_and_index(void **state)
{
    char dir[] = "/tmp/axle-wd-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/work", dir);
    workdir *w = workdir_open(path, 3);
    assert_non_null(w);
    assert_int_equal(w->slices, 3);
    char *jd1, *jd2;
    char *id1 = workdir_new_job(w, &jd1), *id2 = workdir_new_job(w, &jd2);
    assert_string_equal(id1, "work-1");
    assert_string_equal(id2, "work-2");
    assert_null(workdir_lookup(w, "abc"));
    assert_int_equal(workdir_index(w, "abc", id2), 0);
    char *found = workdir_lookup(w, "abc");
    assert_string_equal(found, "work-2");
    workdir_set_step_job(w, "thumbs", id1);
    workdir_close(w);
    w = workdir_open(path, 0); /* keeps its slice count */
    assert_non_null(w);
    assert_int_equal(w->slices, 3);
    char *step = workdir_step_job(w, "thumbs");
    assert_string_equal(step, "work-1");
    workdir_close(w);
    free(step);
    free(found);
    free(id1);
    free(id2);
    free(jd1);
    free(jd2);
    fs_remove_tree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_record_same_digest),
        cmocka_unit_test(test_each_part_changes_digest),
        cmocka_unit_test(test_input_file_change_changes_digest),
        cmocka_unit_test(test_explain_names_the_change),
        cmocka_unit_test(test_record_covers_loaded_libaxle),
        cmocka_unit_test(test_workdir_numbers_and_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
