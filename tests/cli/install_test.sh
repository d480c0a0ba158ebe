#!/usr/bin/env bash
# `make install` puts bin/sigv4 into PREFIX, and the installed binary runs.
# Usage: install_test.sh <make command> [make arguments...]
set -euo pipefail
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
"$@" install-cli PREFIX="$prefix" >/dev/null
"$prefix/bin/sigv4" --version | grep '^sigv4 ' >/dev/null
"$prefix/bin/sigv4" completions bash | grep -- '--region' >/dev/null
echo "install-cli: 1 passed, 0 failed"
