/* See suite.h. */
#include "suite.h"

#include <stdlib.h>

void raw_free(raw_request *r) {
  for (size_t i = 0; i < r->header_count; i++) {
    sb_free(&r->names[i]);
    sb_free(&r->values[i]);
    sb_free(&r->raw_lines[i]);
  }
  free(r->text);
}

/* Parses like core/tests/vectors.rs: head and body split at the first blank line, folded lines
 * joined to the previous value with a space, raw lines kept for re-rendering. */
int parse_request(char *text, size_t len, raw_request *r) {
  memset(r, 0, sizeof *r);
  r->text = text;
  if (text == NULL) {
    return -1;
  }
  char *split = strstr(text, "\n\n");
  char *head_end;
  if (split != NULL) {
    head_end = split;
    r->body = split + 2;
    r->body_len = len - (size_t)(split + 2 - text);
  } else {
    head_end = text + len;
    while (head_end > text && head_end[-1] == '\n') {
      head_end--;
    }
    r->body = "";
    r->body_len = 0;
  }
  *head_end = '\0';
  char *line_end = strchr(text, '\n');
  char *rest = NULL;
  if (line_end != NULL) {
    *line_end = '\0';
    rest = line_end + 1;
  }
  char *sp = strchr(text, ' ');
  char *last_sp = strrchr(text, ' ');
  if (sp == NULL || last_sp == sp) {
    return -1;
  }
  *sp = '\0';
  *last_sp = '\0';
  r->method = text;
  r->target = sp + 1;
  while (rest != NULL) {
    char *line = rest;
    char *nl = strchr(line, '\n');
    if (nl != NULL) {
      *nl = '\0';
      rest = nl + 1;
    } else {
      rest = NULL;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      if (r->header_count == 0) {
        return -1;
      }
      strbuf *v = &r->values[r->header_count - 1];
      sb_puts(v, " ");
      sb_puts(v, line);
      strbuf *raw = &r->raw_lines[r->header_count - 1];
      sb_puts(raw, "\n");
      sb_puts(raw, line);
    } else {
      char *colon = strchr(line, ':');
      if (colon == NULL || r->header_count == MAX_HEADERS) {
        return -1;
      }
      size_t i = r->header_count++;
      sb_append(&r->names[i], line, (size_t)(colon - line));
      sb_puts(&r->values[i], colon + 1);
      sb_puts(&r->raw_lines[i], line);
    }
  }
  return 0;
}

char *read_in(const char *dir, const char *name, size_t *len) {
  strbuf path = {0};
  sb_puts(&path, dir);
  sb_puts(&path, "/");
  sb_puts(&path, name);
  char *text = read_file(path.data, len);
  if (text == NULL) {
    fprintf(stderr, "cannot read %s\n", path.data);
  }
  sb_free(&path);
  return text;
}


sigv4_request raw_as_request(raw_request *r) {
  for (size_t i = 0; i < r->header_count; i++) {
    r->pairs[i].name = (const uint8_t *)r->names[i].data;
    r->pairs[i].name_len = r->names[i].len;
    r->pairs[i].value = (const uint8_t *)r->values[i].data;
    r->pairs[i].value_len = r->values[i].len;
  }
  sigv4_request request = {0};
  request.method = (const uint8_t *)r->method;
  request.method_len = strlen(r->method);
  request.url = (const uint8_t *)r->target;
  request.url_len = strlen(r->target);
  request.headers = r->pairs;
  request.headers_len = r->header_count;
  request.body = (const uint8_t *)r->body;
  request.body_len = r->body_len;
  return request;
}

char *read_trimmed(const char *dir, const char *name) {
  char *text = read_in(dir, name, NULL);
  if (text != NULL) {
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' ')) {
      text[--n] = '\0';
    }
  }
  return text;
}

char *read_in_quiet(const char *dir, const char *name) {
  strbuf path = {0};
  sb_puts(&path, dir);
  sb_puts(&path, "/");
  sb_puts(&path, name);
  char *text = read_file(path.data, NULL);
  sb_free(&path);
  return text;
}
