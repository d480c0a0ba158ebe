/* Bad input never crashes and returns the documented result code: NULL for each pointer argument,
 * zero lengths, invalid UTF-8, CR/LF/NUL in header values, expiry 0 and 604801, a region with a
 * slash, and more. Out-parameters stay untouched on failure. */
#include <stdlib.h>

#include "util.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define T 1440938160

static const uint8_t BAD_UTF8[] = {'a', 0xff, 0xfe, 'b'};
static sigv4_signed_request *const SENTINEL = (sigv4_signed_request *)&test_passed;

static void credentials(void) {
  sigv4_credentials *c = NULL;
  CHECK_RESULT(sigv4_credentials_new(NULL, 4, S(SECRET), NULL, 0, &c), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_credentials_new(S(AKID), NULL, 4, NULL, 0, &c), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_credentials_new(S(AKID), S(SECRET), NULL, 5, &c), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_credentials_new(S(AKID), S(SECRET), NULL, 0, NULL), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_credentials_new((const uint8_t *)AKID, 0, S(SECRET), NULL, 0, &c),
               SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_credentials_new(S(AKID), (const uint8_t *)SECRET, 0, NULL, 0, &c),
               SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_credentials_new(S(AKID), S(SECRET), (const uint8_t *)"t", 0, &c),
               SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_credentials_new(S("AKID/X"), S(SECRET), NULL, 0, &c),
               SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_credentials_new(S("AK ID"), S(SECRET), NULL, 0, &c),
               SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_credentials_new(S(AKID), S(SECRET), S("tok\nen"), &c),
               SIGV4_INVALID_CREDENTIALS);
  CHECK_RESULT(sigv4_credentials_new(BAD_UTF8, sizeof BAD_UTF8, S(SECRET), NULL, 0, &c),
               SIGV4_INVALID_UTF8);
  CHECK_RESULT(sigv4_credentials_new(S(AKID), BAD_UTF8, sizeof BAD_UTF8, NULL, 0, &c),
               SIGV4_INVALID_UTF8);
  CHECK_RESULT(sigv4_credentials_new(S(AKID), S(SECRET), BAD_UTF8, sizeof BAD_UTF8, &c),
               SIGV4_INVALID_UTF8);
  CHECK(c == NULL, "credentials_out written on failure");
  sigv4_credentials_free(NULL);
}

static void options(void) {
  sigv4_signing_options *o = NULL;
  CHECK_RESULT(sigv4_signing_options_new(NULL), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signing_options_new(&o), SIGV4_OK);
  CHECK_RESULT(sigv4_signing_options_set_payload(NULL, SIGV4_PAYLOAD_SIGNED), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signing_options_set_payload(o, 0), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_signing_options_set_payload(o, 6), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_signing_options_set_payload_name(NULL, S("signed")), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signing_options_set_payload_name(o, NULL, 6), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signing_options_set_payload_name(o, S("")), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_signing_options_set_payload_name(o, S("SIGNED")), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_signing_options_set_payload_name(o, BAD_UTF8, sizeof BAD_UTF8),
               SIGV4_INVALID_UTF8);
  CHECK_RESULT(sigv4_signing_options_set_uri_encoding(NULL, SIGV4_URI_ENCODING_DOUBLE),
               SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signing_options_set_uri_encoding(o, 0), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_signing_options_set_uri_encoding(o, 3), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_signing_options_set_content_sha256_header(NULL, true), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signing_options_set_normalize_path(NULL, true), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signing_options_set_sign_session_token(NULL, true), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signing_options_add_unsigned_header(NULL, S("x")), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signing_options_add_unsigned_header(o, NULL, 1), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signing_options_add_unsigned_header(o, S("")), SIGV4_INVALID_HEADER_NAME);
  CHECK_RESULT(sigv4_signing_options_add_unsigned_header(o, BAD_UTF8, sizeof BAD_UTF8),
               SIGV4_INVALID_UTF8);
  CHECK_RESULT(sigv4_signing_options_set_algorithm(NULL, SIGV4_ALGORITHM_SIGV4A),
               SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signing_options_set_algorithm(o, 0), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_signing_options_set_algorithm(o, 3), SIGV4_INVALID_OPTION);
  sigv4_signing_options_free(o);
  sigv4_signing_options_free(NULL);
}

