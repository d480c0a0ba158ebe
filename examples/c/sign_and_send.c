/* Sign a request with libsigv4, send it over a plain socket, print the answer's status line, then
 * print a presigned URL for the same resource.
 *
 *   sign_and_send [host port path [method [body]]]     or set API_URL=http://host:port/path
 *
 * Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (example
 * values when unset), the scope from AWS_REGION (us-east-1) and SIGV4_SERVICE (execute-api). */
#define _POSIX_C_SOURCE 200809L
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sigv4.h>

static const char *env_or(const char *name, const char *fallback) {
  const char *value = getenv(name);
  return value != NULL && value[0] != '\0' ? value : fallback;
}

static int fail(const char *what, sigv4_result r) {
  char why[256];
  size_t len;
  sigv4_last_error_message(why, sizeof why, &len);
  fprintf(stderr, "%s: %s (%s)\n", what, sigv4_result_message(r), why);
  return 1;
}

/* Writes the request line, every header of `sr`, Content-Length and the body; returns 0 on success. */
static int send_request(int fd, const sigv4_signed_request *sr, const char *method,
                        const char *path, const char *body) {
  char head[8192];
  size_t used = (size_t)snprintf(head, sizeof head, "%s %s HTTP/1.1\r\n", method, path);
  for (size_t i = 0; i < sigv4_signed_request_header_count(sr) && used < sizeof head; i++) {
    const char *name, *value;
    sigv4_signed_request_header(sr, i, &name, NULL, &value, NULL);
    used += (size_t)snprintf(head + used, sizeof head - used, "%s: %s\r\n", name, value);
  }
  if (used < sizeof head) {
    used += (size_t)snprintf(head + used, sizeof head - used,
                             "Content-Length: %zu\r\nConnection: close\r\n\r\n", strlen(body));
  }
  if (used >= sizeof head || write(fd, head, used) != (ssize_t)used) {
    return -1;
  }
  return write(fd, body, strlen(body)) == (ssize_t)strlen(body) ? 0 : -1;
}

int main(int argc, char **argv) {
  char host[256] = "127.0.0.1", port[16] = "8080", path[1024] = "/";
  const char *method = argc > 4 ? argv[4] : "GET";
  const char *body = argc > 5 ? argv[5] : "";
  const char *api_url = getenv("API_URL");
  if (argc > 3) {
    snprintf(host, sizeof host, "%s", argv[1]);
    snprintf(port, sizeof port, "%s", argv[2]);
    snprintf(path, sizeof path, "%s", argv[3]);
  } else if (api_url != NULL && strncmp(api_url, "http://", 7) == 0) {
    /* http://host[:port][/path]: split by hand to stay dependency-free. */
    const char *start = api_url + 7, *slash = strchr(start, '/'), *end = slash ? slash : start + strlen(start);
    const char *colon = memchr(start, ':', (size_t)(end - start));
    snprintf(host, sizeof host, "%.*s", (int)((colon ? colon : end) - start), start);
    if (colon != NULL) {
      snprintf(port, sizeof port, "%.*s", (int)(end - colon - 1), colon + 1);
    } else {
      snprintf(port, sizeof port, "80");
    }
    snprintf(path, sizeof path, "%s", slash ? slash : "/");
  }
  char url[1400];
  snprintf(url, sizeof url, "http://%s:%s%s", host, port, path);

  const char *token = getenv("AWS_SESSION_TOKEN");
  sigv4_credentials *creds = NULL;
  sigv4_result r = sigv4_credentials_new(
      SIGV4_STR(env_or("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")),
      SIGV4_STR(env_or("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")),
      (const uint8_t *)token, token ? strlen(token) : 0, &creds);
  if (r != SIGV4_OK) {
    return fail("credentials", r);
  }
  sigv4_signer *signer = NULL;
  r = sigv4_signer_new(creds, SIGV4_STR(env_or("AWS_REGION", "us-east-1")),
                       SIGV4_STR(env_or("SIGV4_SERVICE", "execute-api")), NULL, &signer);
  sigv4_credentials_free(creds); /* the signer keeps a copy */
  if (r != SIGV4_OK) {
    return fail("signer", r);
  }

  sigv4_pair headers[] = {{SIGV4_STR("Content-Type"), SIGV4_STR("application/json")}};
  sigv4_request req = {.method = SIGV4_STR(method), .url = SIGV4_STR(url), .body = SIGV4_STR(body)};
  if (body[0] != '\0') {
    req.headers = headers;
    req.headers_len = 1;
  }
  sigv4_signed_request *signed_req = NULL;
  r = sigv4_signer_sign(signer, &req, (int64_t)time(NULL), &signed_req);
  if (r != SIGV4_OK) {
    sigv4_signer_free(signer);
    return fail("sign", r);
  }

  int status = 1;
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *addr = NULL;
  int fd = -1;
  if (getaddrinfo(host, port, &hints, &addr) == 0) {
    fd = socket(addr->ai_family, addr->ai_socktype, addr->ai_protocol);
    if (fd >= 0 && connect(fd, addr->ai_addr, addr->ai_addrlen) != 0) {
      close(fd);
      fd = -1;
    }
    freeaddrinfo(addr);
  }
  if (fd < 0) {
    fprintf(stderr, "cannot connect to %s:%s\n", host, port);
  } else if (send_request(fd, signed_req, method, path, body) == 0) {
    char answer[4096];
    ssize_t n = read(fd, answer, sizeof answer - 1);
    if (n > 0) {
      answer[n] = '\0';
      answer[strcspn(answer, "\r\n")] = '\0';
      printf("%s %s -> %s\n", method, url, answer);
      status = strncmp(answer, "HTTP/1.1 2", 10) == 0 || strncmp(answer, "HTTP/1.0 2", 10) == 0 ? 0 : 1;
    }
  }
  if (fd >= 0) {
    close(fd);
  }
  sigv4_signed_request_free(signed_req);

  /* A presigned URL: anyone holding it may GET the resource for 5 minutes. */
  sigv4_request get = {.method = SIGV4_STR("GET"), .url = SIGV4_STR(url)};
  r = sigv4_signer_presign(signer, &get, (int64_t)time(NULL), 300, &signed_req);
  if (r == SIGV4_OK) {
    const char *presigned;
    sigv4_signed_request_url(signed_req, &presigned, NULL);
    printf("presigned URL: %s\n", presigned);
  } else {
    status = fail("presign", r);
  }
  sigv4_signed_request_free(signed_req);
  sigv4_signer_free(signer);
  return status;
}
