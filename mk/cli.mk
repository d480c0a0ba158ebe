# The `sigv4` command (cli/): sign, send, presign, verify, explain.
#   make test-cli    its tests: every subcommand (the proxy too) against the demo server and moto (IAM auth), the
#                    credential providers through local stand-ins, explain fixtures; all on 127.0.0.1
#   make bench-cli   `sigv4 sign` process start to exit next to curl --aws-sigv4 and awscurl (table)
#   make bench-proxy `sigv4 proxy` small-request throughput, p99, peak RSS of a 256 MiB upload (table)
#   make install     also installs bin/sigv4 (cargo install --path cli works too)
.PHONY: test-cli bench-cli cli-debug cli-release install-cli

CLI_TARGET := $(or $(CARGO_TARGET_DIR),$(ROOT)/target)

cli-debug:
	$(CARGO) build -p sigv4-cli --bins --examples

cli-release:
	$(CARGO) build --release -p sigv4-cli

test-cli: cli-debug $(VENV)/.stamp-sigv4-debug
	SIGV4_BIN=$(CLI_TARGET)/debug/sigv4 $(PY) -m pytest -q -p no:cacheprovider tests/cli
	tests/cli/install_test.sh $(MAKE) --no-print-directory C_PROFILE=debug

# awscurl is only needed here, so it is installed here (pinned) in a venv of its own: it requires awscrt, and
# with awscrt importable botocore swaps its own v4 signers for the CRT's — in the main venv that would change what
# every later botocore comparison (tests, bench-sdk) measures.
AWSCURL_VENV := $(ROOT)/build/venv-awscurl
$(AWSCURL_VENV)/bin/awscurl:
	python3 -m venv $(AWSCURL_VENV)
	$(AWSCURL_VENV)/bin/python -m pip install -q --disable-pip-version-check awscurl==0.44

bench-cli: cli-release $(PY_VENV_STAMP) $(AWSCURL_VENV)/bin/awscurl
	AWSCURL=$(AWSCURL_VENV)/bin/awscurl SIGV4_BIN=$(CLI_TARGET)/release/sigv4 $(PY) $(ROOT)/bench/cli/bench_sign.py

# Part of `make install` (mk/c.mk): $(DESTDIR)$(PREFIX)/bin/sigv4, the build of C_PROFILE.
install: install-cli
install-cli: cli-$(if $(filter release,$(C_PROFILE)),release,debug)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(CLI_TARGET)/$(if $(filter release,$(C_PROFILE)),release,debug)/sigv4 $(DESTDIR)$(PREFIX)/bin/sigv4

# The proxy under load next to a direct connection (and awslabs' aws-sigv4-proxy when
# AWS_SIGV4_PROXY_BIN names a build of it). Needs wrk (Debian package; installed here when missing).
.PHONY: bench-proxy
bench-proxy:
	$(CARGO) build --release -p sigv4-cli --bins --examples
	command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	$(PY) $(ROOT)/bench/cli/bench_proxy.py
