/*
 * Tests of the C ABI of libsendfile: every exported function, every error path, bodies
 * byte-exact through segments and through sf_plan_send, one config shared by threads.
 * Prints "N passed, M failed" and exits non-zero on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sendfile.h"

static int passed, failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            passed++;                                                                \
        } else {                                                                     \
            failed++;                                                                \
            fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %s\n", __FILE__,   \
                    __LINE__, #cond, sf_last_error() ? sf_last_error() : "(none)");  \
        }                                                                            \
    } while (0)

#define S(text) (const uint8_t *)(text), strlen(text)
#define FIELD(name, value) {(const uint8_t *)(name), strlen(name), (const uint8_t *)(value), strlen(value)}

enum { FILE_SIZE = 3 << 20 };

static char root[256];
static char outside[256];

static uint8_t byte_at(uint64_t offset) { return (uint8_t)((offset * 31 + 7) % 251); }

static void write_file(const char *path, size_t size) {
    FILE *file = fopen(path, "wb");
    if (!file) { perror(path); exit(2); }
    for (size_t i = 0; i < size; i++) fputc(byte_at(i), file);
    fclose(file);
}

static void make_tree(void) {
    char top[] = "/tmp/sendfile-c-XXXXXX";
    if (!mkdtemp(top)) { perror("mkdtemp"); exit(2); }
    snprintf(root, sizeof root, "%s/root", top);
    snprintf(outside, sizeof outside, "%s/secret.txt", top);
    mkdir(root, 0755);
    char path[512];
    snprintf(path, sizeof path, "%s/data.bin", root);
    write_file(path, FILE_SIZE);
    snprintf(path, sizeof path, "%s/dir", root);
    mkdir(path, 0755);
    write_file(outside, 10);
    snprintf(path, sizeof path, "%s/escape", root);
    if (symlink("../secret.txt", path) != 0) { perror("symlink"); exit(2); }
}

static sf_config *config_for(const char *backend, const char *url) {
    sf_config *config = NULL;
    sf_result result = sf_config_new(S(backend), S(root), url ? (const uint8_t *)url : NULL,
                                     url ? strlen(url) : 0, NULL, 0, &config);
    CHECK(result == SF_OK);
    CHECK(config != NULL);
    return config;
}

static sf_plan *plan_for(const sf_config *config, const char *method, const char *path,
                         const sf_field *headers, size_t headers_len, sf_result expected) {
    sf_plan *plan = (sf_plan *)1;
    sf_result result = sf_plan_new(config, S(method), S(path), headers, headers_len, NULL, 0, &plan);
    CHECK(result == expected);
    if (result != SF_OK) CHECK(plan == NULL);
    return plan;
}

/* Finds a header's value, copied into `out` as a C string. */
static int header(const sf_plan *plan, const char *name, char *out, size_t out_len) {
    for (size_t i = 0; i < sf_plan_header_count(plan); i++) {
        sf_bytes n, v;
        if (sf_plan_header(plan, i, &n, &v) != SF_OK) return 0;
        if (n.len == strlen(name) && strncasecmp((const char *)n.data, name, n.len) == 0) {
            size_t len = v.len < out_len - 1 ? v.len : out_len - 1;
            memcpy(out, v.data, len);
            out[len] = '\0';
            return 1;
        }
    }
    return 0;
}

/* The body described by the segments, read with pread from each file segment's fd. */
static uint8_t *body_from_segments(const sf_plan *plan, uint64_t *length) {
    uint64_t total = sf_plan_body_length(plan);
    uint8_t *body = malloc(total ? total : 1);
    uint64_t at = 0;
    for (size_t i = 0; i < sf_plan_segment_count(plan); i++) {
        sf_segment_kind kind;
        sf_bytes literal;
        uint64_t offset, len;
        CHECK(sf_plan_segment(plan, i, &kind, &literal, &offset, &len) == SF_OK);
        if (kind == SF_SEGMENT_LITERAL) {
            CHECK(literal.len == len);
            memcpy(body + at, literal.data, len);
        } else {
            CHECK(kind == SF_SEGMENT_FILE);
            int fd = sf_plan_segment_fd(plan, i);
            CHECK(fd >= 0 && sf_last_error() == NULL);
            CHECK(pread(fd, body + at, len, (off_t)offset) == (ssize_t)len);
        }
        at += len;
    }
    CHECK(at == total);
    *length = at;
    return body;
}

/* The body a correct server sends for these ranges, built independently. */
static uint8_t *expected_multipart(const char *boundary, const uint64_t (*ranges)[2], size_t count,
                                   uint64_t *length) {
    size_t capacity = 4096;
    for (size_t i = 0; i < count; i++) capacity += ranges[i][1];
    uint8_t *body = malloc(capacity);
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        at += (size_t)sprintf((char *)body + at,
                              "%s--%s\r\nContent-Type: application/octet-stream\r\n"
                              "Content-Range: bytes %llu-%llu/%d\r\n\r\n",
                              i ? "\r\n" : "", boundary, (unsigned long long)ranges[i][0],
                              (unsigned long long)(ranges[i][0] + ranges[i][1] - 1), FILE_SIZE);
        for (uint64_t b = 0; b < ranges[i][1]; b++) body[at++] = byte_at(ranges[i][0] + b);
    }
    at += (size_t)sprintf((char *)body + at, "\r\n--%s--\r\n", boundary);
    *length = at;
    return body;
}

static void test_version_and_result_strings(void) {
    CHECK(strcmp(sf_version(), SENDFILE_VERSION) == 0);
    CHECK(strcmp(sf_result_string(SF_OK), "success") == 0);
    CHECK(strcmp(sf_result_string(SF_ERROR_NOT_FOUND), "file not found") == 0);
    CHECK(strcmp(sf_result_string(SF_WOULD_BLOCK),
                 "the socket would block; send again when it is writable") == 0);
    CHECK(strcmp(sf_result_string(12345), "unknown result code") == 0);
}

