/* The C replay store interface (sigv4_verifier_options_set_replay_store): two verifiers sharing one
 * store written in C accept a request once; the key and its time to live; a failing store refuses
 * with SIGV4_REPLAY_STORE_UNAVAILABLE (fail closed) unless fail_open; a failed verification never
 * reaches the store. The store here is an in-process table standing in for Redis (the Python and
 * Node suites run the real Redis). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>

#include "suite.h"

#define T0 1440938160 /* 20150830T123600Z, the suite's signing time */
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define MAX_KEYS 16

static const char *suite;

/* A shared store: keys with their expiry, a mutex, and a switch that makes it fail. */
typedef struct {
  pthread_mutex_t lock;
  char keys[MAX_KEYS][65];
  size_t count;
  int down; /* answer -1 (a store failure) */
  int calls;
  uint64_t last_ttl_ms;
  char last_key[65];
} table_store;

static int32_t claim(void *userdata, const uint8_t *key, size_t key_len, uint64_t ttl_ms) {
  table_store *t = userdata;
  pthread_mutex_lock(&t->lock);
  t->calls++;
  int32_t answer;
  if (t->down) {
    answer = -1;
  } else {
    answer = SIGV4_REPLAY_FRESH;
    for (size_t i = 0; i < t->count; i++) {
      if (strlen(t->keys[i]) == key_len && memcmp(t->keys[i], key, key_len) == 0) {
        answer = SIGV4_REPLAY_SEEN;
      }
    }
    if (answer == SIGV4_REPLAY_FRESH && t->count < MAX_KEYS && key_len == 64) {
      memcpy(t->keys[t->count], key, 64);
      t->keys[t->count][64] = '\0';
      t->count++;
    }
  }
  t->last_ttl_ms = ttl_ms;
  size_t n = key_len < 64 ? key_len : 64;
  memcpy(t->last_key, key, n);
  t->last_key[n] = '\0';
  pthread_mutex_unlock(&t->lock);
  return answer;
}

static sigv4_verifier *verifier_with(table_store *t, bool fail_open) {
  sigv4_verifier_options *options = NULL;
  sigv4_credential_store *store = NULL;
  sigv4_verifier *v = NULL;
  CHECK_RESULT(sigv4_verifier_options_new(&options), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_options_set_replay_store(options, claim, t, fail_open), SIGV4_OK);
  CHECK_RESULT(sigv4_credential_store_new(&store), SIGV4_OK);
  CHECK_RESULT(sigv4_credential_store_add(store, S("AKIDEXAMPLE"), S(SECRET), NULL, 0), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("service"), options, &v), SIGV4_OK);
  sigv4_credential_store_free(store);
  sigv4_verifier_options_free(options); /* the verifier keeps the callback */
  return v;
}

/* Verifies the suite's `name` vector in `form` ("header"/"query") at `now`; `tamper` changes a
 * byte of the path so the signature no longer matches. */
static sigv4_result verify(const sigv4_verifier *v, const char *name, const char *form, int64_t now,
                           int tamper) {
  strbuf dir = {0}, file = {0};
  sb_puts(&dir, suite);
  sb_puts(&dir, "/");
  sb_puts(&dir, name);
  sb_puts(&file, form);
  sb_puts(&file, "-signed-request.txt");
  size_t len = 0;
  char *text = read_in(dir.data, file.data, &len);
  sb_free(&dir);
  sb_free(&file);
  if (text == NULL) {
    exit(2);
  }
  raw_request raw;
  if (parse_request(text, len, &raw) != 0) {
    fprintf(stderr, "cannot parse %s\n", name);
    exit(2);
  }
  sigv4_request request = raw_as_request(&raw);
  char *url = NULL;
  if (tamper) {
    url = malloc(request.url_len + 2);
    memcpy(url, request.url, request.url_len);
    url[0] = '/';
    memmove(url + 2, url + 1, request.url_len - 1);
    url[1] = 'x';
    request.url = (const uint8_t *)url;
    request.url_len += 1;
  }
  sigv4_verified_identity *who = NULL;
  sigv4_result result = sigv4_verifier_verify(v, &request, now, &who);
  sigv4_verified_identity_free(who);
  free(url);
  raw_free(&raw);
  return result;
}

static int lowercase_hex(const char *s) {
  if (strlen(s) != 64) {
    return 0;
  }
  for (; *s; s++) {
    if (!isxdigit((unsigned char)*s) || isupper((unsigned char)*s)) {
      return 0;
    }
  }
  return 1;
}

