/* Sign a request with libsigv4 and print the headers to send. */
#include <stdio.h>
#include <time.h>

#include <sigv4.h>

int main(void) {
  sigv4_credentials *creds = NULL;
  sigv4_signer *signer = NULL; /* create once and share: it caches the signing key */
  sigv4_signed_request *signed_req = NULL;
  const char *body = "{\"name\":\"job\"}";
  sigv4_pair headers[] = {{SIGV4_STR("Content-Type"), SIGV4_STR("application/json")}};
  /* Fields in order (no designated initialisers: this compiles as C11, C++17 and C++20 alike);
     SIGV4_STR gives a pointer and its length. */
  sigv4_request req = {
      SIGV4_STR("POST"),                                                      /* method */
      SIGV4_STR("https://abc123.execute-api.us-east-1.amazonaws.com/v1/jobs"), /* url */
      headers, 1,                                                             /* headers */
      SIGV4_STR(body),                                                        /* body */
      NULL, 0, /* payload_hash: NULL hashes the body */
  };

  sigv4_result r = sigv4_credentials_new(SIGV4_STR("AKIDEXAMPLE"),
                                         SIGV4_STR("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                                         NULL, 0, &creds); /* no session token */
  if (r == SIGV4_OK) {
    r = sigv4_signer_new(creds, SIGV4_STR("us-east-1"), SIGV4_STR("execute-api"), NULL, &signer);
  }
  if (r == SIGV4_OK) {
    r = sigv4_signer_sign(signer, &req, (int64_t)time(NULL), &signed_req);
  }
  if (r != SIGV4_OK) {
    char why[256];
    size_t len;
    sigv4_last_error_message(why, sizeof why, &len);
    fprintf(stderr, "signing failed: %s\n", why);
  } else {
    for (size_t i = 0; i < sigv4_signed_request_header_count(signed_req); i++) {
      const char *name, *value;
      sigv4_signed_request_header(signed_req, i, &name, NULL, &value, NULL);
      printf("%s: %s\n", name, value);
    }
  }
  sigv4_signed_request_free(signed_req); /* every _free accepts NULL */
  sigv4_signer_free(signer);
  sigv4_credentials_free(creds);
  return r == SIGV4_OK ? 0 : 1;
}
