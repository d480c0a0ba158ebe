/* Small helpers shared by the C tests: file reading, a tiny JSON field reader, a string builder,
 * and pass/fail counting. Not part of libsigv4. */
#ifndef SIGV4_TEST_UTIL_H
#define SIGV4_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sigv4.h"

/* A (pointer, length) argument pair from a NUL-terminated string. */
#define S(text) (const uint8_t *)(text), strlen(text)

extern int test_passed;
extern int test_failed;

/* Records one check; prints a line only on failure. */
#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    if (cond) {                                                            \
      test_passed++;                                                       \
    } else {                                                               \
      test_failed++;                                                       \
      fprintf(stderr, "FAILED %s:%d: ", __FILE__, __LINE__);               \
      fprintf(stderr, __VA_ARGS__);                                        \
      fprintf(stderr, "\n");                                               \
    }                                                                      \
  } while (0)

/* Checks that `call` returned `expected`, naming both on failure. */
#define CHECK_RESULT(call, expected)                                                      \
  do {                                                                                    \
    sigv4_result check_result_got_ = (call);                                              \
    CHECK(check_result_got_ == (sigv4_result)(expected), "%s: got %u (%s), want %u (%s)", \
          #call, (unsigned)check_result_got_, sigv4_result_message(check_result_got_),    \
          (unsigned)(expected), sigv4_result_message(expected));                          \
  } while (0)

/* Prints "<label>: N passed, M failed" and returns the process exit code. */
int test_summary(const char *label);

/* The whole file, NUL-terminated (malloc'd; NULL on error). */
char *read_file(const char *path, size_t *len_out);

/* The string value of the first "key": "..." in `json` (malloc'd, NULL when absent). */
char *json_string(const char *json, const char *key);
/* The boolean value of "key" (1/0), or `fallback` when absent. */
int json_bool(const char *json, const char *key, int fallback);
/* The integer value of "key", or `fallback` when absent. */
long long json_int(const char *json, const char *key, long long fallback);

/* A growable byte string, always NUL-terminated. */
typedef struct {
  char *data;
  size_t len;
  size_t cap;
} strbuf;

void sb_append(strbuf *sb, const char *bytes, size_t len);
void sb_puts(strbuf *sb, const char *text);
void sb_free(strbuf *sb);

/* A borrowed field of a signed request as a NUL-terminated string ("" on error, counted as failure). */
const char *field(const sigv4_signed_request *signed_request, sigv4_field which);

#endif