static void test_config_errors(void) {
    sf_config *config = (sf_config *)1;
    CHECK(sf_config_new(S("nginx"), S(root), NULL, 0, NULL, 0, NULL) == SF_ERROR_NULL_ARGUMENT);
    CHECK(strcmp(sf_last_error(), "config_out must not be NULL") == 0);
    CHECK(sf_config_new(NULL, 5, S(root), NULL, 0, NULL, 0, &config) == SF_ERROR_NULL_ARGUMENT);
    CHECK(config == NULL);
    CHECK(strcmp(sf_last_error(), "backend must not be NULL") == 0);
    CHECK(sf_config_new(S("apache"), S(root), NULL, 0, NULL, 0, &config) == SF_ERROR_CONFIGURATION);
    CHECK(strstr(sf_last_error(), "unknown backend \"apache\"") != NULL);
    CHECK(sf_config_new(S("nginx"), S(root), NULL, 0, NULL, 0, &config) == SF_ERROR_CONFIGURATION);
    CHECK(strcmp(sf_last_error(), "configuration error: the nginx backend needs a URL prefix") == 0);
    CHECK(sf_config_new(S("simple"), S("relative"), NULL, 0, NULL, 0, &config) == SF_ERROR_CONFIGURATION);
    const uint8_t bad_utf8[] = {'/', 0xff};
    CHECK(sf_config_new(S("simple"), bad_utf8, sizeof bad_utf8, NULL, 0, NULL, 0, &config) ==
          SF_ERROR_INVALID_UTF8);
    CHECK(strcmp(sf_last_error(), "root is not valid UTF-8") == 0);
    sf_field unknown[] = {FIELD("max_range", "4")};
    CHECK(sf_config_new(S("simple"), S(root), NULL, 0, unknown, 1, &config) == SF_ERROR_CONFIGURATION);
    sf_field bad_value[] = {FIELD("max_ranges", "many")};
    CHECK(sf_config_new(S("simple"), S(root), NULL, 0, bad_value, 1, &config) == SF_ERROR_CONFIGURATION);
    CHECK(strcmp(sf_last_error(), "configuration error: option max_ranges must be a whole number, got \"many\"") == 0);
    sf_field injected[] = {FIELD("cache_control", "private\r\nX: y")};
    CHECK(sf_config_new(S("simple"), S(root), NULL, 0, injected, 1, &config) == SF_ERROR_INVALID_ARGUMENT);
    CHECK(sf_config_new(S("simple"), S(root), NULL, 0, NULL, 2, &config) == SF_ERROR_NULL_ARGUMENT);
    CHECK(config == NULL);
    sf_config_free(NULL);
}

static void test_plan_errors(void) {
    sf_config *config = config_for("simple", NULL);
    sf_plan *plan = NULL;
    CHECK(sf_plan_new(NULL, S("GET"), S("data.bin"), NULL, 0, NULL, 0, &plan) == SF_ERROR_NULL_ARGUMENT);
    CHECK(strcmp(sf_last_error(), "config must not be NULL") == 0);
    CHECK(sf_plan_new(config, S("GET"), S("data.bin"), NULL, 0, NULL, 0, NULL) == SF_ERROR_NULL_ARGUMENT);
    plan_for(config, "GET", "missing.txt", NULL, 0, SF_ERROR_NOT_FOUND);
    CHECK(strcmp(sf_last_error(), "not found: missing.txt: no such file") == 0);
    plan_for(config, "GET", "dir", NULL, 0, SF_ERROR_NOT_FOUND);
    plan_for(config, "GET", "../secret.txt", NULL, 0, SF_ERROR_OUTSIDE_ROOT);
    CHECK(strcmp(sf_last_error(), "outside root: '..' climbs above the root") == 0);
    CHECK(strstr(sf_last_error(), root) == NULL);
    plan_for(config, "GET", outside, NULL, 0, SF_ERROR_OUTSIDE_ROOT);
    plan_for(config, "GET", "escape", NULL, 0, SF_ERROR_OUTSIDE_ROOT);
    CHECK(strcmp(sf_last_error(), "outside root: a symbolic link leads out of the root") == 0);
    const uint8_t nul_path[] = {'d', 'a', 't', 'a', '.', 'b', 'i', 'n', 0, 'x'};
    CHECK(sf_plan_new(config, S("GET"), nul_path, sizeof nul_path, NULL, 0, NULL, 0, &plan) ==
          SF_ERROR_OUTSIDE_ROOT);
    const uint8_t bad_path[] = {'d', 0xc3};
    CHECK(sf_plan_new(config, S("GET"), bad_path, sizeof bad_path, NULL, 0, NULL, 0, &plan) ==
          SF_ERROR_INVALID_UTF8);
    CHECK(strcmp(sf_last_error(), "path is not valid UTF-8") == 0);
    CHECK(sf_plan_new(config, S("GET"), S(""), NULL, 0, NULL, 0, &plan) == SF_ERROR_INVALID_ARGUMENT);
    sf_field unknown_option[] = {FIELD("filename", "x")};
    CHECK(sf_plan_new(config, S("GET"), S("data.bin"), NULL, 0, unknown_option, 1, &plan) ==
          SF_ERROR_INVALID_ARGUMENT);
    sf_field bad_type[] = {FIELD("content_type", "text/plain\nSet-Cookie: a=b")};
    CHECK(sf_plan_new(config, S("GET"), S("data.bin"), NULL, 0, bad_type, 1, &plan) ==
          SF_ERROR_INVALID_ARGUMENT);
    sf_field bad_length[] = {FIELD("content_length", "-1")};
    CHECK(sf_plan_new(config, S("GET"), S("data.bin"), NULL, 0, bad_length, 1, &plan) ==
          SF_ERROR_INVALID_ARGUMENT);
    /* The simple backend sends the file itself: a length other than its size is refused. */
    sf_field other_length[] = {FIELD("content_length", "42")};
    CHECK(sf_plan_new(config, S("GET"), S("data.bin"), NULL, 0, other_length, 1, &plan) ==
          SF_ERROR_INVALID_ARGUMENT);
    CHECK(strcmp(sf_last_error(),
                 "invalid argument: the declared content length 42 differs from the file's size "
                 "3145728: the simple backend sends the file itself, and its Content-Length is "
                 "the bytes it sends; leave content_length out (it is for files a front server "
                 "sends)") == 0);
    CHECK(plan == NULL);
    /* Accessors on NULL give their sentinels. */
    CHECK(sf_plan_status(NULL) == 0);
    CHECK(sf_plan_header_count(NULL) == 0);
    CHECK(sf_plan_body_length(NULL) == 0);
    CHECK(sf_plan_file_size(NULL) == UINT64_MAX);
    CHECK(sf_plan_fd(NULL) == -1);
    CHECK(sf_plan_take_fd(NULL) == -1);
    CHECK(sf_plan_segment_count(NULL) == 0);
    sf_bytes n, v;
    CHECK(sf_plan_header(NULL, 0, &n, &v) == SF_ERROR_NULL_ARGUMENT);
    CHECK(sf_plan_send(NULL, 1, NULL) == SF_ERROR_NULL_ARGUMENT);
    sf_plan_free(NULL);
    sf_config_free(config);
}

