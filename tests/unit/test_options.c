/* test_options.c - a step's options against its method's schema: defaults
 * filled so that writing a default changes nothing, values normalised
 * (sizes, numbers, paths both ways), and every kind of mistake reported at
 * its place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pipeline.h"
#include "test_pipeline_util.h"

static const char *scratch;
static char home[4096];

static const axle_option thumb_options[] = {
    AXLE_OPTION_INT("quality", "85", 1, 100, "JPEG quality"),
    AXLE_OPTION_FLOAT("gamma", "1.0", 0.1, 10, "gamma of the resize"),
    AXLE_OPTION_BOOL("upscale", "false", "enlarge small images"),
    AXLE_OPTION_STRING("column", "thumb", "output column"),
    AXLE_OPTION_ENUM("format", "jpeg", "jpeg|webp", "file format"),
    AXLE_OPTION_PATH("out", "results", "output folder"),
    AXLE_OPTION_PATHS("files", "[]", "input files"),
    AXLE_OPTION_SIZE("size", NULL, 1, 65535, "fit inside [w, h]"),
    AXLE_OPTION_STRING("note", "~", "free text"),
    AXLE_OPTION_INT("count", "0x10", 1, 0, "a count (no range)"),
    AXLE_OPTION_END,
};
static const axle_input thumb_inputs[] = {
    AXLE_INPUT_DATASET("source", true, "images"),
    AXLE_INPUT_JOB("prev", false, "an earlier run"),
    AXLE_INPUT_END,
};
static const axle_method_desc thumbnailer = {
    AXLE_ABI_MAJOR, AXLE_ABI_MINOR, sizeof(axle_method_desc), "thumbnailer", "1.0",
    "makes thumbnails", thumb_options, thumb_inputs,
};
static const axle_method_desc shapehist = {
    AXLE_ABI_MAJOR, AXLE_ABI_MINOR, sizeof(axle_method_desc), "shapehist", "1.0",
    "counts shapes", NULL, NULL,
};

static int
enter(void **state)
{
    (void)state;
    scratch = tp_enter();
    snprintf(home, sizeof home, "%s/home", scratch);
    mkdir(home, 0755);
    mkdir("run", 0755);
    setenv("HOME", home, 1);
    unsetenv("PWD");
    return 0;
}

/* Each test runs in scratch/run; pipelines live in scratch/pipes. */
static int
into_run(void **state)
{
    (void)state;
    return chdir(scratch) || chdir("run");
}

static int
leave(void **state)
{
    (void)state;
    tp_leave();
    return 0;
}

/* Validates the options of step `name` of a pipeline with `text`, under
 * method `desc`.  want == NULL: expects success and returns the JSON
 * (sorted keys, compact) that the identity would hash; else expects
 * exactly `want` on stderr and returns NULL. */
static char *
validate(const char *text, int n, char **ov, const axle_method_desc *desc, const char *want)
{
    tp_write("../pipes/p.yaml", text);
    tp_capture();
    pipeline *p = pipeline_load("../pipes/p.yaml", n, ov);
    json_t *j = NULL;
    if (p)
        j = options_validate(desc, &p->steps[p->nsteps - 1], p);
    char *got = tp_captured();
    assert_non_null(p);
    char *dump = NULL;
    if (want) {
        assert_null(j);
        assert_string_equal(got, want);
    } else {
        assert_string_equal(got, "");
        assert_non_null(j);
        dump = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    }
    json_decref(j);
    pipeline_free(p);
    free(got);
    return dump;
}

static void
expect_error(const char *options_line, const char *want)
{
    char text[2048];
    snprintf(text, sizeof text, "jobs:\n  a:\n    method: thumbnailer\n    options: %s\n",
             options_line);
    assert_null(validate(text, 0, NULL, &thumbnailer, want));
}

