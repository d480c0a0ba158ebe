/* sigv4_verifier_verify_many against AWS's own signed requests: a batch of five v4 vectors in both
 * forms, each followed by a copy with its signature changed, repeated for several rounds (enough for
 * the batch to use worker threads), plus entries that are not readable (NULL url, invalid UTF-8).
 * Every entry gets its own result in order; with the replay cache on, the rounds after the first are
 * SIGV4_REQUEST_REPLAYED. Also: an empty batch, NULL arguments, no identities array.
 * Usage: verify_many <aws-signing-test-suite/v4 directory> */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdlib.h>

#include "suite.h"

#define CASES 5
#define ROUNDS 12
static const char *const NAMES[CASES] = {
    "get-vanilla", "post-vanilla", "get-vanilla-query-order-key-case",
                                         "post-x-www-form-urlencoded", "get-header-value-trim"};
static const char *const FORMS[2] = {"header", "query"};

/* The last hex digit of the signature in `text` (after the last "Signature="), changed. */
static void flip_signature(char *text) {
  char *at = NULL;
  for (char *p = strstr(text, "Signature="); p != NULL; p = strstr(p + 1, "Signature=")) {
    at = p;
  }
  if (at == NULL) {
    return;
  }
  char *end = at + strlen("Signature=");
  while (isxdigit((unsigned char)*end)) {
    end++;
  }
  end[-1] = end[-1] == '0' ? '1' : '0';
}

