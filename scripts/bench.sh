#!/usr/bin/env bash
# Runs every benchmark under bench/ (or the ones named) against real Prometheus + the fleet simulator.
# Results are printed and written to bench/results/<name>.json. Not part of npm test: timings are not assertions.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
benches=("$@")
if [ ${#benches[@]} -eq 0 ]; then
  # The soak runs for 30 minutes by default: only when named (`npm run bench -- soak`).
  mapfile -t benches < <(ls bench/*.bench.ts | xargs -n1 basename | sed 's/\.bench\.ts$//' | grep -vx soak)
fi
for b in "${benches[@]}"; do
  echo "== $b"
  node --expose-gc -r ts-node/register/transpile-only -r tsconfig-paths/register "bench/$b.bench.ts"
done