static void
test_defaults_fill_identically(void **state)
{
    (void)state;
    char want[8192];
    snprintf(want, sizeof want,
             "{\"column\":\"thumb\",\"count\":16,\"files\":[],\"format\":\"jpeg\",\"gamma\":1.0,"
             "\"note\":null,\"out\":\"%s/pipes/results\",\"quality\":85,\"size\":[256,256],"
             "\"upscale\":false}",
             scratch);
    char *omitted = validate("jobs: {a: {method: m, options: {size: 256}}}\n", 0, NULL,
                             &thumbnailer, NULL);
    assert_string_equal(omitted, want);
    /* every default written out, in other spellings of the same values */
    char *explicit = validate("jobs:\n  a:\n    method: m\n    options:\n"
                              "      size: [256, 256]\n      quality: 85\n      gamma: 1\n"
                              "      upscale: false\n      column: thumb\n      format: jpeg\n"
                              "      out: ./results/\n      files: []\n      note: null\n"
                              "      count: 16\n",
                              0, NULL, &thumbnailer, NULL);
    assert_string_equal(explicit, omitted);
    free(explicit);
    free(omitted);
}

static void
test_normalise_values(void **state)
{
    (void)state;
    char *dump = validate("params: {s: [640, 338]}\n"
                          "jobs: {a: {method: m, options: {size: \"${s}\", quality: 0x50,"
                          " column: 5, format: webp, note: yes, gamma: 2.5e-1, upscale: True}}}\n",
                          0, NULL, &thumbnailer, NULL);
    json_t *j = json_loads(dump, 0, NULL);
    assert_non_null(j);
    char *size = json_dumps(json_object_get(j, "size"), JSON_COMPACT);
    assert_string_equal(size, "[640,338]");
    free(size);
    assert_int_equal(json_integer_value(json_object_get(j, "quality")), 80);
    /* a number where text is wanted is taken as written */
    assert_string_equal(json_string_value(json_object_get(j, "column")), "5");
    assert_string_equal(json_string_value(json_object_get(j, "format")), "webp");
    assert_string_equal(json_string_value(json_object_get(j, "note")), "yes");
    assert_true(json_is_real(json_object_get(j, "gamma")));
    assert_true(json_real_value(json_object_get(j, "gamma")) == 0.25);
    assert_true(json_is_true(json_object_get(j, "upscale")));
    json_decref(j);
    free(dump);
}

/* Size strings, maps of sizes and colours (issue 14). */
static const axle_option sizer_options[] = {
    AXLE_OPTION_SIZE("size", NULL, 1, 1000, "a size"),
    AXLE_OPTION_SIZES("sizes", "{}", 1, 1000, "more sizes"),
    AXLE_OPTION_COLOUR("background", "null", "a colour"),
    AXLE_OPTION_END,
};
static const axle_method_desc sizer = {
    AXLE_ABI_MAJOR, AXLE_ABI_MINOR, sizeof(axle_method_desc), "sizer", "1.0",
    "sizes", sizer_options, NULL,
};

/* The options JSON of `options` (a flow map) under method sizer. */
static char *
sizer_json(const char *options)
{
    char text[512];
    snprintf(text, sizeof text, "jobs: {a: {method: m, options: %s}}\n", options);
    return validate(text, 0, NULL, &sizer, NULL);
}

