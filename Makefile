# libsigv4 — one entry point for every language.
#   make demo   a local IAM-protected API and the Python, Node and C clients calling it
#   make test   every test in every language (installs what it needs: venv, npm packages, cbindgen)
#   make bench  every benchmark table (bench/<language>/; results in bench/RESULTS.md)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
ROOT := $(CURDIR)
VENV := $(ROOT)/.venv
PY := $(VENV)/bin/python
CARGO ?= cargo
export CARGO_TERM_COLOR := never

.PHONY: help test demo bench bench-servers lint
help:
	@echo "make demo   - run the local IAM-protected API and the clients calling it"
	@echo "make test   - run every test in every language"
	@echo "make bench  - print every benchmark table (bench/, results in bench/RESULTS.md)"
	@echo "make fuzz   - run every fuzz target FUZZ_SECONDS (default 60) each and print the table"

include mk/rust.mk
include mk/c.mk
include mk/python.mk
include mk/node.mk
include mk/demo.mk
include mk/dist.mk
include mk/sdk.mk
include mk/cli.mk
include mk/wasm.mk
include mk/fuzz.mk
include mk/bench.mk
include mk/replay.mk

test: test-rust test-c test-python test-node test-replay test-sdk test-demo test-cli test-edge test-fuzz
	@echo "make test: every suite passed"

demo: demo-run
