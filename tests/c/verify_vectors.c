/* The verifier through the C API against AWS's own signed requests: every v4 vector, in both forms
 * (header-signed-request.txt, query-signed-request.txt), verifies at its own timestamp, and fails
 * with one byte changed anywhere in the signed parts (method, each alphanumeric byte of the path,
 * query, every header value and the body, a byte appended to the body). A changed signature must
 * give SIGV4_SIGNATURE_DOES_NOT_MATCH with AWS's canonical request and string to sign readable
 * through sigv4_verifier_last_mismatch_*. Mirrors core/tests/verify_vectors.rs.
 * Usage: verify_vectors <v4 suite directory> [stride: test every Nth position, default 1] */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>

#include "suite.h"

static size_t stride = 1;
/* tests/verify-refused-vectors.json (issue 23): vectors whose raw target the verifier refuses. */
static char *refused_json = NULL;
static long rejected = 0;

static int names_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The next character of the same class, so a change keeps the text well-formed. */
static char bump(char c) {
  switch (c) {
    case 'z': return 'a';
    case 'Z': return 'A';
    case '9': return '0';
    case 'f': return '0'; /* hex digits stay hex (signatures) */
    default: return (char)(c + 1);
  }
}

/* True when the path byte at `at` sits in a segment a later `..` removes (changing it cannot
 * change the normalised, signed path). */
static int removed_by_dot_dot(const char *path, size_t path_len, size_t at) {
  size_t starts[256], ends[256], kept = 0, start = 0;
  while (start <= path_len) {
    const char *slash = memchr(path + start, '/', path_len - start);
    size_t end = slash ? (size_t)(slash - path) : path_len;
    size_t len = end - start;
    if (len == 2 && path[start] == '.' && path[start + 1] == '.') {
      if (kept > 0) {
        kept--;
      }
    } else if (!(len == 0 || (len == 1 && path[start] == '.')) && kept < 256) {
      starts[kept] = start;
      ends[kept] = end;
      kept++;
    }
    start = end + 1;
  }
  for (size_t i = 0; i < kept; i++) {
    if (at >= starts[i] && at < ends[i]) {
      return 0;
    }
  }
  return 1;
}

typedef struct {
  const char *name;
  const char *form;
  sigv4_verifier *verifier;
  int64_t now;
  raw_request raw;
  const char *want_cr;
  const char *want_sts;
} run;

static sigv4_result verify_raw(run *t, int64_t now, sigv4_verified_identity **who) {
  sigv4_request request = raw_as_request(&t->raw);
  return sigv4_verifier_verify(t->verifier, &request, now, who);
}

/* Verifies with the current (mutated) request; it must fail. */
static void must_fail(run *t, const char *what, size_t at) {
  sigv4_verified_identity *who = NULL;
  sigv4_result r = verify_raw(t, t->now, &who);
  CHECK(r != SIGV4_OK && who == NULL, "%s/%s: still verifies with %s byte %zu changed", t->name,
        t->form, what, at);
  sigv4_verified_identity_free(who);
  rejected++;
}

/* The mismatch detail of the last verification equals AWS's texts. */
static void check_mismatch(run *t, const char *what) {
  char *cr = NULL, *sts = NULL;
  size_t cr_len = 0, sts_len = 0;
  sigv4_result r1 = sigv4_verifier_last_mismatch_canonical_request(NULL, 0, &cr_len);
  sigv4_result r2 = sigv4_verifier_last_mismatch_string_to_sign(NULL, 0, &sts_len);
  CHECK(r1 == SIGV4_INSUFFICIENT_SIZE && r2 == SIGV4_INSUFFICIENT_SIZE,
        "%s/%s: %s: no mismatch detail (%u, %u)", t->name, t->form, what, (unsigned)r1,
        (unsigned)r2);
  if (r1 != SIGV4_INSUFFICIENT_SIZE || r2 != SIGV4_INSUFFICIENT_SIZE) {
    return;
  }
  cr = malloc(cr_len + 1);
  sts = malloc(sts_len + 1);
  CHECK_RESULT(sigv4_verifier_last_mismatch_canonical_request(cr, cr_len + 1, &cr_len), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_last_mismatch_string_to_sign(sts, sts_len + 1, &sts_len), SIGV4_OK);
  CHECK(strcmp(cr, t->want_cr) == 0, "%s/%s: %s: canonical request differs from AWS's:\n%s", t->name,
        t->form, what, cr);
  CHECK(strcmp(sts, t->want_sts) == 0, "%s/%s: %s: string to sign differs from AWS's:\n%s",
        t->name, t->form, what, sts);
  free(cr);
  free(sts);
}

