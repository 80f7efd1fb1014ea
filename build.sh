#!/usr/bin/env bash
# AnnScope build driver: installs missing prerequisites (Debian), builds native + managed, runs tests or the study.
#   ./build.sh build   build only (CLI at artifacts/bin/annscope)
#   ./build.sh test    install, build, run ctest, the sanitized native tests and dotnet test
#   ./build.sh test-native-sanitized   native ctest under ASan+UBSan, then the MKL ctests under valgrind
#   ./build.sh fuzz    the full reader fuzz run (ANNSCOPE_FUZZ_CASES per reader, default 10000)
#   ./build.sh run     install, build, run the default study into artifacts/studies/ (extra args go to `annscope study`)
#   ./build.sh pack    build, then pack AnnScope, AnnScope.Studies and the AnnScope.Tool .NET tool into artifacts/packages
#   ./build.sh deps    install prerequisites only
#   ./build.sh bench-check [--update-baseline]   build native + benchmarks, then the regression gate against benchmarks/baseline.json
#   ./build.sh short-commands [RUNS]   times the short commands of artifacts/bin/annscope (process start included; a table)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
ART=$ROOT/artifacts
CONFIG=${CONFIG:-Release}
cmd=${1:-build}; shift || true

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

sudo_cmd() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# MKL lives in Debian's non-free component; add it (deb822) when no source enables it.
enable_non_free() {
  if grep -rqsE '^\s*Components:.*\bnon-free\b|^deb .* non-free( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ ; then return; fi
  local suite; suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  log "enabling Debian's non-free component for $suite (needed for libmkl-dev)"
  sudo_cmd tee /etc/apt/sources.list.d/annscope-non-free.sources >/dev/null <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: $suite ${suite}-updates
Components: non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  APT_UPDATED=0
}