static void signer_new(sigv4_credentials *c) {
  sigv4_signer *s = NULL;
  CHECK_RESULT(sigv4_signer_new(NULL, S("us-east-1"), S("service"), NULL, &s), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_new(c, NULL, 9, S("service"), NULL, &s), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_new(c, S("us-east-1"), NULL, 7, NULL, &s), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_new(c, S("us-east-1"), S("service"), NULL, NULL), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_new(c, S(""), S("service"), NULL, &s), SIGV4_INVALID_REGION);
  CHECK_RESULT(sigv4_signer_new(c, S("us/east-1"), S("service"), NULL, &s), SIGV4_INVALID_REGION);
  CHECK_RESULT(sigv4_signer_new(c, S("us east"), S("service"), NULL, &s), SIGV4_INVALID_REGION);
  CHECK_RESULT(sigv4_signer_new(c, (const uint8_t *)"us\0east", 7, S("service"), NULL, &s),
               SIGV4_INVALID_REGION);
  CHECK_RESULT(sigv4_signer_new(c, S("us-east-1"), S(""), NULL, &s), SIGV4_INVALID_SERVICE);
  CHECK_RESULT(sigv4_signer_new(c, S("us-east-1"), S("ser/vice"), NULL, &s), SIGV4_INVALID_SERVICE);
  CHECK_RESULT(sigv4_signer_new(c, BAD_UTF8, sizeof BAD_UTF8, S("service"), NULL, &s),
               SIGV4_INVALID_UTF8);
  CHECK_RESULT(sigv4_signer_new(c, S("us-east-1"), BAD_UTF8, sizeof BAD_UTF8, NULL, &s),
               SIGV4_INVALID_UTF8);
  /* SigV4a: the region is a region set, checked as such. */
  sigv4_signing_options *o = NULL;
  CHECK_RESULT(sigv4_signing_options_new(&o), SIGV4_OK);
  CHECK_RESULT(sigv4_signing_options_set_algorithm(o, SIGV4_ALGORITHM_SIGV4A), SIGV4_OK);
  CHECK_RESULT(sigv4_signer_new(c, S("us/east-1"), S("service"), o, &s), SIGV4_INVALID_REGION);
  CHECK_RESULT(sigv4_signer_new(c, S(""), S("service"), o, &s), SIGV4_INVALID_REGION);
  CHECK(s == NULL, "signer_out written on failure");
  CHECK_RESULT(sigv4_signer_new(c, S("us-east-1,us-west-2"), S("service"), o, &s), SIGV4_OK);
  sigv4_signer_free(s);
  s = NULL;
  sigv4_signing_options_free(o);
  sigv4_signer_free(NULL);
}

static sigv4_request good_request(const sigv4_pair *headers, size_t count) {
  sigv4_request r = {0};
  r.method = (const uint8_t *)"GET";
  r.method_len = 3;
  r.url = (const uint8_t *)"https://example.amazonaws.com/";
  r.url_len = strlen((const char *)r.url);
  r.headers = headers;
  r.headers_len = count;
  return r;
}

/* Signs and presigns `r`, expecting `want` from both, and the out-parameter untouched. */
static void expect_both(const sigv4_signer *s, const sigv4_request *r, sigv4_result want,
                        const char *what) {
  sigv4_signed_request *out = SENTINEL;
  sigv4_result got = sigv4_signer_sign(s, r, T, &out);
  CHECK(got == want, "sign, %s: got %u (%s), want %u", what, (unsigned)got,
        sigv4_result_message(got), (unsigned)want);
  if (want != SIGV4_OK) {
    CHECK(out == SENTINEL, "sign, %s: out written on failure", what);
  } else {
    sigv4_signed_request_free(out);
  }
  out = SENTINEL;
  got = sigv4_signer_presign(s, r, T, 60, &out);
  CHECK(got == want, "presign, %s: got %u (%s), want %u", what, (unsigned)got,
        sigv4_result_message(got), (unsigned)want);
  if (want != SIGV4_OK) {
    CHECK(out == SENTINEL, "presign, %s: out written on failure", what);
  } else {
    sigv4_signed_request_free(out);
  }
}

