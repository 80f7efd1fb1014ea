#!/usr/bin/env bash
# Times the short commands on study-sized inputs, process start included, and prints a table (README "Short commands").
#   benchmarks/short-commands.sh ANNSCOPE [CLI.dll] [RUNS]
# ANNSCOPE is the command to time (./build.sh short-commands passes artifacts/bin/annscope); CLI.dll, when given, is the
# portable build (`dotnet AnnScope.Cli.dll`, what the .NET tool runs), timed beside it for a ratio. Each command runs
# twice untimed (page cache), then RUNS times (default 10); the table shows the median and the fastest wall time.
# A measurement, not a test: it fails only when a command fails. The target of issue 13 is a median of at most 0.12 s on
# the 2-core machine; a loaded machine inflates wall times (the load average is printed before and after).
set -euo pipefail
annscope=$(realpath "$1")
dll=${2:-}
runs=${3:-10}
[ -n "$dll" ] && dll=$(realpath "$dll")
python=/usr/bin/python3
[ -x "$python" ] || python=python3

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# The study's sizes: activations of one checkpoint (T 2500 × M 120, float32, six planted modules), its full FC
# (120 × 120) and windowed FC (50 windows × 120 × 120), and a checkpoints.csv of 120 instances × 100 checkpoints.
"$python" - <<'PY'
import random, struct, math
rng = random.Random(1)
T, M = 2500, 120
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (T, M)
header += " " * (63 - (10 + len(header)) % 64) + "\n"
values = []
for t in range(T):
    latent = [rng.gauss(0, 1) for _ in range(6)]
    values.extend(math.tanh(1.5 * latent[m // 20] + 0.8 * rng.gauss(0, 1)) for m in range(M))
with open("act.npy", "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
    f.write(struct.pack("<%df" % len(values), *values))
with open("checkpoints.csv", "w") as f:
    f.write("instance,epoch,accuracy,multilayer_modularity,mean_correlation\n")
    for i in range(120):
        b0, b1 = rng.gauss(0.5, 0.05), rng.gauss(0.002, 0.0005)
        for c in range(100):
            f.write("%d,%d,%r,%r,%r\n" % (i, 10 * c, b0 + b1 * c + rng.gauss(0, 0.03),
                                          0.02 + 3e-5 * 10 * c + rng.gauss(0, 0.003), 0.8 - 3e-4 * 10 * c + rng.gauss(0, 0.02)))
PY
"$annscope" fc --activations act.npy --out fc.npy
"$annscope" fc --activations act.npy --window 50 --out fcw.npy

commands=(
  "--version"
  "fc --activations act.npy --out out-fc.npy"
  "communities --fc fc.npy --out out-c.json"
  "communities --fc fcw.npy --multilayer --out out-ml.json"
  "stats lmm --data checkpoints.csv --y accuracy --x epoch --group instance --out fit.json"
)

# wall seconds of each run of "$@", one per line (bash's microsecond clock around the whole process)
time_runs() {
  local i start
  for i in 1 2; do "$@" >/dev/null 2>&1; done
  for ((i = 0; i < runs; i++)); do
    start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f\n", b - a }'
  done
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
fastest() { sort -g | head -n 1; }

echo "$annscope; $runs runs per command; load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$dll" ]; then
  printf '%-96s %9s %9s %12s %7s\n' "command" "median s" "fastest s" "dotnet dll s" "ratio"
else
  printf '%-96s %9s %9s\n' "command" "median s" "fastest s"
fi
for c in "${commands[@]}"; do
  read -r -a args <<<"$c"
  times=$(time_runs "$annscope" "${args[@]}")
  med=$(median <<<"$times"); low=$(fastest <<<"$times")
  if [ -n "$dll" ]; then
    dmed=$(time_runs dotnet "$dll" "${args[@]}" | median)
    printf '%-96s %9.3f %9.3f %12.3f %7.1f\n' "annscope $c" "$med" "$low" "$dmed" "$(awk -v a="$dmed" -v b="$med" 'BEGIN { print a / b }')"
  else
    printf '%-96s %9.3f %9.3f\n' "annscope $c" "$med" "$low"
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
