/* One signer handle shared by 8 threads: each thread signs and presigns the suite's cases (those
 * using the signer's settings) in a different order and checks every signature against the suite.
 * Usage: threads <v4 suite directory> [rounds per thread] */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>

#include "suite.h"

#define THREADS 8
#define MAX_CASES 64

typedef struct {
  char *name;
  raw_request raw;
  sigv4_request request;
  char *want_header;
  char *want_query;
} test_case;

static test_case cases[MAX_CASES];
static size_t case_count = 0;
static sigv4_signer *shared_signer = NULL;
static long rounds = 20;

typedef struct {
  int id;
  long passed;
  long failed;
} worker;

static void *work(void *arg) {
  worker *w = arg;
  for (long round = 0; round < rounds; round++) {
    for (size_t k = 0; k < case_count; k++) {
      test_case *c = &cases[(k * 7 + (size_t)w->id * 5 + (size_t)round) % case_count];
      int presign = (int)((k + (size_t)w->id + (size_t)round) % 2);
      sigv4_signed_request *s = NULL;
      sigv4_result r = presign ? sigv4_signer_presign(shared_signer, &c->request, 1440938160, 3600, &s)
                               : sigv4_signer_sign(shared_signer, &c->request, 1440938160, &s);
      const char *sig = NULL;
      if (r == SIGV4_OK && sigv4_signed_request_signature(s, &sig, NULL) == SIGV4_OK &&
          strcmp(sig, presign ? c->want_query : c->want_header) == 0) {
        w->passed++;
      } else {
        w->failed++;
        fprintf(stderr, "thread %d: %s (%s) wrong: %s\n", w->id, c->name,
                presign ? "query" : "header", r == SIGV4_OK ? sig : sigv4_result_message(r));
      }
      sigv4_signed_request_free(s);
    }
  }
  return NULL;
}

static int load(const char *root) {
  DIR *d = opendir(root);
  if (d == NULL) {
    return -1;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL && case_count < MAX_CASES) {
    if (e->d_name[0] == '.') {
      continue;
    }
    strbuf dir = {0};
    sb_puts(&dir, root);
    sb_puts(&dir, "/");
    sb_puts(&dir, e->d_name);
    char *context = read_in(dir.data, "context.json", NULL);
    /* Only the cases whose settings are the signer's: defaults, no session token. */
    if (context != NULL && json_bool(context, "normalize", 1) && !json_bool(context, "sign_body", 0) &&
        strstr(context, "\"token\"") == NULL) {
      test_case *c = &cases[case_count];
      size_t len = 0;
      char *text = read_in(dir.data, "request.txt", &len);
      if (parse_request(text, len, &c->raw) == 0) {
        c->name = strdup(e->d_name);
        c->request = raw_as_request(&c->raw);
        c->want_header = read_trimmed(dir.data, "header-signature.txt");
        c->want_query = read_trimmed(dir.data, "query-signature.txt");
        case_count++;
      } else {
        raw_free(&c->raw);
      }
    }
    free(context);
    sb_free(&dir);
  }
  closedir(d);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s <v4 suite directory> [rounds]\n", argv[0]);
    return 2;
  }
  if (argc > 2) {
    rounds = atol(argv[2]);
  }
  if (load(argv[1]) != 0 || case_count < 20) {
    fprintf(stderr, "could not load the suite from %s (%zu cases)\n", argv[1], case_count);
    return 2;
  }
  sigv4_credentials *creds = NULL;
  if (sigv4_credentials_new(S("AKIDEXAMPLE"), S("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), NULL, 0,
                            &creds) != SIGV4_OK ||
      sigv4_signer_new(creds, S("us-east-1"), S("service"), NULL, &shared_signer) != SIGV4_OK) {
    fprintf(stderr, "cannot create the signer\n");
    return 2;
  }
  sigv4_credentials_free(creds);
  pthread_t threads[THREADS];
  worker workers[THREADS];
  for (int i = 0; i < THREADS; i++) {
    workers[i] = (worker){.id = i};
    if (pthread_create(&threads[i], NULL, work, &workers[i]) != 0) {
      fprintf(stderr, "pthread_create failed\n");
      return 2;
    }
  }
  long passed = 0, failed = 0;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(threads[i], NULL);
    passed += workers[i].passed;
    failed += workers[i].failed;
  }
  sigv4_signer_free(shared_signer);
  for (size_t i = 0; i < case_count; i++) {
    free(cases[i].name);
    free(cases[i].want_header);
    free(cases[i].want_query);
    raw_free(&cases[i].raw);
  }
  printf("C threads (%d threads, one signer, %zu cases x %ld rounds each): %ld passed, %ld failed\n",
         THREADS, case_count, rounds, passed, failed);
  return failed == 0 && passed == (long)THREADS * rounds * (long)case_count ? 0 : 1;
}
