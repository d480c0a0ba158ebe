// Signs the AWS suite's get-vanilla request through an installed libsigv4 and checks the
// signature the suite gives for it.
#include <cstdio>
#include <string>

#include <sigv4.h>

int main() {
  sigv4_credentials *creds = nullptr;
  sigv4_signer *signer = nullptr;
  sigv4_signed_request *signed_request = nullptr;
  const sigv4_pair host[] = {{SIGV4_STR("Host"), SIGV4_STR("example.amazonaws.com")}};
  sigv4_request request{};
  request.method = reinterpret_cast<const uint8_t *>("GET");
  request.method_len = 3;
  request.url = reinterpret_cast<const uint8_t *>("/");
  request.url_len = 1;
  request.headers = host;
  request.headers_len = 1;
  sigv4_result r = sigv4_credentials_new(SIGV4_STR("AKIDEXAMPLE"),
                                         SIGV4_STR("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                                         nullptr, 0, &creds);
  if (r == SIGV4_OK) {
    r = sigv4_signer_new(creds, SIGV4_STR("us-east-1"), SIGV4_STR("service"), nullptr, &signer);
  }
  if (r == SIGV4_OK) {
    r = sigv4_signer_sign(signer, &request, 1440938160, &signed_request);
  }
  const char *signature = "";
  if (r == SIGV4_OK) {
    r = sigv4_signed_request_signature(signed_request, &signature, nullptr);
  }
  const bool ok = r == SIGV4_OK && std::string(signature) ==
                                       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
  std::printf("cmake consumer (libsigv4 %s): %s\n", sigv4_version(), ok ? "signature ok" : "WRONG");
  sigv4_signed_request_free(signed_request);
  sigv4_signer_free(signer);
  sigv4_credentials_free(creds);
  return ok ? 0 : 1;
}
