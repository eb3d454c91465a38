#include <stdio.h>
#include <string.h>
#include <sendfile.h>

#define S(text) (const uint8_t *)(text), strlen(text)

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    sf_config *config = NULL;
    if (sf_config_new(S("nginx"), S(argv[1]), S("/protected"), NULL, 0, &config) != SF_OK) {
        fprintf(stderr, "config: %s\n", sf_last_error());
        return 1;
    }
    sf_plan *plan = NULL;
    if (sf_plan_new(config, S("GET"), S(argv[2]), NULL, 0, NULL, 0, &plan) != SF_OK) {
        fprintf(stderr, "plan: %s\n", sf_last_error());  /* answer 404 */
        sf_config_free(config);
        return 1;
    }
    printf("Status: %u\n", sf_plan_status(plan));
    for (size_t i = 0; i < sf_plan_header_count(plan); i++) {
        sf_bytes name, value;
        sf_plan_header(plan, i, &name, &value);
        printf("%.*s: %.*s\n", (int)name.len, (const char *)name.data, (int)value.len, (const char *)value.data);
    }
    sf_plan_free(plan);
    sf_config_free(config);
    return 0;
}
