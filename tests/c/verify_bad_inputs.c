/* NULLs and bad arguments for every verifier and streaming function: each returns its documented
 * code (never crashes), writes no output on failure, and every _free accepts NULL. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "util.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define NUL_P SIGV4_NULL_PARAMETER

/* A string literal as a constant (pointer, length) pair, for static initializers. */
#define L(text) (const uint8_t *)(text), sizeof(text) - 1

static sigv4_pair w1_headers[] = {
    {L("Host"), L("example.amazonaws.com")},
    {L("X-Amz-Date"), L("20150830T123600Z")},
    {L("Authorization"),
     L("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
       "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")},
};
static const int64_t T0 = 1440938160;

static sigv4_credentials *unknown_key(void *userdata, const uint8_t *akid, size_t len) {
  (void)userdata;
  (void)akid;
  (void)len;
  return NULL;
}

static void store_and_options(void) {
  sigv4_credential_store *store = NULL;
  CHECK_RESULT(sigv4_credential_store_new(NULL), NUL_P);
  CHECK_RESULT(sigv4_credential_store_new(&store), SIGV4_OK);
  CHECK_RESULT(sigv4_credential_store_add(NULL, S(AKID), S(SECRET), NULL, 0), NUL_P);
  CHECK_RESULT(sigv4_credential_store_add(store, NULL, 3, S(SECRET), NULL, 0), NUL_P);
  CHECK_RESULT(sigv4_credential_store_add(store, S(AKID), NULL, 3, NULL, 0), NUL_P);
  CHECK_RESULT(sigv4_credential_store_add(store, S(AKID), S(SECRET), NULL, 5), NUL_P);
  CHECK_RESULT(sigv4_credential_store_add(store, S(""), S(SECRET), NULL, 0), SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_credential_store_add(store, S(AKID), S(""), NULL, 0), SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_credential_store_add(store, S("AK ID"), S(SECRET), NULL, 0), SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_credential_store_add(store, (const uint8_t *)"\xff", 1, S(SECRET), NULL, 0),
               SIGV4_INVALID_UTF8);
  CHECK_RESULT(sigv4_credential_store_add(store, S(AKID), S(SECRET), S("")), SIGV4_INVALID_CREDENTIALS);
  CHECK(sigv4_credential_store_len(store) == 0, "nothing added on failure");
  CHECK(sigv4_credential_store_len(NULL) == 0, "len of NULL");
  sigv4_credential_store_free(store);
  sigv4_credential_store_free(NULL);

  sigv4_verifier_options *o = NULL;
  CHECK_RESULT(sigv4_verifier_options_new(NULL), NUL_P);
  CHECK_RESULT(sigv4_verifier_options_new(&o), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_options_set_max_skew(NULL, 1), NUL_P);
  CHECK_RESULT(sigv4_verifier_options_set_max_expires(NULL, 1), NUL_P);
  CHECK_RESULT(sigv4_verifier_options_add_must_sign_header(NULL, S("x")), NUL_P);
  CHECK_RESULT(sigv4_verifier_options_add_must_sign_header(o, NULL, 1), NUL_P);
  CHECK_RESULT(sigv4_verifier_options_add_must_sign_header(o, S("")), SIGV4_INVALID_HEADER_NAME);
  CHECK_RESULT(sigv4_verifier_options_add_must_sign_header(o, (const uint8_t *)"\xc3", 1), SIGV4_INVALID_UTF8);
  CHECK_RESULT(sigv4_verifier_options_set_allow_unsigned_payload(NULL, true), NUL_P);
  CHECK_RESULT(sigv4_verifier_options_set_replay_cache_capacity(NULL, 1), NUL_P);
  CHECK_RESULT(sigv4_verifier_options_set_allow_sigv4a(NULL, true), NUL_P);
  CHECK_RESULT(sigv4_verifier_options_set_uri_encoding(NULL, SIGV4_URI_ENCODING_SINGLE), NUL_P);
  CHECK_RESULT(sigv4_verifier_options_set_uri_encoding(o, 0), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_verifier_options_set_uri_encoding(o, 3), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_verifier_options_set_uri_encoding(o, SIGV4_URI_ENCODING_SINGLE), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_options_set_normalize_path(NULL, true), NUL_P);
  CHECK_RESULT(sigv4_verifier_options_set_sign_session_token(NULL, true), NUL_P);
  sigv4_verifier_options_free(o);
  sigv4_verifier_options_free(NULL);
}