static void test_whole_file_and_accessors(void) {
    sf_config *config = config_for("simple", NULL);
    sf_field options[] = {FIELD("disposition", "attachment"), FIELD("download_name", "r\xc3\xa9sum\xc3\xa9.bin")};
    sf_plan *plan = NULL;
    CHECK(sf_plan_new(config, S("GET"), S("data.bin"), NULL, 0, options, 2, &plan) == SF_OK);
    CHECK(sf_last_error() == NULL);
    CHECK(sf_plan_status(plan) == 200);
    char value[256];
    CHECK(header(plan, "Content-Length", value, sizeof value) && strcmp(value, "3145728") == 0);
    CHECK(header(plan, "Content-Disposition", value, sizeof value) &&
          strcmp(value, "attachment; filename=\"resume.bin\"; filename*=UTF-8''r%C3%A9sum%C3%A9.bin") == 0);
    CHECK(header(plan, "Accept-Ranges", value, sizeof value) && strcmp(value, "bytes") == 0);
    CHECK(sf_plan_body_length(plan) == FILE_SIZE);
    CHECK(sf_plan_file_size(plan) == FILE_SIZE);
    CHECK(sf_plan_fd(plan) >= 0);
    CHECK(sf_plan_segment_count(plan) == 1);
    sf_bytes n, v;
    CHECK(sf_plan_header(plan, sf_plan_header_count(plan), &n, &v) == SF_ERROR_INDEX_OUT_OF_RANGE);
    CHECK(sf_plan_header(plan, 0, NULL, &v) == SF_ERROR_NULL_ARGUMENT);
    sf_segment_kind kind;
    sf_bytes literal;
    uint64_t offset, length;
    CHECK(sf_plan_segment(plan, 1, &kind, &literal, &offset, &length) == SF_ERROR_INDEX_OUT_OF_RANGE);
    CHECK(strcmp(sf_last_error(), "segment index 1 is not below the segment count 1") == 0);
    CHECK(sf_plan_segment(plan, 0, &kind, &literal, &offset, &length) == SF_OK);
    CHECK(kind == SF_SEGMENT_FILE && offset == 0 && length == FILE_SIZE && literal.len == 0);
    CHECK(sf_plan_segment_fd(plan, 0) == sf_plan_fd(plan));
    CHECK(sf_plan_segment_fd(plan, 1) == -1);
    CHECK(strcmp(sf_last_error(), "segment index 1 is not below the segment count 1") == 0);
    CHECK(sf_plan_segment_fd(NULL, 0) == -1 && strcmp(sf_last_error(), "plan must not be NULL") == 0);
    int fd = sf_plan_take_fd(plan);
    CHECK(fd >= 0);
    CHECK(sf_plan_fd(plan) == -1);
    CHECK(sf_plan_take_fd(plan) == -1);
    CHECK(sf_plan_segment_fd(plan, 0) == -1);
    CHECK(strstr(sf_last_error(), "the plan's file was taken out of it") != NULL);
    int sockets[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sockets);
    CHECK(sf_plan_send(plan, sockets[0], NULL) == SF_ERROR_IO);
    CHECK(sf_plan_send(plan, -1, NULL) == SF_ERROR_INVALID_ARGUMENT);
    close(sockets[0]);
    close(sockets[1]);
    CHECK(close(fd) == 0);
    sf_plan_free(plan);

    /* HEAD: the headers of GET, no body, no file. */
    plan = plan_for(config, "HEAD", "data.bin", NULL, 0, SF_OK);
    CHECK(sf_plan_status(plan) == 200);
    CHECK(header(plan, "Content-Length", value, sizeof value) && strcmp(value, "3145728") == 0);
    CHECK(sf_plan_body_length(plan) == 0 && sf_plan_fd(plan) == -1 && sf_plan_segment_count(plan) == 0);
    sf_plan_free(plan);
    sf_config_free(config);
}

static void test_conditionals_and_ranges(void) {
    sf_config *config = config_for("simple", NULL);
    sf_plan *plan = plan_for(config, "GET", "data.bin", NULL, 0, SF_OK);
    char etag[128];
    CHECK(header(plan, "ETag", etag, sizeof etag));
    sf_plan_free(plan);

    sf_field not_modified[] = {FIELD("If-None-Match", etag), FIELD("Accept", "*/*")};
    plan = plan_for(config, "GET", "data.bin", not_modified, 2, SF_OK);
    CHECK(sf_plan_status(plan) == 304 && sf_plan_fd(plan) == -1 && sf_plan_body_length(plan) == 0);
    sf_plan_free(plan);

    sf_field unsatisfiable[] = {FIELD("Range", "bytes=99999999-")};
    plan = plan_for(config, "GET", "data.bin", unsatisfiable, 1, SF_OK);
    char value[128];
    CHECK(sf_plan_status(plan) == 416);
    CHECK(header(plan, "Content-Range", value, sizeof value) && strcmp(value, "bytes */3145728") == 0);
    CHECK(header(plan, "Content-Length", value, sizeof value) && strcmp(value, "0") == 0);
    sf_plan_free(plan);

    sf_field multipart[] = {FIELD("range", "bytes=-5,0-9,1000-1999,5-14")};
    plan = plan_for(config, "GET", "data.bin", multipart, 1, SF_OK);
    CHECK(sf_plan_status(plan) == 206);
    CHECK(header(plan, "Content-Type", value, sizeof value));
    const char *boundary = strstr(value, "boundary=");
    CHECK(boundary != NULL);
    uint64_t ranges[][2] = {{0, 15}, {1000, 1000}, {FILE_SIZE - 5, 5}};
    uint64_t expected_len, actual_len;
    uint8_t *expected = expected_multipart(boundary + strlen("boundary="), ranges, 3, &expected_len);
    uint8_t *actual = body_from_segments(plan, &actual_len);
    CHECK(actual_len == expected_len && memcmp(actual, expected, expected_len) == 0);
    char declared[32];
    snprintf(declared, sizeof declared, "%llu", (unsigned long long)expected_len);
    CHECK(header(plan, "Content-Length", value, sizeof value) && strcmp(value, declared) == 0);
    free(expected);
    free(actual);
    sf_plan_free(plan);
    sf_config_free(config);
}