static void
test_size_forms(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"{size: 640x338}", "{\"background\":null,\"size\":[640,338],\"sizes\":{}}"},
        {"{size: [640, 338]}", "{\"background\":null,\"size\":[640,338],\"sizes\":{}}"},
        {"{size: '64'}", "{\"background\":null,\"size\":[64,64],\"sizes\":{}}"},
        {"{size: 640x}", "{\"background\":null,\"size\":[640,0],\"sizes\":{}}"},
        {"{size: x338}", "{\"background\":null,\"size\":[0,338],\"sizes\":{}}"},
        {"{size: 300x200!}", "{\"background\":null,\"size\":[300,200,\"!\"],\"sizes\":{}}"},
        {"{size: 1, sizes: {b: 20x, a: [3, 4]}, background: '#F0a'}",
         "{\"background\":\"#ff00aa\",\"size\":[1,1],\"sizes\":{\"a\":[3,4],\"b\":[20,0]}}"},
        {"{size: 1, background: white}",
         "{\"background\":\"#ffffff\",\"size\":[1,1],\"sizes\":{}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dump = sizer_json(cases[i][0]);
        assert_string_equal(dump, cases[i][1]);
        free(dump);
    }
    assert_null(validate("jobs: {a: {method: m, options: {size: 1, sizes: [1]}}}\n", 0, NULL,
                         &sizer, "../pipes/p.yaml:1:49: error: option 'sizes' wants a map "
                         "{NAME: SIZE, ...}, got a list\n"));
    assert_null(validate("jobs: {a: {method: m, options: {size: 1, sizes: {s: 5x0}}}}\n", 0,
                         NULL, &sizer, "../pipes/p.yaml:1:53: error: option 'sizes': '5x0' is "
                         "not a size: a side is 0 (forms: WxH, N, Wx, xH; a trailing ! for an "
                         "exact WxH!)\n"));
    assert_null(validate("jobs: {a: {method: m, options: {size: 1, background: '#12'}}}\n", 0,
                         NULL, &sizer, "../pipes/p.yaml:1:54: error: option 'background': "
                         "'#12' is not a colour: write #rrggbb, #rgb, white, black or grey\n"));
}

static void
test_paths_both_ways(void **state)
{
    (void)state;
    const char *text = "params: {in: photos/*.jpg}\n"
                       "jobs:\n  a:\n    method: m\n    options:\n"
                       "      size: 1\n      out: \"${in}/../2024\"\n      files: \"${in}\"\n";
    char want[8192];
    snprintf(want, sizeof want,
             "{\"files\":[\"%s/pipes/photos/*.jpg\"],\"out\":\"%s/pipes/photos/2024\"}", scratch,
             scratch);
    char *dump = validate(text, 0, NULL, &thumbnailer, NULL);
    json_t *j = json_loads(dump, 0, NULL);
    json_t *pick = json_pack("{sOsO}", "files", json_object_get(j, "files"), "out",
                             json_object_get(j, "out"));
    char *part = json_dumps(pick, JSON_SORT_KEYS | JSON_COMPACT);
    assert_string_equal(part, want);
    free(part);
    json_decref(pick);
    json_decref(j);
    free(dump);

    /* the same text given on the command line is relative to the current folder */
    char *ov[] = {"in=**/*.webp"};
    dump = validate(text, 1, ov, &thumbnailer, NULL);
    j = json_loads(dump, 0, NULL);
    snprintf(want, sizeof want, "%s/run/**/*.webp", scratch);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "files"), 0)), want);
    snprintf(want, sizeof want, "%s/run/**/2024", scratch);
    assert_string_equal(json_string_value(json_object_get(j, "out")), want);
    json_decref(j);
    free(dump);

    /* lists, absolute paths, the home folder, numbers as names */
    char *ov2[] = {"in=[x, ~/y]"};
    dump = validate("params: {in: a}\n"
                    "jobs: {a: {method: m, options: {size: 1, files: \"${in}\", out: ~}}}\n", 1, ov2,
                    &thumbnailer, NULL);
    j = json_loads(dump, 0, NULL);
    json_t *files = json_object_get(j, "files");
    assert_int_equal(json_array_size(files), 2);
    snprintf(want, sizeof want, "%s/run/x", scratch);
    assert_string_equal(json_string_value(json_array_get(files, 0)), want);
    snprintf(want, sizeof want, "%s/y", home);
    assert_string_equal(json_string_value(json_array_get(files, 1)), want);
    assert_string_equal(json_string_value(json_object_get(j, "out")), home);
    json_decref(j);
    free(dump);

    dump = validate("jobs: {a: {method: m, options: {size: 1, files: [/abs/a, 2024, ~/z], out: 7}}}\n",
                    0, NULL, &thumbnailer, NULL);
    j = json_loads(dump, 0, NULL);
    files = json_object_get(j, "files");
    assert_string_equal(json_string_value(json_array_get(files, 0)), "/abs/a");
    snprintf(want, sizeof want, "%s/pipes/2024", scratch);
    assert_string_equal(json_string_value(json_array_get(files, 1)), want);
    snprintf(want, sizeof want, "%s/z", home);
    assert_string_equal(json_string_value(json_array_get(files, 2)), want);
    snprintf(want, sizeof want, "%s/pipes/7", scratch);
    assert_string_equal(json_string_value(json_object_get(j, "out")), want);
    json_decref(j);
    free(dump);
}