static sigv4_verifier *verifier_new_checks(void) {
  sigv4_credential_store *store = NULL;
  sigv4_verifier *v = NULL;
  sigv4_credential_store_new(&store);
  sigv4_credential_store_add(store, S(AKID), S(SECRET), NULL, 0);
  CHECK_RESULT(sigv4_verifier_new(NULL, S("us-east-1"), S("service"), NULL, &v), NUL_P);
  CHECK_RESULT(sigv4_verifier_new(store, NULL, 9, S("service"), NULL, &v), NUL_P);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), NULL, 7, NULL, &v), NUL_P);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("service"), NULL, NULL), NUL_P);
  CHECK_RESULT(sigv4_verifier_new(store, (const uint8_t *)"\xff", 1, S("service"), NULL, &v), SIGV4_INVALID_UTF8);
  CHECK_RESULT(sigv4_verifier_new(store, S("us/east"), S("service"), NULL, &v), SIGV4_INVALID_REGION);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("ser vice"), NULL, &v), SIGV4_INVALID_SERVICE);
  CHECK(v == NULL, "no verifier on failure");
  CHECK_RESULT(sigv4_verifier_new_with_lookup(NULL, NULL, S("us-east-1"), S("service"), NULL, &v), NUL_P);
  CHECK_RESULT(sigv4_verifier_new_with_lookup(unknown_key, NULL, S("us-east-1"), S("service"), NULL, NULL),
               NUL_P);
  CHECK_RESULT(sigv4_verifier_new_with_lookup(unknown_key, NULL, S(""), S("service"), NULL, &v),
               SIGV4_INVALID_REGION);
  CHECK_RESULT(sigv4_verifier_new_with_lookup(unknown_key, NULL, S("us-east-1"), S("service"), NULL, &v),
               SIGV4_OK);
  sigv4_request req = {.method = S("GET"), .url = S("/?Param2=value2&Param1=value1"), .headers = w1_headers,
                       .headers_len = 3};
  sigv4_verified_identity *who = NULL;
  CHECK_RESULT(sigv4_verifier_verify(v, &req, T0, &who), SIGV4_INVALID_ACCESS_KEY_ID);
  sigv4_verifier_free(v);
  v = NULL;
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("service"), NULL, &v), SIGV4_OK);
  sigv4_credential_store_free(store);
  sigv4_verifier_free(NULL);
  CHECK(sigv4_verifier_replay_cache_len(NULL) == 0, "replay len of NULL");
  return v;
}

