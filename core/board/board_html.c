/* board_html.c - writing HTML safely: every text that came from the
 * workdir (file names, options, logs, results) goes through html_text,
 * every URL segment made of such text through html_url_part. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"

void
html_textn(FILE *f, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        case '\n': case '\t': fputc(c, f); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(f, "\\x%02x", c);
            else
                fputc(c, f);
        }
    }
}

void
html_text(FILE *f, const char *s)
{
    if (s)
        html_textn(f, s, strlen(s));
}

void
html_url_part(FILE *f, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~", *p))
            fputc(*p, f);
        else
            fprintf(f, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}

void
html_printf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
}

const char board_css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}\n"
    "nav{background:#234;padding:.5em 1em}nav a{color:#fff;margin-right:1.2em;text-decoration:none}\n"
    "main{padding:1em 1.5em}h1{font-size:1.4em;margin:.2em 0 .6em}h2{font-size:1.1em;margin-top:1.4em}\n"
    "table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ddd;padding:.2em .6em;"
    "text-align:left;vertical-align:top}th{background:#eee}td.n{text-align:right}\n"
    "pre{background:#fff;border:1px solid #ddd;padding:.6em;overflow:auto;max-height:30em}\n"
    ".complete,.built,.reused{color:#171}.failed,.interrupted{color:#b11}.running{color:#b60}\n"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:10px;align-items:start}\n"
    ".grid figure{margin:0;background:#fff;border:1px solid #ddd;padding:6px;text-align:center}\n"
    ".grid img{max-width:100%;height:auto}figcaption{font-size:12px;word-break:break-all}\n"
    "td img{max-width:160px;max-height:160px}.pages a,.pages b{margin-right:.6em}\n"
    ".bar{fill:#4a7ab0}.muted{color:#777}\n";

void
html_begin(FILE *f, const char *title, int refresh)
{
    fputs("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n", f);
    if (refresh > 0)
        fprintf(f, "<meta http-equiv=\"refresh\" content=\"%d\">\n", refresh);
    fputs("<meta name=\"viewport\" content=\"width=device-width\">\n<title>", f);
    html_text(f, title);
    fputs(" - axle board</title>\n<link rel=\"stylesheet\" href=\"/board.css\">\n"
          "</head><body>\n<nav><a href=\"/\">runs</a><a href=\"/jobs\">jobs</a>"
          "<a href=\"/live\">live</a><a href=\"/api/runs\">api</a></nav>\n<main>\n<h1>",
          f);
    html_text(f, title);
    fputs("</h1>\n", f);
}

void
html_end(FILE *f)
{
    fputs("</main>\n</body></html>\n", f);
}

static void
json_scalar(FILE *f, json_t *v)
{
    char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    if (json_is_string(v))
        html_text(f, json_string_value(v));
    else
        html_text(f, text ? text : "?");
    free(text);
}

void
html_json(FILE *f, json_t *v)
{
    const char *key;
    json_t *item;
    size_t i;
    if (json_is_object(v)) {
        json_t *done = json_object_get(v, "done"), *total = json_object_get(v, "total");
        if (json_is_integer(done) && json_is_integer(total) && json_integer_value(total) > 0)
            html_printf(f, "<progress value=\"%" JSON_INTEGER_FORMAT "\" max=\"%"
                        JSON_INTEGER_FORMAT "\"></progress>\n", json_integer_value(done),
                        json_integer_value(total));
        fputs("<ul>", f);
        json_object_foreach(v, key, item) {
            fputs("<li><b>", f);
            html_text(f, key);
            fputs("</b>: ", f);
            html_json(f, item);
            fputs("</li>", f);
        }
        fputs("</ul>\n", f);
    } else if (json_is_array(v)) {
        fputs("<ol start=\"0\">", f);
        json_array_foreach(v, i, item) {
            fputs("<li>", f);
            html_json(f, item);
            fputs("</li>", f);
        }
        fputs("</ol>\n", f);
    } else {
        json_scalar(f, v);
    }
}

FILE *
board_page_open(board_page *p, const char *title, int refresh)
{
    p->buf = NULL;
    p->len = 0;
    p->f = open_memstream(&p->buf, &p->len);
    if (p->f)
        html_begin(p->f, title, refresh);
    return p->f;
}

void
board_page_finish(board_page *p, board_reply *out)
{
    if (!p->f) {
        board_reply_error(out, 500, "out of memory");
        return;
    }
    html_end(p->f);
    fclose(p->f);
    board_reply_text(out, 200, "text/html; charset=utf-8", p->buf, p->len);
}
