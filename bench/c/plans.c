/*
 * make bench, C part: plans per second through the ABI for a header-only backend (nginx)
 * and for the simple backend, against the floor of open + fstat + close, in one run.
 * Usage: plans ROOT (a folder holding small.txt). Prints a table; exits non-zero on error.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sendfile.h"

#define S(text) (const uint8_t *)(text), strlen(text)

enum { ROUNDS = 7, PER_ROUND = 20000 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char *root;
static char small_path[4096];

static void floor_once(void) {
    int fd = open(small_path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) { perror(small_path); exit(1); }
    close(fd);
}

static sf_config *config;
static sf_field range[] = {{(const uint8_t *)"Range", 5, (const uint8_t *)"bytes=0-99", 10}};

static void plan_once(void) {
    sf_plan *plan = NULL;
    if (sf_plan_new(config, S("GET"), S("small.txt"), range, 1, NULL, 0, &plan) != SF_OK) {
        fprintf(stderr, "plan: %s\n", sf_last_error());
        exit(1);
    }
    sf_plan_free(plan);
}

/* Median plans per second over several rounds. */
static double per_second(void (*work)(void)) {
    double rates[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        double start = now();
        for (int i = 0; i < PER_ROUND; i++) work();
        rates[r] = PER_ROUND / (now() - start);
    }
    qsort(rates, ROUNDS, sizeof rates[0], compare);
    return rates[ROUNDS / 2];
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s ROOT\n", argv[0]); return 2; }
    root = argv[1];
    snprintf(small_path, sizeof small_path, "%s/small.txt", root);
    double floor_rate = per_second(floor_once);
    printf("plans through the C ABI (sf_plan_new + sf_plan_free, 1 KiB file)\n");
    printf("%-28s%14s%10s%12s\n", "", "per second", "us each", "vs floor");
    printf("%-28s%14.0f%10.2f%12s\n", "floor: open+fstat+close", floor_rate, 1e6 / floor_rate, "1.00x");
    const char *backends[] = {"nginx", "simple"};
    for (int b = 0; b < 2; b++) {
        if (sf_config_new(S(backends[b]), S(root), S("/protected"), NULL, 0, &config) != SF_OK) {
            fprintf(stderr, "config: %s\n", sf_last_error());
            return 1;
        }
        double rate = per_second(plan_once);
        printf("%-28s%14.0f%10.2f%11.2fx\n", backends[b], rate, 1e6 / rate, floor_rate / rate);
        sf_config_free(config);
    }
    return 0;
}