static void
test_value_errors(void **state)
{
    (void)state;
    /* "    options: {size: 1, " puts the next key at column 24 of line 4 */
    expect_error("{size: 1, sizee: 2}",
                 "../pipes/p.yaml:4:24: error: unknown option 'sizee' for method 'thumbnailer' "
                 "(valid: quality, gamma, upscale, column, format, out, files, size, note, count)\n");
    expect_error("{size: 1, quality: high}",
                 "../pipes/p.yaml:4:33: error: option 'quality' wants an integer, got 'high'\n");
    expect_error("{size: 1, quality: \"85\"}",
                 "../pipes/p.yaml:4:33: error: option 'quality' wants an integer, got '85' (a quoted string)\n");
    expect_error("{size: 1, quality: 150}",
                 "../pipes/p.yaml:4:33: error: option 'quality' is 150, outside 1..100\n");
    expect_error("{size: 1, quality: 85.5}",
                 "../pipes/p.yaml:4:33: error: option 'quality' wants an integer, got '85.5'\n");
    expect_error("{size: 1, quality: 99999999999999999999}",
                 "../pipes/p.yaml:4:33: error: option 'quality' is '99999999999999999999', too large for an integer\n");
    expect_error("{size: 1, gamma: x}",
                 "../pipes/p.yaml:4:31: error: option 'gamma' wants a number, got 'x'\n");
    expect_error("{size: 1, gamma: .inf}",
                 "../pipes/p.yaml:4:31: error: option 'gamma' wants a finite number, got '.inf'\n");
    expect_error("{size: 1, gamma: 0.05}",
                 "../pipes/p.yaml:4:31: error: option 'gamma' is 0.05, outside 0.1..10\n");
    expect_error("{size: 1, upscale: yes}",
                 "../pipes/p.yaml:4:33: error: option 'upscale' wants true or false, got 'yes'\n");
    expect_error("{size: 1, format: png}",
                 "../pipes/p.yaml:4:32: error: option 'format' is 'png', not one of: jpeg, webp\n");
    expect_error("{size: 1, format: ~}",
                 "../pipes/p.yaml:4:32: error: option 'format' wants one of its choices, got null\n");
    expect_error("{size: 1, column: [a]}",
                 "../pipes/p.yaml:4:32: error: option 'column' wants a text, got a list\n");
    expect_error("{size: 1, out: \"\"}",
                 "../pipes/p.yaml:4:29: error: option 'out' is an empty path\n");
    expect_error("{size: 1, files: {a: 1}}",
                 "../pipes/p.yaml:4:31: error: option 'files' wants a path or a list of paths, got a mapping\n");
    expect_error("{size: 1, files: [a, null]}",
                 "../pipes/p.yaml:4:35: error: option 'files' wants a path, got null\n");
    expect_error("{size: [1, 2, 3]}",
                 "../pipes/p.yaml:4:21: error: option 'size' wants [width, height], one number or a string such as \"640x480\", got a list\n");
    expect_error("{size: 0}", "../pipes/p.yaml:4:21: error: option 'size' is 0, outside 1..65535\n");
    expect_error("{size: [10, 70000]}",
                 "../pipes/p.yaml:4:21: error: option 'size' is 70000, outside 1..65535\n");
    expect_error("{size: '10x70000'}",
                 "../pipes/p.yaml:4:21: error: option 'size' is 70000, outside 1..65535\n");
    expect_error("{size: '64x!'}",
                 "../pipes/p.yaml:4:21: error: option 'size': '64x!' is not a size: an exact "
                 "size ('!') needs both sides (forms: WxH, N, Wx, xH; a trailing ! for an "
                 "exact WxH!)\n");
    /* all at once, in the file's order */
    expect_error("{quality: 0, bogus: 1, size: x}",
                 "../pipes/p.yaml:4:24: error: option 'quality' is 0, outside 1..100\n"
                 "../pipes/p.yaml:4:27: error: unknown option 'bogus' for method 'thumbnailer' "
                 "(valid: quality, gamma, upscale, column, format, out, files, size, note, count)\n"
                 "../pipes/p.yaml:4:43: error: option 'size': 'x' is not a size: give a width, "
                 "a height or both (forms: WxH, N, Wx, xH; a trailing ! for an exact WxH!)\n");
}

