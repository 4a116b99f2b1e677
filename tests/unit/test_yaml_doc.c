/* test_yaml_doc.c - the YAML tree: places, scalar typing, and every way a
 * text is refused (syntax, duplicate keys, aliases, depth, size). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_pipeline_util.h"
#include "yaml_doc.h"

static int
enter(void **state)
{
    (void)state;
    tp_enter();
    return 0;
}

static int
leave(void **state)
{
    (void)state;
    tp_leave();
    return 0;
}

/* Loads `text` as file t.yaml; expects failure with exactly `want` on
 * stderr. */
static void
expect_file_error(const char *text, const char *want)
{
    tp_write("t.yaml", text);
    tp_capture();
    ynode *n = ydoc_load_file("t.yaml");
    char *got = tp_captured();
    assert_null(n);
    assert_string_equal(got, want);
    free(got);
}

static ynode *
load_ok(const char *text)
{
    tp_capture();
    ynode *n = ydoc_load_string(text, "s.yaml");
    char *got = tp_captured();
    assert_string_equal(got, "");
    free(got);
    assert_non_null(n);
    return n;
}

static void
test_tree_and_places(void **state)
{
    (void)state;
    ynode *root = load_ok("workdir: out\n"
                          "jobs:\n"
                          "  thumbs:\n"
                          "    options: {size: [256, 128], name: 'x y'}\n");
    assert_int_equal(root->kind, YNODE_MAP);
    assert_int_equal(root->n, 2);
    assert_string_equal(root->file, "s.yaml");
    ynode *w = ynode_get(root, "workdir");
    assert_string_equal(w->scalar, "out");
    assert_int_equal(w->line, 1);
    assert_int_equal(w->col, 10);
    assert_true(w->plain);
    ynode *opts = ynode_get(ynode_get(ynode_get(root, "jobs"), "thumbs"), "options");
    assert_int_equal(opts->kind, YNODE_MAP);
    assert_int_equal(opts->line, 4);
    assert_int_equal(opts->col, 14);
    ynode *size = ynode_get(opts, "size");
    assert_int_equal(size->kind, YNODE_SEQ);
    assert_int_equal(size->n, 2);
    assert_string_equal(size->items[1]->scalar, "128");
    assert_int_equal(size->items[1]->col, 27);
    ynode *name = ynode_get(opts, "name");
    assert_false(name->plain);
    assert_int_equal(name->col, 39);
    assert_int_equal(name->text_col, 40);
    assert_null(ynode_get(opts, "nope"));
    assert_null(ynode_get(size, "size"));

    ynode *copy = ynode_clone(root);
    ynode_free(root);
    ynode *csize = ynode_get(ynode_get(ynode_get(ynode_get(copy, "jobs"), "thumbs"), "options"),
                             "size");
    assert_string_equal(csize->items[0]->scalar, "256");
    assert_string_equal(csize->file, "s.yaml");
    ynode_free(copy);
}

static void
test_place_inside_scalar(void **state)
{
    (void)state;
    ynode *root = load_ok("a: pre${x}\n"
                          "b: \"q${x}\"\n"
                          "c: \"e\\t${x}\"\n"
                          "d: |\n  ${x}\n");
    int line, col;
    ynode_place_at(ynode_get(root, "a"), 3, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 7);
    ynode_place_at(ynode_get(root, "b"), 1, &line, &col);
    assert_int_equal(col, 6);
    /* an escape breaks the text-to-column mapping: the scalar's own place */
    ynode_place_at(ynode_get(root, "c"), 2, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 4);
    ynode_place_at(ynode_get(root, "d"), 0, &line, &col);
    assert_int_equal(line, 4);
    assert_int_equal(col, 4);
    ynode_free(root);
}

struct typing {
    const char *text;
    yscalar_type type;
};

