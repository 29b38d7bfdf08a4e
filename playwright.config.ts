import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.E2E_PORT ?? 3199);
// Must match tests/e2e/factory.ts: tests create their data with it.
const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789';

const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Real built UI + real server + real (embedded) PostgreSQL; run `npm run build` first. */
export default defineConfig({
  testDir: 'tests/e2e',
  forbidOnly: !!process.env.CI,
  // One retry in CI, reported as "flaky" by Playwright and by .ci/count-results.ts, never hidden.
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-reports/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node tests/e2e/start-server.ts',
    url: `http://127.0.0.1:${port}/api/v1/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    // SIGTERM, so the server stops its embedded database (started detached) instead of orphaning it.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    // The server's own warnings (a failed reschedule, say) belong in the test output when something breaks.
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      E2E_PORT: String(port),
      TAKT_DATA_DIR: join(tmpdir(), `takt-e2e-${port}`),
      TAKT_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      // The channel tests' receivers listen on this machine.
      TAKT_OUTBOUND_ALLOW_LOOPBACK: 'true',
    },
  },
});