static void test_header_only_backends(void) {
    sf_config *config = config_for("nginx", "/private/");
    sf_plan *plan = plan_for(config, "GET", "data.bin", NULL, 0, SF_OK);
    char value[256];
    CHECK(sf_plan_status(plan) == 200);
    CHECK(header(plan, "X-Accel-Redirect", value, sizeof value) && strcmp(value, "/private/data.bin") == 0);
    CHECK(!header(plan, "Content-Length", value, sizeof value));
    CHECK(sf_plan_fd(plan) == -1 && sf_plan_body_length(plan) == 0 && sf_plan_segment_count(plan) == 0);
    CHECK(sf_plan_file_size(plan) == FILE_SIZE);
    /* A declared length is what the front server will send: taken, whatever the local size. */
    sf_plan *declared = NULL;
    sf_field length[] = {FIELD("content_length", "42")};
    CHECK(sf_plan_new(config, S("GET"), S("data.bin"), NULL, 0, length, 1, &declared) == SF_OK);
    CHECK(sf_plan_status(declared) == 200 && sf_plan_file_size(declared) == 42);
    CHECK(!header(declared, "Content-Length", value, sizeof value));
    sf_plan_free(declared);
    int sockets[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sockets);
    uint64_t sent = 99;
    CHECK(sf_plan_send(plan, sockets[0], &sent) == SF_OK && sent == 0);
    close(sockets[0]);
    close(sockets[1]);
    sf_plan_free(plan);
    sf_config_free(config);

    sf_field options[] = {FIELD("check_file_exists", "false"), FIELD("accel_buffering", "no")};
    CHECK(sf_config_new(S("nginx"), S(root), S("/p"), options, 2, &config) == SF_OK);
    plan = plan_for(config, "GET", "remote/file name.mp4", NULL, 0, SF_OK);
    CHECK(header(plan, "X-Accel-Redirect", value, sizeof value) && strcmp(value, "/p/remote/file%20name.mp4") == 0);
    CHECK(header(plan, "X-Accel-Buffering", value, sizeof value) && strcmp(value, "no") == 0);
    CHECK(sf_plan_file_size(plan) == UINT64_MAX);
    sf_plan_free(plan);
    sf_config_free(config);
}

static void test_object_store(void) {
    sf_field store[] = {
        FIELD("store_endpoint", "http://127.0.0.1:9000"), FIELD("store_bucket", "media"),
        FIELD("store_prefix", "private"), FIELD("store_access_key", "AKIDEXAMPLE"),
        FIELD("store_secret_key", "secret/key+example"),
    };
    enum { STORE_FIELDS = sizeof store / sizeof store[0] };
    char value[1024];
    sf_config *config = NULL;
    CHECK(sf_config_new(S("nginx"), NULL, 0, NULL, 0, store, STORE_FIELDS, &config) == SF_OK);
    sf_plan *plan = plan_for(config, "GET", "reports/a b.pdf", NULL, 0, SF_OK);
    CHECK(sf_plan_status(plan) == 200 && sf_plan_fd(plan) == -1 && sf_plan_body_length(plan) == 0);
    CHECK(header(plan, "Content-Type", value, sizeof value) && strcmp(value, "application/pdf") == 0);
    /* The path encoded twice (nginx decodes once), the signed query as it is. */
    const char *accel = "/_sendfile_store/media/private/reports/a%2520b.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                        "&X-Amz-Credential=AKIDEXAMPLE%2F";
    CHECK(header(plan, "X-Accel-Redirect", value, sizeof value) && strncmp(value, accel, strlen(accel)) == 0);
    CHECK(strstr(value, "&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=") != NULL);
    CHECK(strstr(value, "secret") == NULL);
    sf_plan_free(plan);
    plan = plan_for(config, "GET", "../other/secret.txt", NULL, 0, SF_ERROR_OUTSIDE_ROOT);
    plan = plan_for(config, "GET", "a%2Fb", NULL, 0, SF_ERROR_OUTSIDE_ROOT);
    sf_config_free(config);

    /* Every other backend: a 302 to the presigned URL, the presentation inside it. */
    CHECK(sf_config_new(S("simple"), NULL, 0, NULL, 0, store, STORE_FIELDS, &config) == SF_OK);
    sf_field attachment[] = {FIELD("disposition", "attachment")};
    plan = NULL;
    CHECK(sf_plan_new(config, S("GET"), S("a.txt"), NULL, 0, attachment, 1, &plan) == SF_OK);
    CHECK(sf_plan_status(plan) == 302 && sf_plan_fd(plan) == -1);
    const char *location = "http://127.0.0.1:9000/media/private/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256";
    CHECK(header(plan, "Location", value, sizeof value) && strncmp(value, location, strlen(location)) == 0);
    CHECK(strstr(value, "&response-content-disposition=attachment%3B%20filename%3D%22a.txt%22"
                        "&response-content-type=text%2Fplain&X-Amz-Signature=") != NULL);
    CHECK(header(plan, "Cache-Control", value, sizeof value) && strcmp(value, "no-store") == 0);
    sf_plan_free(plan);
    sf_config_free(config);

    /* A store without its secret, or beside a root, is a configuration error that names
       no credential. */
    CHECK(sf_config_new(S("nginx"), NULL, 0, NULL, 0, store, STORE_FIELDS - 1, &config) == SF_ERROR_CONFIGURATION);
    CHECK(config == NULL && strstr(sf_last_error(), "needs an access key and a secret key") != NULL);
    CHECK(strstr(sf_last_error(), "AKIDEXAMPLE") == NULL);
    CHECK(sf_config_new(S("nginx"), S(root), S("/p"), store, STORE_FIELDS, &config) == SF_ERROR_CONFIGURATION);
    CHECK(sf_config_new(S("simple"), NULL, 0, NULL, 0, NULL, 0, &config) == SF_ERROR_CONFIGURATION);
    /* Store options without the endpoint and bucket name no store: refused by the first
       one's name, never ignored (nor taken for a configuration that lacks a root). */
    CHECK(sf_config_new(S("nginx"), NULL, 0, NULL, 0, store + 2, STORE_FIELDS - 2, &config) == SF_ERROR_CONFIGURATION);
    CHECK(config == NULL && strcmp(sf_last_error(), "configuration error: option store_prefix is given but no "
                                                    "object store is named: a store needs both an endpoint and "
                                                    "a bucket (store_endpoint, store_bucket)") == 0);
}

struct reader { int fd; uint8_t *data; size_t len; };

static void *read_all(void *arg) {
    struct reader *reader = arg;
    size_t capacity = 1 << 16;
    reader->data = malloc(capacity);
    reader->len = 0;
    for (;;) {
        if (reader->len == capacity) reader->data = realloc(reader->data, capacity *= 2);
        ssize_t n = read(reader->fd, reader->data + reader->len, capacity - reader->len);
        if (n <= 0) break;
        reader->len += (size_t)n;
    }
    return NULL;
}