/* Changes each alphanumeric byte of text[0..len) in turn (every `stride`th), verifying each. */
static void tamper_text(run *t, char *text, size_t len, const char *what, size_t sig_start,
                        size_t sig_end, int skip_dot_dot) {
  size_t seen = 0;
  for (size_t at = 0; at < len; at++) {
    if (!isalnum((unsigned char)text[at])) {
      continue;
    }
    int in_signature = at >= sig_start && at < sig_end;
    if (!in_signature && seen++ % stride != 0) {
      continue;
    }
    if (skip_dot_dot && removed_by_dot_dot(text, len, at)) {
      continue;
    }
    char saved = text[at];
    text[at] = bump(saved);
    if (in_signature) {
      sigv4_verified_identity *who = NULL;
      sigv4_result r = verify_raw(t, t->now, &who);
      CHECK(r == SIGV4_SIGNATURE_DOES_NOT_MATCH, "%s/%s: signature byte %zu changed gives %u",
            t->name, t->form, at, (unsigned)r);
      sigv4_verified_identity_free(who);
      check_mismatch(t, "signature changed");
      rejected++;
    } else {
      must_fail(t, what, at);
    }
    text[at] = saved;
  }
}

/* Offsets of the 64 hex digits after `marker` in text, or (0, 0). */
static void signature_span(const char *text, const char *marker, size_t *start, size_t *end) {
  const char *p = strstr(text, marker);
  *start = *end = 0;
  if (p != NULL) {
    *start = (size_t)(p - text) + strlen(marker);
    *end = *start + 64;
  }
}

static void check_identity(run *t, sigv4_verified_identity *who, const char *region,
                           const char *service) {
  const char *akid = NULL, *got_region = NULL, *got_service = NULL, *date = NULL, *signed_h = NULL;
  size_t akid_len = 0;
  CHECK_RESULT(sigv4_verified_identity_access_key_id(who, &akid, &akid_len), SIGV4_OK);
  CHECK_RESULT(sigv4_verified_identity_region(who, &got_region, NULL), SIGV4_OK);
  CHECK_RESULT(sigv4_verified_identity_service(who, &got_service, NULL), SIGV4_OK);
  CHECK_RESULT(sigv4_verified_identity_amz_date(who, &date, NULL), SIGV4_OK);
  CHECK_RESULT(sigv4_verified_identity_signed_headers(who, &signed_h, NULL), SIGV4_OK);
  if (akid == NULL || got_region == NULL || got_service == NULL || date == NULL ||
      signed_h == NULL) {
    return;
  }
  CHECK(strcmp(akid, "AKIDEXAMPLE") == 0 && akid_len == 11, "%s/%s: access key id %s", t->name,
        t->form, akid);
  CHECK(strcmp(got_region, region) == 0 && strcmp(got_service, service) == 0,
        "%s/%s: scope %s/%s", t->name, t->form, got_region, got_service);
  CHECK(strcmp(date, "20150830T123600Z") == 0, "%s/%s: amz date %s", t->name, t->form, date);
  CHECK(strncmp(signed_h, "host", 4) == 0 || strstr(signed_h, ";host") != NULL,
        "%s/%s: signed headers %s", t->name, t->form, signed_h);
  CHECK(sigv4_verified_identity_presigned(who) == (strcmp(t->form, "query") == 0),
        "%s/%s: presigned flag", t->name, t->form);
  CHECK(sigv4_verified_identity_algorithm(who) == SIGV4_ALGORITHM_SIGV4, "%s/%s: algorithm",
        t->name, t->form);
  int64_t when = 0, until = 0;
  CHECK_RESULT(sigv4_verified_identity_signing_time(who, &when), SIGV4_OK);
  CHECK(when == t->now, "%s/%s: signing time %lld", t->name, t->form, (long long)when);
  CHECK_RESULT(sigv4_verified_identity_expires_at(who, &until),
               strcmp(t->form, "query") == 0 ? SIGV4_OK : SIGV4_NOT_AVAILABLE);
  const char *set = NULL;
  CHECK_RESULT(sigv4_verified_identity_region_set(who, &set, NULL), SIGV4_NOT_AVAILABLE);
}

