#!/usr/bin/env bash
# AnnScope build driver: installs missing prerequisites (Debian), builds native + managed, runs tests or the study.
#   ./build.sh build   build only (CLI at artifacts/bin/annscope)
#   ./build.sh test    install, build, run ctest and dotnet test
#   ./build.sh run     install, build, run the default study into artifacts/studies/ (extra args go to `annscope study`)
#   ./build.sh deps    install prerequisites only
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
  apt_install cmake make gcc g++ pkg-config ocl-icd-opencl-dev opencl-headers pocl-opencl-icd
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
  log "publishing CLI to artifacts/bin"
  dotnet publish "$ROOT/src/AnnScope.Cli/AnnScope.Cli.csproj" -c "$CONFIG" -nologo -v:q -clp:ErrorsOnly --no-build -o "$ART/bin"
  cp -f "$ART/native/native/libannscope.so" "$ART/bin/"
}

build() { native; managed; log "CLI: artifacts/bin/annscope"; }

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

run_tests() {
  start_test_cluster
  log "ctest"
  (cd "$ART/native" && ctest --output-on-failure -j"$(nproc)")
  log "dotnet test"
  dotnet test "$ROOT/Core.sln" -c "$CONFIG" --no-build -nologo -v:q --logger "console;verbosity=normal"
}

case "$cmd" in
  deps)  deps ;;
  build) deps; build ;;
  test)  deps; build; run_tests ;;
  run)
    deps; build
    # each run gets its own study directory unless the caller names one
    case " $* " in *" --out "*|*" --out="*) out=() ;; *) out=(--out "$ART/studies/study-$(date +%Y%m%d-%H%M%S)") ;; esac
    "$ART/bin/annscope" study "${out[@]}" "$@" ;;
  *) echo "usage: ./build.sh build|test|run|deps" >&2; exit 2 ;;
esac
