#!/usr/bin/env bash
# make dist-test: installs every artefact in dist/ as a user would, with nothing from the build on PATH (no cargo,
# rustc, maturin, zig: commands run with PATH=/usr/bin:/bin plus the fresh venv or project), and runs the AWS v4
# suite through it. x86_64: natively. aarch64: Debian's arm64 Python 3.11 and Node 18 under qemu-user
# (packaging/arm64-sysroot.sh). musl: no musl Node or Python is available from the registries, so those artefacts
# get a linkage check and a load through musl's own loader (packaging/musl-load.sh); the musl C tarballs run the
# full C suite with Debian's musl (x86_64) and the arm64 sysroot's musl (aarch64). The `sigv4` command (static on
# musl) signs AWS suite cases on every target (packaging/test-cli-tarball.sh).
# Each check appends "artefact<TAB>target<TAB>glibc floor<TAB>result<TAB>seconds" to <work>/results.tsv;
# packaging/report.py prints the table.
# Usage: dist-test.sh <repo root> <dist> <work> <arm64 sysroot work dir>
set -euo pipefail
root=$1 dist=$2 work=$3 sysroot_work=$4
here=$root/packaging
version=$(sed -n 's/^version = "\([^"]*\)"/\1/p' "$root/Cargo.toml" | head -n1)
rm -rf "$work" && mkdir -p "$work/home"
results=$work/results.tsv
: >"$results"
export CLEAN_PATH=/usr/bin:/bin
# A command with nothing from the build: fresh HOME, PATH=<extra>:/usr/bin:/bin, no cargo/rustup variables.
clean() { local extra=$1; shift; env -i HOME="$work/home" LANG=C.UTF-8 npm_config_update_notifier=false PATH="${extra:+$extra:}$CLEAN_PATH" "$@"; }
for tool in cargo rustc maturin zig cargo-zigbuild; do
  if clean "" sh -c "command -v $tool" >/dev/null; then echo "dist-test: $tool is on the clean PATH" >&2; exit 1; fi
done
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$results"; }
floor() { python3 "$here/linkage.py" floor "$1"; }
now() { date +%s; }

"$here/arm64-sysroot.sh" "$sysroot_work"
sysroot=$sysroot_work/root
qemu=(qemu-aarch64-static -L "$sysroot")
musl_x64_cc=musl-gcc
musl_arm64_cc="aarch64-linux-gnu-gcc -specs $sysroot_work/musl-gcc-arm64.specs"   # against the sysroot's musl
musl_x64_libc=/usr/lib/x86_64-linux-musl/libc.so
musl_arm64_libc=$sysroot/lib/aarch64-linux-musl/libc.so

# ---------------------------------------------------------------- npm
for plat in linux-x64-gnu linux-arm64-gnu linux-x64-musl linux-arm64-musl; do
  t0=$(now)
  arch=${plat#linux-}; arch=${arch%-*}; libc=${plat##*-}; [ "$libc" = gnu ] && libc=glibc
  proj=$work/npm-$plat
  # The libsigv4 tarball alone: npm selects the platform package from its optionalDependencies (--cpu/--libc
  # stand for the target machine's), as a registry install does.
  clean "" "$here/npm-project.sh" "$proj" "$dist" "$version" --os=linux --cpu="$arch" --libc="$libc"
  installed=$(ls "$proj/node_modules" | tr '\n' ' ')
  [ "$installed" = "libsigv4 libsigv4-$plat " ] || { echo "npm $plat: installed $installed" >&2; exit 1; }
  addon=$proj/node_modules/libsigv4-$plat/sigv4.$plat.node
  [ -f "$addon" ] || { echo "npm $plat: $addon not installed" >&2; exit 1; }
  case $plat in
    linux-x64-gnu)
      (cd "$proj" && clean "" node "$root/packaging/suite/v4-suite.js" "$root") | tail -2 | tee "$work/out"
      result="v4 suite $(tail -1 "$work/out" | cut -d, -f1), native" ;;
    linux-arm64-gnu)
      (cd "$proj" && clean "" "${qemu[@]}" "$sysroot/usr/bin/node" "$root/packaging/suite/v4-suite.js" "$root") | tail -2 | tee "$work/out"
      result="v4 suite $(tail -1 "$work/out" | cut -d, -f1), emulated (qemu, Node $(clean "" "${qemu[@]}" "$sysroot/usr/bin/node" -p process.version))" ;;
    linux-x64-musl)
      python3 "$here/linkage.py" musl "$addon" "$musl_x64_libc"
      clean "" "$here/musl-load.sh" "$addon" "$musl_x64_cc"
      result="musl linkage + load (no musl Node)" ;;
    linux-arm64-musl)
      python3 "$here/linkage.py" musl "$addon" "$musl_arm64_libc"
      clean "" "$here/musl-load.sh" "$addon" "$musl_arm64_cc" "${qemu[@]}"
      result="musl linkage + load, emulated (no musl Node)" ;;
  esac
  record "libsigv4-$plat-$version.tgz" "$plat" "$(floor "$addon")" "$result" $(($(now) - t0))
done
record "libsigv4-$version.tgz" "any (JS + loader)" "-" "installed with each platform package above" 0

