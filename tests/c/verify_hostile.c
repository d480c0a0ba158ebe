/* Hostile requests through sigv4_verifier_verify, each with the result code it must get (issue 6
 * item 3; the table mirrors bindings/python/tests/test_verify_hostile.py and
 * core/tests/verify_hostile.rs), plus session tokens, the replay cache, a C lookup callback, the
 * options, SigV4a, and no secret in any message.
 *
 * Base requests are AWS's own signed requests (W1 = get-vanilla-query-order-key-case in both forms,
 * the signed-body and session-token vectors); requests that need a valid signature after a change
 * of expiry or payload are signed by our signer (the expected values are result codes, not
 * signatures). Usage: verify_hostile <v4 suite directory> */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "suite.h"

#define T0 1440938160 /* 20150830T123600Z */
#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
#define W1_SIG "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
#define W1Q_SIG "86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5"
#define SCOPE "20150830/us-east-1/service/aws4_request"
#define MAXH 48

static const char *suite;

/* A request as received (owned strings). Helpers take one by value and return it changed. */
typedef struct {
  char *method;
  char *url;
  size_t n;
  char *names[MAXH];
  char *values[MAXH];
  strbuf body;
  int64_t now;
} req;

static int strcasecmp_ascii(const char *a, const char *b) {
  for (;; a++, b++) {
    int x = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a, y = (*b >= 'A' && *b <= 'Z') ? *b + 32 : *b;
    if (x != y || x == 0) {
      return x - y;
    }
  }
}

static char *dup(const char *s) {
  size_t n = strlen(s);
  char *out = malloc(n + 1);
  memcpy(out, s, n + 1);
  return out;
}

static void req_free(req *r) {
  free(r->method);
  free(r->url);
  for (size_t i = 0; i < r->n; i++) {
    free(r->names[i]);
    free(r->values[i]);
  }
  sb_free(&r->body);
}

static req copy(const req *r) {
  req out = {.method = dup(r->method), .url = dup(r->url), .n = r->n, .now = r->now};
  for (size_t i = 0; i < r->n; i++) {
    out.names[i] = dup(r->names[i]);
    out.values[i] = dup(r->values[i]);
  }
  sb_append(&out.body, r->body.data ? r->body.data : "", r->body.len);
  return out;
}

/* AWS's signed request `form`-signed-request.txt of the suite case `name`. */
static req vector(const char *name, const char *form) {
  strbuf dir = {0}, file = {0};
  sb_puts(&dir, suite);
  sb_puts(&dir, "/");
  sb_puts(&dir, name);
  sb_puts(&file, form);
  sb_puts(&file, "-signed-request.txt");
  size_t len = 0;
  char *text = read_in(dir.data, file.data, &len);
  raw_request raw;
  req out = {.now = T0};
  if (parse_request(text, len, &raw) == 0) {
    out.method = dup(raw.method);
    out.url = dup(raw.target);
    for (size_t i = 0; i < raw.header_count; i++) {
      out.names[i] = dup(raw.names[i].data);
      out.values[i] = dup(raw.values[i].data);
    }
    out.n = raw.header_count;
    sb_append(&out.body, raw.body, raw.body_len);
  } else {
    fprintf(stderr, "cannot parse %s/%s\n", name, file.data);
    exit(2);
  }
  raw_free(&raw);
  sb_free(&dir);
  sb_free(&file);
  return out;
}

static req w1(void) { return vector("get-vanilla-query-order-key-case", "header"); }
static req w1q(void) { return vector("get-vanilla-query-order-key-case", "query"); }

static req add(req r, const char *name, const char *value) {
  if (r.n < MAXH) {
    r.names[r.n] = dup(name);
    r.values[r.n] = dup(value);
    r.n++;
  }
  return r;
}

static req set(req r, const char *name, const char *value) {
  int found = 0;
  for (size_t i = 0; i < r.n; i++) {
    if (strcasecmp_ascii(r.names[i], name) == 0) {
      free(r.values[i]);
      r.values[i] = dup(value);
      found = 1;
    }
  }
  CHECK(found, "set: no header %s", name);
  return r;
}

static req drop(req r, const char *name) {
  size_t k = 0;
  for (size_t i = 0; i < r.n; i++) {
    if (strcasecmp_ascii(r.names[i], name) == 0) {
      free(r.names[i]);
      free(r.values[i]);
    } else {
      r.names[k] = r.names[i];
      r.values[k] = r.values[i];
      k++;
    }
  }
  r.n = k;
  return r;
}

static req auth(req r, const char *value) { return set(r, "Authorization", value); }

static req with_url(req r, const char *url) {
  free(r.url);
  r.url = dup(url);
  return r;
}

/* The URL with the first `old` replaced by `new`. */
static req q(req r, const char *old, const char *new_text) {
  char *hit = strstr(r.url, old);
  CHECK(hit != NULL, "q: %s not in %s", old, r.url);
  if (hit == NULL) {
    return r;
  }
  strbuf out = {0};
  sb_append(&out, r.url, (size_t)(hit - r.url));
  sb_puts(&out, new_text);
  sb_puts(&out, hit + strlen(old));
  free(r.url);
  r.url = out.data;
  return r;
}

static req with_body(req r, const char *body) {
  sb_free(&r.body);
  sb_append(&r.body, body, strlen(body));
  return r;
}

static req at(req r, int64_t now) {
  r.now = now;
  return r;
}