static void verify_checks(const sigv4_verifier *v) {
  sigv4_request req = {.method = S("GET"), .url = S("/?Param2=value2&Param1=value1"), .headers = w1_headers,
                       .headers_len = 3};
  sigv4_verified_identity *who = NULL;
  sigv4_chunked_decoder *dec = NULL;
  CHECK_RESULT(sigv4_verifier_verify(NULL, &req, T0, &who), NUL_P);
  CHECK_RESULT(sigv4_verifier_verify(v, NULL, T0, &who), NUL_P);
  CHECK_RESULT(sigv4_verifier_verify(v, &req, T0, NULL), NUL_P);
  CHECK_RESULT(sigv4_verifier_verify(v, &req, INT64_MAX, &who), SIGV4_INVALID_TIMESTAMP);
  sigv4_request bad = req;
  bad.method = NULL;
  CHECK_RESULT(sigv4_verifier_verify(v, &bad, T0, &who), NUL_P);
  bad = req;
  bad.url = NULL;
  CHECK_RESULT(sigv4_verifier_verify(v, &bad, T0, &who), NUL_P);
  bad = req;
  bad.headers = NULL;
  CHECK_RESULT(sigv4_verifier_verify(v, &bad, T0, &who), NUL_P);
  bad = req;
  bad.body_len = 4;
  CHECK_RESULT(sigv4_verifier_verify(v, &bad, T0, &who), NUL_P);
  bad = req;
  bad.payload_hash = (const uint8_t *)"abc";
  bad.payload_hash_len = 3;
  CHECK_RESULT(sigv4_verifier_verify(v, &bad, T0, &who), SIGV4_INVALID_PAYLOAD_HASH);
  bad = req;
  bad.method = (const uint8_t *)"G T";
  bad.method_len = 3;
  CHECK_RESULT(sigv4_verifier_verify(v, &bad, T0, &who), SIGV4_INVALID_METHOD);
  bad = req;
  bad.url_len = 0;
  CHECK(sigv4_verifier_verify(v, &bad, T0, &who) != SIGV4_OK, "empty URL refused");
  sigv4_pair null_value[] = {{S("Host"), NULL, 3}};
  bad = req;
  bad.headers = null_value;
  bad.headers_len = 1;
  CHECK_RESULT(sigv4_verifier_verify(v, &bad, T0, &who), NUL_P);
  CHECK(who == NULL, "no identity on failure");

  CHECK_RESULT(sigv4_verifier_verify_streaming(NULL, &req, T0, &who, &dec), NUL_P);
  CHECK_RESULT(sigv4_verifier_verify_streaming(v, NULL, T0, &who, &dec), NUL_P);
  CHECK_RESULT(sigv4_verifier_verify_streaming(v, &req, T0, NULL, &dec), NUL_P);
  CHECK_RESULT(sigv4_verifier_verify_streaming(v, &req, T0, &who, NULL), NUL_P);
  bad = req;
  bad.body = (const uint8_t *)"x";
  bad.body_len = 1;
  CHECK_RESULT(sigv4_verifier_verify_streaming(v, &bad, T0, &who, &dec), SIGV4_INVALID_OPTION);
  /* A plain (non-streaming) signed request is not a streaming upload. */
  CHECK(sigv4_verifier_verify_streaming(v, &req, T0, &who, &dec) != SIGV4_OK, "not streaming");
  CHECK(who == NULL && dec == NULL, "nothing written on failure");

  char buf[8];
  size_t len = 99;
  CHECK_RESULT(sigv4_verifier_last_mismatch_canonical_request(buf, sizeof buf, NULL), NUL_P);
  CHECK_RESULT(sigv4_verifier_last_mismatch_string_to_sign(buf, sizeof buf, &len), SIGV4_NOT_AVAILABLE);
  /* A mismatch, then the buffer contract. */
  sigv4_pair changed[3] = {w1_headers[0], w1_headers[1], w1_headers[2]};
  changed[0].value = (const uint8_t *)"example.amazonaws.org";
  bad = req;
  bad.headers = changed;
  CHECK_RESULT(sigv4_verifier_verify(v, &bad, T0, &who), SIGV4_SIGNATURE_DOES_NOT_MATCH);
  CHECK_RESULT(sigv4_verifier_last_mismatch_canonical_request(NULL, 5, &len), NUL_P);
  CHECK_RESULT(sigv4_verifier_last_mismatch_canonical_request(NULL, 0, NULL), NUL_P);
  CHECK_RESULT(sigv4_verifier_last_mismatch_string_to_sign(buf, sizeof buf, &len), SIGV4_INSUFFICIENT_SIZE);
  CHECK(len > sizeof buf, "needed length reported");
  char *sts = malloc(len + 1);
  CHECK_RESULT(sigv4_verifier_last_mismatch_string_to_sign(sts, len + 1, &len), SIGV4_OK);
  CHECK(strncmp(sts, "AWS4-HMAC-SHA256\n20150830T123600Z\n", 34) == 0, "string to sign: %s", sts);
  free(sts);
  /* The next verification clears it. */
  CHECK_RESULT(sigv4_verifier_verify(v, NULL, T0, &who), NUL_P);
  CHECK_RESULT(sigv4_verifier_last_mismatch_canonical_request(NULL, 0, &len), SIGV4_NOT_AVAILABLE);
}

