/* sigv4_verifier_new_with_signing_keys: a verifier that never holds the secret. The derived key and
 * the request come from the AWS documentation's IAM example (ListUsers, 20150830, us-east-1): kSigning
 * c4afb1cc...a4b9 as the documentation gives it, and the documented signature 5d672d79...b5d7.
 *
 * sigv4_verifier_new_with_derived_keys (a lookup answering a sigv4_derived_key, which can carry the
 * session token of temporary credentials): the AWS test suite's post-sts-header-before request
 * (signed with a session token; its header-signed-request.txt), with kSigning for its secret and
 * scope 20150830/us-east-1/service computed by Python's hmac module:
 *   python3 -c "import hmac,hashlib; h=lambda k,m: hmac.new(k,m.encode(),hashlib.sha256).digest();
 *     print(h(h(h(h(b'AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY','20150830'),'us-east-1'),
 *     'service'),'aws4_request').hex())"
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

static const char *STS_KEY = "938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75";
static const char *STS_TOKEN =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRq"
    "TflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75Y"
    "U9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9"
    "KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
static const char *STS_SIG = "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead";

typedef enum { GIVE_TOKEN, GIVE_OTHER_TOKEN, GIVE_NO_TOKEN, GIVE_WRONG_KEY, GIVE_NOTHING } answer;

typedef struct {
  int calls;
  char scope[96];
  answer answer;
} sts_state;

static void key_bytes(const char *hex, uint8_t out[32]) {
  for (int i = 0; i < 32; i++) {
    out[i] = (uint8_t)(hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
  }
}

static sigv4_derived_key *sts_keys(void *userdata, const uint8_t *akid, size_t akid_len, const uint8_t *date,
                                   size_t date_len, const uint8_t *region, size_t region_len,
                                   const uint8_t *service, size_t service_len) {
  sts_state *state = userdata;
  state->calls++;
  snprintf(state->scope, sizeof state->scope, "%.*s %.*s %.*s %.*s", (int)akid_len, (const char *)akid,
           (int)date_len, (const char *)date, (int)region_len, (const char *)region, (int)service_len,
           (const char *)service);
  if (state->answer == GIVE_NOTHING) {
    return NULL;
  }
  uint8_t key[32];
  key_bytes(STS_KEY, key);
  if (state->answer == GIVE_WRONG_KEY) {
    key[31] ^= 0x80;
  }
  sigv4_derived_key *out = NULL;
  sigv4_result r;
  switch (state->answer) {
    case GIVE_NO_TOKEN: r = sigv4_derived_key_new(key, 32, NULL, 0, &out); break;
    case GIVE_OTHER_TOKEN: r = sigv4_derived_key_new(key, 32, S("AQoDYXdzEPT//other-token"), &out); break;
    default: r = sigv4_derived_key_new(key, 32, S(STS_TOKEN), &out); break;
  }
  return r == SIGV4_OK ? out : NULL;
}

/* post-sts-header-before as signed (token_header: send X-Amz-Security-Token). `*token_used` gets
 * the identity's session_token_used on success. */
static sigv4_result verify_sts(const sigv4_verifier *v, bool token_header, bool *token_used) {
  char auth[256];
  snprintf(auth, sizeof auth,
           "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
           "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=%s",
           STS_SIG);
  sigv4_pair headers[] = {
      {S("Host"), S("example.amazonaws.com")},
      {S("X-Amz-Date"), S("20150830T123600Z")},
      {S("Authorization"), S(auth)},
      {S("X-Amz-Security-Token"), S(STS_TOKEN)},
  };
  sigv4_request req = {S("POST"), S("/"), headers, token_header ? 4 : 3, NULL, 0, NULL, 0};
  sigv4_verified_identity *who = NULL;
  sigv4_result r = sigv4_verifier_verify(v, &req, T0, &who);
  if (token_used != NULL) {
    *token_used = sigv4_verified_identity_session_token_used(who);
  }
  sigv4_verified_identity_free(who);
  return r;
}

static void session_tokens(void) {
  sts_state state = {0};
  sigv4_verifier *v = NULL;
  CHECK_RESULT(sigv4_verifier_new_with_derived_keys(sts_keys, &state, S("us-east-1"), S("service"), NULL, &v),
               SIGV4_OK);
  if (v == NULL) {
    return;
  }
  bool used = false;
  state.answer = GIVE_TOKEN;
  CHECK_RESULT(verify_sts(v, true, &used), SIGV4_OK);
  CHECK(used, "identity: the session token was used");
  CHECK(state.calls == 1, "one lookup per request, got %d", state.calls);
  CHECK(strcmp(state.scope, "AKIDEXAMPLE 20150830 us-east-1 service") == 0, "asked for %s", state.scope);
  state.answer = GIVE_OTHER_TOKEN;
  CHECK_RESULT(verify_sts(v, true, NULL), SIGV4_INVALID_TOKEN);
  state.answer = GIVE_NO_TOKEN;
  CHECK_RESULT(verify_sts(v, true, NULL), SIGV4_INVALID_TOKEN);
  state.answer = GIVE_TOKEN;
  CHECK_RESULT(verify_sts(v, false, NULL), SIGV4_INVALID_TOKEN);
  state.answer = GIVE_WRONG_KEY;
  CHECK_RESULT(verify_sts(v, true, NULL), SIGV4_SIGNATURE_DOES_NOT_MATCH);
  state.answer = GIVE_NOTHING;
  CHECK_RESULT(verify_sts(v, true, NULL), SIGV4_INVALID_ACCESS_KEY_ID);
  sigv4_verifier_free(v);

  /* The 32-byte callback cannot name a token: the same request is refused. */
  keys_state plain = {0};
  sigv4_verifier *old = NULL;
  CHECK_RESULT(sigv4_verifier_new_with_signing_keys(doc_keys, &plain, S("us-east-1"), S("service"), NULL, &old),
               SIGV4_OK);
  CHECK_RESULT(verify_sts(old, true, NULL), SIGV4_INVALID_TOKEN);
  sigv4_verifier_free(old);

  /* sigv4_derived_key_new: bad inputs named, nothing written; a key not returned is freed. */
  uint8_t key[32];
  key_bytes(STS_KEY, key);
  sigv4_derived_key *k = NULL;
  CHECK_RESULT(sigv4_derived_key_new(key, 31, NULL, 0, &k), SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_derived_key_new(key, 32, (const uint8_t *)"", 0, &k), SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_derived_key_new(key, 32, S("line\nbreak"), &k), SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_derived_key_new(key, 32, (const uint8_t *)"\xff", 1, &k), SIGV4_INVALID_UTF8);
  CHECK_RESULT(sigv4_derived_key_new(NULL, 32, NULL, 0, &k), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_derived_key_new(key, 32, NULL, 5, &k), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_derived_key_new(key, 32, NULL, 0, NULL), SIGV4_NULL_PARAMETER);
  CHECK(k == NULL, "no key on failure");
  CHECK_RESULT(sigv4_derived_key_new(key, 32, S(STS_TOKEN), &k), SIGV4_OK);
  sigv4_derived_key_free(k);
  sigv4_derived_key_free(NULL);
  sigv4_verifier *none = NULL;
  CHECK_RESULT(sigv4_verifier_new_with_derived_keys(NULL, NULL, S("us-east-1"), S("service"), NULL, &none),
               SIGV4_NULL_PARAMETER);
  CHECK(none == NULL, "no verifier on failure");
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
  session_tokens();
  return test_summary("C derived signing keys");
}
