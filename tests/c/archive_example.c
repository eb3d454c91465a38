/* Answers a request with two files as one ZIP archive, under any backend. */
static sf_result send_reports(const sf_config *config, const sf_field *headers,
                              size_t headers_len, int socket) {
    sf_field renamed[] = {{(const uint8_t *)"name", 4, (const uint8_t *)"reports/q1.pdf", 14}};
    sf_archive *archive = NULL;
    sf_plan *plan = NULL;
    sf_result result = sf_archive_new(&archive);
    if (result == SF_OK) result = sf_archive_add(archive, S("2026/q1.pdf"), renamed, 1);
    if (result == SF_OK) result = sf_archive_add(archive, S("readme.txt"), NULL, 0);
    if (result == SF_OK)
        result = sf_plan_archive_new(config, S("GET"), headers, headers_len, archive,
                                     S("reports.zip"), &plan);
    sf_archive_free(archive); /* the plan does not refer to it */
    if (result != SF_OK) return result; /* SF_ERROR_NOT_FOUND: answer 404 */
    /* Write the status line and headers (sf_plan_status, sf_plan_header), then the body:
       200 or 206, Range and If-Range answered as for a file. */
    result = sf_plan_send(plan, socket, NULL);
    sf_plan_free(plan);
    return result;
}
