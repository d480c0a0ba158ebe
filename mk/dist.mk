# Release artefacts into dist/ and their tests (issue 15).
#   make dist        npm packages (main + one per target), Python wheels (abi3) + sdist, C tarballs, Lambda
#                    layers, the `sigv4` command (cli/) per target, SHA256SUMS. Cross-builds with zig (PyPI's ziglang + cargo-zigbuild, pinned, in
#                    build/dist-tools); Rust targets through rustup. Slow: four targets x three libraries.
#   make dist-test   installs the artefacts with nothing from the build on PATH and runs the AWS v4 suite through
#                    them: natively on x86_64, under qemu-user for aarch64, musl C under Debian's musl loader;
#                    the C tarballs through pkg-config and CMake; `sigv4` on AWS suite cases; prints the table (packaging/report.py).
.PHONY: dist dist-tools dist-node dist-python dist-c dist-cli dist-layers dist-sums dist-test dist-clean python-pgo-profile

DIST := $(ROOT)/dist
DIST_BUILD := $(ROOT)/build/dist
DIST_TOOLS := $(ROOT)/build/dist-tools
DIST_TOOLS_STAMP := $(DIST_TOOLS)/.stamp-v1
DIST_VERSION := $(C_VERSION)
DIST_TARGETS := x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl
# Pinned build tools from PyPI (zig is the cross linker; cargo-zigbuild drives it for cargo, maturin for wheels).
DIST_PY_TOOLS := maturin==1.16.0 ziglang==0.17.0 cargo-zigbuild==0.24.0 auditwheel==6.8.2
# The glibc floor of the gnu targets (manylinux2014): zig links against this glibc's symbol versions.
DIST_GLIBC := 2.17
# Every build of a target gets the same environment, so cargo reuses the core between the three libraries:
# tools first on PATH; musl cdylibs link libc dynamically (-crt-static), as napi-rs does for musl; gnu targets
# carry the glibc floor as cargo-zigbuild's target suffix.

$(DIST_TOOLS_STAMP):
	test -x $(DIST_TOOLS)/bin/python || python3 -m venv $(DIST_TOOLS)
	$(DIST_TOOLS)/bin/python -m pip install -q --disable-pip-version-check $(DIST_PY_TOOLS)
	printf '#!/bin/sh\n# zig from the ziglang wheel\nexec "$$(dirname "$$0")/python" -m ziglang "$$@"\n' > $(DIST_TOOLS)/bin/zig
	chmod +x $(DIST_TOOLS)/bin/zig
	rustup target add $(DIST_TARGETS)
	touch $@

dist-tools: $(DIST_TOOLS_STAMP)

