#!/usr/bin/env bash
# One `sigv4` tarball as a user installs it: unpacked, then moved, `sigv4 --version`, then `sigv4 sign --json` and
# `sigv4 presign --json` on AWS v4 suite cases, the signature compared with the suite's (header-signature.txt,
# query-signature.txt). aarch64 runs under qemu-user; the musl builds are static, so x86_64 musl runs natively
# and no sysroot is involved for them. The caller runs this with a clean PATH (no cargo). The last line printed
# is the result for the table.
# Usage: test-cli-tarball.sh <repo root> <tarball> <target> <work dir> <arm64 sysroot>
set -euo pipefail
root=$1 tarball=$2 target=$3 work=$4 sysroot=$5
version=$(sed -n 's/^version = "\([^"]*\)"/\1/p' "$root/Cargo.toml" | head -n1)
suite=$root/tests/vectors/aws-signing-test-suite/v4
rm -rf "$work" && mkdir -p "$work/unpack" "$work/home"
tar -xzf "$tarball" -C "$work/unpack"
mv "$work/unpack/sigv4-$version-$target" "$work/prefix"
bin=$work/prefix/bin/sigv4
run=()
case $target in
  x86_64-unknown-linux-gnu) how=native ;;
  x86_64-unknown-linux-musl) how="native, static" ;;
  aarch64-unknown-linux-gnu) how="emulated (qemu)" run=(qemu-aarch64-static -L "$sysroot") ;;
  # A static executable: qemu needs no sysroot for it.
  aarch64-unknown-linux-musl) how="emulated (qemu), static" run=(qemu-aarch64-static) ;;
esac
got=$("${run[@]}" "$bin" --version)
[ "$got" = "sigv4 $version" ] || { echo "sigv4 --version printed '$got', expected 'sigv4 $version'" >&2; exit 1; }
echo "$got"

field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval("d" + sys.argv[2]))' "$@"; }
passed=0
# case, method, signing subcommand, expected signature file
for spec in "get-vanilla GET sign header" "post-vanilla POST sign header" \
            "get-vanilla-with-session-token GET sign header" "get-vanilla GET presign query"; do
  read -r case method how_signed form <<<"$spec"
  ctx=$suite/$case/context.json
  # The suite's timestamp (2015-08-30T12:36:00Z) in the CLI's --timestamp form.
  ts=$(field "$ctx" '["timestamp"]' | tr -d ':-')
  token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["credentials"].get("token", ""))' "$ctx")
  env=(HOME="$work/home" AWS_ACCESS_KEY_ID="$(field "$ctx" '["credentials"]["access_key_id"]')"
       AWS_SECRET_ACCESS_KEY="$(field "$ctx" '["credentials"]["secret_access_key"]')")
  [ -n "$token" ] && env+=(AWS_SESSION_TOKEN="$token")
  common=(--json --timestamp "$ts" --service "$(field "$ctx" '["service"]')" --region "$(field "$ctx" '["region"]')")
  if [ "$how_signed" = sign ]; then
    args=(sign "${common[@]}" -X "$method" https://example.amazonaws.com/)
  else
    args=(presign "${common[@]}" --expires "$(field "$ctx" '["expiration_in_seconds"]')" "$method" https://example.amazonaws.com/)
  fi
  out=$(env -i PATH="$PATH" "${env[@]}" "${run[@]}" "$bin" "${args[@]}")
  sig=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["signature"])')
  want=$(cat "$suite/$case/$form-signature.txt")
  if [ "$sig" != "$want" ]; then
    echo "sigv4 ${args[*]}: signature $sig, the suite's $case $form signature is $want" >&2
    exit 1
  fi
  echo "ok: sigv4 $how_signed $case ($form signature = the suite's)"
  passed=$((passed + 1))
done
echo "--version + $passed AWS v4 suite signatures (sign, presign) passed; $how"
