#!/usr/bin/env bash
# examples/lambda end to end, for x86_64 (native) and arm64 (qemu-user with Debian's arm64 Node 18 / Python 3.11):
#   Node:   the function's dependencies installed for the Lambda's platform (npm --os/--cpu/--libc, from dist/),
#           bundled with esbuild as CDK/SAM do (--bundle --platform=node --format=cjs --loader:.node=copy), the
#           bundle checked to hold exactly that platform's addon, then invoked with the handler signature.
#   Python: packaged with pip install --platform manylinux2014_<arch> --only-binary=:all: --target, invoked.
#   Layers: the layer zips of make dist unpacked as /opt is, the handlers run against them.
# Expected signature: the AWS suite's get-vanilla (the event is that request). Appends rows to <results>.
# Usage: test-lambda.sh <repo root> <dist> <work> <arm64 sysroot> <results.tsv>
set -euo pipefail
root=$1 dist=$2 work=$3 sysroot=$4 results=$5
ex=$root/examples/lambda
version=$(sed -n 's/^version = "\([^"]*\)"/\1/p' "$root/Cargo.toml" | head -n1)
expected=$(cat "$root/tests/vectors/aws-signing-test-suite/v4/get-vanilla/header-signature.txt")
rm -rf "$work" && mkdir -p "$work/home"
creds=(AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY AWS_REGION=us-east-1)
clean() { env -i HOME="$work/home" LANG=C.UTF-8 npm_config_update_notifier=false PATH=/usr/bin:/bin "${creds[@]}" "$@"; }
check() { # <label> <invoke output>: the signature and (Node) the aws4 Authorization are the suite's
  python3 - "$1" "$2" "$expected" <<'PY'
import json, sys
label, out, want = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
body = json.loads(out["body"])
ok = out["statusCode"] == 200 and body["signature"] == want and body["authorization"].endswith("Signature=" + want)
ok = ok and body.get("aws4Authorization", "Signature=" + want).endswith("Signature=" + want)
print(f"  {label}: arch {body['arch']}, signature {'= the suite' if ok else 'WRONG ' + body['signature']}")
sys.exit(0 if ok else 1)
PY
}
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$results"; }

# esbuild lives in its own tools project: installing the function's dependencies for another CPU must not swap
# esbuild's own platform binary.
mkdir -p "$work/tools" && echo '{"private":true}' >"$work/tools/package.json"
(cd "$work/tools" && npm install --no-audit --no-fund --loglevel=error esbuild@0.28.2 >/dev/null)
esbuild=$work/tools/node_modules/.bin/esbuild

for arch in x64 arm64; do
  t0=$(date +%s)
  case $arch in x64) machine="X86-64" pyarch=x86_64 run=() ;; arm64) machine=AArch64 pyarch=aarch64 run=(qemu-aarch64-static -L "$sysroot") ;; esac
  node_bin=/usr/bin/node; [ $arch = arm64 ] && node_bin=$sysroot/usr/bin/node
  py_bin=/usr/bin/python3; [ $arch = arm64 ] && py_bin=$sysroot/usr/bin/python3.11

  # Node: install for the Lambda's platform, bundle, invoke.
  fn=$work/node-$arch
  "$root/packaging/npm-project.sh" "$fn" "$dist" "$version" --os=linux --cpu=$arch --libc=glibc
  cp "$ex/node/handler.mjs" "$fn/"
  (cd "$fn" && "$esbuild" handler.mjs --bundle --platform=node --target=node18 --format=cjs --outfile=out/index.js \
    --loader:.node=copy --external:@aws-sdk/* --log-level=error)
  addons=$(cd "$fn/out" && ls ./*.node)
  [ "$(echo "$addons" | wc -l)" = 1 ] || { echo "bundle holds $addons" >&2; exit 1; }
  readelf -h "$fn/out/"$addons | grep -q "Machine:.*$machine" || { echo "bundle addon is not $machine" >&2; exit 1; }
  out=$(clean "${run[@]}" "$node_bin" "$ex/node/invoke.cjs" "$fn/out" "$ex/event.json")
  check "Node handler, esbuild bundle ($addons)" "$out"
  result_node="bundled + invoked"

  # Node layer: unpacked as Lambda mounts it (/opt/nodejs/node_modules on NODE_PATH), the v4 suite through it.
  layer=$work/layer-node-$arch && mkdir -p "$layer/cwd" && echo '{}' >"$layer/cwd/package.json"
  unzip -q "$dist/libsigv4-$version-lambda-layer-nodejs-$([ $arch = x64 ] && echo x86_64 || echo arm64).zip" -d "$layer/opt"
  suite=$(cd "$layer/cwd" && clean NODE_PATH="$layer/opt/nodejs/node_modules" "${run[@]}" "$node_bin" \
    "$root/packaging/suite/v4-suite.js" "$root" | tail -1)
  echo "  Node layer ($arch): v4 suite $suite"
  case $suite in *" 0 failed") ;; *) exit 1 ;; esac
  how=$([ $arch = x64 ] && echo native || echo "emulated (qemu)")
  record "libsigv4-$version-lambda-layer-nodejs-$([ $arch = x64 ] && echo x86_64 || echo arm64).zip" "lambda nodejs $arch" "-" \
    "v4 suite ${suite%%,*} via NODE_PATH; esbuild bundle $result_node; $how" $(($(date +%s) - t0))

  # Python: the recipe's pip --platform --target package, invoked; then the layer.
  t0=$(date +%s)
  pkg=$work/python-$arch
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-index --find-links "$dist" \
    --platform manylinux2014_$pyarch --only-binary=:all: --python-version 3.12 --target "$pkg" libsigv4=="$version"
  cp "$ex/python/handler.py" "$ex/python/invoke.py" "$pkg/"
  out=$(cd "$pkg" && clean "${run[@]}" "$py_bin" invoke.py "$ex/event.json")
  check "Python handler, pip --platform manylinux2014_$pyarch package" "$out"
  layer=$work/layer-python-$arch
  unzip -q "$dist/libsigv4-$version-lambda-layer-python-$([ $arch = x64 ] && echo x86_64 || echo arm64).zip" -d "$layer"
  out=$(cd "$ex/python" && clean PYTHONPATH="$layer/python" PYTHONDONTWRITEBYTECODE=1 "${run[@]}" "$py_bin" invoke.py "$ex/event.json")
  check "Python handler on the layer" "$out"
  record "libsigv4-$version-lambda-layer-python-$([ $arch = x64 ] && echo x86_64 || echo arm64).zip" "lambda python $arch" "-" \
    "handler invoked (layer and pip --platform package); $how" $(($(date +%s) - t0))
done