static sigv4_verifier *verifier_with(size_t replay_capacity) {
  sigv4_credential_store *store = NULL;
  sigv4_verifier_options *options = NULL;
  sigv4_verifier *verifier = NULL;
  CHECK_RESULT(sigv4_credential_store_new(&store), SIGV4_OK);
  CHECK_RESULT(sigv4_credential_store_add(store, S("AKIDEXAMPLE"),
                                          S("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), NULL, 0),
               SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_options_new(&options), SIGV4_OK);
  if (replay_capacity > 0) {
    CHECK_RESULT(sigv4_verifier_options_set_replay_cache_capacity(options, replay_capacity),
                 SIGV4_OK);
  }
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("service"), options, &verifier),
               SIGV4_OK);
  sigv4_verifier_options_free(options);
  sigv4_credential_store_free(store);
  return verifier;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <aws-signing-test-suite/v4 directory>\n", argv[0]);
    return 2;
  }
  /* Each vector and form twice: as signed, and with the signature changed. */
  raw_request good[CASES * 2], bad[CASES * 2];
  for (size_t c = 0; c < CASES; c++) {
    for (size_t f = 0; f < 2; f++) {
      strbuf dir = {0}, file = {0};
      sb_puts(&dir, argv[1]);
      sb_puts(&dir, "/");
      sb_puts(&dir, NAMES[c]);
      sb_puts(&file, FORMS[f]);
      sb_puts(&file, "-signed-request.txt");
      size_t len = 0;
      char *text = read_in(dir.data, file.data, &len);
      char *copy = text ? malloc(len + 1) : NULL;
      if (copy != NULL) {
        memcpy(copy, text, len + 1);
      }
      if (text == NULL || copy == NULL || parse_request(text, len, &good[c * 2 + f]) != 0 ||
          parse_request(copy, len, &bad[c * 2 + f]) != 0) {
        fprintf(stderr, "cannot read %s/%s\n", dir.data, file.data);
        return 2;
      }
      raw_request *b = &bad[c * 2 + f];
      if (f == 0) {
        for (size_t h = 0; h < b->header_count; h++) {
          if (strcmp(b->names[h].data, "Authorization") == 0) {
            flip_signature(b->values[h].data);
          }
        }
      } else {
        flip_signature(b->target);
      }
      sb_free(&dir);
      sb_free(&file);
    }
  }
  int64_t now = 0;
  CHECK_RESULT(sigv4_timestamp_parse(S("20150830T123600Z"), &now), SIGV4_OK);

  /* The batch: ROUNDS x (good, bad) per vector and form, then two unreadable entries. */
  size_t count = ROUNDS * CASES * 2 * 2 + 2;
  sigv4_request *requests = calloc(count, sizeof *requests);
  sigv4_result *results = calloc(count, sizeof *results);
  sigv4_verified_identity **identities = calloc(count, sizeof *identities);
  size_t n = 0;
  for (size_t r = 0; r < ROUNDS; r++) {
    for (size_t i = 0; i < CASES * 2; i++) {
      requests[n++] = raw_as_request(&good[i]);
      requests[n++] = raw_as_request(&bad[i]);
    }
  }
  requests[n] = raw_as_request(&good[0]);
  requests[n].url = NULL; /* NULL with a length */
  n++;
  requests[n] = raw_as_request(&good[0]);
  requests[n].method = (const uint8_t *)"G\xff";
  requests[n].method_len = 2;
  n++;

  for (size_t replay = 0; replay < 2; replay++) {
    for (size_t threads = 0; threads < 3; threads++) {
      sigv4_verifier *verifier = verifier_with(replay ? 10000 : 0);
      memset(results, 0xff, count * sizeof *results);
      CHECK_RESULT(sigv4_verifier_verify_many(verifier, requests, count, now, threads, results,
                                              identities),
                   SIGV4_OK);
      for (size_t i = 0; i + 2 < count; i++) {
        int first_round = i < CASES * 2 * 2;
        sigv4_result want = i % 2 == 1                      ? SIGV4_SIGNATURE_DOES_NOT_MATCH
                            : (replay && !first_round)      ? SIGV4_REQUEST_REPLAYED
                                                            : SIGV4_OK;
        CHECK(results[i] == want, "replay %zu threads %zu entry %zu: got %s, want %s", replay,
              threads, i, sigv4_result_message(results[i]), sigv4_result_message(want));
        CHECK((results[i] == SIGV4_OK) == (identities[i] != NULL), "entry %zu: identity", i);
        if (identities[i] != NULL) {
          const char *akid = NULL;
          size_t akid_len = 0;
          CHECK_RESULT(sigv4_verified_identity_access_key_id(identities[i], &akid, &akid_len),
                       SIGV4_OK);
          CHECK(akid != NULL && akid_len == 11 && memcmp(akid, "AKIDEXAMPLE", 11) == 0,
                "entry %zu: access key id", i);
          sigv4_verified_identity_free(identities[i]);
        }
      }
      CHECK_RESULT(results[count - 2], SIGV4_NULL_PARAMETER);
      CHECK_RESULT(results[count - 1], SIGV4_INVALID_UTF8);
      CHECK(identities[count - 2] == NULL && identities[count - 1] == NULL, "unreadable: no identity");
      sigv4_verifier_free(verifier);
    }
  }

  /* Without an identities array; an empty batch; NULL arguments; a bad clock. */
  sigv4_verifier *verifier = verifier_with(0);
  CHECK_RESULT(sigv4_verifier_verify_many(verifier, requests, 4, now, 2, results, NULL), SIGV4_OK);
  CHECK(results[0] == SIGV4_OK && results[1] == SIGV4_SIGNATURE_DOES_NOT_MATCH, "no identities array");
  CHECK_RESULT(sigv4_verifier_verify_many(verifier, NULL, 0, now, 0, NULL, NULL), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_verify_many(NULL, requests, 4, now, 0, results, NULL),
               SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_verifier_verify_many(verifier, NULL, 4, now, 0, results, NULL),
               SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_verifier_verify_many(verifier, requests, 4, now, 0, NULL, NULL),
               SIGV4_NULL_PARAMETER);
  CHECK_RESULT(sigv4_verifier_verify_many(verifier, requests, 4, INT64_MAX, 0, results, NULL),
               SIGV4_INVALID_TIMESTAMP);
  sigv4_verifier_free(verifier);

  for (size_t i = 0; i < CASES * 2; i++) {
    raw_free(&good[i]);
    raw_free(&bad[i]);
  }
  free(requests);
  free(results);
  free(identities);
  printf("C verify_many: %zu entries per batch, 6 batches\n", count);
  return test_summary("C verify many");
}
