/* The C API beyond the suite: every accessor, every option, the one-call sigv4_sign_v4, credential
 * rotation, buffer copies, error messages. Expected values come from the AWS suite and the S3
 * documentation (tests/vectors), never from libsigv4's own output.
 * Usage: api <tests/vectors directory> */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "suite.h"

static const char *V4;     /* .../aws-signing-test-suite/v4 */
static const char *VECTORS; /* tests/vectors */

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_TIME 1440938160 /* 2015-08-30T12:36:00Z, the suite's time */

/* A file of case `name` (malloc'd, trailing newlines kept unless `trim`). */
static char *expected(const char *name, const char *file, int trim) {
  strbuf dir = {0};
  sb_puts(&dir, V4);
  sb_puts(&dir, "/");
  sb_puts(&dir, name);
  char *text = trim ? read_trimmed(dir.data, file) : read_in(dir.data, file, NULL);
  sb_free(&dir);
  if (text == NULL) {
    test_failed++;
    text = calloc(1, 1);
  }
  return text;
}

/* Line `n` (0-based) of `text`, copied (malloc'd). */
static char *line_of(const char *text, int n) {
  const char *p = text;
  for (int i = 0; i < n && p != NULL; i++) {
    p = strchr(p, '\n');
    if (p != NULL) {
      p++;
    }
  }
  if (p == NULL) {
    return calloc(1, 1);
  }
  size_t len = strcspn(p, "\n");
  char *out = malloc(len + 1);
  memcpy(out, p, len);
  out[len] = '\0';
  return out;
}

/* Line `n` counted from the end (0 = the last line) of `text`, copied (malloc'd). */
static char *line_from_end(const char *text, int n) {
  int lines = 1;
  for (const char *p = text; *p != '\0'; p++) {
    if (*p == '\n' && p[1] != '\0') {
      lines++;
    }
  }
  return line_of(text, lines - 1 - n);
}

/* The value of header `name:` in a signed-request.txt text (malloc'd). */
static char *header_in(const char *signed_text, const char *name) {
  strbuf needle = {0};
  sb_puts(&needle, "\n");
  sb_puts(&needle, name);
  sb_puts(&needle, ":");
  const char *p = strstr(signed_text, needle.data);
  char *out;
  if (p == NULL) {
    out = calloc(1, 1);
  } else {
    p += needle.len;
    size_t len = strcspn(p, "\n");
    out = malloc(len + 1);
    memcpy(out, p, len);
    out[len] = '\0';
  }
  sb_free(&needle);
  return out;
}

static sigv4_signer *suite_signer(const sigv4_signing_options *options) {
  sigv4_credentials *creds = NULL;
  sigv4_signer *signer = NULL;
  CHECK_RESULT(sigv4_credentials_new(S(AKID), S(SECRET), NULL, 0, &creds), SIGV4_OK);
  CHECK_RESULT(sigv4_signer_new(creds, S("us-east-1"), S("service"), options, &signer), SIGV4_OK);
  sigv4_credentials_free(creds); /* the signer keeps its own copy */
  return signer;
}

/* Signs case `name` (header form) with `signer` and returns the result (NULL on failure). */
static sigv4_signed_request *sign_case(const sigv4_signer *signer, const char *name, int presign) {
  strbuf dir = {0};
  sb_puts(&dir, V4);
  sb_puts(&dir, "/");
  sb_puts(&dir, name);
  size_t len = 0;
  raw_request raw;
  sigv4_signed_request *out = NULL;
  char *text = read_in(dir.data, "request.txt", &len);
  if (parse_request(text, len, &raw) == 0) {
    sigv4_request request = raw_as_request(&raw);
    sigv4_result r = presign ? sigv4_signer_presign(signer, &request, SUITE_TIME, 3600, &out)
                             : sigv4_signer_sign(signer, &request, SUITE_TIME, &out);
    CHECK(r == SIGV4_OK, "%s: %s", name, sigv4_result_message(r));
  }
  raw_free(&raw);
  sb_free(&dir);
  return out;
}

