#!/usr/bin/env bash
# Runs every benchmark under bench/ (or the ones named) against real Prometheus + the fleet simulator.
# Results are printed and written to bench/results/<name>.json. Not part of npm test: timings are not assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
# The graph bench drives the API with wrk (Debian's); only it needs it, so it is installed here, not for CI.
if ! command -v wrk >/dev/null && { [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qx graph; }; then
  apt-get install -y wrk >/dev/null || sudo apt-get install -y wrk >/dev/null
fi
benches=("$@")
if [ ${#benches[@]} -eq 0 ]; then
  # The soak (30 minutes) and the 50k-GPU scale bench (15-40 minutes) run only when named (`npm run bench -- soak`).
  mapfile -t benches < <(ls bench/*.bench.ts | xargs -n1 basename | sed 's/\.bench\.ts$//' | grep -vx -e soak -e scale)
fi
for b in "${benches[@]}"; do
  echo "== $b"
  node --expose-gc -r ts-node/register/transpile-only -r tsconfig-paths/register "bench/$b.bench.ts"
done
