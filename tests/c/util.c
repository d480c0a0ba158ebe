/* See util.h. */
#include "util.h"

#include <stdlib.h>

int test_passed = 0;
int test_failed = 0;

int test_summary(const char *label) {
  printf("%s: %d passed, %d failed\n", label, test_passed, test_failed);
  return test_failed == 0 && test_passed > 0 ? 0 : 1;
}

char *read_file(const char *path, size_t *len_out) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    return NULL;
  }
  strbuf sb = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    sb_append(&sb, chunk, n);
  }
  fclose(f);
  if (sb.data == NULL) {
    sb_append(&sb, "", 0);
  }
  if (len_out != NULL) {
    *len_out = sb.len;
  }
  return sb.data;
}

/* Points just past `"key"` and the following colon, or NULL. */
static const char *json_value(const char *json, const char *key) {
  size_t key_len = strlen(key);
  const char *p = json;
  while ((p = strchr(p, '"')) != NULL) {
    if (strncmp(p + 1, key, key_len) == 0 && p[1 + key_len] == '"') {
      const char *q = p + 2 + key_len;
      while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') {
        q++;
      }
      if (*q == ':') {
        q++;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') {
          q++;
        }
        return q;
      }
    }
    p++;
  }
  return NULL;
}

char *json_string(const char *json, const char *key) {
  const char *p = json_value(json, key);
  if (p == NULL || *p != '"') {
    return NULL;
  }
  p++;
  strbuf sb = {0};
  sb_append(&sb, "", 0);
  while (*p != '\0' && *p != '"') {
    if (*p == '\\' && p[1] != '\0') {
      p++;
      char c = *p;
      switch (c) {
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case 'r': c = '\r'; break;
        default: break; /* \" \\ \/ */
      }
      sb_append(&sb, &c, 1);
    } else {
      sb_append(&sb, p, 1);
    }
    p++;
  }
  return sb.data;
}

int json_bool(const char *json, const char *key, int fallback) {
  const char *p = json_value(json, key);
  if (p == NULL) {
    return fallback;
  }
  if (strncmp(p, "true", 4) == 0) {
    return 1;
  }
  if (strncmp(p, "false", 5) == 0) {
    return 0;
  }
  return fallback;
}

long long json_int(const char *json, const char *key, long long fallback) {
  const char *p = json_value(json, key);
  if (p == NULL) {
    return fallback;
  }
  char *end;
  long long v = strtoll(p, &end, 10);
  return end == p ? fallback : v;
}

void sb_append(strbuf *sb, const char *bytes, size_t len) {
  if (sb->len + len + 1 > sb->cap) {
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + len + 1) {
      cap *= 2;
    }
    char *grown = realloc(sb->data, cap);
    if (grown == NULL) {
      abort();
    }
    sb->data = grown;
    sb->cap = cap;
  }
  if (len > 0) {
    memcpy(sb->data + sb->len, bytes, len);
  }
  sb->len += len;
  sb->data[sb->len] = '\0';
}

void sb_puts(strbuf *sb, const char *text) { sb_append(sb, text, strlen(text)); }

void sb_free(strbuf *sb) {
  free(sb->data);
  sb->data = NULL;
  sb->len = sb->cap = 0;
}

const char *field(const sigv4_signed_request *signed_request, sigv4_field which) {
  const char *value = NULL;
  size_t len = 0;
  sigv4_result r = sigv4_signed_request_field(signed_request, which, &value, &len);
  CHECK(r == SIGV4_OK, "field %u: %s", (unsigned)which, sigv4_result_message(r));
  if (r != SIGV4_OK) {
    return "";
  }
  CHECK(strlen(value) == len, "field %u: length %zu but strlen %zu", (unsigned)which, len,
        strlen(value));
  return value;
}
