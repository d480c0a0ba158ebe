/* tests/behaviour/one_call.json (expected values computed by botocore): sigv4_sign_v4 per service.
 *
 * The table holds only objects, arrays and strings; a small reader for exactly that shape turns it
 * into a tree (anything else in it fails the run rather than being skipped). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef enum { J_STRING, J_ARRAY, J_OBJECT } jkind;

typedef struct jvalue {
  jkind kind;
  char *text;            /* J_STRING: the decoded text (NUL-terminated; no NULs in this table) */
  char **keys;           /* J_OBJECT: member names, parallel to items */
  struct jvalue **items; /* J_ARRAY / J_OBJECT: the members */
  size_t count;
} jvalue;

static const char *skip_ws(const char *p) {
  while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') {
    p++;
  }
  return p;
}

static void put_utf8(strbuf *sb, unsigned cp) {
  char out[3];
  if (cp < 0x80) {
    out[0] = (char)cp;
    sb_append(sb, out, 1);
  } else if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    sb_append(sb, out, 2);
  } else {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    sb_append(sb, out, 3);
  }
}

/* A JSON string starting at the quote under `*pp`; NULL on malformed input. */
static char *parse_string(const char **pp) {
  const char *p = *pp;
  if (*p != '"') {
    return NULL;
  }
  p++;
  strbuf sb = {0};
  sb_append(&sb, "", 0);
  while (*p != '"') {
    if (*p == '\0') {
      sb_free(&sb);
      return NULL;
    }
    if (*p != '\\') {
      sb_append(&sb, p++, 1);
      continue;
    }
    p++;
    char c = *p++;
    switch (c) {
      case 'n': sb_append(&sb, "\n", 1); break;
      case 't': sb_append(&sb, "\t", 1); break;
      case 'r': sb_append(&sb, "\r", 1); break;
      case '"': case '\\': case '/': sb_append(&sb, &c, 1); break;
      case 'u': {
        unsigned cp = 0;
        for (int i = 0; i < 4; i++, p++) {
          char h = *p;
          unsigned d = (h >= '0' && h <= '9') ? (unsigned)(h - '0')
                       : (h >= 'a' && h <= 'f') ? (unsigned)(h - 'a' + 10)
                       : (h >= 'A' && h <= 'F') ? (unsigned)(h - 'A' + 10) : 99u;
          if (d == 99u) {
            sb_free(&sb);
            return NULL;
          }
          cp = cp * 16 + d;
        }
        put_utf8(&sb, cp); /* the table has no surrogate pairs (only ASCII escapes) */
        break;
      }
      default:
        sb_free(&sb);
        return NULL;
    }
  }
  *pp = p + 1;
  return sb.data;
}

static void jfree(jvalue *v);

static jvalue *parse_value(const char **pp) {
  const char *p = skip_ws(*pp);
  jvalue *v = calloc(1, sizeof *v);
  if (v == NULL) {
    return NULL;
  }
  if (*p == '"') {
    v->kind = J_STRING;
    v->text = parse_string(&p);
    if (v->text == NULL) {
      free(v);
      return NULL;
    }
  } else if (*p == '[' || *p == '{') {
    int object = *p == '{';
    char close = object ? '}' : ']';
    v->kind = object ? J_OBJECT : J_ARRAY;
    p = skip_ws(p + 1);
    while (*p != close) {
      char *key = NULL;
      if (object) {
        key = parse_string(&p);
        p = skip_ws(p);
        if (key == NULL || *p != ':') {
          free(key);
          jfree(v);
          return NULL;
        }
        p++;
      }
      jvalue *item = parse_value(&p);
      if (item == NULL) {
        free(key);
        jfree(v);
        return NULL;
      }
      v->items = realloc(v->items, (v->count + 1) * sizeof *v->items);
      v->keys = realloc(v->keys, (v->count + 1) * sizeof *v->keys);
      v->items[v->count] = item;
      v->keys[v->count] = key;
      v->count++;
      p = skip_ws(p);
      if (*p == ',') {
        p = skip_ws(p + 1);
      } else if (*p != close) {
        jfree(v);
        return NULL;
      }
    }
    p++;
  } else {
    free(v); /* numbers, true/false/null: not in this table */
    return NULL;
  }
  *pp = p;
  return v;
}

static void jfree(jvalue *v) {
  if (v == NULL) {
    return;
  }
  for (size_t i = 0; i < v->count; i++) {
    jfree(v->items[i]);
    free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->text);
  free(v);
}

/* The member `key` of object `v` (NULL when absent or `v` is not an object). */
static const jvalue *member(const jvalue *v, const char *key) {
  if (v == NULL || v->kind != J_OBJECT) {
    return NULL;
  }
  for (size_t i = 0; i < v->count; i++) {
    if (strcmp(v->keys[i], key) == 0) {
      return v->items[i];
    }
  }
  return NULL;
}

/* The string member `key` ("" when absent, counted as a failure by the comparisons). */
static const char *str(const jvalue *v, const char *key) {
  const jvalue *m = member(v, key);
  return (m != NULL && m->kind == J_STRING) ? m->text : "";
}

