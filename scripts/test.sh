#!/usr/bin/env bash
# The one test command (npm test): installs the real servers the e2e suites need, type-checks, lints, checks formatting,
# runs unit and e2e suites, and ends with one plain "N passed, N failed" line from jest's JSON results.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh || { echo "could not install test dependencies"; exit 1; }
mkdir -p .tmp
# The static checks are independent and each single-threaded: side by side on two cores they take the longest one's
# time, not the sum (~45 s instead of ~90 s here). Each one's output is shown whole, in order, once all have finished.
# Type-check: the tree, the libraries held to noUncheckedIndexedAccess (tsconfig.strict-index.json), the fleet page.
npm run --silent typecheck > .tmp/typecheck.log 2>&1 &
typecheck=$!
npx eslint . --max-warnings=0 > .tmp/eslint.log 2>&1 &
eslint=$!
npx prettier --check . --log-level warn > .tmp/prettier.log 2>&1 &
prettier=$!
failed=""
wait $typecheck || failed="$failed typecheck"
wait $eslint || failed="$failed eslint"
wait $prettier || failed="$failed prettier (run npm run format)"
cat .tmp/typecheck.log .tmp/eslint.log .tmp/prettier.log
[ -z "$failed" ] || { echo "failed:$failed"; echo "0 passed, 1 failed"; exit 1; }
rm -f .tmp/jest-results.json
npx jest --ci --maxWorkers=2 --json --outputFile=.tmp/jest-results.json "$@"
status=$?
node scripts/jest-summary.js .tmp/jest-results.json || status=1
exit $status