static void
test_required_and_cli_places(void **state)
{
    (void)state;
    expect_error("{quality: 90}",
                 "../pipes/p.yaml:4:5: error: step 'a' needs option 'size' (fit inside [w, h])\n");
    assert_null(validate("jobs:\n  a: {method: thumbnailer}\n", 0, NULL, &thumbnailer,
                         "../pipes/p.yaml:2:3: error: step 'a' needs option 'size' (fit inside [w, h])\n"));
    /* a bad value from the command line is reported where it was used */
    char *ov[] = {"q=150"};
    assert_null(validate("params: {q: 85}\njobs:\n  a:\n    method: m\n"
                         "    options: {size: 1, quality: \"${q}\"}\n",
                         1, ov, &thumbnailer,
                         "../pipes/p.yaml:5:33: error: option 'quality' is 150, outside 1..100 (given on the command line)\n"));
    /* a bad default in the file is reported where it was written */
    assert_null(validate("params: {q: 150}\njobs:\n  a:\n    method: m\n"
                         "    options: {size: 1, quality: \"${q}\"}\n",
                         0, NULL, &thumbnailer,
                         "../pipes/p.yaml:1:13: error: option 'quality' is 150, outside 1..100\n"));
}

static void
test_no_options_and_bad_schemas(void **state)
{
    (void)state;
    assert_null(validate("jobs:\n  s: {method: shapehist, options: {x: 1}}\n", 0, NULL, &shapehist,
                         "../pipes/p.yaml:2:36: error: unknown option 'x': method 'shapehist' takes no options\n"));
    char *dump = validate("jobs:\n  s: {method: shapehist}\n", 0, NULL, &shapehist, NULL);
    assert_string_equal(dump, "{}");
    free(dump);

    static const axle_option bad_options[] = {
        AXLE_OPTION_INT("q", "high", 1, 100, "quality"),
        {"mode", AXLE_OPT_ENUM, "a", AXLE_NO_RANGE, NULL, "no choices"},
        AXLE_OPTION_SIZE("s", "[1, 2", 1, 10, "broken YAML"),
        AXLE_OPTION_END,
    };
    static const axle_method_desc bad = {
        AXLE_ABI_MAJOR, AXLE_ABI_MINOR, sizeof(axle_method_desc), "bad", "1", "", bad_options, NULL,
    };
    assert_null(validate("jobs:\n  s:\n    method: bad\n", 0, NULL, &bad,
                         "../pipes/p.yaml:3:13: error: method 'bad' declares a default for option 'q' that does not fit: option 'q' wants an integer, got 'high'\n"
                         "../pipes/p.yaml:3:13: error: method 'bad' declares option 'mode' with no choices\n"
                         "axle: error: default '[1, 2' is not a YAML value: did not find expected ',' or ']' (while parsing a flow sequence) at column 6\n"));
}

/* The loader's check of a method's own table (options_check_defaults):
 * the first problem, in words that name the option and why. */
