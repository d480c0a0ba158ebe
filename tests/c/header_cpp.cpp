// The generated header compiled as C++17 (-Wall -Wextra -Werror -Wpedantic) and used from C++:
// RAII wrappers around the handles, enums, the one-call function. Expected values: the AWS suite's
// get-vanilla case.
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "sigv4.h"

namespace {

struct free_signer {
  void operator()(sigv4_signer *s) const { sigv4_signer_free(s); }
};
struct free_credentials {
  void operator()(sigv4_credentials *c) const { sigv4_credentials_free(c); }
};
struct free_signed {
  void operator()(sigv4_signed_request *s) const { sigv4_signed_request_free(s); }
};

const uint8_t *bytes(const std::string &s) { return reinterpret_cast<const uint8_t *>(s.data()); }

int failures = 0;
int checks = 0;

void check(bool ok, const char *what) {
  ++checks;
  if (!ok) {
    ++failures;
    std::fprintf(stderr, "FAILED: %s\n", what);
  }
}

}  // namespace

int main() {
  const std::string akid = "AKIDEXAMPLE", secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  const std::string region = "us-east-1", service = "service";
  const std::string want = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

  sigv4_credentials *raw_creds = nullptr;
  check(sigv4_credentials_new(bytes(akid), akid.size(), bytes(secret), secret.size(), nullptr, 0,
                              &raw_creds) == SIGV4_OK,
        "credentials");
  std::unique_ptr<sigv4_credentials, free_credentials> creds(raw_creds);

  sigv4_signer *raw_signer = nullptr;
  sigv4_result r = sigv4_signer_new(creds.get(), bytes(region), region.size(), bytes(service),
                                    service.size(), nullptr, &raw_signer);
  check(r == SIGV4_OK, "signer");
  std::unique_ptr<sigv4_signer, free_signer> signer(raw_signer);

  const std::string host = "Host", host_value = "example.amazonaws.com";
  const sigv4_pair headers[] = {{bytes(host), host.size(), bytes(host_value), host_value.size()}};
  sigv4_request request{};
  request.method = reinterpret_cast<const uint8_t *>("GET");
  request.method_len = 3;
  request.url = reinterpret_cast<const uint8_t *>("/");
  request.url_len = 1;
  request.headers = headers;
  request.headers_len = 1;

  sigv4_signed_request *raw_signed = nullptr;
  check(sigv4_signer_sign(signer.get(), &request, 1440938160, &raw_signed) == SIGV4_OK, "sign");
  std::unique_ptr<sigv4_signed_request, free_signed> signed_request(raw_signed);
  const char *signature = nullptr;
  size_t len = 0;
  check(sigv4_signed_request_field(signed_request.get(), SIGV4_FIELD_SIGNATURE, &signature, &len) ==
            SIGV4_OK,
        "field");
  check(signature != nullptr && want == std::string(signature, len), "signature");

  sigv4_payload payload = SIGV4_PAYLOAD_UNSIGNED;
  sigv4_signing_options *options = nullptr;
  check(sigv4_signing_options_new(&options) == SIGV4_OK, "options");
  check(sigv4_signing_options_set_payload(options, payload) == SIGV4_OK, "payload");
  sigv4_signing_options_free(options);

  std::printf("C++17 header: %d passed, %d failed\n", checks - failures, failures);
  return failures == 0 ? 0 : 1;
}
