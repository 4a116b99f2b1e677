/* board_chart.c - a flat {label: count} result (shapehist's histogram)
 * as an inline SVG bar chart, largest first, with the table beside it. */
#include <stdlib.h>
#include <string.h>

#include "board.h"

#define CHART_BARS 40     /* more labels are summed into one "others" bar */
#define CHART_BAR_H 20
#define CHART_LABEL_W 150
#define CHART_BAR_W 420

struct bar {
    const char *label;
    json_int_t count;
};

static int
by_count(const void *a, const void *b)
{
    const struct bar *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->label, y->label);
}

/* The bars, largest first; false when `result` is not a flat object of
 * non-negative integers. */
static struct bar *
collect(json_t *result, size_t *n, json_int_t *total)
{
    if (!json_is_object(result) || json_object_size(result) == 0)
        return NULL;
    struct bar *bars = calloc(json_object_size(result), sizeof *bars);
    const char *key;
    json_t *v;
    *n = 0;
    *total = 0;
    json_object_foreach(result, key, v) {
        if (!bars || !json_is_integer(v) || json_integer_value(v) < 0) {
            free(bars);
            return NULL;
        }
        bars[*n].label = key;
        bars[(*n)++].count = json_integer_value(v);
        *total += json_integer_value(v);
    }
    qsort(bars, *n, sizeof *bars, by_count);
    return bars;
}

static void
one_bar(FILE *f, int i, const char *label, json_int_t count, json_int_t max)
{
    int y = i * CHART_BAR_H;
    int w = max > 0 ? (int)((double)count * CHART_BAR_W / (double)max) : 0;
    html_printf(f, "<g><title>");
    html_text(f, label);
    html_printf(f, ": %" JSON_INTEGER_FORMAT "</title>", count);
    html_printf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">",
                CHART_LABEL_W - 6, y + 14);
    html_text(f, label);
    html_printf(f, "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\">"
                "</rect><text x=\"%d\" y=\"%d\" font-size=\"12\">%" JSON_INTEGER_FORMAT
                "</text></g>\n", CHART_LABEL_W, y + 3, w > 0 ? w : 1, CHART_BAR_H - 6,
                CHART_LABEL_W + (w > 0 ? w : 1) + 4, y + 14, count);
}

bool
board_bar_chart(FILE *f, json_t *result)
{
    size_t n;
    json_int_t total;
    struct bar *bars = collect(result, &n, &total);
    if (!bars)
        return false;
    size_t shown = n > CHART_BARS ? CHART_BARS - 1 : n;
    json_int_t others = 0;
    for (size_t i = shown; i < n; i++)
        others += bars[i].count;
    size_t rows = shown + (n > shown);
    json_int_t max = bars[0].count > others ? bars[0].count : others;
    html_printf(f, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%zu\" "
                "viewBox=\"0 0 %d %zu\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                CHART_LABEL_W + CHART_BAR_W + 80, rows * CHART_BAR_H,
                CHART_LABEL_W + CHART_BAR_W + 80, rows * CHART_BAR_H);
    for (size_t i = 0; i < shown; i++)
        one_bar(f, (int)i, bars[i].label, bars[i].count, max);
    if (n > shown) {
        char label[64];
        snprintf(label, sizeof label, "%zu others", n - shown);
        one_bar(f, (int)shown, label, others, max);
    }
    fputs("</svg>\n<table><tr><th>label</th><th>count</th><th>share</th></tr>\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr><td>", f);
        html_text(f, bars[i].label);
        html_printf(f, "</td><td class=\"n\">%" JSON_INTEGER_FORMAT "</td><td class=\"n\">"
                    "%.1f%%</td></tr>\n", bars[i].count,
                    total > 0 ? 100.0 * (double)bars[i].count / (double)total : 0.0);
    }
    html_printf(f, "<tr><th>total</th><td class=\"n\">%" JSON_INTEGER_FORMAT
                "</td><td></td></tr>\n</table>\n", total);
    free(bars);
    return true;
}
