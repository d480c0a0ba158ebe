/* The C side of `make demo`: signed calls to an IAM-protected API over a plain socket, one it must
 * refuse, and a presigned URL.
 *
 *   demo_client <baseUrl like http://127.0.0.1:PORT[/stage]> [--expect-demo]
 *
 * Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), the region
 * from AWS_REGION (us-east-1), the service is execute-api. With --expect-demo (what `make demo`
 * passes) every outcome is checked against the local demo server (examples/demo/server.py) and the
 * exit code is 1 when one differs; otherwise the calls are made and printed, nothing is asserted.
 * http:// goes over a plain socket; for an https:// endpoint (a real API Gateway) the same bytes go
 * through `openssl s_client` as the TLS pipe (the example links no TLS library). */
#define _POSIX_C_SOURCE 200809L
#include <netdb.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sigv4.h>

#define TAG "[c]"

static int strict = 0;
static int failures = 0;
static char host[256], port[16] = "80", prefix[512] = "";
static const char *scheme = "http";

/* The HTTP response: status code and body (NUL-terminated). */
typedef struct {
  int status;
  char *raw;
  const char *body;
} response;

static void fail_sigv4(const char *what, sigv4_result r) {
  char why[512];
  size_t len;
  sigv4_last_error_message(why, sizeof why, &len);
  fprintf(stderr, "%s %s: %s (%s)\n", TAG, what, sigv4_result_message(r), why);
}

/* Splits http(s)://host[:port][/prefix] into the globals; 0 on success. */
static int parse_base(const char *base) {
  const char *start;
  if (strncmp(base, "http://", 7) == 0) {
    start = base + 7;
  } else if (strncmp(base, "https://", 8) == 0) {
    start = base + 8;
    scheme = "https";
    snprintf(port, sizeof port, "443");
  } else {
    fprintf(stderr, "%s the base URL must be http(s)://host[:port][/prefix] (got %s)\n", TAG, base);
    return -1;
  }
  const char *slash = strchr(start, '/');
  const char *end = slash ? slash : start + strlen(start);
  const char *colon = memchr(start, ':', (size_t)(end - start));
  const char *host_end = colon ? colon : end;
  if (host_end == start || (size_t)(host_end - start) >= sizeof host) {
    return -1;
  }
  snprintf(host, sizeof host, "%.*s", (int)(host_end - start), start);
  if (colon != NULL) {
    snprintf(port, sizeof port, "%.*s", (int)(end - colon - 1), colon + 1);
  }
  snprintf(prefix, sizeof prefix, "%s", slash ? slash : "");
  size_t n = strlen(prefix);
  while (n > 0 && prefix[n - 1] == '/') {
    prefix[--n] = '\0';
  }
  return 0;
}

