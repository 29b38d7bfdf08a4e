import { expect, test, type APIRequestContext } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADMIN_TOKEN,
  admin,
  asToken,
  createOrder,
  newId,
  resolveOpenAlerts,
  screenshot,
  seedWorkCenter,
  tokenFor,
  waitForEta,
} from './factory.ts';

test.use({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });

test('a configured board at 3840x2160 shows escalation levels, the shift summary and a 4K screenshot', async ({ browser, request, baseURL }) => {
  await resolveOpenAlerts(request);
  await seedWorkCenter(request, 'E2E-K1', { line: 'E2E-K', name: 'E2E 冲压' });
  await seedWorkCenter(request, 'E2E-K2', { line: 'E2E-K', name: 'E2E 折弯' });
  await createOrder(request, 'E2E-K1A', 'P-E2E-K1', 40, 72);
  await waitForEta(request, 'E2E-K1A');
  const ladders = (await admin.get(request, '/escalation')) as unknown as { reason: string; levels: unknown[] }[];
  const before = ladders.find((l) => l.reason === 'breakdown');
  // A short ladder for this test: level 2 after 1.2 s without acknowledgement.
  await admin.put(request, '/escalation/breakdown', {
    levels: [
      { level: 1, afterMinutes: 0, notify: 'lead' },
      { level: 2, afterMinutes: 0.02, notify: 'e2e supervisor' },
    ],
  });
  await admin.put(request, '/boards/E2E-K', { name: 'E2E 冲压线', lines: ['E2E-K'], pageSeconds: 10, sound: true, locale: 'zh-CN' });
  const display = await tokenFor(request, 'display', 'e2e 4k board');
  const worker = await tokenFor(request, 'worker');
  await asToken(request, worker, '/events', { id: newId(), type: 'operation.started', order: 'E2E-K1A', seq: 1 });
  await asToken(request, worker, '/events', { id: newId(), type: 'operation.progress', order: 'E2E-K1A', seq: 1, quantityGood: 15 });

  const context = await browser.newContext({ viewport: { width: 3840, height: 2160 }, locale: 'zh-CN' });
  const board = await context.newPage();
  await board.goto(`/display/board/E2E-K?token=${display}`);
  await expect(board.getByTestId('board-title')).toHaveText('E2E 冲压线');
  await expect(board.getByTestId('wc-tile')).toHaveCount(2); // only its line
  await expect(board.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  // Without a user gesture a real TV browser blocks audio and shows the hint; headless Chromium may
  // or may not (it depends on timing), so: when the hint is there, one click enables sound and hides it.
  const hint = board.getByTestId('sound-hint');
  if ((await hint.count()) > 0) {
    await hint.click();
    await expect(hint).toHaveCount(0);
  }

  await asToken(request, worker, '/andon', { id: newId(), workCenter: 'E2E-K2', reason: 'material', note: '板材未到', expectedMinutes: 40 });
  await asToken(request, worker, '/andon', { id: newId(), workCenter: 'E2E-K1', reason: 'breakdown', note: '液压站漏油', expectedMinutes: 90 });
  const breakdown = board.locator('[data-testid=andon-alert][data-wc="E2E-K1"]');
  await expect(board.getByTestId('andon-alert')).toHaveCount(2);
  await expect(board.getByTestId('andon-alert').first()).toHaveAttribute('data-wc', 'E2E-K1'); // newest first
  await expect(breakdown.getByTestId('andon-level')).toHaveAttribute('data-level', '2', { timeout: 20_000 });
  await expect(breakdown.getByTestId('andon-level')).toHaveText('2级');
  await expect(board.getByTestId('summary-alerts')).toHaveText('2');
  const overflow = await board.evaluate(() => document.documentElement.scrollWidth > innerWidth || document.documentElement.scrollHeight > innerHeight);
  expect(overflow).toBe(false);
  await board.waitForTimeout(1500);
  await screenshot(board, 'board-3840x2160');

  // The console feed shows the escalation, live.
  const office = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  await office.addCookies([{ name: 'takt_session', value: ADMIN_TOKEN, url: baseURL! }]);
  const consolePage = await office.newPage();
  await consolePage.goto('/console/notifications');
  const note = consolePage.locator('[data-testid=notification][data-kind="andon.escalated"][data-wc="E2E-K1"]');
  await expect(note.first()).toHaveAttribute('data-level', '2');
  await expect(consolePage.getByTestId('bell-count')).toBeVisible();
  const unread = Number(await consolePage.getByTestId('bell-count').textContent());
  await note.first().getByTestId('notification-read').click();
  await expect(consolePage.getByTestId('bell-count')).not.toHaveText(String(unread));
  await screenshot(consolePage, 'console-notifications');
  await consolePage.goto('/console/andon');
  await expect(consolePage.locator('[data-testid=figures-row][data-wc="E2E-K1"]')).toBeVisible();
  await screenshot(consolePage, 'console-andon-figures');

  if (before) await admin.put(request, '/escalation/breakdown', { levels: before.levels });
  await resolveOpenAlerts(request);
  await office.close();
  await context.close();
});

test('a playlist rotates boards without reloading the page', async ({ page, request }) => {
  await seedWorkCenter(request, 'E2E-P1', { line: 'E2E-P1' });
  await seedWorkCenter(request, 'E2E-P2', { line: 'E2E-P2' });
  await admin.put(request, '/boards/E2E-P1', { name: 'Board one', lines: ['E2E-P1'], sound: false });
  await admin.put(request, '/boards/E2E-P2', { name: 'Board two', lines: ['E2E-P2'], sound: false });
  await admin.put(request, '/playlists/E2E-PL', { name: 'Hall', boards: ['E2E-P1', 'E2E-P2'], rotateSeconds: 5 });
  const display = await tokenFor(request, 'display');
  await page.goto(`/display/playlist/E2E-PL?token=${display}&lang=en`);
  await expect(page.getByTestId('board-title')).toHaveText('Board one');
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
  await expect(page.getByTestId('board-title')).toHaveText('Board two', { timeout: 10_000 });
  await expect(page.locator('[data-testid=wc-tile][data-wc="E2E-P2"]')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
});

/** Our own server, so that the test can stop and restart it; the embedded database persists. */
function startServer(port: number, dataDir: string): ChildProcess {
  return spawn(process.execPath, ['server/main.ts', '--no-simulate', `--port=${port}`], {
    cwd: process.cwd(),
    stdio: 'ignore',
    env: { ...process.env, TAKT_DATA_DIR: dataDir, TAKT_ADMIN_TOKEN: ADMIN_TOKEN, PORT: String(port) },
  });
}

async function waitHealthy(request: APIRequestContext, base: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const ok = await request
      .get(`${base}/api/v1/health`)
      .then((r) => r.ok())
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`server at ${base} did not become healthy`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

test('the board says when its data is stale, reconnects by itself and applies what it missed', async ({ page, playwright }) => {
  test.setTimeout(180_000);
  const port = 3181;
  const base = `http://127.0.0.1:${port}`;
  const dataDir = join(tmpdir(), `takt-e2e-stale-${port}`);
  rmSync(dataDir, { recursive: true, force: true });
  const api = await playwright.request.newContext({ baseURL: base, extraHTTPHeaders: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  let server = startServer(port, dataDir);
  try {
    await waitHealthy(api, base);
    await seedWorkCenter(api, 'E2E-R');
    await createOrder(api, 'E2E-R1', 'P-E2E-R', 50, 72);
    await waitForEta(api, 'E2E-R1');
    const worker = await tokenFor(api, 'worker');
    await asToken(api, worker, '/events', { id: newId(), type: 'operation.started', order: 'E2E-R1', seq: 1 });

    await page.goto(`${base}/display/board/ALL?token=${ADMIN_TOKEN}`);
    const tile = page.locator('[data-testid=wc-tile][data-wc="E2E-R"]');
    await expect(tile).toBeVisible();
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await expect(page.getByTestId('stale-banner')).toHaveCount(0);

    await stop(server);
    await expect(page.getByTestId('stale-banner')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'reconnecting');
    await screenshot(page, 'board-stale-1920x1080');

    server = startServer(port, dataDir);
    await waitHealthy(api, base);
    // Posted while the board may still be backing off: it must catch up from the last message id.
    await asToken(api, worker, '/events', { id: newId(), type: 'operation.progress', order: 'E2E-R1', seq: 1, quantityGood: 11 });
    await asToken(api, worker, '/andon', { id: newId(), workCenter: 'E2E-R', reason: 'quality', note: '复检' });

    await expect(page.getByTestId('stale-banner')).toHaveCount(0, { timeout: 45_000 });
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
    await expect(tile.getByTestId('wc-qty')).toHaveText(/^11\s*\/\s*50$/);
    await expect(page.locator('[data-testid=andon-alert][data-wc="E2E-R"]')).toBeVisible();
    await expect(tile).toHaveAttribute('data-state', 'blocked');
    // Live again: one more message arrives without a reload.
    await asToken(api, worker, '/events', { id: newId(), type: 'operation.progress', order: 'E2E-R1', seq: 1, quantityGood: 4 });
    await expect(tile.getByTestId('wc-qty')).toHaveText(/^15\s*\/\s*50$/);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  } finally {
    await stop(server);
    await api.dispose();
  }
});
