# Python package libsigv4 (bindings/python): venv, build, tests, benchmark.
#   make test-python    builds the extension (debug) into .venv and runs pytest
#   make bench-python   builds it (release) and prints the benchmark table
#   make bench-python-middleware   ASGI server throughput with/without the verifier middleware (wrk,
#                                  alternating rounds), then instructions per request (valgrind)
.PHONY: test-python bench-python bench-python-middleware python-venv python-dev python-release

PY_PKG := bindings/python
PY_VENV_STAMP := $(VENV)/.stamp-deps
# Everything the extension is built from: a change rebuilds it.
PY_SOURCES := $(shell find $(PY_PKG)/src $(PY_PKG)/python core/src -type f \( -name '*.rs' -o -name '*.py' -o -name '*.pyi' -o -name 'py.typed' \)) \
	$(PY_PKG)/Cargo.toml $(PY_PKG)/pyproject.toml core/Cargo.toml Cargo.lock
PY_TEST_DEPS := maturin==1.16.0 pytest hypothesis botocore requests httpx requests-aws4auth uvicorn cryptography httptools hypercorn gunicorn werkzeug boto3 'moto[server]' mypy basedpyright 'redis>=5'

$(PY_VENV_STAMP): mk/python.mk
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check $(PY_TEST_DEPS)
	touch $@

python-venv: $(PY_VENV_STAMP)

# Debug build for tests, release build for the benchmark; each stamp notes which one is installed.
$(VENV)/.stamp-sigv4-debug: $(PY_VENV_STAMP) $(PY_SOURCES)
	rm -f $(VENV)/.stamp-sigv4-release
	cd $(PY_PKG) && VIRTUAL_ENV=$(VENV) PATH=$(VENV)/bin:$$PATH maturin develop -q
	touch $@

# The release extension is the wheel `make dist` ships for this machine's target (maturin --zig), profile-guided
# (PGO, as pydantic-core ships its wheels): built instrumented, run on bench/python/pgo_train.py, built again with
# that profile (rules in mk/dist.mk, next to the zig tools). What a call executes is then laid out together and error
# paths out of the way: a verification inside a busy server, whose code the server evicts between requests, costs
# less (issue 17 item 7: server CPU per request -3%). The benchmarks install that wheel, so they measure what users
# install. llvm-profdata comes with rustup's llvm-tools.
PY_PGO_DIR := $(ROOT)/build/pgo
PY_PGO_PROFILE := $(PY_PGO_DIR)/python.profdata
PY_PGO_FLAGS := -Cprofile-use=$(PY_PGO_PROFILE) -Cllvm-args=-pgo-warn-missing-function=false -Cllvm-args=-no-pgo-warn-mismatch
PY_PGO_TRAIN := $(ROOT)/bench/python/pgo_train.py
PY_HOST := $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
# The one command that builds a wheel: $(call py_wheel_build,TARGET,OUT_DIR,EXTRA_RUSTFLAGS). `make dist`, the
# release build the benchmarks install and the instrumented build of the profile all use it, so the benchmarked
# wheel is the shipped one (glibc 2.17 manylinux2014 / musllinux_1_2 through zig; musl cdylibs link libc
# dynamically, as napi-rs does).
py_wheel_build = PATH=$(DIST_TOOLS)/bin:$$PATH \
	RUSTFLAGS="$(if $(findstring musl,$(1)),-C target-feature=-crt-static) $(3)" \
	maturin build --release --zig --target $(1) --compatibility $(if $(findstring musl,$(1)),musllinux_1_2,manylinux2014) \
	-m $(PY_PKG)/Cargo.toml -o $(2)

$(VENV)/.stamp-sigv4-release: $(PY_VENV_STAMP) $(PY_SOURCES) $(PY_PGO_PROFILE)
	rm -f $(VENV)/.stamp-sigv4-debug
	rm -rf $(PY_PGO_DIR)/wheel
	$(call py_wheel_build,$(PY_HOST),$(PY_PGO_DIR)/wheel,$(PY_PGO_FLAGS))
	$(PY) -m pip install -q --disable-pip-version-check --force-reinstall --no-deps $(PY_PGO_DIR)/wheel/*.whl
	touch $@

python-dev: $(VENV)/.stamp-sigv4-debug
python-release: $(VENV)/.stamp-sigv4-release

test-python: $(VENV)/.stamp-sigv4-debug
	cd $(PY_PKG) && $(PY) -m pytest -q -p no:cacheprovider tests
	cd $(PY_PKG) && $(PY) -m mypy.stubtest sigv4 --mypy-config-file stubtest.ini
	$(PY) $(PY_PKG)/typecheck/check_readme.py README.md build/readme-py $(VENV)/bin/basedpyright

bench-python: $(VENV)/.stamp-sigv4-release
	$(PY) $(ROOT)/bench/python/bench.py

# Needs wrk (Debian package; installed here when missing and apt-get is usable) and valgrind.
bench-python-middleware: $(VENV)/.stamp-sigv4-release
	command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	$(PY) $(ROOT)/bench/python/bench_middleware.py
	$(PY) $(ROOT)/bench/python/bench_middleware_instructions.py

# The botocore differential with 100,000 generated requests per signer (make test runs 2,000).
.PHONY: fuzz-diff-python
fuzz-diff: fuzz-diff-python
fuzz-diff-python: $(VENV)/.stamp-sigv4-debug
	cd $(PY_PKG) && SIGV4_DIFF_COUNT=100000 $(PY) -m pytest -q -p no:cacheprovider tests/test_differential_botocore.py