static void signing(sigv4_credentials *c) {
  sigv4_signer *s = NULL;
  CHECK_RESULT(sigv4_signer_new(c, S("us-east-1"), S("service"), NULL, &s), SIGV4_OK);
  sigv4_pair h = {S("X-Test"), S("value")};
  sigv4_request r = good_request(&h, 1);
  sigv4_signed_request *out = SENTINEL;
  expect_both(s, &r, SIGV4_OK, "a good request");

  /* NULL for each pointer argument. */
  CHECK_RESULT(sigv4_signer_sign(NULL, &r, T, &out), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_sign(s, NULL, T, &out), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_sign(s, &r, T, NULL), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_presign(NULL, &r, T, 60, &out), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_presign(s, NULL, T, 60, &out), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_presign(s, &r, T, 60, NULL), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_sign_with_credentials(s, NULL, &r, T, &out), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_sign_with_credentials(NULL, c, &r, T, &out), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_sign_with_credentials(s, c, NULL, T, &out), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_sign_with_credentials(s, c, &r, T, NULL), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_presign_with_credentials(s, NULL, &r, T, 60, &out),
               SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signer_presign_with_credentials(s, c, &r, T, 60, NULL), SIGV4_NULL_PARAMETER);
  CHECK(out == SENTINEL, "signed_out written on failure");

  sigv4_request bad = r;
  bad.method = NULL;
  expect_both(s, &bad, SIGV4_NULL_PARAMETER, "NULL method");
  bad = r;
  bad.url = NULL;
  expect_both(s, &bad, SIGV4_NULL_PARAMETER, "NULL url");
  bad = r;
  bad.headers = NULL;
  expect_both(s, &bad, SIGV4_NULL_PARAMETER, "NULL headers with a count");
  bad.headers_len = 0;
  expect_both(s, &bad, SIGV4_OK, "NULL headers, count 0");
  bad = r;
  bad.body = NULL;
  bad.body_len = 5;
  expect_both(s, &bad, SIGV4_NULL_PARAMETER, "NULL body with a length");
  bad = r;
  bad.payload_hash = NULL;
  bad.payload_hash_len = 64;
  expect_both(s, &bad, SIGV4_NULL_PARAMETER, "NULL payload hash with a length");
  sigv4_pair null_name = {NULL, 3, S("v")};
  bad = good_request(&null_name, 1);
  expect_both(s, &bad, SIGV4_NULL_PARAMETER, "NULL header name");
  sigv4_pair null_value = {S("X-A"), NULL, 1};
  bad = good_request(&null_value, 1);
  expect_both(s, &bad, SIGV4_NULL_PARAMETER, "NULL header value");

  /* Zero lengths. */
  bad = r;
  bad.method_len = 0;
  expect_both(s, &bad, SIGV4_INVALID_METHOD, "empty method");
  bad = r;
  bad.url_len = 0;
  expect_both(s, &bad, SIGV4_INVALID_URL, "empty url");
  sigv4_pair empty_name = {(const uint8_t *)"", 0, S("v")};
  bad = good_request(&empty_name, 1);
  expect_both(s, &bad, SIGV4_INVALID_HEADER_NAME, "empty header name");
  sigv4_pair empty_value = {S("X-Empty"), (const uint8_t *)"", 0};
  bad = good_request(&empty_value, 1);
  expect_both(s, &bad, SIGV4_OK, "empty header value");
  bad = r;
  bad.payload_hash = (const uint8_t *)"";
  bad.payload_hash_len = 0;
  expect_both(s, &bad, SIGV4_INVALID_PAYLOAD_HASH, "empty payload hash");

  /* Invalid UTF-8 in each text. */
  bad = r;
  bad.method = BAD_UTF8;
  bad.method_len = sizeof BAD_UTF8;
  expect_both(s, &bad, SIGV4_INVALID_UTF8, "method not UTF-8");
  bad = r;
  bad.url = BAD_UTF8;
  bad.url_len = sizeof BAD_UTF8;
  expect_both(s, &bad, SIGV4_INVALID_UTF8, "url not UTF-8");
  sigv4_pair utf8_name = {BAD_UTF8, sizeof BAD_UTF8, S("v")};
  bad = good_request(&utf8_name, 1);
  expect_both(s, &bad, SIGV4_INVALID_UTF8, "header name not UTF-8");
  sigv4_pair utf8_value = {S("X-A"), BAD_UTF8, sizeof BAD_UTF8};
  bad = good_request(&utf8_value, 1);
  expect_both(s, &bad, SIGV4_INVALID_UTF8, "header value not UTF-8");
  bad = r;
  bad.body = BAD_UTF8;
  bad.body_len = sizeof BAD_UTF8;
  expect_both(s, &bad, SIGV4_OK, "a binary body is fine");

  /* CR, LF and NUL in a header value; bad names; bad URLs and methods. */
  const char *values[] = {"a\rb", "a\nb", "a\r\nX-Injected: 1", "a"};
  const size_t value_lens[] = {3, 3, 16, 3}; /* the last one is "a\0b" */
  for (int i = 0; i < 4; i++) {
    sigv4_pair p = {S("X-A"), (const uint8_t *)values[i], value_lens[i]};
    if (i == 3) {
      p.value = (const uint8_t *)"a\0b";
    }
    bad = good_request(&p, 1);
    expect_both(s, &bad, SIGV4_INVALID_HEADER_VALUE, values[i]);
  }
  const char *names[] = {"X A", "X:A", "X\nA", "(x)"};
  for (int i = 0; i < 4; i++) {
    sigv4_pair p = {S(names[i]), S("v")};
    bad = good_request(&p, 1);
    expect_both(s, &bad, SIGV4_INVALID_HEADER_NAME, names[i]);
  }
  const char *urls[] = {"example.amazonaws.com/", "https://", "https://u:p@host/",
                        "https://host/\r\nX: y", "/no-host-header"};
  for (int i = 0; i < 5; i++) {
    bad = r;
    bad.url = (const uint8_t *)urls[i];
    bad.url_len = strlen(urls[i]);
    bad.headers = NULL;
    bad.headers_len = 0;
    expect_both(s, &bad, SIGV4_INVALID_URL, urls[i]);
  }
  bad = r;
  bad.method = (const uint8_t *)"GE T";
  bad.method_len = 4;
  expect_both(s, &bad, SIGV4_INVALID_METHOD, "method with a space");

  /* Payload hash: not hex, wrong length, with a sentinel payload. */
  bad = r;
  bad.payload_hash = (const uint8_t *)"xyz";
  bad.payload_hash_len = 3;
  expect_both(s, &bad, SIGV4_INVALID_PAYLOAD_HASH, "short payload hash");
  const char *not_hex = "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  bad.payload_hash = (const uint8_t *)not_hex;
  bad.payload_hash_len = 64;
  expect_both(s, &bad, SIGV4_INVALID_PAYLOAD_HASH, "payload hash not hex");

  /* Timestamps out of range. */
  out = SENTINEL;
  CHECK_RESULT(sigv4_signer_sign(s, &r, INT64_MAX, &out), SIGV4_INVALID_TIMESTAMP);
  CHECK_RESULT(sigv4_signer_sign(s, &r, INT64_MIN, &out), SIGV4_INVALID_TIMESTAMP);
  CHECK_RESULT(sigv4_signer_presign(s, &r, 253402300800LL, 60, &out), SIGV4_INVALID_TIMESTAMP);

  /* Expiry: 0 and 604801 refused, 1 and 604800 fine. */
  CHECK_RESULT(sigv4_signer_presign(s, &r, T, 0, &out), SIGV4_INVALID_EXPIRY);
  CHECK_RESULT(sigv4_signer_presign(s, &r, T, 604801, &out), SIGV4_INVALID_EXPIRY);
  CHECK_RESULT(sigv4_signer_presign(s, &r, T, UINT64_MAX, &out), SIGV4_INVALID_EXPIRY);
  CHECK_RESULT(sigv4_signer_presign_with_credentials(s, c, &r, T, 0, &out), SIGV4_INVALID_EXPIRY);
  CHECK(out == SENTINEL, "signed_out written on failure");
  CHECK_RESULT(sigv4_signer_presign(s, &r, T, 1, &out), SIGV4_OK);
  sigv4_signed_request_free(out);
  CHECK_RESULT(sigv4_signer_presign(s, &r, T, 604800, &out), SIGV4_OK);

  /* Accessors. */
  const char *v = "untouched";
  size_t n = 7;
  CHECK_RESULT(sigv4_signed_request_field(NULL, SIGV4_FIELD_URL, &v, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_field(out, SIGV4_FIELD_URL, NULL, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_field(out, 0, &v, &n), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_signed_request_field(out, 12, &v, &n), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_signed_request_field(out, SIGV4_FIELD_NONCE, &v, &n), SIGV4_NOT_AVAILABLE);
  CHECK_RESULT(sigv4_signed_request_url(NULL, &v, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_signature(out, NULL, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_method(NULL, &v, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_amz_date(NULL, &v, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_credential_scope(NULL, &v, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_signed_headers(NULL, &v, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_canonical_request(NULL, &v, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_string_to_sign(NULL, &v, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_payload_hash(NULL, &v, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_authorization(NULL, &v, &n), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_authorization(out, &v, &n), SIGV4_NOT_AVAILABLE);
  CHECK(strcmp(v, "untouched") == 0 && n == 7, "accessor wrote on failure");
  CHECK(sigv4_signed_request_header_count(NULL) == 0, "header count of NULL");
  const char *hn, *hv;
  CHECK_RESULT(sigv4_signed_request_header(NULL, 0, &hn, NULL, &hv, NULL), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_header(out, 0, NULL, NULL, &hv, NULL), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_header(out, 0, &hn, NULL, NULL, NULL), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_header(out, (size_t)-1, &hn, NULL, &hv, NULL),
               SIGV4_INDEX_OUT_OF_RANGE);
  char buf[8];
  size_t len = 0;
  CHECK_RESULT(sigv4_signed_request_copy_field(NULL, SIGV4_FIELD_URL, buf, sizeof buf, &len),
               SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_copy_field(out, SIGV4_FIELD_URL, buf, sizeof buf, NULL),
               SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_copy_field(out, SIGV4_FIELD_URL, NULL, 4096, &len),
               SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_signed_request_copy_field(out, SIGV4_FIELD_AMZ_DATE, buf, sizeof buf, &len),
               SIGV4_INSUFFICIENT_SIZE);
  CHECK(len == 16, "needed length %zu", len);
  sigv4_signed_request_free(out);
  sigv4_signed_request_free(NULL);
  sigv4_signer_free(s);
}

static void timestamps(void) {
  int64_t t = 42;
  CHECK_RESULT(sigv4_timestamp_parse(NULL, 16, &t), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_timestamp_parse(S("20150830T123600Z"), NULL), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_timestamp_parse(S(""), &t), SIGV4_INVALID_TIMESTAMP);
  CHECK_RESULT(sigv4_timestamp_parse(S("20150230T000000Z"), &t), SIGV4_INVALID_TIMESTAMP);
  CHECK_RESULT(sigv4_timestamp_parse(S("2015-08-30T12:36:00"), &t), SIGV4_INVALID_TIMESTAMP);
  CHECK_RESULT(sigv4_timestamp_parse(BAD_UTF8, sizeof BAD_UTF8, &t), SIGV4_INVALID_UTF8);
  CHECK(t == 42, "timestamp written on failure");
  CHECK_RESULT(sigv4_timestamp_parse(S("20150830T123600Z"), &t), SIGV4_OK);
  CHECK(t == T, "parsed %lld", (long long)t);
}

static void one_call(void) {
  sigv4_pair host = {S("host"), S("example.amazonaws.com")};
  sigv4_sign_v4_params good = {0};
  good.access_key = (const uint8_t *)AKID;
  good.access_key_len = strlen(AKID);
  good.secret_key = (const uint8_t *)SECRET;
  good.secret_key_len = strlen(SECRET);
  good.region = (const uint8_t *)"us-east-1";
  good.region_len = 9;
  good.service = (const uint8_t *)"service";
  good.service_len = 7;
  good.method = (const uint8_t *)"GET";
  good.method_len = 3;
  good.uri = (const uint8_t *)"/";
  good.uri_len = 1;
  good.headers = &host;
  good.headers_len = 1;
  sigv4_signed_request *out = SENTINEL;
  CHECK_RESULT(sigv4_sign_v4(NULL, &out), SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_sign_v4(&good, NULL), SIGV4_NULL_PARAMETER);

  sigv4_sign_v4_params p;
#define EXPECT_ONE_CALL(change, want)            \
  do {                                           \
    p = good;                                    \
    change;                                      \
    CHECK_RESULT(sigv4_sign_v4(&p, &out), want); \
  } while (0)
  EXPECT_ONE_CALL(p.access_key = NULL, SIGV4_NULL_PARAMETER);
  EXPECT_ONE_CALL(p.secret_key = NULL, SIGV4_NULL_PARAMETER);
  EXPECT_ONE_CALL(p.region = NULL, SIGV4_NULL_PARAMETER);
  EXPECT_ONE_CALL(p.service = NULL, SIGV4_NULL_PARAMETER);
  EXPECT_ONE_CALL(p.method = NULL, SIGV4_NULL_PARAMETER);
  EXPECT_ONE_CALL(p.uri = NULL, SIGV4_NULL_PARAMETER);
  EXPECT_ONE_CALL(p.headers = NULL, SIGV4_NULL_PARAMETER);
  EXPECT_ONE_CALL(p.query_params_len = 2, SIGV4_NULL_PARAMETER);
  EXPECT_ONE_CALL(p.payload_len = 2, SIGV4_NULL_PARAMETER);
  EXPECT_ONE_CALL(p.timestamp_len = 2, SIGV4_NULL_PARAMETER);
  EXPECT_ONE_CALL(p.session_token_len = 2, SIGV4_NULL_PARAMETER);
  EXPECT_ONE_CALL(p.access_key_len = 0, SIGV4_INVALID_CREDENTIALS);
  EXPECT_ONE_CALL(p.secret_key_len = 0, SIGV4_INVALID_CREDENTIALS);
  EXPECT_ONE_CALL(p.region_len = 0, SIGV4_INVALID_REGION);
  EXPECT_ONE_CALL((p.region = (const uint8_t *)"us-east/1", p.region_len = 9),
                  SIGV4_INVALID_REGION);
  EXPECT_ONE_CALL(p.service_len = 0, SIGV4_INVALID_SERVICE);
  EXPECT_ONE_CALL(p.method_len = 0, SIGV4_INVALID_METHOD);
  EXPECT_ONE_CALL(p.uri_len = 0, SIGV4_INVALID_URL);
  EXPECT_ONE_CALL(p.headers_len = 0, SIGV4_INVALID_URL); /* no host */
  EXPECT_ONE_CALL((p.timestamp = (const uint8_t *)"yesterday", p.timestamp_len = 9),
                  SIGV4_INVALID_TIMESTAMP);
  EXPECT_ONE_CALL((p.session_token = (const uint8_t *)"", p.session_token_len = 0),
                  SIGV4_INVALID_CREDENTIALS);
  EXPECT_ONE_CALL((p.uri = BAD_UTF8, p.uri_len = sizeof BAD_UTF8), SIGV4_INVALID_UTF8);
  sigv4_pair two[2] = {{S("host"), S("example.amazonaws.com")}, {S("x-a"), S("1\r\nx-b: 2")}};
  EXPECT_ONE_CALL((p.headers = two, p.headers_len = 2), SIGV4_INVALID_HEADER_VALUE);
  sigv4_pair query = {BAD_UTF8, sizeof BAD_UTF8, S("v")};
  EXPECT_ONE_CALL((p.query_params = &query, p.query_params_len = 1), SIGV4_INVALID_UTF8);
#undef EXPECT_ONE_CALL
  CHECK(out == SENTINEL, "sign_v4 wrote signed_out on failure");
}

static void last_error(void) {
  CHECK_RESULT(sigv4_last_error_message(NULL, 0, NULL), SIGV4_NULL_PARAMETER);
  size_t len = 0;
  CHECK_RESULT(sigv4_last_error_message(NULL, 10, &len), SIGV4_NULL_PARAMETER);
}

int main(void) {
  credentials();
  options();
  sigv4_credentials *c = NULL;
  CHECK_RESULT(sigv4_credentials_new(S(AKID), S(SECRET), NULL, 0, &c), SIGV4_OK);
  signer_new(c);
  signing(c);
  sigv4_credentials_free(c);
  timestamps();
  one_call();
  last_error();
  return test_summary("C bad inputs");
}