static void identity_checks(const sigv4_verifier *v) {
  sigv4_request req = {.method = S("GET"), .url = S("/?Param2=value2&Param1=value1"), .headers = w1_headers,
                       .headers_len = 3};
  sigv4_verified_identity *who = NULL;
  CHECK_RESULT(sigv4_verifier_verify(v, &req, T0, &who), SIGV4_OK);
  const char *value = NULL;
  size_t len = 0;
  typedef sigv4_result (*accessor)(const sigv4_verified_identity *, const char **, size_t *);
  accessor all[] = {sigv4_verified_identity_access_key_id, sigv4_verified_identity_region,
                    sigv4_verified_identity_service,       sigv4_verified_identity_signed_headers,
                    sigv4_verified_identity_amz_date,      sigv4_verified_identity_payload_hash,
                    sigv4_verified_identity_region_set};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    CHECK_RESULT(all[i](NULL, &value, &len), NUL_P);
    CHECK_RESULT(all[i](who, NULL, &len), NUL_P);
    sigv4_result r = all[i](who, &value, NULL);
    CHECK(r == (i == 6 ? SIGV4_NOT_AVAILABLE : SIGV4_OK), "accessor %zu: %u", i, (unsigned)r);
  }
  CHECK_RESULT(sigv4_verified_identity_payload_hash(who, &value, &len), SIGV4_OK);
  CHECK(len == 64 && strcmp(value, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0,
        "payload hash %s", value);
  int64_t t = 0;
  CHECK_RESULT(sigv4_verified_identity_signing_time(NULL, &t), NUL_P);
  CHECK_RESULT(sigv4_verified_identity_signing_time(who, NULL), NUL_P);
  CHECK_RESULT(sigv4_verified_identity_expires_at(NULL, &t), NUL_P);
  CHECK_RESULT(sigv4_verified_identity_expires_at(who, NULL), NUL_P);
  CHECK_RESULT(sigv4_verified_identity_expires_at(who, &t), SIGV4_NOT_AVAILABLE);
  CHECK(!sigv4_verified_identity_presigned(NULL) && !sigv4_verified_identity_session_token_used(NULL) &&
            sigv4_verified_identity_algorithm(NULL) == 0,
        "NULL identity flags");
  sigv4_verified_identity_free(who);
  sigv4_verified_identity_free(NULL);
}

