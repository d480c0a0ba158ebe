# Coverage-guided fuzzing (fuzz/, cargo-fuzz + libFuzzer on the nightly toolchain).
#   make fuzz        every target for FUZZ_SECONDS (default 60) each, then the table
#   make test-fuzz   the short pass `make test` runs: every target from the committed seeds for the fixed number
#                    of executions in fuzz/short-runs.tsv (10-20 s each here) with a fixed seed, so the same
#                    commit fuzzes the same inputs at every run; FUZZ_SHORT_CAP (default 180) s caps a target
# Both use one build: release with debug assertions (overflow checks on; ~30x the executions of a debug build).
# Findings land in build/fuzz/artifacts/<target>/; reproduce one with
#   fuzz/target/x86_64-unknown-linux-gnu/release/<target> build/fuzz/artifacts/<target>/crash-...
.PHONY: fuzz test-fuzz fuzz-build fuzz-tools
FUZZ_SECONDS ?= 60
FUZZ_SHORT_CAP ?= 180
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_TOOLS := $(ROOT)/build/tools
CARGO_FUZZ := $(FUZZ_TOOLS)/bin/cargo-fuzz

fuzz-tools:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@[ -x $(CARGO_FUZZ) ] || $(CARGO) install --locked --root $(FUZZ_TOOLS) cargo-fuzz --version $(CARGO_FUZZ_VERSION)

fuzz-build: fuzz-tools
	cd fuzz && PATH=$(FUZZ_TOOLS)/bin:$$PATH $(CARGO) +nightly fuzz build -O --debug-assertions

fuzz: fuzz-build
	fuzz/run.sh $(FUZZ_SECONDS)

# A fixed libFuzzer seed (printed; override with FUZZ_SEED=...): the same run at every commit.
test-fuzz: fuzz-build
	FUZZ_SEED=$${FUZZ_SEED:-20261206} FUZZ_RUNS_FILE=$(ROOT)/fuzz/short-runs.tsv FUZZ_OUT=$(ROOT)/build/fuzz-test \
	  fuzz/run.sh $(FUZZ_SHORT_CAP)