static void test_accessors(void) {
  sigv4_signer *signer = suite_signer(NULL);
  sigv4_signed_request *s = sign_case(signer, "get-vanilla", 0);
  char *want_signed = expected("get-vanilla", "header-signed-request.txt", 0);
  char *want_sts = expected("get-vanilla", "header-string-to-sign.txt", 0);
  char *want_creq = expected("get-vanilla", "header-canonical-request.txt", 0);
  char *want_sig = expected("get-vanilla", "header-signature.txt", 1);
  char *auth = header_in(want_signed, "Authorization");
  char *date = header_in(want_signed, "X-Amz-Date");
  char *scope = line_of(want_sts, 2);
  char *signed_headers = line_from_end(want_creq, 1);
  char *payload_hash = line_from_end(want_creq, 0);
  const char *v = NULL;
  size_t n = 0;

  CHECK_RESULT(sigv4_signed_request_method(s, &v, &n), SIGV4_OK);
  CHECK(strcmp(v, "GET") == 0 && n == 3, "method %s", v);
  CHECK_RESULT(sigv4_signed_request_url(s, &v, NULL), SIGV4_OK);
  CHECK(strcmp(v, "/") == 0, "url %s", v);
  CHECK_RESULT(sigv4_signed_request_authorization(s, &v, &n), SIGV4_OK);
  CHECK(strcmp(v, auth) == 0 && n == strlen(auth), "authorization %s", v);
  CHECK_RESULT(sigv4_signed_request_signature(s, &v, &n), SIGV4_OK);
  CHECK(strcmp(v, want_sig) == 0 && n == 64, "signature %s", v);
  CHECK_RESULT(sigv4_signed_request_amz_date(s, &v, &n), SIGV4_OK);
  CHECK(strcmp(v, date) == 0, "amz_date %s", v);
  CHECK_RESULT(sigv4_signed_request_credential_scope(s, &v, &n), SIGV4_OK);
  CHECK(strcmp(v, scope) == 0, "scope %s", v);
  CHECK_RESULT(sigv4_signed_request_signed_headers(s, &v, &n), SIGV4_OK);
  CHECK(strcmp(v, signed_headers) == 0, "signed headers %s", v);
  CHECK_RESULT(sigv4_signed_request_canonical_request(s, &v, &n), SIGV4_OK);
  CHECK(strcmp(v, want_creq) == 0, "canonical request");
  CHECK_RESULT(sigv4_signed_request_string_to_sign(s, &v, &n), SIGV4_OK);
  CHECK(strcmp(v, want_sts) == 0, "string to sign");
  CHECK_RESULT(sigv4_signed_request_payload_hash(s, &v, &n), SIGV4_OK);
  CHECK(strcmp(v, payload_hash) == 0, "payload hash %s", v);

  /* The header list: Host (the caller's), X-Amz-Date, Authorization, as in the signed request. */
  CHECK(sigv4_signed_request_header_count(s) == 3, "header count %zu",
        sigv4_signed_request_header_count(s));
  const char *name = NULL, *value = NULL;
  size_t name_len = 0, value_len = 0;
  CHECK_RESULT(sigv4_signed_request_header(s, 2, &name, &name_len, &value, &value_len), SIGV4_OK);
  CHECK(strcmp(name, "Authorization") == 0 && strcmp(value, auth) == 0 && name_len == 13,
        "header 2 %s", name);
  CHECK_RESULT(sigv4_signed_request_header(s, 3, &name, NULL, &value, NULL),
               SIGV4_INDEX_OUT_OF_RANGE);

  /* Copies into caller buffers: ask for the size, too small, exact. */
  size_t need = 0;
  CHECK_RESULT(sigv4_signed_request_copy_field(s, SIGV4_FIELD_SIGNATURE, NULL, 0, &need),
               SIGV4_INSUFFICIENT_SIZE);
  CHECK(need == 64, "needed %zu", need);
  char small[64];
  memset(small, 'x', sizeof small);
  size_t got = 0;
  CHECK_RESULT(sigv4_signed_request_copy_field(s, SIGV4_FIELD_SIGNATURE, small, sizeof small, &got),
               SIGV4_INSUFFICIENT_SIZE);
  CHECK(got == 64 && small[0] == 'x' && small[63] == 'x', "too-small buffer written");
  char buf[65];
  CHECK_RESULT(sigv4_signed_request_copy_field(s, SIGV4_FIELD_SIGNATURE, buf, sizeof buf, &got),
               SIGV4_OK);
  CHECK(got == 64 && strcmp(buf, want_sig) == 0, "copied signature %s", buf);
  CHECK_RESULT(sigv4_signed_request_copy_field(s, 99, buf, sizeof buf, &got), SIGV4_INVALID_OPTION);

  sigv4_signed_request_free(s);

  /* Presigned: the URL of the suite, no authorization. */
  s = sign_case(signer, "get-vanilla", 1);
  char *want_query = expected("get-vanilla", "query-signed-request.txt", 0);
  char *request_line = line_of(want_query, 0);
  CHECK_RESULT(sigv4_signed_request_url(s, &v, &n), SIGV4_OK);
  CHECK(strncmp(request_line + 4, v, n) == 0 && strcmp(request_line + 4 + n, " HTTP/1.1") == 0,
        "presigned url %s", v);
  v = "unchanged";
  CHECK_RESULT(sigv4_signed_request_authorization(s, &v, &n), SIGV4_NOT_AVAILABLE);
  CHECK(strcmp(v, "unchanged") == 0, "out-parameter written on failure");
  sigv4_signed_request_free(s);

  free(want_query);
  free(request_line);
  free(auth);
  free(date);
  free(scope);
  free(signed_headers);
  free(payload_hash);
  free(want_signed);
  free(want_sts);
  free(want_creq);
  free(want_sig);
  sigv4_signer_free(signer);
}