/* [[name, value], ...] as sigv4_pair values borrowing the tree's strings (malloc'd array). */
static sigv4_pair *pairs_of(const jvalue *list, size_t *count) {
  *count = list == NULL ? 0 : list->count;
  sigv4_pair *out = calloc(*count + 1, sizeof *out);
  for (size_t i = 0; out != NULL && i < *count; i++) {
    const jvalue *pair = list->items[i];
    out[i].name = (const uint8_t *)pair->items[0]->text;
    out[i].name_len = strlen(pair->items[0]->text);
    out[i].value = (const uint8_t *)pair->items[1]->text;
    out[i].value_len = strlen(pair->items[1]->text);
  }
  return out;
}

/* The value of header `name` (any case) among the ones the result says to send, or NULL. */
static char *sent_header(const sigv4_signed_request *s, const char *name) {
  for (size_t i = 0;; i++) {
    const char *n = NULL;
    const char *v = NULL;
    size_t nl = 0;
    size_t vl = 0;
    if (sigv4_signed_request_header(s, i, &n, &nl, &v, &vl) != SIGV4_OK) {
      return NULL;
    }
    if (nl == strlen(name)) {
      size_t k = 0;
      while (k < nl && (n[k] | 0x20) == (name[k] | 0x20)) {
        k++;
      }
      if (k == nl) {
        char *copy = malloc(vl + 1);
        memcpy(copy, v, vl);
        copy[vl] = '\0';
        return copy;
      }
    }
  }
}

static void run_case(const jvalue *c) {
  const char *name = str(c, "name");
  const jvalue *p = member(c, "params");
  const jvalue *want = member(c, "expected");
  size_t nq = 0;
  size_t nh = 0;
  sigv4_pair *query = pairs_of(member(p, "query_params"), &nq);
  sigv4_pair *headers = pairs_of(member(p, "headers"), &nh);
  sigv4_sign_v4_params params = {0};
  params.access_key = (const uint8_t *)str(p, "access_key");
  params.access_key_len = strlen(str(p, "access_key"));
  params.secret_key = (const uint8_t *)str(p, "secret_key");
  params.secret_key_len = strlen(str(p, "secret_key"));
  params.region = (const uint8_t *)str(p, "region");
  params.region_len = strlen(str(p, "region"));
  params.service = (const uint8_t *)str(p, "service");
  params.service_len = strlen(str(p, "service"));
  params.method = (const uint8_t *)str(p, "method");
  params.method_len = strlen(str(p, "method"));
  params.uri = (const uint8_t *)str(p, "uri");
  params.uri_len = strlen(str(p, "uri"));
  params.query_params = query;
  params.query_params_len = nq;
  params.headers = headers;
  params.headers_len = nh;
  params.payload = (const uint8_t *)str(p, "payload");
  params.payload_len = strlen(str(p, "payload"));
  params.timestamp = (const uint8_t *)str(p, "timestamp");
  params.timestamp_len = strlen(str(p, "timestamp"));
  if (member(p, "session_token") != NULL) {
    params.session_token = (const uint8_t *)str(p, "session_token");
    params.session_token_len = strlen(str(p, "session_token"));
  }
  sigv4_signed_request *s = NULL;
  sigv4_result r = sigv4_sign_v4(&params, &s);
  CHECK(r == SIGV4_OK, "%s: sigv4_sign_v4: %s", name, sigv4_result_message(r));
  if (s != NULL) {
    CHECK(strcmp(field(s, SIGV4_FIELD_AUTHORIZATION), str(want, "authorization")) == 0, "%s: authorization", name);
    CHECK(strcmp(field(s, SIGV4_FIELD_SIGNATURE), str(want, "signature")) == 0, "%s: signature", name);
    CHECK(strcmp(field(s, SIGV4_FIELD_AMZ_DATE), str(want, "timestamp")) == 0, "%s: timestamp", name);
    CHECK(strcmp(field(s, SIGV4_FIELD_CANONICAL_REQUEST), str(want, "canonical_request")) == 0,
          "%s: canonical request", name);
    CHECK(strcmp(field(s, SIGV4_FIELD_STRING_TO_SIGN), str(want, "string_to_sign")) == 0,
          "%s: string to sign", name);
    const jvalue *added = member(want, "added_headers");
    for (size_t i = 0; added != NULL && i < added->count; i++) {
      char *got = sent_header(s, added->keys[i]);
      CHECK(got != NULL && strcmp(got, added->items[i]->text) == 0, "%s: header %s", name, added->keys[i]);
      free(got);
    }
    sigv4_signed_request_free(s);
  }
  free(query);
  free(headers);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: one_call tests/behaviour/one_call.json\n");
    return 2;
  }
  char *text = read_file(argv[1], NULL);
  CHECK(text != NULL, "cannot read %s", argv[1]);
  if (text == NULL) {
    return test_summary("one_call");
  }
  const char *cursor = text;
  jvalue *table = parse_value(&cursor);
  CHECK(table != NULL, "%s is not the JSON shape this reader knows", argv[1]);
  const jvalue *cases = member(table, "cases");
  CHECK(cases != NULL && cases->kind == J_ARRAY && cases->count >= 5, "no cases in %s", argv[1]);
  for (size_t i = 0; cases != NULL && i < cases->count; i++) {
    run_case(cases->items[i]);
  }
  jfree(table);
  free(text);
  return test_summary("one_call (tests/behaviour/one_call.json, expected values from botocore)");
}