/* Starts `openssl s_client` connected to host:port; fd_in and fd_out get its stdin and stdout. */
static pid_t start_tls_pipe(int *fd_in, int *fd_out) {
  int to_child[2], from_child[2];
  if (pipe(to_child) != 0 || pipe(from_child) != 0) {
    return -1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    char connect_to[300];
    snprintf(connect_to, sizeof connect_to, "%s:%s", host, port);
    dup2(to_child[0], 0);
    dup2(from_child[1], 1);
    FILE *devnull = freopen("/dev/null", "w", stderr);
    (void)devnull;
    close(to_child[1]);
    close(from_child[0]);
    execlp("openssl", "openssl", "s_client", "-quiet", "-ign_eof", "-connect", connect_to,
           "-servername", host, (char *)NULL);
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  *fd_in = to_child[1];
  *fd_out = from_child[0];
  return pid;
}

/* Sends `head` and `body`, reads the whole answer (Connection: close). 0 on success. */
static int exchange(const char *head, const char *body, response *out) {
  memset(out, 0, sizeof *out);
  int tls = strcmp(scheme, "https") == 0, fd = -1, fd_write = -1;
  pid_t child = -1;
  if (tls) {
    child = start_tls_pipe(&fd_write, &fd);
    if (child < 0) {
      fprintf(stderr, "%s cannot start openssl s_client for %s\n", TAG, host);
      return -1;
    }
    goto connected;
  }
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *addr = NULL;
  if (getaddrinfo(host, port, &hints, &addr) != 0) {
    fprintf(stderr, "%s cannot resolve %s\n", TAG, host);
    return -1;
  }
  fd = socket(addr->ai_family, addr->ai_socktype, addr->ai_protocol);
  if (fd >= 0 && connect(fd, addr->ai_addr, addr->ai_addrlen) != 0) {
    close(fd);
    fd = -1;
  }
  freeaddrinfo(addr);
  if (fd < 0) {
    fprintf(stderr, "%s cannot connect to %s:%s\n", TAG, host, port);
    return -1;
  }
  fd_write = fd;
connected:;
  size_t head_len = strlen(head), body_len = strlen(body);
  int ok = write(fd_write, head, head_len) == (ssize_t)head_len &&
           (body_len == 0 || write(fd_write, body, body_len) == (ssize_t)body_len);
  if (tls) {
    close(fd_write); /* the request is complete; s_client keeps reading (-ign_eof) */
  }
  size_t cap = 65536, len = 0;
  char *raw = malloc(cap);
  ssize_t n;
  while (ok && raw != NULL && (n = read(fd, raw + len, cap - len - 1)) > 0) {
    len += (size_t)n;
    if (len + 1 == cap) {
      char *bigger = cap < (1u << 24) ? realloc(raw, cap * 2) : NULL;
      if (bigger == NULL) {
        break;
      }
      raw = bigger;
      cap *= 2;
    }
  }
  close(fd);
  if (tls) {
    waitpid(child, NULL, 0);
  }
  if (!ok || raw == NULL || len < 12) {
    free(raw);
    fprintf(stderr, "%s no answer from %s:%s\n", TAG, host, port);
    return -1;
  }
  raw[len] = '\0';
  out->raw = raw;
  out->status = atoi(raw + 9); /* "HTTP/1.x NNN" */
  const char *split = strstr(raw, "\r\n\r\n");
  out->body = split ? split + 4 : "";
  return 0;
}

/* "X-Amz-Date=..., Authorization=…Credential=…Signature=<12 hex>…" (never the session token). */
static void print_signed(const sigv4_signed_request *s) {
  const char *date = NULL, *scope = NULL, *sig = NULL, *akid_end = NULL, *auth = NULL;
  if (s == NULL || sigv4_signed_request_authorization(s, &auth, NULL) != SIGV4_OK) {
    printf("%s     signed: (no SigV4 headers)\n", TAG);
    return;
  }
  sigv4_signed_request_amz_date(s, &date, NULL);
  sigv4_signed_request_credential_scope(s, &scope, NULL);
  sigv4_signed_request_signature(s, &sig, NULL);
  const char *cred = strstr(auth, "Credential=");
  akid_end = cred ? strchr(cred, '/') : NULL;
  printf("%s     signed: X-Amz-Date=%s, Authorization=\xe2\x80\xa6" "Credential=%.*s/%s\xe2\x80\xa6"
         "Signature=%.12s\xe2\x80\xa6\n",
         TAG, date, cred && akid_end ? (int)(akid_end - cred - 11) : 0, cred ? cred + 11 : "", scope, sig);
}

/* Prints one exchange in the transcript style of python_client.py and checks the outcome. */
static void record(const char *label, const char *method, const char *target,
                   const sigv4_signed_request *s, const response *r, int expect, const char *code) {
  int ok = r->status == expect && (code == NULL || strstr(r->body, code) != NULL);
  printf("%s %s: %s %.70s\n", TAG, label, method, target);
  print_signed(s);
  char wanted[96];
  snprintf(wanted, sizeof wanted, "%d%s%s", expect, code ? " " : "", code ? code : "");
  char body[111];
  snprintf(body, sizeof body, "%s", r->body);
  body[strcspn(body, "\r\n")] = '\0';
  printf("%s     -> %d %s   [expected %s: %s]\n", TAG, r->status, body, wanted,
         strict ? (ok ? "ok" : "UNEXPECTED") : "-");
  if (strict && !ok) {
    failures++;
  }
}

/* Sends a request: the request line, every header of `s` (or just Host), Content-Length, body. */
static int send_signed(const char *method, const char *target, const sigv4_signed_request *s,
                       const char *body, response *out) {
  size_t cap = 16384, used = 0;
  char *head = malloc(cap);
  if (head == NULL) {
    return -1;
  }
  used += (size_t)snprintf(head, cap, "%s %s HTTP/1.1\r\n", method, target);
  size_t count = s ? sigv4_signed_request_header_count(s) : 0;
  for (size_t i = 0; i < count && used < cap; i++) {
    const char *name, *value;
    sigv4_signed_request_header(s, i, &name, NULL, &value, NULL);
    used += (size_t)snprintf(head + used, cap - used, "%s: %s\r\n", name, value);
  }
  if (count == 0 && used < cap) {
    used += (size_t)snprintf(head + used, cap - used, "Host: %s:%s\r\n", host, port);
  }
  if (used < cap) {
    used += (size_t)snprintf(head + used, cap - used, "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                             strlen(body));
  }
  int rc = used < cap ? exchange(head, body, out) : -1;
  free(head);
  return rc;
}

static int sign_and_send(const sigv4_signer *signer, const char *label, const char *method,
                         const char *path, const char *body, const char *content_type, int expect) {
  char url[2048], target[1024];
  snprintf(target, sizeof target, "%s%s", prefix, path);
  snprintf(url, sizeof url, "%s://%s:%s%s", scheme, host, port, target);
  sigv4_pair headers[] = {{SIGV4_STR("Content-Type"), SIGV4_STR(content_type ? content_type : "")}};
  sigv4_request req = {.method = SIGV4_STR(method), .url = SIGV4_STR(url), .body = SIGV4_STR(body)};
  if (content_type != NULL) {
    req.headers = headers;
    req.headers_len = 1;
  }
  sigv4_signed_request *s = NULL;
  sigv4_result r = sigv4_signer_sign(signer, &req, (int64_t)time(NULL), &s);
  if (r != SIGV4_OK) {
    fail_sigv4("sign", r);
    failures++;
    return -1;
  }
  response resp;
  int rc = send_signed(method, target, s, body, &resp);
  if (rc == 0) {
    record(label, method, target, s, &resp, expect, NULL);
    free(resp.raw);
  } else {
    failures++;
  }
  sigv4_signed_request_free(s);
  return rc;
}

int main(int argc, char **argv) {
  const char *base = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--expect-demo") == 0) {
      strict = 1;
    } else if (base == NULL && argv[i][0] != '-') {
      base = argv[i];
    } else {
      base = NULL;
      break;
    }
  }
  if (base == NULL) {
    base = getenv("API_URL");
  }
  if (base == NULL || parse_base(base) != 0) {
    fprintf(stderr, "usage: %s <baseUrl like http://127.0.0.1:PORT or https://api.example.com/stage> "
                    "[--expect-demo]\n", argv[0]);
    return 2;
  }
  const char *akid = getenv("AWS_ACCESS_KEY_ID"), *secret = getenv("AWS_SECRET_ACCESS_KEY");
  const char *token = getenv("AWS_SESSION_TOKEN"), *region = getenv("AWS_REGION");
  if (akid == NULL || secret == NULL || akid[0] == '\0' || secret[0] == '\0') {
    fprintf(stderr, "%s set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n", TAG);
    return 2;
  }
  if (token != NULL && token[0] == '\0') {
    token = NULL;
  }
  if (region == NULL || region[0] == '\0') {
    region = "us-east-1";
  }
  sigv4_credentials *creds = NULL;
  sigv4_signer *signer = NULL;
  sigv4_result r = sigv4_credentials_new(SIGV4_STR(akid), SIGV4_STR(secret), (const uint8_t *)token,
                                         token ? strlen(token) : 0, &creds);
  if (r == SIGV4_OK) {
    r = sigv4_signer_new(creds, SIGV4_STR(region), SIGV4_STR("execute-api"), NULL, &signer);
  }
  sigv4_credentials_free(creds); /* the signer keeps its own copy */
  if (r != SIGV4_OK) {
    fail_sigv4("signer", r);
    return 2;
  }

  /* 1. Signed GET and POST. */
  sign_and_send(signer, "signed GET", "GET", "/health", "", NULL, 200);
  sign_and_send(signer, "signed POST", "POST", "/jobs",
                "{\"jobType\":\"blog-post\",\"topic\":\"C over a plain socket\"}", "application/json", 200);

  /* 2. What the API must refuse: no signature at all. */
  char target[1024];
  snprintf(target, sizeof target, "%s/health", prefix);
  response resp;
  if (send_signed("GET", target, NULL, "", &resp) == 0) {
    record("unsigned GET", "GET", target, NULL, &resp, 403, "MissingAuthenticationToken");
    free(resp.raw);
  } else {
    failures++;
  }

  /* 3. A presigned URL: anyone holding it may GET /jobs for 5 minutes. */
  char url[2048];
  snprintf(url, sizeof url, "%s://%s:%s%s/jobs", scheme, host, port, prefix);
  sigv4_request get = {.method = SIGV4_STR("GET"), .url = SIGV4_STR(url)};
  sigv4_signed_request *presigned = NULL;
  r = sigv4_signer_presign(signer, &get, (int64_t)time(NULL), 300, &presigned);
  if (r == SIGV4_OK) {
    const char *link = NULL;
    sigv4_signed_request_url(presigned, &link, NULL);
    /* Printed with the session token hidden (the URL carries it; the transcript must not). */
    const char *token_at = strstr(link, "X-Amz-Security-Token=");
    if (token_at != NULL) {
      const char *token_end = strchr(token_at, '&');
      printf("%s presigned URL (5 minutes): %.*s<hidden>%s\n", TAG, (int)(token_at + 21 - link), link,
             token_end ? token_end : "");
    } else {
      printf("%s presigned URL (5 minutes): %s\n", TAG, link);
    }
    const char *path = strchr(strstr(link, "://") + 3, '/');
    if (path != NULL && send_signed("GET", path, NULL, "", &resp) == 0) {
      record("presigned URL", "GET", path, NULL, &resp, 200, NULL);
      free(resp.raw);
    } else {
      failures++;
    }
  } else {
    fail_sigv4("presign", r);
    failures++;
  }
  sigv4_signed_request_free(presigned);
  sigv4_signer_free(signer);

  if (failures > 0) {
    printf("%s %d unexpected outcome(s)\n", TAG, failures);
    return 1;
  }
  printf("%s %s\n", TAG, strict ? "all outcomes as expected" : "done");
  return 0;
}