# ---------------------------------------------------------------- Python
pyvectors=$root/bindings/python/tests/test_vectors.py
for tag in manylinux2014_x86_64 manylinux2014_aarch64 musllinux_1_2_x86_64 musllinux_1_2_aarch64; do
  t0=$(now)
  wheel=$(cd "$dist" && ls libsigv4-"$version"-cp39-abi3-*"$tag"*.whl)
  site=$work/py-$tag
  case $tag in
    manylinux2014_x86_64)
      clean "" python3 -m venv "$site"
      clean "$site/bin" pip install -q --disable-pip-version-check --no-index --find-links "$dist" --only-binary=:all: libsigv4=="$version"
      clean "$site/bin" pip install -q --disable-pip-version-check pytest
      installed=$(clean "$site/bin" python -c 'import sigv4, sigv4._native as n; print(n.__file__)')
      (cd "$work" && clean "$site/bin" python -m pytest -q -p no:cacheprovider "$pyvectors") | tail -1 | tee "$work/out"
      result="v4 suite $(tail -1 "$work/out" | sed 's/ in .*//'), native" ;;
    *)
      # What the Lambda recipe does: pip --platform --target, no interpreter of that platform involved.
      clean "$work/py-manylinux2014_x86_64/bin" pip install -q --disable-pip-version-check --no-index --find-links "$dist" --platform "$tag" \
        --only-binary=:all: --python-version 3.11 --target "$site" libsigv4=="$version"
      installed=$(ls "$site"/sigv4/_native*.so)
      case $tag in
        manylinux2014_aarch64)
          clean "$work/py-manylinux2014_x86_64/bin" pip install -q --disable-pip-version-check --platform "$tag" --only-binary=:all: \
            --python-version 3.11 --target "$site" pytest
          (cd "$work" && clean "" env PYTHONPATH="$site" "${qemu[@]}" "$sysroot/usr/bin/python3.11" -m pytest -q \
            -p no:cacheprovider "$pyvectors") | tail -1 | tee "$work/out"
          result="v4 suite $(tail -1 "$work/out" | sed 's/ in .*//'), emulated (qemu, CPython 3.11)" ;;
        musllinux_1_2_x86_64)
          python3 "$here/linkage.py" musl "$installed" "$musl_x64_libc"
          clean "" "$here/musl-load.sh" "$installed" "$musl_x64_cc"
          result="musl linkage + load (no musl Python)" ;;
        musllinux_1_2_aarch64)
          python3 "$here/linkage.py" musl "$installed" "$musl_arm64_libc"
          clean "" "$here/musl-load.sh" "$installed" "$musl_arm64_cc" "${qemu[@]}"
          result="musl linkage + load, emulated (no musl Python)" ;;
      esac ;;
  esac
  record "$wheel" "$tag" "$(floor "$installed")" "$result" $(($(now) - t0))
done

# The sdist builds (pip's build isolation fetches maturin from PyPI; Rust is what an sdist user needs, so cargo is
# on PATH for this one step), and the wheel it makes passes the suite. DIST_TEST_SDIST=0 skips it.
if [ "${DIST_TEST_SDIST:-1}" = 1 ]; then
  t0=$(now)
  sdist=libsigv4-$version.tar.gz
  clean "" python3 -m venv "$work/py-sdist"
  clean "$work/py-sdist/bin:$(dirname "$(command -v cargo)")" env RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" \
    CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" pip install -q --disable-pip-version-check --no-binary=libsigv4 \
    "$dist/$sdist" pytest
  (cd "$work" && clean "$work/py-sdist/bin" python -m pytest -q -p no:cacheprovider "$pyvectors") | tail -1 | tee "$work/out"
  record "$sdist" "source (Rust >= 1.75)" "-" "builds; v4 suite $(tail -1 "$work/out" | sed 's/ in .*//'), native" $(($(now) - t0))
else
  record "libsigv4-$version.tar.gz" "source (Rust >= 1.75)" "-" "NOT RUN (DIST_TEST_SDIST=0)" 0
fi

# ---------------------------------------------------------------- C
for target in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
  t0=$(now)
  "$here/test-c-tarball.sh" "$root" "$dist/libsigv4-$version-$target.tar.gz" "$target" "$work/c-$target" \
    "$sysroot_work" | tee "$work/out"
  record "libsigv4-$version-$target.tar.gz" "$target" "$(floor "$work/c-$target/prefix/lib/libsigv4.so.$version")" \
    "$(tail -1 "$work/out")" $(($(now) - t0))
done
# ---------------------------------------------------------------- the sigv4 command
for target in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
  t0=$(now)
  clean "" "$here/test-cli-tarball.sh" "$root" "$dist/sigv4-$version-$target.tar.gz" "$target" "$work/cli-$target" \
    "$sysroot" | tee "$work/out"
  record "sigv4-$version-$target.tar.gz" "$target" "$(floor "$work/cli-$target/prefix/bin/sigv4")" \
    "$(tail -1 "$work/out")" $(($(now) - t0))
done
packaging/test-lambda.sh "$root" "$dist" "$work/lambda" "$sysroot" "$results"
