/* sigv4_verifier_new_with_signing_keys: a verifier that never holds the secret. The derived key and
 * the request come from the AWS documentation's IAM example (ListUsers, 20150830, us-east-1): kSigning
 * c4afb1cc...a4b9 as the documentation gives it, and the documented signature 5d672d79...b5d7.
 * Usage: derived_keys */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdlib.h>

#include "util.h"

static const char *DOC_KEY = "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9";
static const int64_t T0 = 1440938160; /* 2015-08-30T12:36:00Z */

typedef struct {
  int calls;
  char scope[96]; /* "akid date region service" of the last call */
  int wrong;      /* answer a key for another date */
} keys_state;

static int hex_digit(char c) {
  return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static bool doc_keys(void *userdata, const uint8_t *akid, size_t akid_len, const uint8_t *date, size_t date_len,
                     const uint8_t *region, size_t region_len, const uint8_t *service, size_t service_len,
                     uint8_t *key_out) {
  keys_state *state = userdata;
  state->calls++;
  snprintf(state->scope, sizeof state->scope, "%.*s %.*s %.*s %.*s", (int)akid_len, (const char *)akid,
           (int)date_len, (const char *)date, (int)region_len, (const char *)region, (int)service_len,
           (const char *)service);
  if (akid_len != 11 || memcmp(akid, "AKIDEXAMPLE", 11) != 0) {
    return false;
  }
  for (int i = 0; i < 32; i++) {
    key_out[i] = (uint8_t)(hex_digit(DOC_KEY[2 * i]) << 4 | hex_digit(DOC_KEY[2 * i + 1]));
  }
  if (state->wrong) {
    key_out[0] ^= 1;
  }
  return true;
}

static sigv4_result verify(sigv4_verifier *v, const char *akid, const char *signature) {
  char auth[512];
  snprintf(auth, sizeof auth,
           "AWS4-HMAC-SHA256 Credential=%s/20150830/us-east-1/iam/aws4_request, "
           "SignedHeaders=content-type;host;x-amz-date, Signature=%s",
           akid, signature);
  sigv4_pair headers[] = {
      {S("Content-Type"), S("application/x-www-form-urlencoded; charset=utf-8")},
      {S("Host"), S("iam.amazonaws.com")},
      {S("X-Amz-Date"), S("20150830T123600Z")},
      {S("Authorization"), S(auth)},
  };
  sigv4_request req = {S("GET"), S("/?Action=ListUsers&Version=2010-05-08"), headers, 4, NULL, 0, NULL, 0};
  sigv4_verified_identity *who = NULL;
  sigv4_result r = sigv4_verifier_verify(v, &req, T0, &who);
  sigv4_verified_identity_free(who);
  return r;
}

int main(void) {
  static const char *SIG = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
  keys_state state = {0};
  sigv4_verifier *v = NULL;
  CHECK_RESULT(sigv4_verifier_new_with_signing_keys(doc_keys, &state, S("us-east-1"), S("iam"), NULL, &v), SIGV4_OK);
  if (v != NULL) {
    CHECK_RESULT(verify(v, "AKIDEXAMPLE", SIG), SIGV4_OK);
    CHECK(state.calls == 1, "one lookup per request, got %d", state.calls);
    CHECK(strcmp(state.scope, "AKIDEXAMPLE 20150830 us-east-1 iam") == 0, "asked for %s", state.scope);
    CHECK_RESULT(verify(v, "AKIDOTHER", SIG), SIGV4_INVALID_ACCESS_KEY_ID);
    char bad[65];
    memcpy(bad, SIG, 65);
    bad[63] = bad[63] == '0' ? '1' : '0';
    CHECK_RESULT(verify(v, "AKIDEXAMPLE", bad), SIGV4_SIGNATURE_DOES_NOT_MATCH);
    state.wrong = 1;
    CHECK_RESULT(verify(v, "AKIDEXAMPLE", SIG), SIGV4_SIGNATURE_DOES_NOT_MATCH);
    sigv4_verifier_free(v);
  }
  sigv4_verifier *none = NULL;
  CHECK_RESULT(sigv4_verifier_new_with_signing_keys(NULL, NULL, S("us-east-1"), S("iam"), NULL, &none),
               SIGV4_NULL_PARAMETER);
  CHECK(none == NULL, "no verifier on failure");
  CHECK_RESULT(sigv4_verifier_new_with_signing_keys(doc_keys, NULL, S("us-east-1"), S("iam"), NULL, NULL),
               SIGV4_NULL_PARAMETER);
  return test_summary("C derived signing keys");
}