/* Sends the plan's body over a socketpair and compares it with the segments' bytes. */
static void check_send(const sf_config *config, const sf_field *headers, size_t headers_len, int non_blocking) {
    sf_plan *plan = plan_for(config, "GET", "data.bin", headers, headers_len, SF_OK);
    uint64_t expected_len;
    uint8_t *expected = body_from_segments(plan, &expected_len);
    int sockets[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sockets) == 0);
    uint64_t sent = 0;
    if (non_blocking) {
        fcntl(sockets[0], F_SETFL, fcntl(sockets[0], F_GETFL) | O_NONBLOCK);
        uint8_t *received = malloc(expected_len + 1);
        size_t received_len = 0;
        int would_block = 0;
        sf_result result;
        while ((result = sf_plan_send(plan, sockets[0], &sent)) == SF_WOULD_BLOCK) {
            would_block++;
            ssize_t n = read(sockets[1], received + received_len, expected_len - received_len);
            if (n > 0) received_len += (size_t)n;
        }
        CHECK(result == SF_OK);
        CHECK(would_block > 0);
        close(sockets[0]);
        ssize_t n;
        while ((n = read(sockets[1], received + received_len, expected_len + 1 - received_len)) > 0)
            received_len += (size_t)n;
        CHECK(received_len == expected_len && memcmp(received, expected, expected_len) == 0);
        free(received);
    } else {
        struct reader reader = {sockets[1], NULL, 0};
        pthread_t thread;
        pthread_create(&thread, NULL, read_all, &reader);
        CHECK(sf_plan_send(plan, sockets[0], &sent) == SF_OK);
        close(sockets[0]);
        pthread_join(thread, NULL);
        CHECK(reader.len == expected_len && memcmp(reader.data, expected, expected_len) == 0);
        free(reader.data);
    }
    CHECK(sent == expected_len && sent == sf_plan_body_length(plan));
    /* A second call has nothing left to send. */
    CHECK(sf_plan_send(plan, sockets[1], &sent) == SF_OK && sent == expected_len);
    close(sockets[1]);
    free(expected);
    sf_plan_free(plan);
}

static void test_send(void) {
    sf_config *config = config_for("simple", NULL);
    sf_field single[] = {FIELD("Range", "bytes=100-2999999")};
    sf_field multipart[] = {FIELD("Range", "bytes=0-9,1000000-2999999,-3")};
    for (int non_blocking = 0; non_blocking < 2; non_blocking++) {
        check_send(config, NULL, 0, non_blocking);
        check_send(config, single, 1, non_blocking);
        check_send(config, multipart, 1, non_blocking);
    }
    sf_config_free(config);
}

enum { THREADS = 8, PLANS_PER_THREAD = 200 };

static void *plan_many(void *arg) {
    const sf_config *config = arg;
    long good = 0;
    for (int i = 0; i < PLANS_PER_THREAD; i++) {
        sf_field range[] = {FIELD("Range", "bytes=0-99")};
        sf_plan *plan = NULL;
        if (sf_plan_new(config, S("GET"), S("data.bin"), range, 1, NULL, 0, &plan) == SF_OK &&
            sf_plan_status(plan) == 206 && sf_plan_body_length(plan) == 100)
            good++;
        sf_plan_free(plan);
        if (sf_plan_new(config, S("GET"), S("missing"), NULL, 0, NULL, 0, &plan) == SF_ERROR_NOT_FOUND &&
            strcmp(sf_last_error(), "not found: missing: no such file") == 0)
            good++;
    }
    return (void *)good;
}

static void test_threads_share_a_config(void) {
    sf_config *config = config_for("simple", NULL);
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, plan_many, config);
    long good = 0;
    for (int i = 0; i < THREADS; i++) {
        void *result;
        pthread_join(threads[i], &result);
        good += (long)result;
    }
    CHECK(good == THREADS * PLANS_PER_THREAD * 2);
    sf_config_free(config);
}

/* Hostile input from a client or a careless caller: refused, or made safe. */
static void test_hostile_input(void) {
    sf_config *config = config_for("simple", NULL);
    const char *traversals[] = {"..", "../secret.txt", "dir/../../secret.txt", "./../secret.txt",
                                "/etc/passwd", "//etc/passwd", "data.bin/../../secret.txt"};
    for (size_t i = 0; i < sizeof traversals / sizeof *traversals; i++) {
        sf_plan *plan = NULL;
        sf_result result = sf_plan_new(config, S("GET"), S(traversals[i]), NULL, 0, NULL, 0, &plan);
        CHECK(result == SF_ERROR_OUTSIDE_ROOT || result == SF_ERROR_NOT_FOUND);
        CHECK(plan == NULL);
        CHECK(strstr(sf_last_error(), root) == NULL);
    }
    /* Encoded and backslashed spellings are names, never decoded: not found. */
    const char *names[] = {"%2e%2e/secret.txt", "..%2fsecret.txt", "..\\secret.txt"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        plan_for(config, "GET", names[i], NULL, 0, SF_ERROR_NOT_FOUND);
    char overlong[5000];
    memset(overlong, 'a', sizeof overlong - 1);
    overlong[sizeof overlong - 1] = '\0';
    /* Longer than any path can be: not found, as a hostile URL should be. */
    plan_for(config, "GET", overlong, NULL, 0, SF_ERROR_NOT_FOUND);
    const char *reason = ": too long for a file name (255 bytes) or path (4096 bytes)";
    const char *message = sf_last_error();
    CHECK(strncmp(message, "not found: aaaa", 15) == 0);
    CHECK(strlen(message) == strlen("not found: ") + strlen(overlong) + strlen(reason));
    CHECK(strcmp(message + strlen(message) - strlen(reason), reason) == 0);

    /* A download name with CR, LF and NUL is encoded: no header holds a control byte. */
    const uint8_t name[] = {'x', '\r', '\n', 'S', 'e', 't', '-', 'C', 'o', 'o', 'k', 'i', 'e', ':', ' ', 'a', 0, 'b'};
    sf_field options[] = {FIELD("disposition", "attachment"),
                          {(const uint8_t *)"download_name", 13, name, sizeof name}};
    sf_plan *plan = NULL;
    CHECK(sf_plan_new(config, S("GET"), S("data.bin"), NULL, 0, options, 2, &plan) == SF_OK);
    for (size_t i = 0; plan && i < sf_plan_header_count(plan); i++) {
        sf_bytes n, v;
        CHECK(sf_plan_header(plan, i, &n, &v) == SF_OK);
        CHECK(memchr(v.data, '\r', v.len) == NULL && memchr(v.data, '\n', v.len) == NULL &&
              memchr(v.data, 0, v.len) == NULL);
        CHECK(!(n.len == 10 && strncasecmp((const char *)n.data, "Set-Cookie", 10) == 0));
    }
    sf_plan_free(plan);

    /* Thousands of ranges, or numbers past any file. */
    static char many[40000];
    size_t used = (size_t)snprintf(many, sizeof many, "bytes=0-0");
    for (int i = 1; i < 3000; i++) used += (size_t)snprintf(many + used, sizeof many - used, ",%d-%d", 2 * i, 2 * i);
    sf_field too_many[] = {FIELD("Range", many)};
    plan = plan_for(config, "GET", "data.bin", too_many, 1, SF_OK);
    CHECK(sf_plan_status(plan) == 200 && sf_plan_body_length(plan) == FILE_SIZE);
    sf_plan_free(plan);
    sf_field huge[] = {FIELD("Range", "bytes=0-99999999999999999999999999")};
    plan = plan_for(config, "GET", "data.bin", huge, 1, SF_OK);
    CHECK(sf_plan_status(plan) == 206 && sf_plan_body_length(plan) == FILE_SIZE);
    sf_plan_free(plan);
    /* A repeated Range with different values is invalid: the whole file. */
    sf_field repeated[] = {FIELD("Range", "bytes=0-0"), FIELD("Range", "bytes=1-1")};
    plan = plan_for(config, "GET", "data.bin", repeated, 2, SF_OK);
    CHECK(sf_plan_status(plan) == 200);
    sf_plan_free(plan);
    sf_config_free(config);
}

/* ---- Archives ---- */

static uint32_t crc32_of(const uint8_t *data, size_t len) {
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static uint32_t le16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const uint8_t *p) { return le16(p) | le16(p + 2) << 16; }

/* The bytes a plan's body is, sent by sf_plan_send over a socketpair. */
static uint8_t *sent_body(sf_plan *plan, size_t *length) {
    int sockets[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sockets) == 0);
    struct reader reader = {sockets[1], NULL, 0};
    pthread_t thread;
    pthread_create(&thread, NULL, read_all, &reader);
    uint64_t sent = 0;
    CHECK(sf_plan_send(plan, sockets[0], &sent) == SF_OK);
    close(sockets[0]);
    pthread_join(thread, NULL);
    close(sockets[1]);
    CHECK(sent == reader.len && sent == sf_plan_body_length(plan));
    *length = reader.len;
    return reader.data;
}

