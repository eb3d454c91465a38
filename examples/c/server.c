/*
 * A small HTTP/1.1 file server on libsendfile: GET and HEAD for the files of one folder,
 * with ranges and conditional requests, bodies sent by sf_plan_send (sendfile(2)).
 *
 *   server PORT ROOT      (PORT 0 picks a free port; the port is printed on stdout)
 *
 * One connection at a time, closed after each answer: an example of the ABI, not a
 * production server. Listens on 127.0.0.1 only.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sendfile.h>

enum { MAX_REQUEST = 16384, MAX_HEADERS = 64 };

static const char *reason(unsigned status) {
    switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 304: return "Not Modified";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 412: return "Precondition Failed";
    case 416: return "Range Not Satisfiable";
    default: return "Internal Server Error";
    }
}

static void write_all(int fd, const void *data, size_t len) {
    const char *at = data;
    while (len > 0) {
        ssize_t n = write(fd, at, len);
        if (n <= 0) return;
        at += n;
        len -= (size_t)n;
    }
}

static void answer_without_file(int client, unsigned status, const char *extra) {
    char response[512];
    int len = snprintf(response, sizeof response,
                       "HTTP/1.1 %u %s\r\n%sContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                       "Connection: close\r\n\r\n%s\n",
                       status, reason(status), extra, strlen(reason(status)) + 1, reason(status));
    write_all(client, response, (size_t)len);
}

/* Decodes %XX in place; returns 0 on a malformed escape. */
static int percent_decode(char *text) {
    char *out = text;
    for (char *in = text; *in; in++) {
        if (*in == '%') {
            if (!isxdigit((unsigned char)in[1]) || !isxdigit((unsigned char)in[2])) return 0;
            char hex[3] = {in[1], in[2], 0};
            *out++ = (char)strtol(hex, NULL, 16);
            in += 2;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return 1;
}

static void serve(int client, const sf_config *config) {
    char request[MAX_REQUEST + 1];
    size_t len = 0;
    char *end = NULL;
    while (!end && len < MAX_REQUEST) {
        ssize_t n = read(client, request + len, MAX_REQUEST - len);
        if (n <= 0) return;
        len += (size_t)n;
        request[len] = '\0';
        end = strstr(request, "\r\n\r\n");
    }
    if (!end) return;
    *end = '\0';

    char *line_end = strstr(request, "\r\n");
    if (line_end) *line_end = '\0';
    char *method = request, *target = strchr(request, ' ');
    if (!target) return;
    *target++ = '\0';
    char *version = strchr(target, ' ');
    if (version) *version = '\0';
    char *query = strchr(target, '?');
    if (query) *query = '\0';
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        answer_without_file(client, 405, "Allow: GET, HEAD\r\n");
        return;
    }
    if (!percent_decode(target)) {
        answer_without_file(client, 404, "");
        return;
    }

    sf_field headers[MAX_HEADERS];
    size_t count = 0;
    for (char *line = line_end ? line_end + 2 : NULL; line && *line && count < MAX_HEADERS;) {
        char *next = strstr(line, "\r\n");
        if (next) *next = '\0';
        char *colon = strchr(line, ':');
        if (colon) {
            char *value = colon + 1;
            while (*value == ' ' || *value == '\t') value++;
            headers[count++] = (sf_field){(const uint8_t *)line, (size_t)(colon - line),
                                          (const uint8_t *)value, strlen(value)};
        }
        line = next ? next + 2 : NULL;
    }

    const char *path = target[0] == '/' ? target + 1 : target;
    sf_plan *plan = NULL;
    sf_result result = sf_plan_new(config, (const uint8_t *)method, strlen(method),
                                   (const uint8_t *)path, strlen(path), headers, count, NULL, 0, &plan);
    if (result != SF_OK) {
        fprintf(stderr, "%s %s: %s\n", method, target, sf_last_error());
        int client_error = result == SF_ERROR_NOT_FOUND || result == SF_ERROR_OUTSIDE_ROOT ||
                           result == SF_ERROR_INVALID_ARGUMENT || result == SF_ERROR_INVALID_UTF8;
        answer_without_file(client, client_error ? 404 : 500, "");
        return;
    }

    char head[8192];
    size_t at = (size_t)snprintf(head, sizeof head, "HTTP/1.1 %u %s\r\n", sf_plan_status(plan),
                                 reason(sf_plan_status(plan)));
    for (size_t i = 0; i < sf_plan_header_count(plan); i++) {
        sf_bytes name, value;
        sf_plan_header(plan, i, &name, &value);
        at += (size_t)snprintf(head + at, sizeof head - at, "%.*s: %.*s\r\n", (int)name.len,
                               (const char *)name.data, (int)value.len, (const char *)value.data);
    }
    at += (size_t)snprintf(head + at, sizeof head - at, "Connection: close\r\n\r\n");
    write_all(client, head, at);
    if (sf_plan_send(plan, client, NULL) != SF_OK)
        fprintf(stderr, "%s %s: %s\n", method, target, sf_last_error());
    sf_plan_free(plan);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PORT ROOT\n", argv[0]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    sf_config *config = NULL;
    if (sf_config_new((const uint8_t *)"simple", 6, (const uint8_t *)argv[2], strlen(argv[2]), NULL, 0,
                      NULL, 0, &config) != SF_OK) {
        fprintf(stderr, "configuration: %s\n", sf_last_error());
        return 1;
    }
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, size) != 0 || listen(listener, 16) != 0 ||
        getsockname(listener, (struct sockaddr *)&address, &size) != 0) {
        perror("listen");
        return 1;
    }
    printf("%u\n", ntohs(address.sin_port));
    fflush(stdout);
    for (;;) {
        int client = accept(listener, NULL, NULL);
        if (client < 0) continue;
        serve(client, config);
        close(client);
    }
}