static void
expect_defaults(const axle_option *options, const char *want)
{
    axle_method_desc d = {AXLE_ABI_MAJOR, AXLE_ABI_MINOR, sizeof d, "m", "1", "", options,
                          NULL};
    char err[1024] = "";
    assert_int_equal(options_check_defaults(&d, err, sizeof err), want ? -1 : 0);
    assert_string_equal(err, want ? want : "");
}

static void
test_defaults_checked_at_load(void **state)
{
    (void)state;
    const axle_option good[] = {
        AXLE_OPTION_INT("q", "85", 1, 100, ""), AXLE_OPTION_SIZE("s", NULL, 1, 10, ""),
        AXLE_OPTION_PATHS("files", "[a, b]", ""), AXLE_OPTION_PATH("log", "~/x", ""),
        AXLE_OPTION_STRING("note", "null", ""), AXLE_OPTION_ON_ERROR("fail"),
        AXLE_OPTION_END};
    expect_defaults(good, NULL);
    expect_defaults(NULL, NULL);
    const axle_option range[] = {AXLE_OPTION_FLOAT("g", "11", 0.1, 10, ""), AXLE_OPTION_END};
    expect_defaults(range, "method 'm' declares a default for option 'g' that does not fit: "
                           "option 'g' is 11, outside 0.1..10");
    const axle_option type[] = {AXLE_OPTION_BOOL("up", "sometimes", ""), AXLE_OPTION_END};
    expect_defaults(type, "method 'm' declares a default for option 'up' that does not fit: "
                          "option 'up' wants true or false, got 'sometimes'");
    const axle_option size[] = {AXLE_OPTION_SIZE("s", "[0, 5]", 1, 10, ""), AXLE_OPTION_END};
    expect_defaults(size, "method 'm' declares a default for option 's' that does not fit: "
                          "option 's' is 0, outside 1..10");
    const axle_option yaml[] = {AXLE_OPTION_SIZE("s", "[1, 2", 1, 10, ""), AXLE_OPTION_END};
    expect_defaults(yaml, "method 'm' declares a default for option 's' that is not a YAML "
                          "value ('[1, 2': did not find expected ',' or ']' (while parsing a "
                          "flow sequence) at column 6)");
    const axle_option twice[] = {AXLE_OPTION_INT("q", "1", 1, 2, ""),
                                 AXLE_OPTION_INT("q", "2", 1, 2, ""), AXLE_OPTION_END};
    expect_defaults(twice, "method 'm' declares option 'q' twice");
    const axle_option choices[] = {{"mode", AXLE_OPT_ENUM, "a", AXLE_NO_RANGE, NULL, ""},
                                   AXLE_OPTION_END};
    expect_defaults(choices, "method 'm' declares option 'mode' with no choices");
}

/* A template option (issue 14): its placeholders checked at the value's
 * place, a command-line value said to be one, its default at load. */