static void streaming_checks(const sigv4_verifier *v) {
  sigv4_chunked_plan *plan = NULL;
  uint64_t cl = 0;
  CHECK_RESULT(sigv4_chunked_plan_new(SIGV4_PAYLOAD_STREAMING_SIGNED, 10, 8192, NULL), NUL_P);
  CHECK_RESULT(sigv4_chunked_plan_new(SIGV4_PAYLOAD_STREAMING_SIGNED_TRAILER, 10, 8192, &plan), SIGV4_OK);
  CHECK_RESULT(sigv4_chunked_plan_add_trailer(NULL, S("x-amz-checksum-crc32")), NUL_P);
  CHECK_RESULT(sigv4_chunked_plan_add_trailer(plan, NULL, 4), NUL_P);
  CHECK_RESULT(sigv4_chunked_plan_add_trailer(plan, (const uint8_t *)"\xff", 1), SIGV4_INVALID_UTF8);
  CHECK_RESULT(sigv4_chunked_plan_add_trailer(plan, S("")), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_chunked_plan_add_trailer_len(NULL, S("x-a"), 1), NUL_P);
  CHECK_RESULT(sigv4_chunked_plan_add_trailer_len(plan, NULL, 3, 1), NUL_P);
  CHECK(sigv4_chunked_plan_add_trailer_len(plan, S("bad name"), 1) != SIGV4_OK, "bad trailer name");
  CHECK_RESULT(sigv4_chunked_plan_set_algorithm(NULL, SIGV4_ALGORITHM_SIGV4), NUL_P);
  CHECK_RESULT(sigv4_chunked_plan_content_length(NULL, &cl), NUL_P);
  CHECK_RESULT(sigv4_chunked_plan_content_length(plan, NULL), NUL_P);
  sigv4_chunked_plan_free(NULL);

  sigv4_credentials *creds = NULL;
  sigv4_signer *signer = NULL;
  sigv4_credentials_new(S(AKID), S(SECRET), NULL, 0, &creds);
  sigv4_signer_new(creds, S("us-east-1"), S("service"), NULL, &signer);
  sigv4_credentials_free(creds);
  sigv4_request req = {.method = S("PUT"), .url = S("https://example.amazonaws.com/object")};
  sigv4_signed_request *s = NULL;
  sigv4_chunked_encoder *e = NULL;
  CHECK_RESULT(sigv4_signer_sign_streaming(NULL, &req, T0, plan, &s, &e), NUL_P);
  CHECK_RESULT(sigv4_signer_sign_streaming(signer, NULL, T0, plan, &s, &e), NUL_P);
  CHECK_RESULT(sigv4_signer_sign_streaming(signer, &req, T0, NULL, &s, &e), NUL_P);
  CHECK_RESULT(sigv4_signer_sign_streaming(signer, &req, T0, plan, NULL, &e), NUL_P);
  CHECK_RESULT(sigv4_signer_sign_streaming(signer, &req, T0, plan, &s, NULL), NUL_P);
  CHECK_RESULT(sigv4_signer_sign_streaming(signer, &req, INT64_MIN, plan, &s, &e), SIGV4_INVALID_TIMESTAMP);
  CHECK(s == NULL && e == NULL, "nothing written on failure");
  CHECK_RESULT(sigv4_signer_sign_streaming(signer, &req, T0, plan, &s, &e), SIGV4_OK);
  sigv4_chunked_plan_free(plan);

  const uint8_t *wire = NULL;
  size_t wire_len = 0;
  CHECK_RESULT(sigv4_chunked_encoder_write(NULL, S("a"), &wire, &wire_len), NUL_P);
  CHECK_RESULT(sigv4_chunked_encoder_write(e, NULL, 1, &wire, &wire_len), NUL_P);
  CHECK_RESULT(sigv4_chunked_encoder_write(e, S("a"), NULL, &wire_len), NUL_P);
  CHECK_RESULT(sigv4_chunked_encoder_write(e, S("a"), &wire, NULL), NUL_P);
  CHECK(sigv4_chunked_encoder_bytes_written(e) == 0, "nothing fed by failed calls");
  CHECK_RESULT(sigv4_chunked_encoder_write(e, NULL, 0, &wire, &wire_len), SIGV4_OK);
  CHECK(wire != NULL && wire_len == 0, "an empty write gives a valid empty view");
  CHECK_RESULT(sigv4_chunked_encoder_write(e, S("0123456789"), &wire, &wire_len), SIGV4_OK);
  sigv4_pair null_trailer[] = {{S("x-amz-checksum-crc32"), NULL, 8}};
  CHECK_RESULT(sigv4_chunked_encoder_finish(NULL, NULL, 0, &wire, &wire_len), NUL_P);
  CHECK_RESULT(sigv4_chunked_encoder_finish(e, NULL, 1, &wire, &wire_len), NUL_P);
  CHECK_RESULT(sigv4_chunked_encoder_finish(e, null_trailer, 1, &wire, &wire_len), NUL_P);
  CHECK_RESULT(sigv4_chunked_encoder_finish(e, NULL, 0, NULL, &wire_len), NUL_P);
  CHECK_RESULT(sigv4_chunked_encoder_finish(e, NULL, 0, &wire, NULL), NUL_P);
  CHECK(sigv4_chunked_encoder_content_length(NULL) == 0 && sigv4_chunked_encoder_bytes_written(NULL) == 0,
        "NULL encoder counters");
  CHECK(sigv4_chunked_encoder_content_length(e) > 10, "content length");
  sigv4_chunked_encoder_free(e);
  sigv4_chunked_encoder_free(NULL);

  /* A decoder for the signed request; then its NULL checks. */
  sigv4_pair pairs[16];
  size_t n = sigv4_signed_request_header_count(s);
  for (size_t i = 0; i < n && i < 16; i++) {
    const char *name, *value;
    size_t nl, vl;
    sigv4_signed_request_header(s, i, &name, &nl, &value, &vl);
    pairs[i] = (sigv4_pair){(const uint8_t *)name, nl, (const uint8_t *)value, vl};
  }
  sigv4_request in = {.method = S("PUT"), .url = S("https://example.amazonaws.com/object"), .headers = pairs,
                      .headers_len = n};
  sigv4_verified_identity *who = NULL;
  sigv4_chunked_decoder *dec = NULL;
  CHECK_RESULT(sigv4_verifier_verify_streaming(v, &in, T0, &who, &dec), SIGV4_OK);
  CHECK(sigv4_chunked_decoder_decoded_length(dec) == 10, "declared length");
  const uint8_t *data = NULL;
  size_t data_len = 0;
  CHECK_RESULT(sigv4_chunked_decoder_feed(NULL, S("a"), &data, &data_len), NUL_P);
  CHECK_RESULT(sigv4_chunked_decoder_feed(dec, NULL, 1, &data, &data_len), NUL_P);
  CHECK_RESULT(sigv4_chunked_decoder_feed(dec, S("a"), NULL, &data_len), NUL_P);
  CHECK_RESULT(sigv4_chunked_decoder_feed(dec, S("a"), &data, NULL), NUL_P);
  CHECK_RESULT(sigv4_chunked_decoder_feed(dec, NULL, 0, &data, &data_len), SIGV4_OK);
  CHECK_RESULT(sigv4_chunked_decoder_finish(NULL), NUL_P);
  CHECK_RESULT(sigv4_chunked_decoder_finish(dec), SIGV4_INVALID_CHUNK);
  const char *name = NULL, *value = NULL;
  CHECK_RESULT(sigv4_chunked_decoder_trailer(NULL, 0, &name, NULL, &value, NULL), NUL_P);
  CHECK_RESULT(sigv4_chunked_decoder_trailer(dec, 0, NULL, NULL, &value, NULL), NUL_P);
  CHECK_RESULT(sigv4_chunked_decoder_trailer(dec, 0, &name, NULL, NULL, NULL), NUL_P);
  CHECK_RESULT(sigv4_chunked_decoder_trailer(dec, 0, &name, NULL, &value, NULL), SIGV4_INDEX_OUT_OF_RANGE);
  /* Garbage on the wire: rejected, and every later call fails. */
  CHECK_RESULT(sigv4_chunked_decoder_feed(dec, S("zz;chunk-signature=00\r\n"), &data, &data_len),
               SIGV4_INVALID_CHUNK);
  CHECK_RESULT(sigv4_chunked_decoder_feed(dec, S("a"), &data, &data_len), SIGV4_INVALID_CHUNK);
  CHECK(sigv4_chunked_decoder_decoded_length(NULL) == 0 && sigv4_chunked_decoder_decoded_bytes(NULL) == 0 &&
            sigv4_chunked_decoder_trailer_count(NULL) == 0,
        "NULL decoder counters");
  /* A 5 KiB chunk-header line is refused (the limit is 4 KiB). */
  sigv4_chunked_decoder *dec2 = NULL;
  sigv4_verified_identity *who2 = NULL;
  CHECK_RESULT(sigv4_verifier_verify_streaming(v, &in, T0, &who2, &dec2), SIGV4_OK);
  char *line = malloc(5000);
  memset(line, '1', 5000);
  CHECK_RESULT(sigv4_chunked_decoder_feed(dec2, (const uint8_t *)line, 5000, &data, &data_len),
               SIGV4_INVALID_CHUNK);
  free(line);
  sigv4_chunked_decoder_free(dec2);
  sigv4_verified_identity_free(who2);
  sigv4_chunked_decoder_free(dec);
  sigv4_chunked_decoder_free(NULL);
  sigv4_verified_identity_free(who);
  sigv4_signed_request_free(s);
  sigv4_signer_free(signer);
}

int main(void) {
  store_and_options();
  sigv4_verifier *v = verifier_new_checks();
  verify_checks(v);
  identity_checks(v);
  streaming_checks(v);
  sigv4_verifier_free(v);
  return test_summary("C verify bad inputs");
}