# npm: the addon for each target through NAPI_BUILD (-x: cargo-zigbuild) into build/dist/node/<target>, then
# napi-rs's create-npm-dirs / artifacts / pre-publish on a staged copy of the package, packed into dist/.
dist-node: $(DIST_TOOLS_STAMP) $(NODE_STAMP)
	rm -rf $(DIST_BUILD)/node && mkdir -p $(DIST_BUILD)/node/artifacts $(DIST)
	for t in $(DIST_TARGETS); do \
		zt=$$(case $$t in *gnu) echo $$t.$(DIST_GLIBC);; *) echo $$t;; esac); \
		musl=$$(case $$t in *musl) echo '-C target-feature=-crt-static';; esac); \
		(cd $(NODE_DIR) && PATH=$(DIST_TOOLS)/bin:$$PATH RUSTFLAGS="$$musl" \
			$(NAPI_BUILD) --release -x --target $$zt -o $(DIST_BUILD)/node/$$t >$(DIST_BUILD)/node/$$t.log 2>&1) \
			|| { tail -30 $(DIST_BUILD)/node/$$t.log; exit 1; }; \
		cp $(DIST_BUILD)/node/$$t/*.node $(DIST_BUILD)/node/artifacts/; \
	done
	packaging/npm-stage.sh $(NODE_DIR) $(DIST_BUILD)/node $(DIST) $(ROOT)

# Python: one abi3 wheel per target (maturin --zig; manylinux2014 = glibc 2.17, musllinux_1_2), the sdist.
# The wheel for this machine's target is profile-guided with the profile below (the other targets' wheels are plain
# release builds: a profile applies only to the symbol names of the build it was recorded on).
#
# The profile (`make python-pgo-profile`): an instrumented wheel built exactly as the shipped one is (cargo-zigbuild
# names the crates' symbols unlike any other build, and a profile applies only to the names it was recorded under),
# linked through packaging/zig-instrumented-link.sh (zig cc cannot take rustc's "-u __llvm_profile_runtime"), run on
# bench/python/pgo_train.py from a scratch directory, merged with rustup's llvm-profdata.
PY_PGO_GENERATE_FLAGS := -Cprofile-generate=$(PY_PGO_DIR)/raw -Clinker=$(ROOT)/packaging/zig-instrumented-link.sh -Clinker-flavor=gcc
$(PY_PGO_PROFILE): $(PY_VENV_STAMP) $(PY_SOURCES) $(PY_PGO_TRAIN) $(DIST_TOOLS_STAMP) packaging/zig-instrumented-link.sh
	rustup component add llvm-tools
	rm -rf $(PY_PGO_DIR) && mkdir -p $(PY_PGO_DIR)
	CARGO_TARGET_DIR=$(ROOT)/target/pgo-generate PGO_TARGET=$(PY_HOST) \
		$(call py_wheel_build,$(PY_HOST),$(PY_PGO_DIR)/instrumented,$(PY_PGO_GENERATE_FLAGS))
	$(PY) -m zipfile -e $(PY_PGO_DIR)/instrumented/*.whl $(PY_PGO_DIR)/instrumented/site
	PYTHONPATH=$(PY_PGO_DIR)/instrumented/site $(PY) $(PY_PGO_TRAIN)
	"$$(rustc --print sysroot)/lib/rustlib/$(PY_HOST)/bin/llvm-profdata" merge -o $@ $(PY_PGO_DIR)/raw

python-pgo-profile: $(PY_PGO_PROFILE)

dist-python: $(DIST_TOOLS_STAMP) $(PY_PGO_PROFILE)
	mkdir -p $(DIST)
	rm -f $(DIST)/libsigv4-*.whl $(DIST)/libsigv4-*.tar.gz
	$(foreach t,$(DIST_TARGETS),$(call py_wheel_build,$(t),$(DIST),$(if $(filter $(PY_HOST),$(t)),$(PY_PGO_FLAGS))) && ) true
	PATH=$(DIST_TOOLS)/bin:$$PATH maturin sdist -m $(PY_PKG)/Cargo.toml -o $(DIST)
	$(MAKE) --no-print-directory dist-python-check

# The tags the wheels claim: auditwheel on the manylinux wheels (it reads musl wheels only on a musl host; maturin's
# own policy check passed them at build time, and dist-test checks their linkage against musl).
.PHONY: dist-python-check
dist-python-check: $(DIST_TOOLS_STAMP)
	for w in $(DIST)/libsigv4-*manylinux2014_*.whl; do \
		arch=$$(echo $$w | sed 's/.*manylinux_2_17_\(.*\)\.whl/\1/'); \
		$(DIST_TOOLS)/bin/auditwheel show $$w | tr -d '\n' | grep -q "consistent with the following platform tag:\s*\"manylinux_2_17_$$arch\"" \
			|| { echo "$$w: auditwheel does not confirm manylinux_2_17_$$arch"; exit 1; }; \
		echo "$$(basename $$w): auditwheel confirms manylinux_2_17_$$arch (glibc 2.17)"; \
	done

# C: libsigv4-<version>-<target>.tar.gz with the .so (SONAME), .a, header, pkg-config and CMake files.
dist-c: $(DIST_TOOLS_STAMP)
	mkdir -p $(DIST)
	for t in $(DIST_TARGETS); do \
		zt=$$(case $$t in *gnu) echo $$t.$(DIST_GLIBC);; *) echo $$t;; esac); \
		musl=$$(case $$t in *musl) echo '-C target-feature=-crt-static';; esac); \
		PATH=$(DIST_TOOLS)/bin:$$PATH RUSTFLAGS="$$musl" $(CARGO) zigbuild --quiet --release -p sigv4-ffi --target $$zt; \
		packaging/c-tarball.sh $(ROOT) $(C_TARGET)/$$t/release $$t $(DIST_VERSION) $(C_SOVERSION) $(DIST); \
	done

# The `sigv4` command: sigv4-<version>-<target>.tar.gz (bin/sigv4, LICENSE, NOTICE, README.md), symbols stripped.
# gnu: glibc 2.17 floor like the libraries. musl: a static executable (Rust's default for musl; the -crt-static
# above is for the libraries, which a musl process loads), so it runs on any Linux of that architecture.
dist-cli: $(DIST_TOOLS_STAMP)
	mkdir -p $(DIST)
	for t in $(DIST_TARGETS); do \
		zt=$$(case $$t in *gnu) echo $$t.$(DIST_GLIBC);; *) echo $$t;; esac); \
		PATH=$(DIST_TOOLS)/bin:$$PATH CARGO_PROFILE_RELEASE_STRIP=symbols $(CARGO) zigbuild --quiet --release -p sigv4-cli --bin sigv4 --target $$zt; \
		packaging/cli-tarball.sh $(ROOT) $(C_TARGET)/$$t/release $$t $(DIST_VERSION) $(DIST); \
	done

# Lambda layers (Python and Node, x86_64 and arm64) from the artefacts above.
dist-layers:
	packaging/lambda-layers.sh $(DIST) $(DIST_BUILD)/layers $(DIST_VERSION)

dist-sums:
	cd $(DIST) && rm -f SHA256SUMS && sha256sum $$(ls | sort) > SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS
	@echo "dist/: $$(wc -l < $(DIST)/SHA256SUMS) artefacts, SHA256SUMS written"

dist: dist-clean dist-tools
	$(MAKE) --no-print-directory dist-node dist-python dist-c dist-cli
	$(MAKE) --no-print-directory dist-layers dist-sums
	@ls -l $(DIST)

dist-clean:
	rm -rf $(DIST)

DIST_TEST_WORK := $(DIST_BUILD)/test
DIST_ARM64_ROOT := $(ROOT)/build/dist-arm64

# Needs dist/ (make dist); installs qemu-user-static, musl-tools and the aarch64 cross gcc from Debian if missing.
dist-test:
	@test -f $(DIST)/SHA256SUMS || { echo "dist/ is empty: run make dist first"; exit 1; }
	cd $(DIST) && sha256sum --quiet -c SHA256SUMS
	command -v musl-gcc >/dev/null && command -v aarch64-linux-gnu-g++ >/dev/null && command -v qemu-aarch64-static >/dev/null || \
		apt-get install -y -q musl-tools gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-user-static binutils-aarch64-linux-gnu >/dev/null || \
		{ apt-get update -q >/dev/null && apt-get install -y -q musl-tools gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-user-static binutils-aarch64-linux-gnu >/dev/null; }
	packaging/dist-test.sh $(ROOT) $(DIST) $(DIST_TEST_WORK) $(DIST_ARM64_ROOT)
	packaging/report.py $(DIST) $(DIST_TEST_WORK)/results.tsv