static uint8_t *file_bytes(const char *relative, size_t *length) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, relative);
    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); exit(2); }
    uint8_t *data = malloc(FILE_SIZE + 1);
    *length = fread(data, 1, FILE_SIZE + 1, file);
    fclose(file);
    return data;
}

#define RESUME "dir/r\xc3\xa9sum\xc3\xa9.txt"
#define RESUME_NAME "docs/r\xc3\xa9sum\xc3\xa9 \xe2\x9c\x93.txt"

static sf_archive *three_members(void) {
    char path[512];
    snprintf(path, sizeof path, "%s/empty.txt", root);
    write_file(path, 0);
    snprintf(path, sizeof path, "%s/" RESUME, root);
    FILE *file = fopen(path, "wb");
    fputs("R\xc3\xa9sum\xc3\xa9: one page.\n", file);
    fclose(file);
    sf_archive *archive = (sf_archive *)1;
    CHECK(sf_archive_new(&archive) == SF_OK && archive != NULL);
    /* data.bin with its CRC given (as a caller's cache would), the résumé's read by the
       library just before its header goes out, and remembered by the configuration
       (freed with it: valgrind sees no leak). */
    size_t size;
    uint8_t *data = file_bytes("data.bin", &size);
    char crc[9];
    snprintf(crc, sizeof crc, "%08X", crc32_of(data, size));
    free(data);
    sf_field given[] = {FIELD("crc32", crc)};
    sf_field named[] = {FIELD("name", RESUME_NAME)};
    CHECK(sf_archive_add(archive, S("data.bin"), given, 1) == SF_OK);
    CHECK(sf_archive_add(archive, S("empty.txt"), NULL, 0) == SF_OK);
    CHECK(sf_archive_add(archive, S(RESUME), named, 1) == SF_OK);
    return archive;
}

/* Walks the archive: each local header in order, its name and data; then the end record. */
static void check_zip(const uint8_t *zip, size_t zip_len) {
    const char *names[] = {"data.bin", "empty.txt", RESUME_NAME};
    const char *files[] = {"data.bin", "empty.txt", RESUME};
    size_t at = 0;
    for (int i = 0; i < 3; i++) {
        size_t size;
        uint8_t *data = file_bytes(files[i], &size);
        CHECK(at + 30 <= zip_len && le32(zip + at) == 0x04034b50);
        CHECK(le16(zip + at + 8) == 0);                       /* stored */
        CHECK(le32(zip + at + 14) == crc32_of(data, size));   /* CRC, given or read */
        CHECK(le32(zip + at + 18) == size && le32(zip + at + 22) == size);
        size_t name_len = le16(zip + at + 26), extra_len = le16(zip + at + 28);
        CHECK(name_len == strlen(names[i]) && memcmp(zip + at + 30, names[i], name_len) == 0);
        at += 30 + name_len + extra_len;
        CHECK(at + size <= zip_len && memcmp(zip + at, data, size) == 0);
        at += size;
        free(data);
    }
    CHECK(le32(zip + at) == 0x02014b50);                      /* the central directory */
    const uint8_t *end = zip + zip_len - 22;
    CHECK(le32(end) == 0x06054b50 && le16(end + 8) == 3 && le16(end + 10) == 3);
    CHECK(le32(end + 16) == at);                              /* where the directory starts */
}

