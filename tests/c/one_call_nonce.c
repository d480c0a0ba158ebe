/* sigv4_sign_v4_with_flags(SIGV4_SIGN_V4_NONCE): the one-call signing with a signed random
 * X-Request-Nonce header (issue 17, item 3).
 *
 * Expected values: the signature with the nonce equals sigv4_sign_v4's for the same parameters plus
 * that X-Request-Nonce header (sigv4_sign_v4 itself is checked against botocore's values in
 * one_call.c); a verifier with a replay cache accepts two identical calls signed with the nonce and
 * refuses the second of two identical calls without it (SIGV4_REQUEST_REPLAYED).
 * Usage: one_call_nonce */
#include <stdbool.h>
#include <stdlib.h>

#include "util.h"

static const int64_t T0 = 1440938160; /* 2015-08-30T12:36:00Z */

static sigv4_sign_v4_params params_for(const sigv4_pair *headers, size_t count) {
  sigv4_sign_v4_params p = {0};
  p.access_key = (const uint8_t *)"AKIDEXAMPLE";
  p.access_key_len = 11;
  p.secret_key = (const uint8_t *)"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  p.secret_key_len = 40;
  p.region = (const uint8_t *)"us-east-1";
  p.region_len = 9;
  p.service = (const uint8_t *)"execute-api";
  p.service_len = 11;
  p.method = (const uint8_t *)"GET";
  p.method_len = 3;
  p.uri = (const uint8_t *)"/items/42";
  p.uri_len = 9;
  p.headers = headers;
  p.headers_len = count;
  p.timestamp = (const uint8_t *)"20150830T123600Z";
  p.timestamp_len = 16;
  return p;
}

static bool is_nonce(const char *v) {
  if (strlen(v) != 32) {
    return false;
  }
  for (size_t i = 0; i < 32; i++) {
    if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f'))) {
      return false;
    }
  }
  return true;
}

/* Verifies what `s` says to send, with the verifier's clock at the signing time. */
static sigv4_result verify_sent(const sigv4_verifier *v, const sigv4_signed_request *s) {
  size_t n = sigv4_signed_request_header_count(s);
  sigv4_pair *headers = calloc(n, sizeof *headers);
  for (size_t i = 0; i < n; i++) {
    const char *name = NULL;
    const char *value = NULL;
    sigv4_signed_request_header(s, i, &name, &headers[i].name_len, &value, &headers[i].value_len);
    headers[i].name = (const uint8_t *)name;
    headers[i].value = (const uint8_t *)value;
  }
  sigv4_request req = {S("GET"), S("/items/42"), headers, n, NULL, 0, NULL, 0};
  sigv4_verified_identity *who = NULL;
  sigv4_result r = sigv4_verifier_verify(v, &req, T0, &who);
  sigv4_verified_identity_free(who);
  free(headers);
  return r;
}