static int run_form(const char *dir, const char *name, const char *form) {
  int before = test_failed;
  char *context = read_in(dir, "context.json", NULL);
  char *akid = json_string(context, "access_key_id");
  char *secret = json_string(context, "secret_access_key");
  char *token = json_string(context, "token");
  char *region = json_string(context, "region");
  char *service = json_string(context, "service");
  char *timestamp = json_string(context, "timestamp");
  long long expires = json_int(context, "expiration_in_seconds", 0);
  char file[64];
  size_t len = 0;
  snprintf(file, sizeof file, "%s-signed-request.txt", form);
  char *text = read_in(dir, file, &len);
  snprintf(file, sizeof file, "%s-canonical-request.txt", form);
  char *want_cr = read_in(dir, file, NULL);
  snprintf(file, sizeof file, "%s-string-to-sign.txt", form);
  char *want_sts = read_in(dir, file, NULL);
  run t = {.name = name, .form = form, .want_cr = want_cr, .want_sts = want_sts};
  strbuf sendable = {0};
  sigv4_credential_store *store = NULL;
  sigv4_verifier_options *options = NULL;
  CHECK_RESULT(sigv4_credential_store_new(&store), SIGV4_OK);
  CHECK_RESULT(sigv4_credential_store_add(store, S(akid), S(secret),
                                          token ? (const uint8_t *)token : NULL,
                                          token ? strlen(token) : 0),
               SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_options_new(&options), SIGV4_OK);
  int normalize = json_bool(context, "normalize", 1);
  if (!normalize) {
    CHECK_RESULT(sigv4_verifier_options_set_normalize_path(options, false), SIGV4_OK);
  }
  if (json_bool(context, "omit_session_token", 0)) {
    CHECK_RESULT(sigv4_verifier_options_set_sign_session_token(options, false), SIGV4_OK);
  }
  CHECK_RESULT(sigv4_verifier_new(store, S(region), S(service), options, &t.verifier), SIGV4_OK);
  CHECK_RESULT(sigv4_timestamp_parse(S(timestamp), &t.now), SIGV4_OK);
  if (parse_request(text, len, &t.raw) != 0 || t.verifier == NULL || want_cr == NULL ||
      want_sts == NULL) {
    CHECK(0, "%s/%s: cannot read the case", name, form);
    goto done;
  }

  /* Issue 23: a raw target the application would read differently is refused (InvalidUrl); the
     normalised path AWS signed is then sent instead, and everything below runs on it. */
  sigv4_verified_identity *who = NULL;
  sigv4_result r;
  strbuf key = {0};
  sb_puts(&key, "\"");
  sb_puts(&key, name);
  sb_puts(&key, "\":");
  const char *entry = strstr(refused_json, key.data);
  sb_free(&key);
  if (entry != NULL) {
    r = verify_raw(&t, t.now, &who);
    CHECK(r == SIGV4_INVALID_URL, "%s/%s: raw target must be refused with SIGV4_INVALID_URL, got %s",
          name, form, sigv4_result_message(r));
    char *instead = json_string(entry, "send_instead");
    if (instead == NULL) {
      goto done;
    }
    const char *question = strchr(t.raw.target, '?');
    sb_puts(&sendable, instead);
    sb_puts(&sendable, question ? question : "");
    t.raw.target = sendable.data;
    free(instead);
  }

  /* It verifies, at its own timestamp. */
  r = verify_raw(&t, t.now, &who);
  if (r != SIGV4_OK) {
    char message[512];
    size_t message_len;
    sigv4_last_error_message(message, sizeof message, &message_len);
    CHECK(0, "%s/%s: does not verify: %s (%s)", name, form, sigv4_result_message(r), message);
    goto done;
  }
  check_identity(&t, who, region, service);
  CHECK(sigv4_verified_identity_session_token_used(who) == (token != NULL),
        "%s/%s: session token used", name, form);
  sigv4_verified_identity_free(who);
  who = NULL;
  CHECK_RESULT(sigv4_verifier_last_mismatch_canonical_request(NULL, 0, &len), SIGV4_NOT_AVAILABLE);

  /* ... and only inside its time window. */
  if (strcmp(form, "header") == 0) {
    CHECK_RESULT(verify_raw(&t, t.now + 901, &who), SIGV4_REQUEST_TIME_TOO_SKEWED);
    CHECK_RESULT(verify_raw(&t, t.now - 901, &who), SIGV4_REQUEST_TIME_TOO_SKEWED);
  } else {
    CHECK_RESULT(verify_raw(&t, t.now + expires, &who), SIGV4_OK);
    sigv4_verified_identity_free(who);
    who = NULL;
    CHECK_RESULT(verify_raw(&t, t.now + expires + 1, &who), SIGV4_REQUEST_EXPIRED);
  }

  /* One byte changed anywhere in the signed parts fails. */
  char saved = t.raw.method[0];
  t.raw.method[0] = bump(saved);
  must_fail(&t, "method", 0);
  t.raw.method[0] = saved;
  char *target = t.raw.target;
  char *question = strchr(target, '?');
  size_t path_len = question ? (size_t)(question - target) : strlen(target);
  tamper_text(&t, target, path_len, "path", 0, 0, normalize);
  if (question != NULL) {
    size_t s0, s1;
    signature_span(question + 1, "X-Amz-Signature=", &s0, &s1);
    tamper_text(&t, question + 1, strlen(question + 1), "query", s0, s1, 0);
  }
  for (size_t i = 0; i < t.raw.header_count; i++) {
    strbuf *value = &t.raw.values[i];
    size_t s0 = 0, s1 = 0;
    if (strcmp(t.raw.names[i].data, "Authorization") == 0) {
      signature_span(value->data, "Signature=", &s0, &s1);
    }
    tamper_text(&t, value->data, value->len, t.raw.names[i].data, s0, s1, 0);
  }
  /* The body: each byte, and a byte appended (a body of our own, so the file stays intact). */
  strbuf body = {0};
  sb_append(&body, t.raw.body, t.raw.body_len);
  t.raw.body = body.data;
  for (size_t at = 0; at < body.len; at += stride) {
    char b = body.data[at];
    body.data[at] = bump(b);
    must_fail(&t, "body", at);
    body.data[at] = b;
  }
  sb_puts(&body, "x");
  t.raw.body = body.data;
  t.raw.body_len = body.len;
  must_fail(&t, "appended body", body.len - 1);
  sb_free(&body);

done:
  sb_free(&sendable);
  if (t.raw.text != NULL) {
    raw_free(&t.raw);
  } else {
    free(text);
  }
  sigv4_verifier_free(t.verifier);
  sigv4_verifier_options_free(options);
  sigv4_credential_store_free(store);
  free(want_cr);
  free(want_sts);
  free(context);
  free(akid);
  free(secret);
  free(token);
  free(region);
  free(service);
  free(timestamp);
  return test_failed == before;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s <aws-signing-test-suite/v4 directory> [stride]\n", argv[0]);
    return 2;
  }
  if (argc == 3) {
    stride = (size_t)strtoul(argv[2], NULL, 10);
    if (stride == 0) {
      stride = 1;
    }
  }
  strbuf refused_path = {0};
  sb_puts(&refused_path, argv[1]);
  sb_puts(&refused_path, "/../../../verify-refused-vectors.json");
  refused_json = read_file(refused_path.data, NULL);
  sb_free(&refused_path);
  if (refused_json == NULL) {
    fprintf(stderr, "cannot read verify-refused-vectors.json next to the vectors\n");
    return 2;
  }
  DIR *d = opendir(argv[1]);
  if (d == NULL) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  char *names[256];
  size_t count = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && count < 256) {
    if (e->d_name[0] != '.') {
      names[count++] = strdup(e->d_name);
    }
  }
  closedir(d);
  qsort(names, count, sizeof names[0], names_cmp);
  int verified = 0;
  for (size_t i = 0; i < count; i++) {
    strbuf dir = {0};
    sb_puts(&dir, argv[1]);
    sb_puts(&dir, "/");
    sb_puts(&dir, names[i]);
    verified += run_form(dir.data, names[i], "header");
    verified += run_form(dir.data, names[i], "query");
    sb_free(&dir);
    free(names[i]);
  }
  CHECK(count == 38, "the v4 suite has 38 cases, found %zu", count);
  free(refused_json);
  printf("C verifier: %d of %zu vector forms verified, %ld tampered requests rejected (stride %zu)\n",
         verified, count * 2, rejected, stride);
  return test_summary("C verify vectors");
}