APT_UPDATED=0
apt_install() {
  local missing=()
  for p in "$@"; do have_pkg "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || { echo "missing packages ${missing[*]} and no apt-get: install them by hand" >&2; exit 1; }
  if [ "$APT_UPDATED" = 0 ]; then sudo_cmd apt-get update -qq; APT_UPDATED=1; fi
  log "installing ${missing[*]}"
  sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

deps() {
  apt_install cmake make gcc g++ pkg-config ocl-icd-opencl-dev opencl-headers pocl-opencl-icd valgrind
  # tests: h5py reads activations.h5 back; headless Chromium opens report.html (both skip with a reason when absent)
  apt_install python3-h5py python3-numpy chromium
  if ! have_pkg libmkl-dev; then enable_non_free; apt_install libmkl-dev; fi
  command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (https://dot.net); dotnet not on PATH" >&2; exit 1; }
}

native() {
  log "native: cmake configure + build ($CONFIG)"
  cmake -S "$ROOT" -B "$ART/native" -DCMAKE_BUILD_TYPE="$CONFIG" >/dev/null
  cmake --build "$ART/native" -j"$(nproc)"
}

managed() {
  log "managed: dotnet build ($CONFIG)"
  dotnet build "$ROOT/Core.sln" -c "$CONFIG" -nologo -v:q -clp:ErrorsOnly
  # Native AOT: the command is machine code with no JIT and no runtime to start, so short commands take tens of
  # milliseconds instead of a few hundred (README "Short commands"). It needs a runtime identifier, hence a build of its
  # own (not --no-build); the tool package (pack) stays portable IL. ANNSCOPE_CLI_PUBLISH=r2r publishes ReadyToRun
  # instead (JIT-based, for a CPU without AVX2 or a machine without a C toolchain). The folder is emptied first: the two
  # modes leave different files, and a stale AnnScope.Cli.dll beside a native annscope would mislead.
  rm -rf "$ART/bin"
  if [ "${ANNSCOPE_CLI_PUBLISH:-aot}" = r2r ]; then
    log "publishing CLI to artifacts/bin (ReadyToRun, linux-x64)"
    dotnet publish "$ROOT/src/AnnScope.Cli/AnnScope.Cli.csproj" -c "$CONFIG" -nologo -v:q -clp:ErrorsOnly \
      -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$ART/bin"
  else
    log "publishing CLI to artifacts/bin (Native AOT, linux-x64)"
    dotnet publish "$ROOT/src/AnnScope.Cli/AnnScope.Cli.csproj" -c "$CONFIG" -nologo -v:q -clp:ErrorsOnly \
      -r linux-x64 -p:PublishAot=true -o "$ART/bin"
  fi
}

build() { native; managed; log "CLI: artifacts/bin/annscope"; }

# ctest instrumented with AddressSanitizer + UndefinedBehaviorSanitizer (own build tree), then the MKL tests of the
# regular build under valgrind memcheck. OpenCL tests run under ASan (PoCL's own leaks suppressed) but not under
# valgrind: PoCL's LLVM JIT takes minutes there and reports its own uninitialised reads. native/tests/sanitize/
# holds the suppression files and says why each entry is there.
native_sanitized() {
  local san=$ART/native-sanitized supp=$ROOT/native/tests/sanitize
  log "native: ASan + UBSan build and ctest"
  cmake -S "$ROOT" -B "$san" -DCMAKE_BUILD_TYPE=Debug -DANNSCOPE_SANITIZE=address,undefined >/dev/null
  cmake --build "$san" -j"$(nproc)"
  (cd "$san" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     LSAN_OPTIONS=suppressions=$supp/lsan.supp ctest --output-on-failure -j"$(nproc)")
  log "native: MKL ctests under valgrind memcheck"
  [ -d "$ART/native" ] || native
  (cd "$ART/native" && ctest -T memcheck -E 'opencl|exports' --output-on-failure -j"$(nproc)" \
     --overwrite MemoryCheckCommand="$(command -v valgrind)" \
     --overwrite "MemoryCheckCommandOptions=--error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite" \
     --overwrite MemoryCheckSuppressionFile="$supp/valgrind.supp")
}

# The Slurm tests run on a throwaway single-node cluster (tests/cluster/start-slurm.sh installs Debian's slurm-wlm
# and munge when missing); when it cannot start, those tests are skipped with the daemon's error.
start_test_cluster() {
  local dir
  if dir=$(bash "$ROOT/tests/cluster/start-slurm.sh" 2>"$ART/slurm-start.log"); then
    export ANNSCOPE_TEST_SLURM=$dir
    trap 'bash "$ROOT/tests/cluster/stop-slurm.sh" "$ANNSCOPE_TEST_SLURM"' EXIT
    log "test Slurm cluster up in $dir"
  else
    log "the test Slurm cluster did not start: $(tail -n 3 "$ART/slurm-start.log" | tr '\n' ' ')"
  fi
}

pack() {
  log "packing into artifacts/packages (deterministic CI build, with symbols)"
  rm -rf "$ART/packages"
  dotnet pack "$ROOT/Core.sln" -c "$CONFIG" -nologo -v:q -clp:ErrorsOnly -p:ContinuousIntegrationBuild=true
  ls "$ART/packages"
}

run_tests() {
  start_test_cluster
  log "ctest"
  (cd "$ART/native" && ctest --output-on-failure -j"$(nproc)")
  native_sanitized
  log "dotnet test (CLI tests run the published artifacts/bin/annscope)"
  ANNSCOPE_TEST_CLI="$ART/bin/annscope" dotnet test "$ROOT/Core.sln" -c "$CONFIG" --no-build -nologo -v:q --logger "console;verbosity=normal"
}

case "$cmd" in
  deps)  deps ;;
  build) deps; build ;;
  test)  deps; build; run_tests ;;
  bench-check)
    # only what the gate runs (not the ReadyToRun CLI publish): up to date after `test`, this takes seconds
    deps; native
    log "managed: dotnet build AnnScope.Benchmarks ($CONFIG)"
    dotnet build "$ROOT/benchmarks/AnnScope.Benchmarks/AnnScope.Benchmarks.csproj" -c "$CONFIG" -nologo -v:q -clp:ErrorsOnly
    log "bench-check: hot paths vs benchmarks/baseline.json"
    dotnet "$ROOT/benchmarks/AnnScope.Benchmarks/bin/$CONFIG/net10.0/AnnScope.Benchmarks.dll" bench-check "$@" ;;
  pack)  deps; build; pack ;;
  short-commands)
    # measures what artifacts/bin holds (./build.sh build first to measure the current tree)
    deps; [ -x "$ART/bin/annscope" ] || build
    [ -f "$ROOT/src/AnnScope.Cli/bin/$CONFIG/net10.0/AnnScope.Cli.dll" ] || managed
    bash "$ROOT/benchmarks/short-commands.sh" "$ART/bin/annscope" "$ROOT/src/AnnScope.Cli/bin/$CONFIG/net10.0/AnnScope.Cli.dll" "$@" ;;
  test-native-sanitized) deps; native; native_sanitized ;;
  fuzz)
    deps; build
    rm -f "$ART/fuzz-report.txt"; ANNSCOPE_FUZZ_REPORT="$ART/fuzz-report.txt" ANNSCOPE_FUZZ_CASES=${ANNSCOPE_FUZZ_CASES:-10000} dotnet test "$ROOT/tests/AnnScope.Tests" -c "$CONFIG" --no-build -nologo \
      --filter "Category=Fuzz" --logger "console;verbosity=normal"
    cat "$ART/fuzz-report.txt" ;;
  run)
    deps; build
    # each run gets its own study directory unless the caller names one
    case " $* " in *" --out "*|*" --out="*) out=() ;; *) out=(--out "$ART/studies/study-$(date +%Y%m%d-%H%M%S)") ;; esac
    "$ART/bin/annscope" study "${out[@]}" "$@" ;;
  *) echo "usage: ./build.sh build|test|test-native-sanitized|fuzz|run|pack|deps|bench-check|short-commands" >&2; exit 2 ;;
esac
