/* One verifier shared by 8 threads: each thread verifies AWS's signed requests (the suite's cases
 * with the shared credentials, both forms) in its own order, and a tampered copy of each that must
 * fail with SIGV4_SIGNATURE_DOES_NOT_MATCH and leave its mismatch detail on that thread. Even
 * threads use a verifier built from a credential store, odd ones a verifier with a C lookup
 * callback (which must be thread-safe: this one is a pure function).
 * Usage: verify_threads <v4 suite directory> [scale: rounds = 12 / scale] */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>

#include "suite.h"

#define THREADS 8
#define MAX_CASES 96
#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

typedef struct {
  char *name;
  raw_request raw;
  sigv4_request request;
  sigv4_request tampered;
  sigv4_pair tampered_headers[MAX_HEADERS];
} test_case;

static test_case cases[MAX_CASES];
static size_t case_count = 0;
static sigv4_verifier *verifiers[2];
static long rounds = 12;
static int64_t now = 1440938160;

static sigv4_credentials *lookup(void *userdata, const uint8_t *akid, size_t len) {
  (void)userdata;
  sigv4_credentials *out = NULL;
  if (len == strlen(AKID) && memcmp(akid, AKID, len) == 0) {
    sigv4_credentials_new(S(AKID), S(SECRET), NULL, 0, &out);
  }
  return out;
}

typedef struct {
  int id;
  long passed;
  long failed;
} worker;

static void *work(void *arg) {
  worker *w = arg;
  const sigv4_verifier *v = verifiers[w->id % 2];
  for (long round = 0; round < rounds; round++) {
    for (size_t k = 0; k < case_count; k++) {
      test_case *c = &cases[(k * 7 + (size_t)w->id * 5 + (size_t)round) % case_count];
      sigv4_verified_identity *who = NULL;
      sigv4_result r = sigv4_verifier_verify(v, &c->request, now, &who);
      const char *akid = NULL;
      int ok = r == SIGV4_OK && sigv4_verified_identity_access_key_id(who, &akid, NULL) == SIGV4_OK &&
               strcmp(akid, AKID) == 0;
      sigv4_verified_identity_free(who);
      who = NULL;
      sigv4_result t = sigv4_verifier_verify(v, &c->tampered, now, &who);
      size_t cr_len = 0;
      ok = ok && t == SIGV4_SIGNATURE_DOES_NOT_MATCH && who == NULL &&
           sigv4_verifier_last_mismatch_canonical_request(NULL, 0, &cr_len) == SIGV4_INSUFFICIENT_SIZE &&
           cr_len > 0;
      if (ok) {
        w->passed++;
      } else {
        w->failed++;
        fprintf(stderr, "thread %d: %s: %s / tampered %s\n", w->id, c->name, sigv4_result_message(r),
                sigv4_result_message(t));
      }
    }
  }
  return NULL;
}

/* tests/verify-refused-vectors.json: vectors whose raw target the verifier refuses (issue 23;
   verify_vectors checks them), left out here where every request must verify. */
static char *refused_json = NULL;

static int refused(const char *name) {
  strbuf key = {0};
  sb_puts(&key, "\"");
  sb_puts(&key, name);
  sb_puts(&key, "\":");
  int found = refused_json != NULL && strstr(refused_json, key.data) != NULL;
  sb_free(&key);
  return found;
}

/* Loads `form`-signed-request.txt of a case that uses the shared credentials and settings. */
static void load_case(const char *dir, const char *name, const char *form) {
  char *context = read_in(dir, "context.json", NULL);
  int usable = context != NULL && strstr(context, "\"token\"") == NULL &&
               json_bool(context, "normalize", 1) && case_count < MAX_CASES && !refused(name);
  free(context);
  if (!usable) {
    return;
  }
  char file[64];
  snprintf(file, sizeof file, "%s-signed-request.txt", form);
  size_t len = 0;
  char *text = read_in(dir, file, &len);
  test_case *c = &cases[case_count];
  if (parse_request(text, len, &c->raw) != 0) {
    raw_free(&c->raw);
    return;
  }
  c->name = strdup(name);
  c->request = raw_as_request(&c->raw);
  /* The tampered copy: the Host header's value replaced (Host is always signed). */
  c->tampered = c->request;
  memcpy(c->tampered_headers, c->raw.pairs, sizeof c->raw.pairs);
  for (size_t i = 0; i < c->raw.header_count; i++) {
    if (strcmp(c->raw.names[i].data, "Host") == 0) {
      c->tampered_headers[i].value = (const uint8_t *)"example.amazonaws.org";
      c->tampered_headers[i].value_len = strlen("example.amazonaws.org");
    }
  }
  c->tampered.headers = c->tampered_headers;
  case_count++;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s <v4 suite directory> [scale]\n", argv[0]);
    return 2;
  }
  if (argc == 3 && atol(argv[2]) > 0) {
    rounds = 12 / atol(argv[2]);
    if (rounds < 1) {
      rounds = 1;
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
    return 2;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') {
      continue;
    }
    strbuf dir = {0};
    sb_puts(&dir, argv[1]);
    sb_puts(&dir, "/");
    sb_puts(&dir, e->d_name);
    load_case(dir.data, e->d_name, "header");
    load_case(dir.data, e->d_name, "query");
    sb_free(&dir);
  }
  closedir(d);
  CHECK(case_count >= 40, "loaded %zu requests", case_count);
  free(refused_json);

  sigv4_credential_store *store = NULL;
  sigv4_credential_store_new(&store);
  sigv4_credential_store_add(store, S(AKID), S(SECRET), NULL, 0);
  CHECK_RESULT(sigv4_verifier_new(store, S("us-east-1"), S("service"), NULL, &verifiers[0]), SIGV4_OK);
  CHECK_RESULT(sigv4_verifier_new_with_lookup(lookup, NULL, S("us-east-1"), S("service"), NULL, &verifiers[1]),
               SIGV4_OK);
  sigv4_credential_store_free(store);

  pthread_t threads[THREADS];
  worker workers[THREADS];
  for (int i = 0; i < THREADS; i++) {
    workers[i] = (worker){.id = i};
    CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0, "pthread_create");
  }
  long passed = 0, failed = 0;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(threads[i], NULL);
    passed += workers[i].passed;
    failed += workers[i].failed;
  }
  CHECK(failed == 0 && passed == (long)THREADS * rounds * (long)case_count,
        "%ld verifications passed, %ld failed", passed, failed);
  printf("C verifier threads: %d threads x %ld rounds x %zu requests (+ tampered): %ld passed, %ld failed\n",
         THREADS, rounds, case_count, passed, failed);
  sigv4_verifier_free(verifiers[0]);
  sigv4_verifier_free(verifiers[1]);
  for (size_t i = 0; i < case_count; i++) {
    raw_free(&cases[i].raw);
    free(cases[i].name);
  }
  return test_summary("C verify threads");
}
