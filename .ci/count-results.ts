// Prints the plain `N passed, N failed, N skipped` line CI reads, from the Vitest and Playwright
// JSON reports (their own summaries are not read by CI).
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const found: string[] = [];

if (existsSync('test-reports/vitest.json')) {
  const v = JSON.parse(readFileSync('test-reports/vitest.json', 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites && !v.numFailedTests ? v.numFailedTestSuites : 0);
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  found.push(`vitest ${v.numPassedTests}/${v.numTotalTests}`);
}
if (existsSync('test-reports/e2e.json')) {
  const p = JSON.parse(readFileSync('test-reports/e2e.json', 'utf8'));
  const s = p.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  found.push(`playwright ${s.expected ?? 0} passed, ${s.unexpected ?? 0} failed, ${s.flaky ?? 0} flaky (passed on retry)`);
}
console.log(`(${found.join('; ') || 'no test report found'})`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
