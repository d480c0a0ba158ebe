#!/usr/bin/env bash
# The README's C and C++ section compiles as written.
# - The first ```c block of the C section must be examples/c/quickstart.c: compiled with -Werror as
#   C11, C++17 and C++20, linked and run (each build prints the Authorization header).
# - Every other ```c block (fragments) is compiled as the body of a function whose parameters are the
#   names the fragments use (secret, method, target, headers, body, signer, req, now, trailers) and
#   two helpers (read_body, send_bytes), as C11, C++17 and C++20 with -Wall -Wextra -pedantic -Werror.
# Usage: readme_test.sh <repo root> <include dir> <lib dir> <out dir>
set -euo pipefail
trap 'echo "readme_test.sh: failed at line $LINENO" >&2' ERR
root=$1 include=$2 lib=$3 out=$4
mkdir -p "$out/readme"
awk '/<!-- c:start -->/{s=1} /<!-- c:end -->/{s=0} s' "$root/README.md" >"$out/readme/c_section.md"
awk '/^```c$/{if(!done){f=1; next}} /^```$/{if(f){f=0; done=1}} f' "$out/readme/c_section.md" >"$out/readme_quickstart.c"
if ! diff -u "$root/examples/c/quickstart.c" "$out/readme_quickstart.c"; then
  echo "README C quick start differs from examples/c/quickstart.c" >&2
  exit 1
fi
flags=(-Wall -Wextra -pedantic -Werror -I"$include")
passed=0
gcc -std=c11 "${flags[@]}" "$out/readme_quickstart.c" -L"$lib" -Wl,-rpath,"$lib" -lsigv4 -o "$out/readme_quickstart"
"$out/readme_quickstart" >"$out/readme_quickstart.out"
grep -q '^Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/' "$out/readme_quickstart.out"
passed=$((passed + 1))
for std in c++17 c++20; do
  g++ -std=$std "${flags[@]}" -x c++ "$out/readme_quickstart.c" -x none -L"$lib" -Wl,-rpath,"$lib" -lsigv4 \
    -o "$out/readme_quickstart_$std"
  "$out/readme_quickstart_$std" | grep -q '^Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/'
  passed=$((passed + 1))
done

# The fragments: block 2, 3, ... of the section.
n=$(grep -c '^```c$' "$out/readme/c_section.md")
for ((i = 2; i <= n; i++)); do
  frag="$out/readme/fragment_$i.c"
  {
    cat <<'PRELUDE'
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sigv4.h>
static int read_body(const uint8_t **piece, size_t *len) { *piece = NULL; *len = 0; return 0; }
static void send_bytes(const uint8_t *wire, size_t len) { (void)wire; (void)len; }
void fragment(const char *secret, const char *method, const char *target, const sigv4_pair *headers,
              size_t headers_len, const uint8_t *body, size_t body_len, const sigv4_signer *signer,
              sigv4_request req, int64_t now, const sigv4_pair *trailers, size_t trailers_len);
void fragment(const char *secret, const char *method, const char *target, const sigv4_pair *headers,
              size_t headers_len, const uint8_t *body, size_t body_len, const sigv4_signer *signer,
              sigv4_request req, int64_t now, const sigv4_pair *trailers, size_t trailers_len) {
  (void)secret; (void)method; (void)target; (void)headers; (void)headers_len; (void)body;
  (void)body_len; (void)signer; (void)req; (void)now; (void)trailers; (void)trailers_len;
  (void)read_body; (void)send_bytes;
  {
PRELUDE
    awk -v want="$i" '/^```c$/{k++; if(k==want){f=1; next}} /^```$/{f=0} f' "$out/readme/c_section.md"
    printf '  }\n}\n'
  } >"$frag"
  gcc -std=c11 "${flags[@]}" -c "$frag" -o "$frag.o"
  g++ -std=c++17 "${flags[@]}" -x c++ -c "$frag" -o "$frag.17.o"
  g++ -std=c++20 "${flags[@]}" -x c++ -c "$frag" -o "$frag.20.o"
  passed=$((passed + 3))
done
echo "README C section: quick start run as C11, C++17, C++20; $((n - 1)) fragments compiled as C11, C++17, C++20 ($passed builds, 0 failed)"
