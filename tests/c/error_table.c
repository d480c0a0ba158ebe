/* The shared behaviour table (tests/behaviour/errors.json, read by every language's tests): for each
 * core error code, the C result named in the table has the listed value, sigv4_result_message names
 * the code (verification codes), and sigv4_result_http_status answers the listed HTTP status. Plus
 * the statuses of the C-API conditions and of a real verification failure.
 * Usage: error_table <tests/behaviour/errors.json> */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "util.h"

/* The end of the JSON object starting at `open` (its matching '}'); the table has no braces in strings. */
static const char *object_end(const char *open) {
  int depth = 0;
  for (const char *p = open; *p != '\0'; p++) {
    if (*p == '{') {
      depth++;
    } else if (*p == '}' && --depth == 0) {
      return p;
    }
  }
  return NULL;
}

static int check_table(const char *json) {
  const char *codes = strstr(json, "\"codes\"");
  CHECK(codes != NULL, "errors.json has no \"codes\" object");
  if (codes == NULL) {
    return 0;
  }
  const char *p = strchr(codes, '{');
  const char *end = object_end(p);
  p++;
  int rows = 0;
  while (p != NULL && p < end) {
    const char *name = strchr(p, '"');
    if (name == NULL || name >= end) {
      break;
    }
    const char *name_end = strchr(name + 1, '"');
    const char *open = strchr(name_end, '{');
    const char *close = object_end(open);
    size_t row_len = (size_t)(close - open + 1);
    char *row = malloc(row_len + 1);
    memcpy(row, open, row_len);
    row[row_len] = '\0';
    char code[64] = {0};
    size_t code_len = (size_t)(name_end - name - 1);
    memcpy(code, name + 1, code_len < sizeof code - 1 ? code_len : sizeof code - 1);

    long long value = json_int(row, "c_value", -1);
    long long status = json_int(row, "status", -1);
    char *c_name = json_string(row, "c");
    CHECK(value > 0 && status > 0 && c_name != NULL, "%s: row without c_value/status/c", code);
    unsigned got = sigv4_result_http_status((uint32_t)value);
    CHECK(got == (unsigned)status, "%s (%s = %lld): sigv4_result_http_status = %u, table says %lld", code,
          c_name ? c_name : "?", value, got, status);
    const char *message = sigv4_result_message((uint32_t)value);
    CHECK(strcmp(message, "unknown result code") != 0, "%s: %lld is not a result code", code, value);
    if (value >= 200 && value < 300) {
      /* Verification failures: the message starts with AWS's code. */
      CHECK(strncmp(message, code, strlen(code)) == 0 && message[strlen(code)] == ':',
            "%s: message %s does not start with the code", code, message);
    }
    CHECK(sigv4_result_is_invalid_input((uint32_t)value) == (value >= 100 && value < 200),
          "%s: is_invalid_input disagrees with the 100..199 range", code);
    free(c_name);
    free(row);
    rows++;
    p = close + 1;
  }
  return rows;
}

/* A real failure: the AWS suite's get-vanilla request with its last signature digit changed. */
static void check_real_failure(void) {
  sigv4_credential_store *store = NULL;
  sigv4_verifier *verifier = NULL;
  CHECK_RESULT(sigv4_credential_store_new(&store), SIGV4_OK);
  CHECK_RESULT(sigv4_credential_store_add(store, S("AKIDEXAMPLE"), S("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                                          NULL, 0),
               SIGV4_OK);
  sigv4_result made = sigv4_verifier_new(store, S("us-east-1"), S("service"), NULL, &verifier);
  CHECK_RESULT(made, SIGV4_OK);
  sigv4_pair headers[] = {
      {S("Host"), S("example.amazonaws.com")},
      {S("X-Amz-Date"), S("20150830T123600Z")},
      {S("Authorization"),
       S("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
         "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf30")},
  };
  sigv4_request req = {S("GET"), S("/"), headers, 3, NULL, 0, NULL, 0};
  sigv4_verified_identity *who = NULL;
  sigv4_result r = made == SIGV4_OK ? sigv4_verifier_verify(verifier, &req, 1440938160, &who) : SIGV4_OK;
  CHECK_RESULT(r, SIGV4_SIGNATURE_DOES_NOT_MATCH);
  CHECK(sigv4_result_http_status(r) == 403, "a mismatch answers %u", sigv4_result_http_status(r));
  sigv4_verified_identity_free(who);
  sigv4_verifier_free(verifier);
  sigv4_credential_store_free(store);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s tests/behaviour/errors.json\n", argv[0]);
    return 2;
  }
  char *json = read_file(argv[1], NULL);
  CHECK(json != NULL, "cannot read %s", argv[1]);
  if (json != NULL) {
    int rows = check_table(json);
    CHECK(rows >= 20, "only %d codes read from the table", rows);
    free(json);
  }
  CHECK(sigv4_result_http_status(SIGV4_OK) == 200, "SIGV4_OK");
  CHECK(sigv4_result_http_status(SIGV4_NULL_PARAMETER) == 500, "a C-API condition is the server's fault");
  CHECK(sigv4_result_http_status(SIGV4_PANIC) == 500, "panic");
  CHECK(sigv4_result_http_status(99999) == 0, "unknown value");
  check_real_failure();
  return test_summary("error table");
}