static void
test_templates(void **state)
{
    (void)state;
    static const axle_option options[] = {
        AXLE_OPTION_TEMPLATE("name", "null", "stem|ext", "file names"), AXLE_OPTION_END};
    static const axle_method_desc namer = {
        AXLE_ABI_MAJOR, AXLE_ABI_MINOR, sizeof(axle_method_desc), "namer", "1", "", options,
        NULL};
    char *dump = validate("jobs:\n  a:\n    method: namer\n", 0, NULL, &namer, NULL);
    assert_string_equal(dump, "{\"name\":null}");
    free(dump);
    dump = validate("jobs:\n  a:\n    method: namer\n    options: {name: \"x/{stem}.{ext}\"}\n",
                    0, NULL, &namer, NULL);
    assert_string_equal(dump, "{\"name\":\"x/{stem}.{ext}\"}");
    free(dump);
    assert_null(validate("jobs:\n  a:\n    method: namer\n    options: {name: \"{stem}-{w}\"}\n",
                         0, NULL, &namer,
                         "../pipes/p.yaml:4:21: error: option 'name' is '{stem}-{w}': unknown "
                         "placeholder '{w}' (known: {stem}, {ext})\n"));
    assert_null(validate("params: {n: x}\njobs:\n  a:\n    method: namer\n"
                         "    options: {name: \"${n}\"}\n",
                         1, (char *[]){"n=a}b"}, &namer,
                         "../pipes/p.yaml:5:21: error: option 'name' is 'a}b': '}' at "
                         "character 2 has no '{' before it (braces only surround "
                         "placeholders: {stem}, {ext}) (given on the command line)\n"));
    const axle_option bad_default[] = {AXLE_OPTION_TEMPLATE("name", "\"{stem\"", "stem", ""),
                                       AXLE_OPTION_END};
    expect_defaults(bad_default, "method 'm' declares a default for option 'name' that does "
                                 "not fit: option 'name' is '{stem': '{' at character 1 is "
                                 "not closed");
    const axle_option no_fields[] = {AXLE_OPTION_TEMPLATE("name", "null", "", ""),
                                     AXLE_OPTION_END};
    expect_defaults(no_fields, "method 'm' declares option 'name' with no placeholders");
}

static void
test_parse_default(void **state)
{
    (void)state;
    ynode *n = options_parse_default("[256,256]");
    assert_non_null(n);
    assert_int_equal(n->kind, YNODE_SEQ);
    assert_false(n->from_cli);
    ynode_free(n);
    n = options_parse_default("skip");
    assert_string_equal(n->scalar, "skip");
    ynode_free(n);
    assert_null(options_parse_default(NULL));
}

static void
expect_inputs(const char *text, const char *want)
{
    tp_write("../pipes/p.yaml", text);
    tp_capture();
    pipeline *p = pipeline_load("../pipes/p.yaml", 0, NULL);
    int rc = p ? options_check_inputs(&thumbnailer, &p->steps[p->nsteps - 1], p) : -2;
    char *got = tp_captured();
    assert_int_equal(rc, want ? -1 : 0);
    assert_string_equal(got, want ? want : "");
    free(got);
    pipeline_free(p);
}

static void
test_inputs_against_method(void **state)
{
    (void)state;
    expect_inputs("jobs:\n  i: {method: m}\n  t: {method: m, datasets: {source: i}, jobs: {prev: i}}\n",
                  NULL);
    expect_inputs("jobs:\n  i: {method: m}\n  t: {method: m, datasets: {source: i, sorce: i}}\n",
                  "../pipes/p.yaml:3:47: error: method 'thumbnailer' has no input 'sorce' (inputs: source, prev)\n");
    expect_inputs("jobs:\n  i: {method: m}\n  t: {method: m, datasets: {source: i, prev: i}}\n",
                  "../pipes/p.yaml:3:46: error: input 'prev' of method 'thumbnailer' is a job: give it under 'jobs:'\n");
    expect_inputs("jobs:\n  i: {method: m}\n  t: {method: m, jobs: {prev: i}}\n",
                  "../pipes/p.yaml:3:3: error: step 't' needs input 'source' (datasets: {source: STEP})\n");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_defaults_fill_identically, into_run),
        cmocka_unit_test_setup(test_normalise_values, into_run),
        cmocka_unit_test_setup(test_paths_both_ways, into_run),
        cmocka_unit_test_setup(test_size_forms, into_run),
        cmocka_unit_test_setup(test_value_errors, into_run),
        cmocka_unit_test_setup(test_required_and_cli_places, into_run),
        cmocka_unit_test_setup(test_no_options_and_bad_schemas, into_run),
        cmocka_unit_test_setup(test_defaults_checked_at_load, into_run),
        cmocka_unit_test_setup(test_templates, into_run),
        cmocka_unit_test_setup(test_parse_default, into_run),
        cmocka_unit_test_setup(test_inputs_against_method, into_run),
    };
    return cmocka_run_group_tests_name("options", tests, enter, leave);
}
