/* board_server.c - the board's HTTP server (libmicrohttpd): listens on
 * one address, answers GET and HEAD through board_route, and stops on
 * Ctrl-C.  Every reply carries headers that keep a browser from running
 * or sniffing anything the workdir holds. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "board.h"
#include "diag.h"

#define BOARD_THREADS 4

struct server {
    board b;
    bool loopback; /* then only loopback Host names are answered */
};

static const char *
query_arg(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

/* A page of a board on 127.0.0.1 must not be readable by a web site that
 * points its own name at 127.0.0.1 (DNS rebinding): such a request
 * carries the site's name as Host. */
static bool
host_ok(const struct server *s, struct MHD_Connection *conn)
{
    if (!s->loopback)
        return true;
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
    if (!host)
        return true; /* HTTP/1.0 without Host: not a browser's request */
    static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i]);
        if (strncasecmp(host, names[i], n) == 0 && (host[n] == '\0' || host[n] == ':'))
            return true;
    }
    return false;
}

static struct MHD_Response *
make_response(board_reply *r)
{
    struct MHD_Response *resp;
    if (r->fd >= 0) {
        resp = MHD_create_response_from_fd((size_t)r->fd_size, r->fd);
        if (!resp)
            close(r->fd);
    } else if (r->body) {
        resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
        if (!resp)
            free(r->body);
    } else {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return NULL;
    MHD_add_response_header(resp, "Content-Type", r->type ? r->type : "text/plain");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; img-src 'self'; style-src 'self'; "
                            "frame-ancestors 'none'; form-action 'none'");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control",
                            r->cacheable ? "private, max-age=300" : "no-store");
    if (r->attachment)
        MHD_add_response_header(resp, "Content-Disposition", "attachment");
    return resp;
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_size, void **state)
{
    (void)version;
    (void)upload_data;
    struct server *s = cls;
    static int first_call;
    if (!*state) { /* headers only so far: answer on the next call */
        *state = &first_call;
        return MHD_YES;
    }
    board_reply r;
    memset(&r, 0, sizeof r);
    r.fd = -1;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        board_reply_error(&r, 405, "the board is read-only: %s is not answered", method);
        *upload_size = 0;
    } else if (!host_ok(s, conn)) {
        board_reply_error(&r, 403, "this board answers only requests for 127.0.0.1 or "
                          "localhost (the Host of this request names another site)");
    } else {
        board_request rq = {url, query_arg, conn};
        board_route(&s->b, &rq, &r);
    }
    struct MHD_Response *resp = make_response(&r);
    if (!resp)
        return MHD_NO;
    enum MHD_Result rc = MHD_queue_response(conn, (unsigned)r.status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* The address to listen on: IPv4 or IPv6 text, or "localhost". */
static bool
parse_addr(const char *addr, int port, struct sockaddr_storage *sa, bool *v6,
           bool *loopback)
{
    memset(sa, 0, sizeof *sa);
    struct sockaddr_in *in4 = (struct sockaddr_in *)sa;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
    if (strcmp(addr, "localhost") == 0)
        addr = "127.0.0.1";
    *v6 = false;
    if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *loopback = (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
        return true;
    }
    if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *v6 = true;
        *loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
        return true;
    }
    return false;
}

int
board_serve(const char *workdir, const char *addr, int port)
{
    struct server s;
    memset(&s, 0, sizeof s);
    struct sockaddr_storage sa;
    bool v6;
    if (!parse_addr(addr, port, &sa, &v6, &s.loopback)) {
        diag_error(NULL, 0, 0, "board: --listen '%s' is not an IPv4 or IPv6 address "
                   "(e.g. 127.0.0.1, 0.0.0.0, ::1)", addr);
        return 2;
    }
    s.b.workdir = realpath(workdir, NULL);
    s.b.wd_fd = s.b.workdir ? open(s.b.workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (s.b.wd_fd < 0) {
        diag_error(NULL, 0, 0, "board: cannot open the workdir %s: %s", workdir,
                   strerror(errno));
        free(s.b.workdir);
        return 2;
    }
    /* Ctrl-C is taken by sigwait below, in this thread only. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
                     (v6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, answer, &s, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)BOARD_THREADS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
    if (!d) {
        int e = errno;
        diag_error(NULL, 0, 0, "board: cannot listen on %s port %d: %s%s", addr, port,
                   e ? strerror(e) : "libmicrohttpd refused",
                   e == EADDRINUSE ? " (another program uses it: try --port N, or "
                                     "--port 0 for any free port)" : "");
        close(s.b.wd_fd);
        free(s.b.workdir);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    int bound = info ? info->port : port;
    printf(v6 ? "http://[%s]:%d/\n" : "http://%s:%d/\n",
           strcmp(addr, "localhost") == 0 ? "127.0.0.1" : addr, bound);
    fflush(stdout);
    fprintf(stderr, "axle board: serving %s read-only; Ctrl-C stops it\n", s.b.workdir);
    int sig = 0;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    fprintf(stderr, "axle board: stopped\n");
    close(s.b.wd_fd);
    free(s.b.workdir);
    return 0;
}
