/* The AWS SigV4 test suite (tests/vectors/aws-signing-test-suite/v4), every case in both forms,
 * through the C API: canonical request, string to sign, signature and the signed request, byte for
 * byte. Mirrors core/tests/vectors.rs (request parsing with obs-fold, rendering of the result).
 *
 * With "v4a", the SigV4a suite (v4a/) with the SIGV4_ALGORITHM_SIGV4A option: canonical request,
 * string to sign and the signed request byte for byte with the suite's signature in place of ours
 * (ECDSA signatures are random; core/tests/sigv4a_suite.rs verifies ours with the suite's public
 * key), and the signature's shape (hex DER). Cases without expected outputs must sign.
 * Usage: vectors <v4 or v4a suite directory> [v4a] */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdlib.h>

#include "suite.h"

static int names_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Compares one produced text with the expected file; prints both on a difference. */
static int same(const char *what, const char *case_name, const char *form, const char *got,
                const char *want) {
  if (strcmp(got, want) == 0) {
    return 1;
  }
  fprintf(stderr, "%s/%s: %s differs\n--- expected\n%s\n--- got\n%s\n", case_name, form, what, want,
          got);
  return 0;
}

/* Renders the signed request as the suite writes it: the caller's headers as given (folded lines
 * verbatim), then the ones the signer added. */
static int render(const raw_request *raw, const sigv4_signed_request *signed_request, strbuf *out) {
  sb_puts(out, raw->method);
  sb_puts(out, " ");
  sb_puts(out, field(signed_request, SIGV4_FIELD_URL));
  sb_puts(out, " HTTP/1.1\n");
  size_t count = sigv4_signed_request_header_count(signed_request);
  for (size_t i = 0; i < count; i++) {
    const char *name, *value;
    size_t name_len, value_len;
    if (sigv4_signed_request_header(signed_request, i, &name, &name_len, &value, &value_len) !=
        SIGV4_OK) {
      return 0;
    }
    if (i < raw->header_count) {
      if (strcmp(name, raw->names[i].data) != 0 || strcmp(value, raw->values[i].data) != 0) {
        fprintf(stderr, "header %zu is %s:%s, expected the caller's %s:%s\n", i, name, value,
                raw->names[i].data, raw->values[i].data);
        return 0;
      }
      sb_puts(out, raw->raw_lines[i].data);
    } else {
      sb_append(out, name, name_len);
      sb_puts(out, ":");
      sb_append(out, value, value_len);
    }
    sb_puts(out, "\n");
  }
  sb_puts(out, "\n");
  sb_append(out, raw->body, raw->body_len);
  return 1;
}

static int v4a = 0;

/* The value after "Signature=" in `text`, up to a space or newline (malloc'd; "" when absent). */
static char *signature_in(const char *text) {
  const char *p = strstr(text, "Signature=");
  size_t len = 0;
  if (p != NULL) {
    p += strlen("Signature=");
    len = strcspn(p, " \n");
  }
  char *out = malloc(len + 1);
  memcpy(out, p != NULL ? p : "", len);
  out[len] = '\0';
  return out;
}

/* `text` with every `from` replaced by `to` (malloc'd through a strbuf). */
static void replace_all(strbuf *text, const char *from, const char *to) {
  strbuf out = {0};
  sb_append(&out, "", 0);
  const char *p = text->data, *hit;
  while (from[0] != '\0' && (hit = strstr(p, from)) != NULL) {
    sb_append(&out, p, (size_t)(hit - p));
    sb_puts(&out, to);
    p = hit + strlen(from);
  }
  sb_puts(&out, p);
  sb_free(text);
  *text = out;
}

/* A SigV4a signature: lowercase hex of a DER SEQUENCE (30 ...), 8..72 bytes. */
static int der_hex(const char *sig) {
  size_t n = strlen(sig);
  if (n < 16 || n > 144 || n % 2 != 0 || strncmp(sig, "30", 2) != 0) {
    return 0;
  }
  return strspn(sig, "0123456789abcdef") == n;
}

static void trim_end(char *s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) {
    s[--n] = '\0';
  }
}

