#!/usr/bin/env bash
# The one test command (npm test): installs the real servers the e2e suites need, type-checks, lints, checks formatting,
# runs unit and e2e suites, and ends with one plain "N passed, N failed" line from jest's JSON results.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh || { echo "could not install test dependencies"; exit 1; }
# The tree, the libraries held to noUncheckedIndexedAccess (tsconfig.strict-index.json) and the fleet page.
npm run --silent typecheck || { echo "0 passed, 1 failed"; exit 1; }
npx eslint . --max-warnings=0 || { echo "0 passed, 1 failed"; exit 1; }
npx prettier --check . --log-level warn || { echo "0 passed, 1 failed (prettier: run npm run format)"; exit 1; }
mkdir -p .tmp
rm -f .tmp/jest-results.json
npx jest --ci --maxWorkers=2 --json --outputFile=.tmp/jest-results.json "$@"
status=$?
node scripts/jest-summary.js .tmp/jest-results.json || status=1
exit $status