static void test_archive(void) {
    sf_config *config = config_for("nginx", "/protected"); /* sent by the application all the same */
    sf_archive *archive = three_members();
    sf_plan *plan = (sf_plan *)1;
    CHECK(sf_plan_archive_new(config, S("GET"), NULL, 0, archive, S("files.zip"), &plan) == SF_OK);
    CHECK(sf_last_error() == NULL);
    char value[256], length[32];
    CHECK(sf_plan_status(plan) == 200);
    CHECK(header(plan, "Content-Type", value, sizeof value) && strcmp(value, "application/zip") == 0);
    CHECK(header(plan, "Content-Disposition", value, sizeof value) &&
          strcmp(value, "attachment; filename=\"files.zip\"") == 0);
    CHECK(header(plan, "ETag", value, sizeof value) && strncmp(value, "\"zip-", 5) == 0);
    snprintf(length, sizeof length, "%llu", (unsigned long long)sf_plan_body_length(plan));
    CHECK(header(plan, "Content-Length", value, sizeof value) && strcmp(value, length) == 0);
    CHECK(sf_plan_file_size(plan) == sf_plan_body_length(plan));
    CHECK(sf_plan_fd(plan) == -1 && sf_plan_take_fd(plan) == -1);

    /* The segments: records lent by the plan, members' runs read from their own files. */
    CHECK(sf_plan_segment_count(plan) > 3);
    sf_segment_kind kind;
    sf_bytes literal;
    uint64_t offset, len;
    CHECK(sf_plan_segment(plan, 0, &kind, &literal, &offset, &len) == SF_OK);
    CHECK(kind == SF_SEGMENT_LITERAL && literal.len == len && le32(literal.data) == 0x04034b50);
    CHECK(sf_plan_segment_fd(plan, 0) == -1 && sf_last_error() == NULL);
    CHECK(sf_plan_segment(plan, 1, &kind, &literal, &offset, &len) == SF_OK);
    CHECK(kind == SF_SEGMENT_FILE && offset == 0 && len == FILE_SIZE && literal.len == 0);
    int member = sf_plan_segment_fd(plan, 1);
    struct stat member_stat, file_stat;
    char path[512];
    snprintf(path, sizeof path, "%s/data.bin", root);
    CHECK(member >= 0 && fstat(member, &member_stat) == 0 && stat(path, &file_stat) == 0);
    CHECK(member_stat.st_ino == file_stat.st_ino && member_stat.st_dev == file_stat.st_dev);
    CHECK(sf_plan_segment_fd(plan, sf_plan_segment_count(plan)) == -1);
    CHECK(strstr(sf_last_error(), "is not below the segment count") != NULL);
    uint64_t from_segments_len;
    uint8_t *from_segments = body_from_segments(plan, &from_segments_len);

    size_t zip_len;
    uint8_t *zip = sent_body(plan, &zip_len);
    CHECK(zip_len == sf_plan_body_length(plan) && zip_len == from_segments_len);
    CHECK(memcmp(zip, from_segments, zip_len) == 0);
    check_zip(zip, zip_len);
    free(from_segments);
    sf_plan_free(plan);

    /* A range of the whole: 206 and exactly those bytes, across a header and two members. */
    uint64_t first = FILE_SIZE - 10, last = zip_len - 30;
    char range[64], content_range[96];
    snprintf(range, sizeof range, "bytes=%llu-%llu", (unsigned long long)first, (unsigned long long)last);
    snprintf(content_range, sizeof content_range, "bytes %llu-%llu/%llu", (unsigned long long)first,
             (unsigned long long)last, (unsigned long long)zip_len);
    sf_field headers[] = {FIELD("Range", range)};
    CHECK(sf_plan_archive_new(config, S("GET"), headers, 1, archive, S("files.zip"), &plan) == SF_OK);
    CHECK(sf_plan_status(plan) == 206);
    CHECK(header(plan, "Content-Range", value, sizeof value) && strcmp(value, content_range) == 0);
    size_t slice_len;
    uint8_t *slice = sent_body(plan, &slice_len);
    CHECK(slice_len == last - first + 1 && memcmp(slice, zip + first, slice_len) == 0);
    free(slice);
    sf_plan_free(plan);

    /* HEAD: the headers of GET, no body. */
    CHECK(sf_plan_archive_new(config, S("HEAD"), NULL, 0, archive, S("files.zip"), &plan) == SF_OK);
    CHECK(sf_plan_status(plan) == 200 && sf_plan_body_length(plan) == 0 && sf_plan_segment_count(plan) == 0);
    sf_plan_free(plan);
    free(zip);
    sf_archive_free(archive);
    sf_config_free(config);
}

/* More than 256 members: each opened again when needed, one at a time. */
static void test_large_archive(void) {
    enum { MEMBERS = 300 };
    sf_config *config = config_for("simple", NULL);
    sf_archive *archive = NULL;
    CHECK(sf_archive_new(&archive) == SF_OK);
    char path[512], relative[64], crc[9];
    snprintf(path, sizeof path, "%s/many", root);
    mkdir(path, 0755);
    ino_t inodes[MEMBERS];
    for (int i = 0; i < MEMBERS; i++) {
        snprintf(relative, sizeof relative, "many/%03d.txt", i);
        snprintf(path, sizeof path, "%s/%s", root, relative);
        FILE *file = fopen(path, "wb");
        fprintf(file, "member %d\n", i);
        fclose(file);
        struct stat st;
        CHECK(stat(path, &st) == 0);
        inodes[i] = st.st_ino;
        char text[32];
        snprintf(text, sizeof text, "member %d\n", i);
        snprintf(crc, sizeof crc, "%08x", crc32_of((const uint8_t *)text, strlen(text)));
        sf_field given[] = {FIELD("crc32", crc)};
        CHECK(sf_archive_add(archive, S(relative), given, 1) == SF_OK);
    }
    sf_plan *plan = NULL;
    CHECK(sf_plan_archive_new(config, S("GET"), NULL, 0, archive, S("many.zip"), &plan) == SF_OK);
    sf_archive_free(archive);
    /* Segment 2i is member i's header, 2i+1 its data: each data segment's descriptor is
       that member's file while no other member is asked for. */
    CHECK(sf_plan_segment_count(plan) == 2 * MEMBERS + 1);
    for (int i = 0; i < MEMBERS; i += 149) {
        int fd = sf_plan_segment_fd(plan, (size_t)(2 * i + 1));
        struct stat st;
        CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_ino == inodes[i]);
    }
    size_t zip_len;
    uint8_t *zip = sent_body(plan, &zip_len);
    const uint8_t *end = zip + zip_len - 22;
    CHECK(le32(end) == 0x06054b50 && le16(end + 10) == MEMBERS);
    uint64_t from_segments_len;
    uint8_t *from_segments = body_from_segments(plan, &from_segments_len);
    CHECK(from_segments_len == zip_len && memcmp(from_segments, zip, zip_len) == 0);
    free(from_segments);
    free(zip);
    sf_plan_free(plan);
    sf_config_free(config);
}

/* docs/c-api.md's archive example is archive_example.c, verbatim; here it runs. */
#include "archive_example.c"

static char *read_text(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); return NULL; }
    size_t capacity = 1 << 16, len = 0, n;
    char *text = malloc(capacity + 1);
    while ((n = fread(text + len, 1, capacity - len, file)) > 0)
        if ((len += n) == capacity) text = realloc(text, (capacity *= 2) + 1);
    fclose(file);
    text[len] = '\0';
    return text;
}

static void test_documented_archive_example(void) {
    /* Run from the repository's root, as make does. */
    char *page = read_text("docs/c-api.md"), *example = read_text("tests/c/archive_example.c");
    CHECK(page && example && strstr(page, example) != NULL);
    free(page);
    free(example);

    sf_config *config = config_for("simple", NULL);
    int sockets[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sockets) == 0);
    CHECK(send_reports(config, NULL, 0, sockets[0]) == SF_ERROR_NOT_FOUND);
    char path[512];
    snprintf(path, sizeof path, "%s/2026", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/2026/q1.pdf", root);
    write_file(path, 1000);
    snprintf(path, sizeof path, "%s/readme.txt", root);
    write_file(path, 10);
    struct reader reader = {sockets[1], NULL, 0};
    pthread_t thread;
    pthread_create(&thread, NULL, read_all, &reader);
    CHECK(send_reports(config, NULL, 0, sockets[0]) == SF_OK);
    close(sockets[0]);
    pthread_join(thread, NULL);
    close(sockets[1]);
    CHECK(reader.len > 1010 + 22 && le32(reader.data) == 0x04034b50 && le16(reader.data + 26) == 14 &&
          memcmp(reader.data + 30, "reports/q1.pdf", 14) == 0);
    CHECK(le16(reader.data + reader.len - 22 + 10) == 2);
    free(reader.data);
    sf_config_free(config);
}