/* Runs one case in one form; returns 1 when everything matches. */
static int run_case(const char *dir, const char *name, int presigned) {
  const char *form = presigned ? "query" : "header";
  int ok = 0;
  size_t len = 0;
  char *context = read_in(dir, "context.json", NULL);
  char *text = read_in(dir, "request.txt", &len);
  char *akid = context ? json_string(context, "access_key_id") : NULL;
  char *secret = context ? json_string(context, "secret_access_key") : NULL;
  char *token = context ? json_string(context, "token") : NULL;
  char *region = context ? json_string(context, "region") : NULL;
  char *service = context ? json_string(context, "service") : NULL;
  char *timestamp = context ? json_string(context, "timestamp") : NULL;
  raw_request raw;
  memset(&raw, 0, sizeof raw);
  sigv4_credentials *creds = NULL;
  sigv4_signing_options *options = NULL;
  sigv4_signer *signer = NULL;
  sigv4_signed_request *signed_request = NULL;
  strbuf rendered = {0};
  char *want[4] = {NULL, NULL, NULL, NULL};

  if (text == NULL || akid == NULL || secret == NULL || region == NULL || service == NULL ||
      timestamp == NULL || parse_request(text, len, &raw) != 0) {
    fprintf(stderr, "%s: cannot read the case\n", name);
    if (raw.text == NULL) {
      free(text);
    }
    goto done;
  }
  sigv4_result r = sigv4_credentials_new(S(akid), S(secret), token ? (const uint8_t *)token : NULL,
                                         token ? strlen(token) : 0, &creds);
  if (r == SIGV4_OK) {
    r = sigv4_signing_options_new(&options);
  }
  if (r == SIGV4_OK && v4a) {
    r = sigv4_signing_options_set_algorithm(options, SIGV4_ALGORITHM_SIGV4A);
  }
  if (r == SIGV4_OK && !json_bool(context, "normalize", 1)) {
    r = sigv4_signing_options_set_normalize_path(options, false);
  }
  if (r == SIGV4_OK && json_bool(context, "sign_body", 0)) {
    r = sigv4_signing_options_set_content_sha256_header(options, true);
  }
  if (r == SIGV4_OK && json_bool(context, "omit_session_token", 0)) {
    r = sigv4_signing_options_set_sign_session_token(options, false);
  }
  if (r == SIGV4_OK) {
    r = sigv4_signer_new(creds, S(region), S(service), options, &signer);
  }
  int64_t when = 0;
  if (r == SIGV4_OK) {
    r = sigv4_timestamp_parse(S(timestamp), &when);
  }
  sigv4_request request = raw_as_request(&raw);
  if (r == SIGV4_OK) {
    r = presigned ? sigv4_signer_presign(signer, &request, when,
                                         (uint64_t)json_int(context, "expiration_in_seconds", 0),
                                         &signed_request)
                  : sigv4_signer_sign(signer, &request, when, &signed_request);
  }
  if (r != SIGV4_OK) {
    char message[512];
    size_t message_len;
    sigv4_last_error_message(message, sizeof message, &message_len);
    fprintf(stderr, "%s/%s: %s (%s)\n", name, form, sigv4_result_message(r), message);
    goto done;
  }
  if (v4a) {
    char *key = read_in_quiet(dir, "public-key.json");
    if (key == NULL) {
      /* A request-only case: it must sign, with a well-formed signature. */
      ok = der_hex(field(signed_request, SIGV4_FIELD_SIGNATURE)) ? 2 : 0;
      goto done;
    }
    free(key);
  }
  const char *files[4] = {"canonical-request.txt", "string-to-sign.txt", "signature.txt",
                          "signed-request.txt"};
  for (int i = 0; i < 4; i++) {
    strbuf file = {0};
    sb_puts(&file, form);
    sb_puts(&file, "-");
    sb_puts(&file, files[i]);
    want[i] = read_in(dir, file.data, NULL);
    sb_free(&file);
    if (want[i] == NULL) {
      goto done;
    }
  }
  trim_end(want[2]);
  ok = render(&raw, signed_request, &rendered);
  ok &= same("canonical request", name, form, field(signed_request, SIGV4_FIELD_CANONICAL_REQUEST),
             want[0]);
  ok &= same("string to sign", name, form, field(signed_request, SIGV4_FIELD_STRING_TO_SIGN),
             want[1]);
  if (v4a) {
    const char *ours = field(signed_request, SIGV4_FIELD_SIGNATURE);
    if (!der_hex(ours)) {
      fprintf(stderr, "%s/%s: signature %s is not hex DER\n", name, form, ours);
      ok = 0;
    }
    char *theirs = signature_in(want[3]);
    if (rendered.data != NULL) {
      replace_all(&rendered, ours, theirs);
    }
    free(theirs);
  } else {
    ok &= same("signature", name, form, field(signed_request, SIGV4_FIELD_SIGNATURE), want[2]);
  }
  ok &= rendered.data != NULL && same("signed request", name, form, rendered.data, want[3]);

done:
  for (int i = 0; i < 4; i++) {
    free(want[i]);
  }
  sb_free(&rendered);
  sigv4_signed_request_free(signed_request);
  sigv4_signer_free(signer);
  sigv4_signing_options_free(options);
  sigv4_credentials_free(creds);
  if (raw.text != NULL) {
    raw_free(&raw);
  }
  free(context);
  free(akid);
  free(secret);
  free(token);
  free(region);
  free(service);
  free(timestamp);
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "v4a") != 0)) {
    fprintf(stderr, "usage: %s <aws-signing-test-suite/v4 or v4a directory> [v4a]\n", argv[0]);
    return 2;
  }
  v4a = argc == 3;
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
  int passed = 0, failed = 0, request_only = 0;
  for (size_t i = 0; i < count; i++) {
    strbuf dir = {0};
    sb_puts(&dir, argv[1]);
    sb_puts(&dir, "/");
    sb_puts(&dir, names[i]);
    for (int presigned = 0; presigned <= 1; presigned++) {
      int result = run_case(dir.data, names[i], presigned);
      if (result == 2) {
        request_only++;
      } else if (result) {
        passed++;
      } else {
        failed++;
        printf("vector v4/%s/%s ... FAILED\n", names[i], presigned ? "query" : "header");
      }
    }
    sb_free(&dir);
    free(names[i]);
  }
  /* v4 has 38 cases; v4a 40, 2 of them without expected outputs. Fewer means the directory is
   * wrong, which must not pass silently. */
  if (count != (v4a ? 40u : 38u) || request_only != (v4a ? 4 : 0)) {
    printf("unexpected suite size in %s: %zu cases, %d request-only runs\n", argv[1], count,
           request_only);
    failed++;
  }
  if (v4a) {
    printf("(v4a: %d request-only runs signed)\n", request_only);
  }
  printf("C vectors%s: %d passed, %d failed\n", v4a ? " (SigV4a)" : "", passed, failed);
  return failed == 0 && test_failed == 0 ? 0 : 1;
}