int main(void) {
  sigv4_pair host[] = {{S("Host"), S("api.example.com")}};
  sigv4_sign_v4_params p = params_for(host, 1);

  /* Two calls: each with a fresh 32-hex-digit nonce, signed, in the headers to send. */
  sigv4_signed_request *a = NULL;
  sigv4_signed_request *b = NULL;
  CHECK_RESULT(sigv4_sign_v4_with_flags(&p, SIGV4_SIGN_V4_NONCE, &a), SIGV4_OK);
  CHECK_RESULT(sigv4_sign_v4_with_flags(&p, SIGV4_SIGN_V4_NONCE, &b), SIGV4_OK);
  if (a == NULL || b == NULL) {
    return test_summary("C one-call nonce");
  }
  char nonce_a[33] = {0};
  snprintf(nonce_a, sizeof nonce_a, "%s", field(a, SIGV4_FIELD_NONCE));
  CHECK(is_nonce(nonce_a), "nonce is 32 lowercase hex digits: %s", nonce_a);
  CHECK(strcmp(nonce_a, field(b, SIGV4_FIELD_NONCE)) != 0, "two calls, two nonces");
  CHECK(strcmp(field(a, SIGV4_FIELD_SIGNED_HEADERS), "host;x-amz-date;x-request-nonce") == 0,
        "the nonce is signed: %s", field(a, SIGV4_FIELD_SIGNED_HEADERS));
  CHECK(strcmp(field(a, SIGV4_FIELD_SIGNATURE), field(b, SIGV4_FIELD_SIGNATURE)) != 0,
        "identical calls get different signatures");
  size_t count = sigv4_signed_request_header_count(a);
  bool sent = false;
  for (size_t i = 0; i < count; i++) {
    const char *name = NULL;
    const char *value = NULL;
    sigv4_signed_request_header(a, i, &name, NULL, &value, NULL);
    sent = sent || (strcmp(name, "X-Request-Nonce") == 0 && strcmp(value, nonce_a) == 0);
  }
  CHECK(sent, "X-Request-Nonce is among the headers to send");

  /* The same signature as sigv4_sign_v4 with that header given by the caller. */
  sigv4_pair with_nonce[] = {{S("Host"), S("api.example.com")}, {S("X-Request-Nonce"), S(nonce_a)}};
  sigv4_sign_v4_params explicit_params = params_for(with_nonce, 2);
  sigv4_signed_request *c = NULL;
  CHECK_RESULT(sigv4_sign_v4(&explicit_params, &c), SIGV4_OK);
  if (c != NULL) {
    CHECK(strcmp(field(a, SIGV4_FIELD_AUTHORIZATION), field(c, SIGV4_FIELD_AUTHORIZATION)) == 0,
          "same Authorization as the header given explicitly");
    CHECK(strcmp(field(c, SIGV4_FIELD_NONCE), nonce_a) == 0, "SIGV4_FIELD_NONCE reads a caller's header too");
  }

  /* Flags 0 = sigv4_sign_v4: no nonce. */
  sigv4_signed_request *plain = NULL;
  sigv4_signed_request *plain2 = NULL;
  CHECK_RESULT(sigv4_sign_v4_with_flags(&p, 0, &plain), SIGV4_OK);
  CHECK_RESULT(sigv4_sign_v4(&p, &plain2), SIGV4_OK);
  if (plain != NULL && plain2 != NULL) {
    const char *value = NULL;
    CHECK_RESULT(sigv4_signed_request_field(plain, SIGV4_FIELD_NONCE, &value, NULL), SIGV4_NOT_AVAILABLE);
    CHECK(strcmp(field(plain, SIGV4_FIELD_AUTHORIZATION), field(plain2, SIGV4_FIELD_AUTHORIZATION)) == 0,
          "flags 0 signs as sigv4_sign_v4");
  }

  /* A verifier with a replay cache: identical calls with the nonce both accepted; without it the
   * second is a replay. */
  sigv4_credential_store *store = NULL;
  sigv4_verifier_options *options = NULL;
  sigv4_verifier *v = NULL;
  CHECK_RESULT(sigv4_credential_store_new(&store), SIGV4_OK);
  CHECK_RESULT(sigv4_credential_store_add(store, S("AKIDEXAMPLE"), S("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                                          NULL, 0),
               SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_options_new(&options), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_options_set_replay_cache_capacity(options, 100), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("execute-api"), options, &v), SIGV4_OK);
  if (v != NULL) {
    CHECK_RESULT(verify_sent(v, a), SIGV4_OK);
    CHECK_RESULT(verify_sent(v, b), SIGV4_OK);
    CHECK_RESULT(verify_sent(v, a), SIGV4_REQUEST_REPLAYED);
    if (plain != NULL && plain2 != NULL) {
      CHECK_RESULT(verify_sent(v, plain), SIGV4_OK);
      CHECK_RESULT(verify_sent(v, plain2), SIGV4_REQUEST_REPLAYED);
    }
  }

  /* Unknown flag bits and NULLs: clear errors, nothing written. */
  sigv4_signed_request *none = NULL;
  CHECK_RESULT(sigv4_sign_v4_with_flags(&p, 2, &none), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_sign_v4_with_flags(&p, SIGV4_SIGN_V4_NONCE | 0x80000000u, &none), SIGV4_INVALID_OPTION);
  CHECK(none == NULL, "nothing written on failure");
  CHECK_RESULT(sigv4_sign_v4_with_flags(NULL, SIGV4_SIGN_V4_NONCE, &none), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_sign_v4_with_flags(&p, SIGV4_SIGN_V4_NONCE, NULL), SIGV4_NULL_PARAMETER);

  sigv4_verifier_free(v);
  sigv4_verifier_options_free(options);
  sigv4_credential_store_free(store);
  sigv4_signed_request_free(a);
  sigv4_signed_request_free(b);
  sigv4_signed_request_free(c);
  sigv4_signed_request_free(plain);
  sigv4_signed_request_free(plain2);
  return test_summary("C one-call nonce");
}