/* Signs `name` and compares the signature with the suite's. */
static void expect_signature(const sigv4_signer *signer, const char *name, const char *why) {
  sigv4_signed_request *s = sign_case(signer, name, 0);
  char *want = expected(name, "header-signature.txt", 1);
  CHECK(s != NULL && strcmp(field(s, SIGV4_FIELD_SIGNATURE), want) == 0, "%s: %s", why, name);
  sigv4_signed_request_free(s);
  free(want);
}

static void test_options(void) {
  sigv4_signing_options *o = NULL;
  CHECK_RESULT(sigv4_signing_options_new(&o), SIGV4_OK);

  /* normalize_path off: the *-unnormalized cases. */
  CHECK_RESULT(sigv4_signing_options_set_normalize_path(o, false), SIGV4_OK);
  sigv4_signer *signer = suite_signer(o);
  expect_signature(signer, "get-slash-dot-slash-unnormalized", "normalize_path off");
  expect_signature(signer, "get-relative-relative-unnormalized", "normalize_path off");
  sigv4_signer_free(signer);
  CHECK_RESULT(sigv4_signing_options_set_normalize_path(o, true), SIGV4_OK);

  /* content_sha256_header on: the suite's sign_body cases. */
  CHECK_RESULT(sigv4_signing_options_set_content_sha256_header(o, true), SIGV4_OK);
  signer = suite_signer(o);
  expect_signature(signer, "post-x-www-form-urlencoded", "content_sha256_header on");
  sigv4_signer_free(signer);
  CHECK_RESULT(sigv4_signing_options_set_content_sha256_header(o, false), SIGV4_OK);

  /* payload unsigned: the literal replaces the hash (S3 documentation). */
  CHECK_RESULT(sigv4_signing_options_set_payload(o, SIGV4_PAYLOAD_UNSIGNED), SIGV4_OK);
  signer = suite_signer(o);
  sigv4_signed_request *s = sign_case(signer, "get-vanilla", 0);
  CHECK(strcmp(field(s, SIGV4_FIELD_PAYLOAD_HASH), "UNSIGNED-PAYLOAD") == 0, "unsigned payload");
  const char *creq = field(s, SIGV4_FIELD_CANONICAL_REQUEST);
  size_t creq_len = strlen(creq);
  CHECK(creq_len > 16 && strcmp(creq + creq_len - 17, "\nUNSIGNED-PAYLOAD") == 0,
        "canonical request ends with UNSIGNED-PAYLOAD");
  sigv4_signed_request_free(s);
  sigv4_signer_free(signer);
  CHECK_RESULT(sigv4_signing_options_set_payload_name(o, S("streaming-signed")), SIGV4_OK);
  signer = suite_signer(o);
  s = sign_case(signer, "get-vanilla", 0);
  CHECK(strcmp(field(s, SIGV4_FIELD_PAYLOAD_HASH), "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") == 0,
        "streaming payload name");
  sigv4_signed_request_free(s);
  sigv4_signer_free(signer);
  CHECK_RESULT(sigv4_signing_options_set_payload(o, SIGV4_PAYLOAD_SIGNED), SIGV4_OK);

  /* unsigned_headers: the named header is sent but not signed. */
  CHECK_RESULT(sigv4_signing_options_add_unsigned_header(o, S("My-Header2")), SIGV4_OK);
  signer = suite_signer(o);
  s = sign_case(signer, "get-header-value-trim", 0);
  CHECK(strcmp(field(s, SIGV4_FIELD_SIGNED_HEADERS), "host;my-header1;x-amz-date") == 0,
        "unsigned header still signed: %s", field(s, SIGV4_FIELD_SIGNED_HEADERS));
  sigv4_signed_request_free(s);
  sigv4_signer_free(signer);
  sigv4_signing_options_free(o);

  /* sign_session_token off: post-sts-header-after. */
  CHECK_RESULT(sigv4_signing_options_new(&o), SIGV4_OK);
  CHECK_RESULT(sigv4_signing_options_set_sign_session_token(o, false), SIGV4_OK);
  strbuf dir = {0};
  sb_puts(&dir, V4);
  sb_puts(&dir, "/post-sts-header-after");
  char *context = read_in(dir.data, "context.json", NULL);
  char *token = context ? json_string(context, "token") : NULL;
  sigv4_credentials *creds = NULL;
  CHECK_RESULT(sigv4_credentials_new(S(AKID), S(SECRET), S(token ? token : ""), &creds), SIGV4_OK);
  signer = NULL;
  CHECK_RESULT(sigv4_signer_new(creds, S("us-east-1"), S("service"), o, &signer), SIGV4_OK);
  expect_signature(signer, "post-sts-header-after", "sign_session_token off");
  sigv4_signer_free(signer);
  sigv4_signing_options_free(o);

  /* uri_encoding single with S3's defaults: the S3 documentation's GET object example. */
  char *s3 = read_in(VECTORS, "s3-examples.json", NULL);
  char *want_sig = s3 ? json_string(s3, "signature") : NULL;
  char *want_signed_headers = s3 ? json_string(s3, "signed_headers") : NULL;
  sigv4_credentials *s3_creds = NULL;
  CHECK_RESULT(sigv4_credentials_new(S("AKIAIOSFODNN7EXAMPLE"),
                                     S("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), NULL, 0,
                                     &s3_creds),
               SIGV4_OK);
  CHECK_RESULT(sigv4_signing_options_new(&o), SIGV4_OK);
  CHECK_RESULT(sigv4_signing_options_set_uri_encoding(o, SIGV4_URI_ENCODING_SINGLE), SIGV4_OK);
  signer = NULL;
  CHECK_RESULT(sigv4_signer_new(s3_creds, S("us-east-1"), S("s3"), o, &signer), SIGV4_OK);
  sigv4_pair range = {S("Range"), S("bytes=0-9")};
  sigv4_request request = {0};
  request.method = (const uint8_t *)"GET";
  request.method_len = 3;
  request.url = (const uint8_t *)"https://examplebucket.s3.amazonaws.com/test.txt";
  request.url_len = strlen((const char *)request.url);
  request.headers = &range;
  request.headers_len = 1;
  int64_t when = 0;
  CHECK_RESULT(sigv4_timestamp_parse(S("20130524T000000Z"), &when), SIGV4_OK);
  s = NULL;
  CHECK_RESULT(sigv4_signer_sign(signer, &request, when, &s), SIGV4_OK);
  CHECK(want_sig != NULL && strcmp(field(s, SIGV4_FIELD_SIGNATURE), want_sig) == 0,
        "S3 GET object signature");
  CHECK(want_signed_headers != NULL &&
            strcmp(field(s, SIGV4_FIELD_SIGNED_HEADERS), want_signed_headers) == 0,
        "S3 signed headers");
  sigv4_signed_request_free(s);
  sigv4_signer_free(signer);
  sigv4_signing_options_free(o);
  sigv4_credentials_free(s3_creds);

  /* payload_hash: the suite's hash of the body (last line of its canonical request), no body. */
  signer = suite_signer(NULL);
  char *creq_text = expected("post-vanilla-query", "header-canonical-request.txt", 0);
  char *hash = line_from_end(creq_text, 0);
  char *want = expected("post-vanilla-query", "header-signature.txt", 1);
  sigv4_pair host = {S("Host"), S("example.amazonaws.com")};
  sigv4_request precomputed = {0};
  precomputed.method = (const uint8_t *)"POST";
  precomputed.method_len = 4;
  precomputed.url = (const uint8_t *)"/?Param1=value1";
  precomputed.url_len = strlen((const char *)precomputed.url);
  precomputed.headers = &host;
  precomputed.headers_len = 1;
  precomputed.payload_hash = (const uint8_t *)hash;
  precomputed.payload_hash_len = strlen(hash);
  s = NULL;
  CHECK_RESULT(sigv4_signer_sign(signer, &precomputed, SUITE_TIME, &s), SIGV4_OK);
  CHECK(strcmp(field(s, SIGV4_FIELD_SIGNATURE), want) == 0, "precomputed payload hash");
  sigv4_signed_request_free(s);
  sigv4_signer_free(signer);

  free(creq_text);
  free(hash);
  free(want);
  free(s3);
  free(want_sig);
  free(want_signed_headers);
  sigv4_credentials_free(creds);
  free(context);
  free(token);
  sb_free(&dir);
}

static void test_rotation(void) {
  /* A signer made with other credentials signs with the suite's ones when given them. */
  sigv4_credentials *other = NULL, *suite = NULL;
  sigv4_signer *signer = NULL;
  CHECK_RESULT(sigv4_credentials_new(S("AKIDOTHER"), S("other-secret"), NULL, 0, &other), SIGV4_OK);
  CHECK_RESULT(sigv4_credentials_new(S(AKID), S(SECRET), NULL, 0, &suite), SIGV4_OK);
  CHECK_RESULT(sigv4_signer_new(other, S("us-east-1"), S("service"), NULL, &signer), SIGV4_OK);
  sigv4_pair host = {S("Host"), S("example.amazonaws.com")};
  sigv4_request request = {0};
  request.method = (const uint8_t *)"GET";
  request.method_len = 3;
  request.url = (const uint8_t *)"/";
  request.url_len = 1;
  request.headers = &host;
  request.headers_len = 1;
  sigv4_signed_request *s = NULL;
  char *want = expected("get-vanilla", "header-signature.txt", 1);
  char *want_q = expected("get-vanilla", "query-signature.txt", 1);
  CHECK_RESULT(sigv4_signer_sign_with_credentials(signer, suite, &request, SUITE_TIME, &s),
               SIGV4_OK);
  CHECK(strcmp(field(s, SIGV4_FIELD_SIGNATURE), want) == 0, "sign_with_credentials");
  sigv4_signed_request_free(s);
  s = NULL;
  CHECK_RESULT(
      sigv4_signer_presign_with_credentials(signer, suite, &request, SUITE_TIME, 3600, &s),
      SIGV4_OK);
  CHECK(strcmp(field(s, SIGV4_FIELD_SIGNATURE), want_q) == 0, "presign_with_credentials");
  sigv4_signed_request_free(s);
  s = NULL;
  CHECK_RESULT(sigv4_signer_sign(signer, &request, SUITE_TIME, &s), SIGV4_OK);
  CHECK(strcmp(field(s, SIGV4_FIELD_SIGNATURE), want) != 0, "other credentials, other signature");
  sigv4_signed_request_free(s);
  free(want);
  free(want_q);
  sigv4_signer_free(signer);
  sigv4_credentials_free(other);
  sigv4_credentials_free(suite);
}

/* One call, KumoMTA's parameter set, checked against a suite case. */
static void one_call_case(const char *name, const sigv4_sign_v4_params *params) {
  sigv4_signed_request *s = NULL;
  sigv4_result r = sigv4_sign_v4(params, &s);
  CHECK(r == SIGV4_OK, "sign_v4 %s: %s", name, sigv4_result_message(r));
  if (s == NULL) {
    return;
  }
  char *sig = expected(name, "header-signature.txt", 1);
  char *sts = expected(name, "header-string-to-sign.txt", 0);
  char *creq = expected(name, "header-canonical-request.txt", 0);
  char *signed_text = expected(name, "header-signed-request.txt", 0);
  char *auth = header_in(signed_text, "Authorization");
  char *date = header_in(signed_text, "X-Amz-Date");
  CHECK(strcmp(field(s, SIGV4_FIELD_SIGNATURE), sig) == 0, "%s: signature", name);
  CHECK(strcmp(field(s, SIGV4_FIELD_AUTHORIZATION), auth) == 0, "%s: authorization", name);
  CHECK(strcmp(field(s, SIGV4_FIELD_AMZ_DATE), date) == 0, "%s: timestamp", name);
  CHECK(strcmp(field(s, SIGV4_FIELD_CANONICAL_REQUEST), creq) == 0, "%s: canonical request", name);
  CHECK(strcmp(field(s, SIGV4_FIELD_STRING_TO_SIGN), sts) == 0, "%s: string to sign", name);
  free(sig);
  free(sts);
  free(creq);
  free(signed_text);
  free(auth);
  free(date);
  sigv4_signed_request_free(s);
}

static void test_one_call(void) {
  sigv4_pair host = {S("host"), S("example.amazonaws.com")};
  sigv4_pair query[2] = {{S("Param2"), S("value2")}, {S("Param1"), S("value1")}};
  sigv4_sign_v4_params p = {0};
  p.access_key = (const uint8_t *)AKID;
  p.access_key_len = strlen(AKID);
  p.secret_key = (const uint8_t *)SECRET;
  p.secret_key_len = strlen(SECRET);
  p.region = (const uint8_t *)"us-east-1";
  p.region_len = 9;
  p.service = (const uint8_t *)"service";
  p.service_len = 7;
  p.method = (const uint8_t *)"GET";
  p.method_len = 3;
  p.uri = (const uint8_t *)"/";
  p.uri_len = 1;
  p.query_params = query;
  p.query_params_len = 2;
  p.headers = &host;
  p.headers_len = 1;
  p.timestamp = (const uint8_t *)"20150830T123600Z";
  p.timestamp_len = 16;
  one_call_case("get-vanilla-query-order-key-case", &p);

  /* A query name needing encoding (the raw UTF-8 of U+1234). */
  sigv4_pair utf8 = {S("\xe1\x88\xb4"), S("bar")};
  p.query_params = &utf8;
  p.query_params_len = 1;
  p.timestamp = (const uint8_t *)"2015-08-30T12:36:00Z"; /* RFC 3339 works too */
  p.timestamp_len = strlen((const char *)p.timestamp);
  one_call_case("get-vanilla-utf8-query", &p);

  /* A session token. */
  strbuf dir = {0};
  sb_puts(&dir, V4);
  sb_puts(&dir, "/get-vanilla-with-session-token");
  char *context = read_in(dir.data, "context.json", NULL);
  char *token = context ? json_string(context, "token") : NULL;
  p.query_params = NULL;
  p.query_params_len = 0;
  p.session_token = (const uint8_t *)token;
  p.session_token_len = token ? strlen(token) : 0;
  one_call_case("get-vanilla-with-session-token", &p);
  p.session_token = NULL;
  p.session_token_len = 0;

  /* A payload: post-x-www-form-urlencoded signs the body hash in the header (sign_body), which the
   * one-call defaults for "service" do not add; post-vanilla has an empty body. */
  p.method = (const uint8_t *)"POST";
  p.method_len = 4;
  one_call_case("post-vanilla", &p);

  /* No timestamp: the current time. */
  p.timestamp = NULL;
  p.timestamp_len = 0;
  sigv4_signed_request *s = NULL;
  CHECK_RESULT(sigv4_sign_v4(&p, &s), SIGV4_OK);
  const char *date = field(s, SIGV4_FIELD_AMZ_DATE);
  CHECK(strlen(date) == 16 && date[8] == 'T' && date[15] == 'Z' && strncmp(date, "20", 2) == 0,
        "current time %s", date);
  sigv4_signed_request_free(s);

  /* S3 through one call: the S3 documentation's GET object example (S3 defaults picked). */
  char *s3 = read_in(VECTORS, "s3-examples.json", NULL);
  char *want = s3 ? json_string(s3, "signature") : NULL;
  sigv4_pair s3_headers[2] = {{S("Host"), S("examplebucket.s3.amazonaws.com")},
                              {S("Range"), S("bytes=0-9")}};
  sigv4_sign_v4_params q = p;
  q.access_key = (const uint8_t *)"AKIAIOSFODNN7EXAMPLE";
  q.access_key_len = strlen((const char *)q.access_key);
  q.secret_key = (const uint8_t *)"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  q.secret_key_len = strlen((const char *)q.secret_key);
  q.service = (const uint8_t *)"s3";
  q.service_len = 2;
  q.method = (const uint8_t *)"GET";
  q.method_len = 3;
  q.uri = (const uint8_t *)"/test.txt";
  q.uri_len = 9;
  q.headers = s3_headers;
  q.headers_len = 2;
  q.timestamp = (const uint8_t *)"20130524T000000Z";
  q.timestamp_len = 16;
  s = NULL;
  CHECK_RESULT(sigv4_sign_v4(&q, &s), SIGV4_OK);
  CHECK(want != NULL && strcmp(field(s, SIGV4_FIELD_SIGNATURE), want) == 0, "S3 one-call");
  sigv4_signed_request_free(s);
  free(s3);
  free(want);
  free(context);
  free(token);
  sb_free(&dir);
}

static void test_messages(void) {
  const unsigned codes[] = {0, 1, 2, 3, 4, 5, 6, 100, 101, 102, 103, 104, 105, 106, 107, 108,
                            109, 110, 111, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210,
                            211, 300};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    const char *m = sigv4_result_message(codes[i]);
    CHECK(m != NULL && strlen(m) > 0 && strcmp(m, "unknown result code") != 0, "message %u",
          codes[i]);
  }
  CHECK(strcmp(sigv4_result_message(7), "unknown result code") == 0, "unknown code");
  CHECK(sigv4_result_is_invalid_input(SIGV4_INVALID_REGION), "invalid input range");
  CHECK(!sigv4_result_is_invalid_input(SIGV4_NULL_PARAMETER), "not invalid input");
  CHECK(sigv4_version() != NULL && sigv4_version()[0] >= '0' && sigv4_version()[0] <= '9',
        "version");

  /* The last error names the argument and never shows a secret. */
  sigv4_credentials *c = NULL;
  CHECK_RESULT(sigv4_credentials_new(S("AKID"), S("TOPSECRETKEY"), S("tok\x01sessionsecret"), &c),
               SIGV4_INVALID_CREDENTIALS);
  char msg[256];
  size_t len = 0;
  CHECK_RESULT(sigv4_last_error_message(msg, sizeof msg, &len), SIGV4_OK);
  CHECK(strstr(msg, "session_token") != NULL || strstr(msg, "session token") != NULL,
        "message names the argument: %s", msg);
  CHECK(strstr(msg, "TOPSECRETKEY") == NULL && strstr(msg, "sessionsecret") == NULL,
        "message shows a secret: %s", msg);
  size_t need = 0;
  CHECK_RESULT(sigv4_last_error_message(NULL, 0, &need), SIGV4_INSUFFICIENT_SIZE);
  CHECK(need == len, "needed %zu, got %zu", need, len);

  sigv4_signer *signer = NULL;
  CHECK_RESULT(sigv4_credentials_new(S(AKID), S(SECRET), NULL, 0, &c), SIGV4_OK);
  CHECK_RESULT(sigv4_signer_new(c, S("us/east-1"), S("service"), NULL, &signer),
               SIGV4_INVALID_REGION);
  CHECK_RESULT(sigv4_last_error_message(msg, sizeof msg, &len), SIGV4_OK);
  CHECK(strstr(msg, "region") != NULL && strstr(msg, SECRET) == NULL, "region message: %s", msg);
  sigv4_credentials_free(c);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <tests/vectors directory>\n", argv[0]);
    return 2;
  }
  VECTORS = argv[1];
  strbuf v4 = {0};
  sb_puts(&v4, VECTORS);
  sb_puts(&v4, "/aws-signing-test-suite/v4");
  V4 = v4.data;
  test_accessors();
  test_options();
  test_rotation();
  test_one_call();
  test_messages();
  sb_free(&v4);
  return test_summary("C API checks");
}