static void
test_core_schema_typing(void **state)
{
    (void)state;
    static const struct typing cases[] = {
        {"yes", YS_STRING},   {"no", YS_STRING},     {"on", YS_STRING},
        {"true", YS_BOOL},    {"False", YS_BOOL},    {"TRUE", YS_BOOL},
        {"tRUE", YS_STRING},  {"null", YS_NULL},     {"~", YS_NULL},
        {"NULL", YS_NULL},    {"", YS_NULL},         {"42", YS_INT},
        {"-7", YS_INT},       {"+7", YS_INT},        {"0x1F", YS_INT},
        {"0o17", YS_INT},     {"0x", YS_STRING},     {"0o8", YS_STRING},
        {"1_000", YS_STRING}, {"1.5", YS_FLOAT},     {".5", YS_FLOAT},
        {"1.", YS_FLOAT},     {"1e3", YS_FLOAT},     {"-2.5E-3", YS_FLOAT},
        {".inf", YS_FLOAT},   {"-.Inf", YS_FLOAT},   {".NaN", YS_FLOAT},
        {".", YS_STRING},     {"1.2.3", YS_STRING},  {"e3", YS_STRING},
        {"photos", YS_STRING}, {"0755", YS_INT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ynode *n = ynode_new_scalar(cases[i].text, true, NULL);
        if (yscalar_classify(n) != cases[i].type)
            fail_msg("'%s' typed %d, wanted %d", cases[i].text, yscalar_classify(n),
                     cases[i].type);
        ynode_free(n);
    }
    /* quoted text is a string, whatever it looks like */
    ynode *root = load_ok("a: '42'\nb: \"true\"\nc: !!str 5\nd: 5\n");
    assert_int_equal(yscalar_classify(ynode_get(root, "a")), YS_STRING);
    assert_int_equal(yscalar_classify(ynode_get(root, "b")), YS_STRING);
    assert_int_equal(yscalar_classify(ynode_get(root, "c")), YS_STRING);
    assert_int_equal(yscalar_classify(ynode_get(root, "d")), YS_INT);
    ynode_free(root);
}

static void
test_scalar_values(void **state)
{
    (void)state;
    int64_t i;
    double d;
    bool b;
    ynode *n = ynode_new_scalar("0x1F", true, NULL);
    assert_true(yscalar_int(n, &i));
    assert_int_equal(i, 31);
    ynode_free(n);
    n = ynode_new_scalar("0o17", true, NULL);
    assert_true(yscalar_int(n, &i));
    assert_int_equal(i, 15);
    ynode_free(n);
    n = ynode_new_scalar("-9223372036854775808", true, NULL);
    assert_true(yscalar_int(n, &i));
    assert_true(i == INT64_MIN);
    ynode_free(n);
    n = ynode_new_scalar("9223372036854775808", true, NULL);
    assert_int_equal(yscalar_classify(n), YS_INT);
    assert_false(yscalar_int(n, &i));
    assert_true(yscalar_float(n, &d));
    assert_true(d > 9.2e18);
    ynode_free(n);
    n = ynode_new_scalar("-.inf", true, NULL);
    assert_true(yscalar_float(n, &d));
    assert_true(d < -1e308);
    ynode_free(n);
    n = ynode_new_scalar("2.5e1", true, NULL);
    assert_true(yscalar_float(n, &d));
    assert_true(d == 25.0);
    assert_false(yscalar_int(n, &i));
    ynode_free(n);
    n = ynode_new_scalar("False", true, NULL);
    assert_true(yscalar_bool(n, &b));
    assert_false(b);
    ynode_free(n);
    n = ynode_new_scalar("true", false, NULL);
    assert_false(yscalar_bool(n, &b));
    ynode_free(n);
}

static void
test_empty_text_is_null(void **state)
{
    (void)state;
    ynode *n = load_ok("");
    assert_int_equal(n->kind, YNODE_SCALAR);
    assert_int_equal(yscalar_classify(n), YS_NULL);
    ynode_free(n);
    n = load_ok("# only a comment\n");
    assert_int_equal(yscalar_classify(n), YS_NULL);
    ynode_free(n);
}

static void
test_syntax_errors(void **state)
{
    (void)state;
    expect_file_error("jobs:\n  a:\n    method: x\n   bad: 1\n",
                      "t.yaml:4:4: error: did not find expected key (while parsing a block mapping)\n");
    expect_file_error("jobs:\n  a: {method: x\n  b: 2\n",
                      "t.yaml:3:4: error: did not find expected ',' or '}' (while parsing a flow mapping)\n");
    expect_file_error("size: [1, 2\n",
                      "t.yaml:2:1: error: did not find expected ',' or ']' (while parsing a flow sequence)\n");
    expect_file_error("a: 1\n\tb: 2\n",
                      "t.yaml:2:1: error: found a tab character that violates indentation (while scanning a plain scalar)\n");
    expect_file_error("a: \"\\ud800\"\n",
                      "t.yaml:1:7: error: found invalid Unicode character escape code (while parsing a quoted scalar)\n");
}

static void
test_invalid_utf8(void **state)
{
    (void)state;
    /* the place is the byte that breaks the sequence (here the newline) */
    expect_file_error("a: ok\nb: caf\xc3\n",
                      "t.yaml:2:8: error: invalid text: invalid trailing UTF-8 octet (0xA)\n");
    expect_file_error("a: caf\xc3",
                      "t.yaml:1:7: error: invalid text: incomplete UTF-8 octet sequence\n");
    expect_file_error("a: \xff\n", "t.yaml:1:4: error: invalid text: invalid leading UTF-8 octet (0xFF)\n");
    expect_file_error("a: \"x\\0y\"\n", "t.yaml:1:4: error: text holds a NUL character\n");
}

static void
test_duplicate_keys(void **state)
{
    (void)state;
    expect_file_error("a: 1\nb: 2\na: 3\n",
                      "t.yaml:3:1: error: duplicate key 'a' (first given on line 1)\n");
    /* the earliest repetition is the one reported */
    expect_file_error("x: 0\ny: 0\nz: 0\ny: 1\nx: 1\nx: 2\n",
                      "t.yaml:4:1: error: duplicate key 'y' (first given on line 2)\n");
    expect_file_error("jobs:\n  a:\n    options: {size: 1, q: 2,\n      size: 3}\n",
                      "t.yaml:4:7: error: duplicate key 'size' (first given on line 3)\n");
    /* quoting does not make a key different */
    expect_file_error("method: a\n'method': b\n",
                      "t.yaml:2:1: error: duplicate key 'method' (first given on line 1)\n");
}

static void
test_refused_constructs(void **state)
{
    (void)state;
    expect_file_error("a: &x [1, 2]\nb: *x\n",
                      "t.yaml:2:4: error: aliases (*x) are not supported: write the value out\n");
    expect_file_error("a: 1\n---\nb: 2\n",
                      "t.yaml:2:1: error: only one YAML document is allowed here, found a second\n");
    expect_file_error("a: !!int 5\n", "t.yaml:1:4: error: YAML tag '!!int' is not supported\n");
    expect_file_error("a: !mine 5\n", "t.yaml:1:4: error: YAML tag '!mine' is not supported\n");
    expect_file_error("? [a]\n: 1\n", "t.yaml:1:3: error: a key must be a plain value, not a list\n");
}

static void
test_billion_laughs(void **state)
{
    (void)state;
    char text[4096];
    size_t o = (size_t)snprintf(text, sizeof text, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; c++)
        o += (size_t)snprintf(text + o, sizeof text - o,
                              "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", c, c, c - 1,
                              c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
    double t0 = tp_now();
    expect_file_error(text, "t.yaml:2:8: error: aliases (*a) are not supported: write the value out\n");
    assert_true(tp_now() - t0 < 1.0);
}

static char *
repeat(const char *piece, size_t times, const char *tail)
{
    size_t len = strlen(piece);
    char *s = malloc(len * times + strlen(tail) + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * len, piece, len);
    strcpy(s + len * times, tail);
    return s;
}

static void
test_deep_nesting(void **state)
{
    (void)state;
    /* 64 levels are fine, the 65th is refused where it opens */
    char *ok = repeat("[", 64, "");
    char *close = repeat("]", 64, "\n");
    char *text = malloc(strlen(ok) + strlen(close) + 1);
    strcpy(text, ok);
    strcat(text, close);
    ynode *n = load_ok(text);
    ynode_free(n);
    free(ok);
    free(close);
    free(text);

    double t0 = tp_now();
    char *flow = repeat("[", 10000, "");
    char *all = repeat("]", 10000, "\n");
    text = malloc(strlen(flow) + strlen(all) + 1);
    strcpy(text, flow);
    strcat(text, all);
    expect_file_error(text,
                      "t.yaml:1:65: error: lists and mappings nested deeper than 64 levels\n");
    free(flow);
    free(all);
    free(text);

    char *maps = repeat("{a: ", 10000, "1");
    expect_file_error(maps,
                      "t.yaml:1:257: error: lists and mappings nested deeper than 64 levels\n");
    free(maps);

    char *block = repeat("- ", 10000, "x\n");
    expect_file_error(block,
                      "t.yaml:1:129: error: lists and mappings nested deeper than 64 levels\n");
    free(block);
    assert_true(tp_now() - t0 < 2.0);
}

static void
test_size_limits(void **state)
{
    (void)state;
    char *big = repeat("# padding padding padding padding\n", YDOC_MAX_BYTES / 34 + 1, "a: 1\n");
    double t0 = tp_now();
    expect_file_error(big, "t.yaml: error: file is over the limit of 4194304 bytes for a YAML file\n");
    tp_capture();
    ynode *n = ydoc_load_string(big, "big");
    char *got = tp_captured();
    assert_null(n);
    assert_non_null(strstr(got, "big: error: "));
    assert_non_null(strstr(got, "over the limit of 4194304 bytes"));
    free(got);
    free(big);

    /* many small values in a small text */
    char *items = repeat("0,", YDOC_MAX_NODES, "0]\n");
    char *many = malloc(strlen(items) + 2);
    many[0] = '[';
    strcpy(many + 1, items);
    free(items);
    expect_file_error(many, "t.yaml:1:400000: error: more than 200000 values in one file\n");
    free(many);
    assert_true(tp_now() - t0 < 5.0);
}

static void
test_missing_file(void **state)
{
    (void)state;
    tp_capture();
    ynode *n = ydoc_load_file("nope.yaml");
    char *got = tp_captured();
    assert_null(n);
    assert_string_equal(got, "nope.yaml: error: cannot read: No such file or directory\n");
    free(got);
}

static void
test_parse_string_quietly(void **state)
{
    (void)state;
    char err[256];
    int line = -1, col = -1;
    tp_capture();
    ynode *n = ydoc_parse_string("[640, 338", "cli", err, sizeof err, &line, &col);
    char *got = tp_captured();
    assert_null(n);
    assert_string_equal(got, "");
    assert_string_equal(err, "did not find expected ',' or ']' (while parsing a flow sequence)");
    assert_int_equal(line, 1);
    assert_int_equal(col, 10); /* the end of the text, not a line after it */
    free(got);
}

static void
test_quote(void **state)
{
    (void)state;
    char buf[16];
    assert_string_equal(ydoc_quote("plain", buf, sizeof buf), "plain");
    assert_string_equal(ydoc_quote("a\nb\x1b", buf, sizeof buf), "a\\x0Ab\\x1B");
    assert_string_equal(ydoc_quote("abcdefghijklmnopqrstuvwxyz", buf, sizeof buf),
                        "abcdefghijkl...");
    /* a cut never splits a character: é is two bytes */
    assert_string_equal(ydoc_quote("abcdefghijk\xc3\xa9xyz", buf, sizeof buf), "abcdefghijk...");
    assert_string_equal(ydoc_quote("abcdefghij\xc3\xa9xyz", buf, sizeof buf),
                        "abcdefghij\xc3\xa9...");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_and_places),
        cmocka_unit_test(test_place_inside_scalar),
        cmocka_unit_test(test_core_schema_typing),
        cmocka_unit_test(test_scalar_values),
        cmocka_unit_test(test_empty_text_is_null),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_refused_constructs),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_parse_string_quietly),
        cmocka_unit_test(test_quote),
    };
    return cmocka_run_group_tests_name("yaml_doc", tests, enter, leave);
}