static void shared_by_two_verifiers(void) {
  table_store t = {.lock = PTHREAD_MUTEX_INITIALIZER};
  sigv4_verifier *a = verifier_with(&t, false), *b = verifier_with(&t, false);
  CHECK_RESULT(verify(a, "get-vanilla", "header", T0, 1), SIGV4_SIGNATURE_DOES_NOT_MATCH);
  CHECK(t.calls == 0, "a failed verification never reaches the store (%d calls)", t.calls);
  CHECK_RESULT(verify(a, "get-vanilla", "header", T0, 0), SIGV4_OK);
  CHECK(t.calls == 1, "one store call per verification");
  CHECK(lowercase_hex(t.last_key), "the key is 64 lowercase hex digits: %s", t.last_key);
  /* Header form: valid until X-Amz-Date + the 900 s skew, inclusive. */
  CHECK(t.last_ttl_ms == 901000, "header ttl %llu ms, want 901000", (unsigned long long)t.last_ttl_ms);
  char first[65];
  memcpy(first, t.last_key, sizeof first);
  CHECK_RESULT(verify(b, "get-vanilla", "header", T0 + 5, 0), SIGV4_REQUEST_REPLAYED);
  CHECK(strcmp(first, t.last_key) == 0, "both verifiers derive the same key");
  CHECK(t.last_ttl_ms == 896000, "ttl counts down with now: %llu", (unsigned long long)t.last_ttl_ms);
  /* The presigned form of the same request is another signature: fresh, kept until its expiry. */
  CHECK_RESULT(verify(b, "get-vanilla", "query", T0 + 100, 0), SIGV4_OK);
  CHECK(strcmp(first, t.last_key) != 0, "another signature, another key");
  CHECK(t.last_ttl_ms == (3600 - 100 + 1) * 1000ULL, "query ttl %llu ms, want the expiry",
        (unsigned long long)t.last_ttl_ms);
  CHECK_RESULT(verify(a, "get-vanilla", "query", T0 + 101, 0), SIGV4_REQUEST_REPLAYED);
  CHECK(sigv4_verifier_replay_cache_len(a) == 0, "an external store holds nothing in the verifier");
  sigv4_verifier_free(a);
  sigv4_verifier_free(b);
}

static void store_down(void) {
  table_store t = {.lock = PTHREAD_MUTEX_INITIALIZER};
  sigv4_verifier *closed = verifier_with(&t, false), *open = verifier_with(&t, true);
  t.down = 1;
  CHECK_RESULT(verify(closed, "get-vanilla", "header", T0, 0), SIGV4_REPLAY_STORE_UNAVAILABLE);
  char message[512];
  size_t len = 0;
  CHECK_RESULT(sigv4_last_error_message(message, sizeof message, &len), SIGV4_OK);
  CHECK(strstr(message, "ReplayStoreUnavailable") != NULL || strstr(message, "replay store") != NULL,
        "the message names the store: %s", message);
  CHECK(strstr(sigv4_result_message(SIGV4_REPLAY_STORE_UNAVAILABLE), "ReplayStoreUnavailable") != NULL,
        "result message");
  CHECK_RESULT(verify(open, "get-vanilla", "header", T0, 0), SIGV4_OK); /* fail open: accepted */
  t.down = 0;
  /* Recovers without a new verifier; the refused request was never stored, so it passes now. */
  CHECK_RESULT(verify(closed, "get-vanilla", "header", T0, 0), SIGV4_OK);
  CHECK_RESULT(verify(open, "get-vanilla", "header", T0, 0), SIGV4_REQUEST_REPLAYED);
  sigv4_verifier_free(closed);
  sigv4_verifier_free(open);
}

static void removing_and_null(void) {
  CHECK_RESULT(sigv4_verifier_options_set_replay_store(NULL, claim, NULL, false), SIGV4_NULL_PARAMETER);
  table_store t = {.lock = PTHREAD_MUTEX_INITIALIZER};
  sigv4_verifier_options *options = NULL;
  sigv4_credential_store *store = NULL;
  sigv4_verifier *v = NULL;
  sigv4_verifier_options_new(&options);
  CHECK_RESULT(sigv4_verifier_options_set_replay_store(options, claim, &t, false), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_options_set_replay_store(options, NULL, NULL, false), SIGV4_OK);
  sigv4_credential_store_new(&store);
  sigv4_credential_store_add(store, S("AKIDEXAMPLE"), S(SECRET), NULL, 0);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("service"), options, &v), SIGV4_OK);
  CHECK_RESULT(verify(v, "get-vanilla", "header", T0, 0), SIGV4_OK);
  CHECK_RESULT(verify(v, "get-vanilla", "header", T0, 0), SIGV4_OK);
  CHECK(t.calls == 0, "a NULL callback removes the store");
  sigv4_verifier_free(v);
  sigv4_credential_store_free(store);
  sigv4_verifier_options_free(options);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <aws-signing-test-suite/v4 directory>\n", argv[0]);
    return 2;
  }
  suite = argv[1];
  shared_by_two_verifiers();
  store_down();
  removing_and_null();
  return test_summary("C replay store");
}