/* A rotating set of buffers for the Authorization values built below. */
static char *scratch(void) {
  static char ring[8][1024];
  static int next = 0;
  return ring[next++ % 8];
}

static const char *auth_with(const char *credential, const char *signed_headers,
                             const char *signature) {
  char *out = scratch();
  snprintf(out, 1024, "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s", credential,
           signed_headers, signature);
  return out;
}

static const char *cred(const char *akid, const char *scope) {
  char *out = scratch();
  snprintf(out, 1024, "%s/%s", akid, scope);
  return out;
}

static const char *good_auth(void) { return auth_with(cred(AKID, SCOPE), "host;x-amz-date", W1_SIG); }

static const char *concat(const char *a, const char *b) {
  char *out = scratch();
  snprintf(out, 1024, "%s%s", a, b);
  return out;
}

static const char *upper(const char *s) {
  char *out = scratch();
  size_t i = 0;
  for (; s[i] != '\0' && i < 1023; i++) {
    out[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
  }
  out[i] = '\0';
  return out;
}

static const char *cut(const char *s, size_t n) {
  char *out = scratch();
  snprintf(out, 1024, "%.*s", (int)n, s);
  return out;
}

static const char *replace_char(const char *s, char from, char to) {
  char *out = scratch();
  snprintf(out, 1024, "%s", s);
  for (char *p = out; *p; p++) {
    if (*p == from) {
      *p = to;
    }
  }
  return out;
}

/* Signs with our signer (options: payload unsigned + content header when `unsigned_payload`). */
static req signed_by_us(const char *method, const char *url, const char *body, int unsigned_payload) {
  sigv4_credentials *creds = NULL;
  sigv4_signing_options *options = NULL;
  sigv4_signer *signer = NULL;
  sigv4_signed_request *s = NULL;
  sigv4_credentials_new(S(AKID), S(SECRET), NULL, 0, &creds);
  sigv4_signing_options_new(&options);
  if (unsigned_payload) {
    sigv4_signing_options_set_payload(options, SIGV4_PAYLOAD_UNSIGNED);
    sigv4_signing_options_set_content_sha256_header(options, true);
  }
  sigv4_signer_new(creds, S("us-east-1"), S("service"), options, &signer);
  sigv4_request r = {.method = S(method), .url = S(url), .body = S(body)};
  CHECK_RESULT(sigv4_signer_sign(signer, &r, T0, &s), SIGV4_OK);
  req out = {.method = dup(method), .url = dup(url), .now = T0};
  for (size_t i = 0; i < sigv4_signed_request_header_count(s) && i < MAXH; i++) {
    const char *name, *value;
    sigv4_signed_request_header(s, i, &name, NULL, &value, NULL);
    out = add(out, name, value);
  }
  sb_append(&out.body, body, strlen(body));
  sigv4_signed_request_free(s);
  sigv4_signer_free(signer);
  sigv4_signing_options_free(options);
  sigv4_credentials_free(creds);
  return out;
}

static req presigned_by_us(uint64_t expires) {
  sigv4_credentials *creds = NULL;
  sigv4_signer *signer = NULL;
  sigv4_signed_request *s = NULL;
  sigv4_credentials_new(S(AKID), S(SECRET), NULL, 0, &creds);
  sigv4_signer_new(creds, S("us-east-1"), S("service"), NULL, &signer);
  sigv4_pair host = {S("Host"), S("example.amazonaws.com")};
  sigv4_request r = {.method = S("GET"), .url = S("/?Param2=value2&Param1=value1"), .headers = &host,
                     .headers_len = 1};
  CHECK_RESULT(sigv4_signer_presign(signer, &r, T0, expires, &s), SIGV4_OK);
  const char *url = "";
  sigv4_signed_request_url(s, &url, NULL);
  req out = {.method = dup("GET"), .url = dup(url), .now = T0};
  out = add(out, "Host", "example.amazonaws.com");
  sigv4_signed_request_free(s);
  sigv4_signer_free(signer);
  sigv4_credentials_free(creds);
  return out;
}

static int table_size = 0;

/* Verifies `r` (then frees it) and returns the result; checks the message and mismatch contract. */
static sigv4_result outcome(const sigv4_verifier *v, req r) {
  sigv4_pair pairs[MAXH];
  for (size_t i = 0; i < r.n; i++) {
    pairs[i] = (sigv4_pair){S(r.names[i]), S(r.values[i])};
  }
  sigv4_request request = {.method = S(r.method), .url = S(r.url), .headers = pairs,
                           .headers_len = r.n, .body = (const uint8_t *)r.body.data,
                           .body_len = r.body.len};
  if (r.body.data == NULL) {
    request.body = NULL;
  }
  sigv4_verified_identity *who = NULL;
  sigv4_result result = sigv4_verifier_verify(v, &request, r.now, &who);
  CHECK((result == SIGV4_OK) == (who != NULL), "identity written only on success");
  sigv4_verified_identity_free(who);
  if (result != SIGV4_OK) {
    char message[1024];
    size_t len = 0;
    sigv4_result m = sigv4_last_error_message(message, sizeof message, &len);
    CHECK((m == SIGV4_OK && len > 0) || m == SIGV4_INSUFFICIENT_SIZE, "every failure says what to fix");
    CHECK(m != SIGV4_OK || (strstr(message, SECRET) == NULL && strstr(message, "wJalr") == NULL &&
                            strstr(message, TOKEN) == NULL),
          "a message holds a secret: %s", message);
  }
  size_t cr_len = 0;
  sigv4_result detail = sigv4_verifier_last_mismatch_canonical_request(NULL, 0, &cr_len);
  CHECK((detail == SIGV4_INSUFFICIENT_SIZE) == (result == SIGV4_SIGNATURE_DOES_NOT_MATCH),
        "mismatch detail only for SignatureDoesNotMatch (result %u, detail %u)", (unsigned)result,
        (unsigned)detail);
  req_free(&r);
  return result;
}

static const sigv4_verifier *table_verifier;

#define EXPECT(name, request, expected)                                                         \
  do {                                                                                          \
    table_size++;                                                                               \
    sigv4_result got_ = outcome(table_verifier, (request));                                     \
    CHECK(got_ == (expected), "%s: got %u (%s), want %u (%s)", name, (unsigned)got_,             \
          sigv4_result_message(got_), (unsigned)(expected), sigv4_result_message(expected));     \
  } while (0)

static void hostile_table(void) {
  const req W1 = w1(), W1Q = w1q();
  const char *w1q_url = W1Q.url;
#define A(x) auth(copy(&W1), (x))
  EXPECT("no auth", drop(copy(&W1), "Authorization"), SIGV4_MISSING_AUTHENTICATION_TOKEN);
  EXPECT("no auth, other X-Amz-* query",
         with_url(drop(copy(&W1), "Authorization"), "/?X-Amz-Date=20150830T123600Z"),
         SIGV4_MISSING_AUTHENTICATION_TOKEN);
  EXPECT("two Authorization headers", add(copy(&W1), "Authorization", good_auth()),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("header plus query auth", with_url(copy(&W1), w1q_url),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("empty Authorization", A(""), SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("Bearer token", A("Bearer abc"), SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("wrong algorithm",
         A(concat("AWS4-HMAC-SHA512 ", good_auth() + strlen("AWS4-HMAC-SHA256 "))),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("lower-case algorithm",
         A(concat("aws4-hmac-sha256 ", good_auth() + strlen("AWS4-HMAC-SHA256 "))),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("query: wrong algorithm", q(copy(&W1Q), "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1"),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("query: lower-case algorithm", q(copy(&W1Q), "AWS4-HMAC-SHA256", "aws4-hmac-sha256"),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("missing Credential",
         A("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=" W1_SIG),
         SIGV4_INCOMPLETE_SIGNATURE);
  EXPECT("missing SignedHeaders",
         A("AWS4-HMAC-SHA256 Credential=" AKID "/" SCOPE ", Signature=" W1_SIG),
         SIGV4_INCOMPLETE_SIGNATURE);
  EXPECT("missing Signature",
         A("AWS4-HMAC-SHA256 Credential=" AKID "/" SCOPE ", SignedHeaders=host;x-amz-date"),
         SIGV4_INCOMPLETE_SIGNATURE);
  EXPECT("empty Signature", A(auth_with(cred(AKID, SCOPE), "host;x-amz-date", "")),
         SIGV4_INCOMPLETE_SIGNATURE);
  EXPECT("empty Credential", A(auth_with("", "host;x-amz-date", W1_SIG)), SIGV4_INCOMPLETE_SIGNATURE);
  EXPECT("repeated Credential", A(concat(good_auth(), ", Credential=" AKID "/" SCOPE)),
         SIGV4_INCOMPLETE_SIGNATURE);
  EXPECT("repeated Signature", A(concat(good_auth(), ", Signature=" W1_SIG)),
         SIGV4_INCOMPLETE_SIGNATURE);
  EXPECT("query: missing X-Amz-Credential", q(copy(&W1Q), "X-Amz-Credential=", "X-Amz-Credentials="),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("query: missing X-Amz-Signature", q(copy(&W1Q), "&X-Amz-Signature=", "&Signature="),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("4-part credential",
         A(auth_with(AKID "/20150830/us-east-1/aws4_request", "host;x-amz-date", W1_SIG)),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("6-part credential",
         A(auth_with(AKID "/20150830/us-east-1/service/x/aws4_request", "host;x-amz-date", W1_SIG)),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("query: 4-part credential", q(copy(&W1Q), "%2Fservice%2Faws4_request", "%2Faws4_request"),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("scope date != X-Amz-Date date",
         A(auth_with(cred(AKID, "20150831/us-east-1/service/aws4_request"), "host;x-amz-date", W1_SIG)),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("query: scope date != X-Amz-Date date", q(copy(&W1Q), "%2F20150830%2F", "%2F20150829%2F"),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("wrong region",
         A(auth_with(cred(AKID, "20150830/us-west-2/service/aws4_request"), "host;x-amz-date", W1_SIG)),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("wrong service",
         A(auth_with(cred(AKID, "20150830/us-east-1/s3/aws4_request"), "host;x-amz-date", W1_SIG)),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("wrong terminator",
         A(auth_with(cred(AKID, "20150830/us-east-1/service/aws4_requesT"), "host;x-amz-date", W1_SIG)),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("unknown key", A(auth_with(cred("AKIDUNKNOWN", SCOPE), "host;x-amz-date", W1_SIG)),
         SIGV4_INVALID_ACCESS_KEY_ID);
  EXPECT("query: unknown key", q(copy(&W1Q), "AKIDEXAMPLE", "AKIDUNKNOWN"), SIGV4_INVALID_ACCESS_KEY_ID);
  EXPECT("missing X-Amz-Date", drop(copy(&W1), "X-Amz-Date"), SIGV4_INCOMPLETE_SIGNATURE);
  EXPECT("malformed X-Amz-Date", set(copy(&W1), "X-Amz-Date", "20150830T1236Z"),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("extended-format X-Amz-Date", set(copy(&W1), "X-Amz-Date", "2015-08-30T12:36:00Z"),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("query: extended-format X-Amz-Date",
         q(copy(&W1Q), "20150830T123600Z", "2015-08-30T12%3A36%3A00Z"),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("skew +900 s accepted", at(copy(&W1), T0 + 900), SIGV4_OK);
  EXPECT("skew -900 s accepted", at(copy(&W1), T0 - 900), SIGV4_OK);
  EXPECT("skew +901 s rejected", at(copy(&W1), T0 + 901), SIGV4_REQUEST_TIME_TOO_SKEWED);
  EXPECT("skew -901 s rejected", at(copy(&W1), T0 - 901), SIGV4_REQUEST_TIME_TOO_SKEWED);
  EXPECT("X-Amz-Expires 0", q(copy(&W1Q), "X-Amz-Expires=3600", "X-Amz-Expires=0"),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("X-Amz-Expires 1", presigned_by_us(1), SIGV4_OK);
  EXPECT("X-Amz-Expires 604800", presigned_by_us(604800), SIGV4_OK);
  EXPECT("X-Amz-Expires 604801", q(copy(&W1Q), "X-Amz-Expires=3600", "X-Amz-Expires=604801"),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("X-Amz-Expires -1", q(copy(&W1Q), "X-Amz-Expires=3600", "X-Amz-Expires=-1"),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("X-Amz-Expires empty", q(copy(&W1Q), "X-Amz-Expires=3600", "X-Amz-Expires="),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("X-Amz-Expires 1.5", q(copy(&W1Q), "X-Amz-Expires=3600", "X-Amz-Expires=1.5"),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("X-Amz-Expires 60abc", q(copy(&W1Q), "X-Amz-Expires=3600", "X-Amz-Expires=60abc"),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("X-Amz-Expires +60", q(copy(&W1Q), "X-Amz-Expires=3600", "X-Amz-Expires=%2B60"),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("URL valid until its last second", at(copy(&W1Q), T0 + 3600), SIGV4_OK);
  EXPECT("expired URL", at(copy(&W1Q), T0 + 3601), SIGV4_REQUEST_EXPIRED);
  EXPECT("expired URL (1 s)", at(presigned_by_us(1), T0 + 2), SIGV4_REQUEST_EXPIRED);
  EXPECT("URL dated 900 s ahead accepted", at(copy(&W1Q), T0 - 900), SIGV4_OK);
  EXPECT("not-yet-valid URL", at(copy(&W1Q), T0 - 901), SIGV4_REQUEST_EXPIRED);
  EXPECT("auth parameter repeated in another case",
         with_url(copy(&W1Q), concat(w1q_url, "&x-amz-expires=3600")),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("auth parameter repeated exactly",
         with_url(copy(&W1Q), concat(w1q_url, "&X-Amz-Signature=" W1Q_SIG)),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("SignedHeaders without host", A(auth_with(cred(AKID, SCOPE), "x-amz-date", W1_SIG)),
         SIGV4_UNSIGNED_HEADER);
  EXPECT("SignedHeaders unsorted", A(auth_with(cred(AKID, SCOPE), "x-amz-date;host", W1_SIG)),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("SignedHeaders upper-case", A(auth_with(cred(AKID, SCOPE), "Host;x-amz-date", W1_SIG)),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("SignedHeaders repeated", A(auth_with(cred(AKID, SCOPE), "host;host;x-amz-date", W1_SIG)),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("signed header changed", set(copy(&W1), "Host", "example.amazonaws.com.evil"),
         SIGV4_SIGNATURE_DOES_NOT_MATCH);
  EXPECT("unsigned x-amz-* header added", add(copy(&W1), "X-Amz-Meta-Role", "admin"),
         SIGV4_UNSIGNED_HEADER);
  EXPECT("query: unsigned x-amz-* header added", add(copy(&W1Q), "X-Amz-Target", "Admin.Delete"),
         SIGV4_UNSIGNED_HEADER);
  EXPECT("unsigned Content-Type added", add(copy(&W1), "Content-Type", "application/json"),
         SIGV4_UNSIGNED_HEADER);
  EXPECT("unsigned User-Agent added (accepted)", add(copy(&W1), "User-Agent", "curl/8.0"), SIGV4_OK);
  EXPECT("signature of 63 characters", A(auth_with(cred(AKID, SCOPE), "host;x-amz-date", cut(W1_SIG, 63))),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("signature of 65 characters", A(auth_with(cred(AKID, SCOPE), "host;x-amz-date", W1_SIG "0")),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("upper-case signature", A(auth_with(cred(AKID, SCOPE), "host;x-amz-date", upper(W1_SIG))),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("non-hex signature",
         A(auth_with(cred(AKID, SCOPE), "host;x-amz-date", concat(cut(W1_SIG, 63), "g"))),
         SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  EXPECT("query: upper-case signature", q(copy(&W1Q), W1Q_SIG, upper(W1Q_SIG)),
         SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  EXPECT("valid signature, wrong value",
         A(auth_with(cred(AKID, SCOPE), "host;x-amz-date", replace_char(W1_SIG, 'b', 'c'))),
         SIGV4_SIGNATURE_DOES_NOT_MATCH);
  EXPECT("body tampered (signed x-amz-content-sha256)",
         with_body(vector("post-x-www-form-urlencoded", "header"), "Param1=value2"),
         SIGV4_X_AMZ_CONTENT_SHA256_MISMATCH);
  EXPECT("body tampered (body hash signed)",
         with_body(vector("post-x-www-form-urlencoded", "query"), "Param1=value2"),
         SIGV4_SIGNATURE_DOES_NOT_MATCH);
  EXPECT("body tampered (no content header)",
         with_body(signed_by_us("POST", "https://example.amazonaws.com/", "hello", 0), "hellp"),
         SIGV4_SIGNATURE_DOES_NOT_MATCH);
  EXPECT("UNSIGNED-PAYLOAD not allowed", signed_by_us("PUT", "https://example.amazonaws.com/", "data", 1),
         SIGV4_X_AMZ_CONTENT_SHA256_MISMATCH);
  EXPECT("session token sent to a key without one", vector("get-vanilla-with-session-token", "header"),
         SIGV4_INVALID_TOKEN);
  EXPECT("CR in the path", with_url(copy(&W1), "/a\rb"), SIGV4_INVALID_URL);
  EXPECT("LF in the path", with_url(copy(&W1), "/a\nb"), SIGV4_INVALID_URL);
  EXPECT("CR in a header", add(copy(&W1), "X-Other", "a\rb"), SIGV4_INVALID_HEADER_VALUE);
  EXPECT("LF in a header", set(copy(&W1), "Host", "example.amazonaws.com\nX-Amz-Meta: y"),
         SIGV4_INVALID_HEADER_VALUE);
  EXPECT("invalid header name", add(copy(&W1), "Bad Name", "x"), SIGV4_INVALID_HEADER_NAME);
  EXPECT("invalid percent escape in the path", with_url(copy(&W1), "/a%zz?Param2=value2&Param1=value1"),
         SIGV4_INVALID_URL);
  EXPECT("truncated percent escape in the query", with_url(copy(&W1), "/?Param2=value2&Param1=value%2"),
         SIGV4_INVALID_URL);
  EXPECT("two Host headers", add(copy(&W1), "Host", "evil.example"), SIGV4_INVALID_HEADER_VALUE);
  EXPECT("query parameter added", with_url(copy(&W1Q), concat(w1q_url, "&a=%FF")),
         SIGV4_SIGNATURE_DOES_NOT_MATCH);
#undef A
  req w = copy(&W1);
  req_free((req *)&W1);
  req_free((req *)&W1Q);

  /* The large ones, built by hand: a 1 MiB Authorization header, 100 000 query parameters. */
  size_t big = (size_t)1 << 20;
  char *huge = malloc(big + 1);
  memset(huge, 'A', big);
  huge[big] = '\0';
  EXPECT("1 MiB Authorization header", auth(copy(&w), huge), SIGV4_AUTHORIZATION_HEADER_MALFORMED);
  free(huge);
  strbuf many = {0};
  sb_puts(&many, "/?");
  for (int i = 0; i < 100000; i++) {
    sb_puts(&many, "a=1&");
  }
  EXPECT("100 000 query parameters", with_url(copy(&w), many.data), SIGV4_INVALID_URL);
  sb_free(&many);

  /* NUL bytes: the C API takes lengths, so a NUL can reach the verifier inside a value. */
  sigv4_pair pairs[4];
  for (size_t i = 0; i < w.n && i < 3; i++) {
    pairs[i] = (sigv4_pair){S(w.names[i]), S(w.values[i])};
  }
  pairs[3] = (sigv4_pair){S("X-Other"), (const uint8_t *)"a\0b", 3};
  sigv4_request nul_header = {.method = S("GET"), .url = S(w.url), .headers = pairs, .headers_len = 4};
  sigv4_verified_identity *who = NULL;
  table_size++;
  CHECK_RESULT(sigv4_verifier_verify(table_verifier, &nul_header, T0, &who), SIGV4_INVALID_HEADER_VALUE);
  sigv4_request nul_path = {.method = S("GET"), .url = (const uint8_t *)"/a\0b", .url_len = 4,
                            .headers = pairs, .headers_len = 3};
  table_size++;
  CHECK_RESULT(sigv4_verifier_verify(table_verifier, &nul_path, T0, &who), SIGV4_INVALID_URL);
  pairs[3] = (sigv4_pair){S("X-Other"), (const uint8_t *)"\xff", 1};
  table_size++;
  CHECK_RESULT(sigv4_verifier_verify(table_verifier, &nul_header, T0, &who), SIGV4_INVALID_UTF8);
  CHECK(who == NULL, "no identity on failure");
  req_free(&w);
}

/* A lookup callback: counts calls, knows AKIDEXAMPLE. Thread-safe enough for this single thread. */
static int lookups = 0;
static sigv4_credentials *lookup(void *userdata, const uint8_t *akid, size_t len) {
  lookups++;
  CHECK(userdata == &lookups, "userdata passed through");
  sigv4_credentials *out = NULL;
  if (len == strlen(AKID) && memcmp(akid, AKID, len) == 0) {
    sigv4_credentials_new(S(AKID), S(SECRET), NULL, 0, &out);
  }
  return out;
}

static sigv4_credentials *lookup_with_token(void *userdata, const uint8_t *akid, size_t len) {
  (void)userdata;
  sigv4_credentials *out = NULL;
  sigv4_credentials_new(akid, len, S(SECRET), S(TOKEN), &out);
  return out;
}

static sigv4_verifier *make_verifier(const sigv4_verifier_options *options, const char *token) {
  sigv4_credential_store *store = NULL;
  sigv4_verifier *v = NULL;
  CHECK_RESULT(sigv4_credential_store_new(&store), SIGV4_OK);
  CHECK_RESULT(sigv4_credential_store_add(store, S(AKID), S(SECRET), token ? (const uint8_t *)token : NULL,
                                          token ? strlen(token) : 0),
               SIGV4_OK);
  CHECK_RESULT(sigv4_credential_store_add(store, S("AKIDTOKEN"), S(SECRET), S(TOKEN)), SIGV4_OK);
  CHECK(sigv4_credential_store_len(store) == 2, "store length");
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("service"), options, &v), SIGV4_OK);
  sigv4_credential_store_free(store); /* the verifier keeps a copy */
  return v;
}

static void session_tokens(void) {
  const char *vector_token = TOKEN;
  sigv4_verifier *v = make_verifier(NULL, vector_token);
  req base = vector("get-vanilla-with-session-token", "header");
  CHECK_RESULT(outcome(v, copy(&base)), SIGV4_OK);
  CHECK_RESULT(outcome(v, set(copy(&base), "X-Amz-Security-Token", replace_char(TOKEN, '6', '7'))),
               SIGV4_INVALID_TOKEN);
  CHECK_RESULT(outcome(v, drop(copy(&base), "X-Amz-Security-Token")), SIGV4_INVALID_TOKEN);
  req qv = vector("get-vanilla-with-session-token", "query");
  CHECK_RESULT(outcome(v, copy(&qv)), SIGV4_OK);
  CHECK_RESULT(outcome(v, q(copy(&qv), TOKEN, replace_char(TOKEN, '6', '7'))), SIGV4_INVALID_TOKEN);
  CHECK_RESULT(outcome(v, q(copy(&qv), "&X-Amz-Security-Token=" TOKEN, "")), SIGV4_INVALID_TOKEN);
  req_free(&base);
  req_free(&qv);
  sigv4_verifier_free(v);
}

static void replay_cache(void) {
  sigv4_verifier_options *options = NULL;
  sigv4_verifier_options_new(&options);
  CHECK_RESULT(sigv4_verifier_options_set_replay_cache_capacity(options, 10), SIGV4_OK);
  sigv4_verifier *v = make_verifier(options, NULL);
  req base = w1(), baseq = w1q();
  CHECK_RESULT(outcome(v, set(copy(&base), "Host", "other.example")), SIGV4_SIGNATURE_DOES_NOT_MATCH);
  CHECK(sigv4_verifier_replay_cache_len(v) == 0, "failed requests are not remembered");
  CHECK_RESULT(outcome(v, copy(&base)), SIGV4_OK);
  table_size++; /* the table's "a replay with the cache on" */
  CHECK_RESULT(outcome(v, at(copy(&base), T0 + 10)), SIGV4_REQUEST_REPLAYED);
  CHECK_RESULT(outcome(v, copy(&baseq)), SIGV4_OK);
  CHECK_RESULT(outcome(v, copy(&baseq)), SIGV4_REQUEST_REPLAYED);
  CHECK(sigv4_verifier_replay_cache_len(v) == 2, "two signatures remembered");
  sigv4_verifier_free(v);
  /* Capacity 0 turns it off again. */
  CHECK_RESULT(sigv4_verifier_options_set_replay_cache_capacity(options, 0), SIGV4_OK);
  v = make_verifier(options, NULL);
  CHECK_RESULT(outcome(v, copy(&base)), SIGV4_OK);
  CHECK_RESULT(outcome(v, copy(&base)), SIGV4_OK);
  sigv4_verifier_free(v);
  sigv4_verifier_options_free(options);
  req_free(&base);
  req_free(&baseq);
}

static void lookup_callback(void) {
  sigv4_verifier *v = NULL;
  CHECK_RESULT(sigv4_verifier_new_with_lookup(lookup, &lookups, S("eu-west-1,us-east-1"), S("service"),
                                              NULL, &v),
               SIGV4_OK);
  req base = w1();
  CHECK_RESULT(outcome(v, copy(&base)), SIGV4_OK);
  CHECK(lookups == 1, "one lookup (%d)", lookups);
  CHECK_RESULT(outcome(v, auth(copy(&base), auth_with(cred("AKIDOTHER", SCOPE), "host;x-amz-date", W1_SIG))),
               SIGV4_INVALID_ACCESS_KEY_ID);
  CHECK_RESULT(outcome(v, at(copy(&base), T0 + 5000)), SIGV4_REQUEST_TIME_TOO_SKEWED);
  CHECK(lookups == 2, "a request refused before the lookup does not call it (%d)", lookups);
  sigv4_verifier_free(v);
  CHECK_RESULT(sigv4_verifier_new_with_lookup(lookup_with_token, NULL, S("us-east-1"), S("service"), NULL,
                                              &v),
               SIGV4_OK);
  CHECK_RESULT(outcome(v, copy(&base)), SIGV4_INVALID_TOKEN);
  sigv4_verifier_free(v);
  req_free(&base);
}

static void options_change_the_checks(void) {
  req base = w1(), baseq = w1q();
  sigv4_verifier_options *o = NULL;
  sigv4_verifier *v = NULL;
  sigv4_verifier_options_new(&o);
  CHECK_RESULT(sigv4_verifier_options_set_max_skew(o, 60), SIGV4_OK);
  v = make_verifier(o, NULL);
  CHECK_RESULT(outcome(v, at(copy(&base), T0 + 61)), SIGV4_REQUEST_TIME_TOO_SKEWED);
  CHECK_RESULT(outcome(v, at(copy(&base), T0 + 60)), SIGV4_OK);
  sigv4_verifier_free(v);
  sigv4_verifier_options_free(o);

  sigv4_verifier_options_new(&o);
  CHECK_RESULT(sigv4_verifier_options_set_max_expires(o, 60), SIGV4_OK);
  v = make_verifier(o, NULL);
  CHECK_RESULT(outcome(v, copy(&baseq)), SIGV4_AUTHORIZATION_QUERY_PARAMETERS_ERROR);
  sigv4_verifier_free(v);
  sigv4_verifier_options_free(o);

  sigv4_verifier_options_new(&o);
  CHECK_RESULT(sigv4_verifier_options_add_must_sign_header(o, S("X-Tenant")), SIGV4_OK);
  v = make_verifier(o, NULL);
  CHECK_RESULT(outcome(v, add(copy(&base), "X-Tenant", "a")), SIGV4_UNSIGNED_HEADER);
  sigv4_verifier_free(v);
  sigv4_verifier_options_free(o);

  sigv4_verifier_options_new(&o);
  CHECK_RESULT(sigv4_verifier_options_set_allow_unsigned_payload(o, true), SIGV4_OK);
  v = make_verifier(o, NULL);
  CHECK_RESULT(outcome(v, signed_by_us("PUT", "https://example.amazonaws.com/", "data", 1)), SIGV4_OK);
  sigv4_verifier_free(v);
  v = NULL;

  /* Out-of-range options are refused by sigv4_verifier_new, naming the option. */
  sigv4_credential_store *store = NULL;
  sigv4_credential_store_new(&store);
  CHECK_RESULT(sigv4_verifier_options_set_max_skew(o, 86401), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("service"), o, &v), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_verifier_options_set_max_skew(o, 900), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_options_set_max_expires(o, 0), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("service"), o, &v), SIGV4_INVALID_OPTION);
  CHECK_RESULT(sigv4_verifier_options_set_max_expires(o, 604801), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("service"), o, &v), SIGV4_INVALID_OPTION);
  CHECK(v == NULL, "no verifier on failure");
  sigv4_verifier_options_free(o);
  CHECK_RESULT(sigv4_verifier_new(store, S(""), S("service"), NULL, &v), SIGV4_INVALID_REGION);
  CHECK_RESULT(sigv4_verifier_new(store, S("us east"), S("service"), NULL, &v), SIGV4_INVALID_REGION);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1,"), S("service"), NULL, &v), SIGV4_INVALID_REGION);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S(""), NULL, &v), SIGV4_INVALID_SERVICE);
  CHECK(v == NULL, "no verifier on failure");
  sigv4_credential_store_free(store);
  req_free(&base);
  req_free(&baseq);
}

/* SigV4a: a request signed by our SigV4a signer verifies only when the verifier allows SigV4a. */
static void sigv4a(void) {
  sigv4_credentials *creds = NULL;
  sigv4_signing_options *so = NULL;
  sigv4_signer *signer = NULL;
  sigv4_credentials_new(S(AKID), S(SECRET), NULL, 0, &creds);
  sigv4_signing_options_new(&so);
  sigv4_signing_options_set_algorithm(so, SIGV4_ALGORITHM_SIGV4A);
  CHECK_RESULT(sigv4_signer_new(creds, S("us-east-1,us-west-2"), S("service"), so, &signer), SIGV4_OK);
  sigv4_verifier_options *vo = NULL;
  sigv4_verifier_options_new(&vo);
  CHECK_RESULT(sigv4_verifier_options_set_allow_sigv4a(vo, true), SIGV4_OK);
  sigv4_verifier *allow = make_verifier(vo, NULL), *deny = make_verifier(NULL, NULL);
  for (int presign = 0; presign <= 1; presign++) {
    sigv4_signed_request *s = NULL;
    sigv4_request r = {.method = S("GET"), .url = S("https://example.amazonaws.com/?a=1")};
    CHECK_RESULT(presign ? sigv4_signer_presign(signer, &r, T0, 300, &s) : sigv4_signer_sign(signer, &r, T0, &s),
                 SIGV4_OK);
    const char *url = "";
    sigv4_signed_request_url(s, &url, NULL);
    req got = {.method = dup("GET"), .url = dup(url), .now = T0};
    for (size_t i = 0; i < sigv4_signed_request_header_count(s); i++) {
      const char *name, *value;
      sigv4_signed_request_header(s, i, &name, NULL, &value, NULL);
      got = add(got, name, value);
    }
    sigv4_signed_request_free(s);
    CHECK(outcome(deny, copy(&got)) != SIGV4_OK, "SigV4a refused unless allowed (%s)", presign ? "query" : "header");
    /* The identity says SigV4a and carries the region set. */
    sigv4_pair pairs[MAXH];
    for (size_t i = 0; i < got.n; i++) {
      pairs[i] = (sigv4_pair){S(got.names[i]), S(got.values[i])};
    }
    sigv4_request in = {.method = S("GET"), .url = S(got.url), .headers = pairs, .headers_len = got.n};
    sigv4_verified_identity *who = NULL;
    CHECK_RESULT(sigv4_verifier_verify(allow, &in, T0, &who), SIGV4_OK);
    const char *set_text = NULL;
    CHECK_RESULT(sigv4_verified_identity_region_set(who, &set_text, NULL), SIGV4_OK);
    CHECK(set_text != NULL && strcmp(set_text, "us-east-1,us-west-2") == 0, "region set %s",
          set_text ? set_text : "(null)");
    CHECK(sigv4_verified_identity_algorithm(who) == SIGV4_ALGORITHM_SIGV4A, "algorithm SigV4a");
    CHECK(sigv4_verified_identity_presigned(who) == (presign == 1), "presigned flag");
    sigv4_verified_identity_free(who);
    if (presign) {
      CHECK_RESULT(outcome(allow, q(copy(&got), "a=1", "a=2")), SIGV4_SIGNATURE_DOES_NOT_MATCH);
    } else {
      CHECK_RESULT(outcome(allow, with_url(copy(&got), "https://example.amazonaws.com/?a=2")),
                   SIGV4_SIGNATURE_DOES_NOT_MATCH);
    }
    req_free(&got);
  }
  sigv4_verifier_free(allow);
  sigv4_verifier_free(deny);
  sigv4_verifier_options_free(vo);
  sigv4_signer_free(signer);
  sigv4_signing_options_free(so);
  sigv4_credentials_free(creds);
}

/* Issue 23 reproducers: the target checked is the one the application receives. Signed by our
   signer for /a (or /a?%FF=...); each hostile target verified as /a (or was refused by piece
   length) before the fix. */
static void request_targets(void) {
  sigv4_verifier *v = make_verifier(NULL, NULL);
  const sigv4_verifier *saved = table_verifier;
  table_verifier = v;
  const req A = signed_by_us("GET", "https://example.amazonaws.com/a", "", 0);
  EXPECT("target /a", copy(&A), SIGV4_OK);
  EXPECT("target /a#x?evil=1", with_url(copy(&A), "/a#x?evil=1"), SIGV4_INVALID_URL);
  EXPECT("target /a#?evil=1", with_url(copy(&A), "/a#?evil=1"), SIGV4_INVALID_URL);
  EXPECT("target /a#", with_url(copy(&A), "/a#"), SIGV4_INVALID_URL);
  EXPECT("absolute-form, same host", with_url(copy(&A), "http://EXAMPLE.amazonaws.com:80/a"), SIGV4_OK);
  EXPECT("absolute-form, other host", with_url(copy(&A), "https://evil.example/a"), SIGV4_INVALID_URL);
  EXPECT("absolute-form, trailing dot", with_url(copy(&A), "https://example.amazonaws.com./a"),
         SIGV4_INVALID_URL);
  EXPECT("absolute-form with #", with_url(copy(&A), "https://example.amazonaws.com/a#x?evil=1"),
         SIGV4_INVALID_URL);
  EXPECT("raw dot segment", with_url(copy(&A), "/b/../a"), SIGV4_INVALID_URL);
  EXPECT("backslash", with_url(copy(&A), "/a\\b"), SIGV4_INVALID_URL);
  EXPECT("%00 in the path", with_url(copy(&A), "/a%00"), SIGV4_INVALID_URL);
  req a = A;
  req_free(&a);
  EXPECT("%FF key, 10-byte piece",
         signed_by_us("GET", "https://example.amazonaws.com/a?%FF=xxxxxx", "", 0), SIGV4_OK);
  EXPECT("%FF key, 9-byte piece",
         signed_by_us("GET", "https://example.amazonaws.com/a?%FF=xxxxx", "", 0), SIGV4_OK);
  sigv4_verifier_free(v);
  /* allow_unsigned_payload only adds UNSIGNED-PAYLOAD: an ordinary presigned URL still verifies. */
  sigv4_verifier_options *options = NULL;
  CHECK_RESULT(sigv4_verifier_options_new(&options), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_options_set_allow_unsigned_payload(options, true), SIGV4_OK);
  v = make_verifier(options, NULL);
  table_verifier = v;
  EXPECT("presigned, unsigned payloads allowed", presigned_by_us(300), SIGV4_OK);
  sigv4_verifier_free(v);
  sigv4_verifier_options_free(options);
  table_verifier = saved;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <aws-signing-test-suite/v4 directory>\n", argv[0]);
    return 2;
  }
  suite = argv[1];
  sigv4_verifier *v = make_verifier(NULL, NULL);
  table_verifier = v;
  hostile_table();
  sigv4_verifier_free(v);
  session_tokens();
  replay_cache();
  lookup_callback();
  options_change_the_checks();
  sigv4a();
  request_targets();
  CHECK(table_size >= 40, "the hostile table has %d entries (at least 40)", table_size);
  printf("C hostile table: %d inputs with their codes\n", table_size);
  return test_summary("C verify hostile");
}
