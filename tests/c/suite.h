/* Reading the AWS SigV4 test suite in C: request.txt parsed as core/tests/vectors.rs does. */
#ifndef SIGV4_TEST_SUITE_H
#define SIGV4_TEST_SUITE_H

#include "util.h"

#define MAX_HEADERS 32

/* A raw request from request.txt. */
typedef struct {
  char *text; /* the file, cut in place */
  char *method;
  char *target;
  strbuf names[MAX_HEADERS];
  strbuf values[MAX_HEADERS];
  strbuf raw_lines[MAX_HEADERS];
  size_t header_count;
  const char *body;
  size_t body_len;
  sigv4_pair pairs[MAX_HEADERS]; /* the headers as the C API takes them */
} raw_request;

/* Parses `text` (`len` bytes, malloc'd; owned by `r` from now on, even on failure). */
int parse_request(char *text, size_t len, raw_request *r);
/* Frees what parse_request allocated. */
void raw_free(raw_request *r);
/* A sigv4_request view of `r` (borrowing it). */
sigv4_request raw_as_request(raw_request *r);
/* Reads `dir`/`name` (malloc'd, NUL-terminated; NULL with a message on error). */
char *read_in(const char *dir, const char *name, size_t *len);
/* Reads `dir`/`name`, NULL without a message when it does not exist. */
char *read_in_quiet(const char *dir, const char *name);
/* Reads `dir`/`name` and drops trailing newlines (for signature.txt). */
char *read_trimmed(const char *dir, const char *name);

#endif
