// Prints jest's totals as one plain line ("N passed, N failed[, N skipped]") so CI can see a run that ran nothing.
const fs = require('node:fs');
const file = process.argv[2];
if (!fs.existsSync(file)) {
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const failedSuites = r.numFailedTestSuites - r.numFailedTests > 0 ? r.numRuntimeErrorTestSuites : 0;
const failed = r.numFailedTests + failedSuites;
const skipped = r.numPendingTests + r.numTodoTests;
process.stdout.write(
  `${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
);
process.exit(failed > 0 || r.numTotalTests === 0 ? 1 : 0);