static void test_archive_errors(void) {
    sf_config *config = config_for("simple", NULL);
    sf_archive *archive = NULL;
    sf_plan *plan = (sf_plan *)1;
    CHECK(sf_archive_new(NULL) == SF_ERROR_NULL_ARGUMENT);
    CHECK(strcmp(sf_last_error(), "archive_out must not be NULL") == 0);
    CHECK(sf_archive_new(&archive) == SF_OK);
    CHECK(sf_archive_add(NULL, S("data.bin"), NULL, 0) == SF_ERROR_NULL_ARGUMENT);
    CHECK(strcmp(sf_last_error(), "archive must not be NULL") == 0);
    CHECK(sf_archive_add(archive, NULL, 3, NULL, 0) == SF_ERROR_NULL_ARGUMENT);
    CHECK(strcmp(sf_last_error(), "path must not be NULL") == 0);
    CHECK(sf_archive_add(archive, S(""), NULL, 0) == SF_ERROR_INVALID_ARGUMENT);
    CHECK(sf_archive_add(archive, S("data.bin"), NULL, 1) == SF_ERROR_NULL_ARGUMENT);
    CHECK(sf_archive_add(archive, (const uint8_t *)"\xff", 1, NULL, 0) == SF_ERROR_INVALID_UTF8);
    sf_field bad_crcs[][1] = {{FIELD("crc32", "0xcbf439")}, {FIELD("crc32", "3421780262")},
                              {FIELD("crc32", "cbf4392")}, {FIELD("crc32", "")}};
    for (size_t i = 0; i < sizeof bad_crcs / sizeof bad_crcs[0]; i++) {
        CHECK(sf_archive_add(archive, S("data.bin"), bad_crcs[i], 1) == SF_ERROR_INVALID_ARGUMENT);
        char expected[160];
        snprintf(expected, sizeof expected,
                 "invalid argument: member option crc32 must be 8 hexadecimal digits (as cbf43926), got \"%.*s\"",
                 (int)bad_crcs[i][0].value_len, (const char *)bad_crcs[i][0].value);
        CHECK(strcmp(sf_last_error(), expected) == 0);
    }
    sf_field unknown[] = {FIELD("filename", "x")};
    CHECK(sf_archive_add(archive, S("data.bin"), unknown, 1) == SF_ERROR_INVALID_ARGUMENT);
    CHECK(strcmp(sf_last_error(), "invalid argument: unknown member option \"filename\"; known: name, crc32") == 0);

    /* Nothing refused was added: the archive is still empty, a 22-byte end record. */
    CHECK(sf_plan_archive_new(config, S("GET"), NULL, 0, archive, S("none.zip"), &plan) == SF_OK);
    CHECK(sf_plan_status(plan) == 200 && sf_plan_body_length(plan) == 22);
    sf_plan_free(plan);

    /* The planner's NULL checks. */
    CHECK(sf_plan_archive_new(NULL, S("GET"), NULL, 0, archive, S("a.zip"), &plan) == SF_ERROR_NULL_ARGUMENT);
    CHECK(plan == NULL && strcmp(sf_last_error(), "config must not be NULL") == 0);
    CHECK(sf_plan_archive_new(config, S("GET"), NULL, 0, NULL, S("a.zip"), &plan) == SF_ERROR_NULL_ARGUMENT);
    CHECK(strcmp(sf_last_error(), "archive must not be NULL") == 0);
    CHECK(sf_plan_archive_new(config, S("GET"), NULL, 0, archive, NULL, 5, &plan) == SF_ERROR_NULL_ARGUMENT);
    CHECK(strcmp(sf_last_error(), "download_name must not be NULL") == 0);
    CHECK(sf_plan_archive_new(config, S("GET"), NULL, 0, archive, S("a.zip"), NULL) == SF_ERROR_NULL_ARGUMENT);
    CHECK(strcmp(sf_last_error(), "plan_out must not be NULL") == 0);

    /* An unsafe name, a missing member and one outside the root are refused when planned. */
    sf_field climbing[] = {FIELD("name", "../x")};
    CHECK(sf_archive_add(archive, S("data.bin"), climbing, 1) == SF_OK);
    CHECK(sf_plan_archive_new(config, S("GET"), NULL, 0, archive, S("a.zip"), &plan) == SF_ERROR_INVALID_ARGUMENT);
    CHECK(plan == NULL && strcmp(sf_last_error(), "invalid argument: the archive member name \"../x\" is refused: "
                                         "it has a '..' segment, which unpacks outside the folder") == 0);
    sf_archive_free(archive);

    CHECK(sf_archive_new(&archive) == SF_OK);
    CHECK(sf_archive_add(archive, S("data.bin"), NULL, 0) == SF_OK);
    CHECK(sf_archive_add(archive, S("missing.txt"), NULL, 0) == SF_OK);
    plan = (sf_plan *)1;
    CHECK(sf_plan_archive_new(config, S("GET"), NULL, 0, archive, S("a.zip"), &plan) == SF_ERROR_NOT_FOUND);
    CHECK(plan == NULL && strstr(sf_last_error(), "missing.txt") != NULL && strstr(sf_last_error(), root) == NULL);
    sf_archive_free(archive);

    CHECK(sf_archive_new(&archive) == SF_OK);
    CHECK(sf_archive_add(archive, S("../secret.txt"), NULL, 0) == SF_OK);
    CHECK(sf_plan_archive_new(config, S("GET"), NULL, 0, archive, S("a.zip"), &plan) == SF_ERROR_OUTSIDE_ROOT);
    sf_archive_free(archive);
    sf_archive_free(NULL);
    sf_config_free(config);
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    make_tree();
    test_version_and_result_strings();
    test_config_errors();
    test_plan_errors();
    test_hostile_input();
    test_whole_file_and_accessors();
    test_conditionals_and_ranges();
    test_header_only_backends();
    test_object_store();
    test_send();
    test_threads_share_a_config();
    test_archive();
    test_archive_errors();
    test_documented_archive_example();
    test_large_archive();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
