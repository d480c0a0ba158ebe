# Coverage-guided fuzzing (fuzz/, cargo-fuzz + libFuzzer on the nightly toolchain).
#   make fuzz        every target for FUZZ_SECONDS (default 60) each, then the table
#   make test-fuzz   the short pass `make test` runs: a debug build (quicker to compile, with overflow
#                    checks), every target FUZZ_SHORT_SECONDS (default 3) from the committed seeds
# Findings land in build/fuzz/artifacts/<target>/; reproduce one with
#   fuzz/target/x86_64-unknown-linux-gnu/release/<target> build/fuzz/artifacts/<target>/crash-...
.PHONY: fuzz test-fuzz fuzz-build fuzz-build-dev fuzz-tools
FUZZ_SECONDS ?= 60
FUZZ_SHORT_SECONDS ?= 3
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_TOOLS := $(ROOT)/build/tools
CARGO_FUZZ := $(FUZZ_TOOLS)/bin/cargo-fuzz

fuzz-tools:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@[ -x $(CARGO_FUZZ) ] || $(CARGO) install --locked --root $(FUZZ_TOOLS) cargo-fuzz --version $(CARGO_FUZZ_VERSION)

fuzz-build: fuzz-tools
	cd fuzz && PATH=$(FUZZ_TOOLS)/bin:$$PATH $(CARGO) +nightly fuzz build -O

fuzz-build-dev: fuzz-tools
	cd fuzz && PATH=$(FUZZ_TOOLS)/bin:$$PATH $(CARGO) +nightly fuzz build --dev

fuzz: fuzz-build
	fuzz/run.sh $(FUZZ_SECONDS)

# A fixed libFuzzer seed (printed; override with FUZZ_SEED=...): the same run at every commit.
test-fuzz: fuzz-build-dev
	FUZZ_SEED=$${FUZZ_SEED:-20261206} FUZZ_BIN=$(ROOT)/fuzz/target/x86_64-unknown-linux-gnu/debug FUZZ_OUT=$(ROOT)/build/fuzz-test \
	  fuzz/run.sh $(FUZZ_SHORT_SECONDS)
