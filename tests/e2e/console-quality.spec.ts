import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { admin, asToken, createOrder, newId, screenshot, seedWorkCenter, tokenFor, waitForEta } from './factory.ts';

/**
 * QC's home (/console/quality): the operations held for quality and their release, the other open
 * quality alerts, the scrap Pareto; and a late start marked on the TV board. The tests' orders live on
 * their own work centers (QC-*), beside the demo plant's.
 */

test.use({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });

async function qcToken(request: APIRequestContext): Promise<string> {
  return (await admin.post(request, '/auth/tokens', { name: 'e2e qc', role: 'qc' })).token as string;
}

let seeded: Promise<void> | null = null;

/**
 * Once per run: scrap on QC-CUT (QC-1: 12 burr, 5 dimension; QC-3: 4 burr) and QC-WELD (QC-2: 8
 * crack, 3 with no reason); QC-3's cut held by a quality alert, and one on QC-WELD naming no job.
 */
function seed(request: APIRequestContext): Promise<void> {
  seeded ??= (async () => {
    const known = await request.get('/api/v1/orders/QC-3', { headers: { authorization: 'Bearer e2e-admin-token-0123456789' } });
    if (known.ok()) return;
    await seedWorkCenter(request, 'QC-CUT', { line: 'E2E-QC', name: 'QC cutting' });
    await seedWorkCenter(request, 'QC-WELD', { line: 'E2E-QC', name: 'QC welding' });
    await createOrder(request, 'QC-1', 'P-QC-CUT', 100, 48);
    await createOrder(request, 'QC-2', 'P-QC-WELD', 100, 48);
    await createOrder(request, 'QC-3', 'P-QC-CUT', 50, 72);
    for (const code of ['QC-1', 'QC-2', 'QC-3']) await waitForEta(request, code);
    const worker = await tokenFor(request, 'worker', 'e2e qc worker');
    const scrap = (order: string, quantityScrap: number, scrapReason?: string) =>
      asToken(request, worker, '/events', { id: newId(), type: 'operation.progress', order, seq: 1, quantityScrap, ...(scrapReason === undefined ? {} : { scrapReason }) });
    await scrap('QC-1', 12, 'burr');
    await scrap('QC-1', 5, 'dimension');
    await scrap('QC-2', 8, 'crack');
    await scrap('QC-2', 3, '');
    await scrap('QC-3', 4, 'burr');
    await asToken(request, worker, '/andon', { id: 'qc-hold-3', workCenter: 'QC-CUT', reason: 'quality', order: 'QC-3', seq: 1, note: 'Surface cracks on the first piece', expectedMinutes: 120 });
    await asToken(request, worker, '/andon', { id: 'qc-gauge', workCenter: 'QC-WELD', reason: 'quality', note: 'Gauge out of calibration' });
  })();
  return seeded;
}

async function signedIn(page: Page, request: APIRequestContext, baseURL: string): Promise<void> {
  await page.context().addCookies([{ name: 'takt_session', value: await qcToken(request), url: baseURL }]);
}

const heldRow = (page: Page, order: string) => page.locator(`[data-testid=held-row][data-order="${order}"]`);
const scrapRow = (page: Page, key: string) => page.locator(`[data-testid=scrap-row][data-key="${key}"]`);

test('QC lands on the quality page: holds, other alerts and the scrap Pareto by reason, work center and product', async ({ page, request, baseURL }) => {
  await seed(request);
  await signedIn(page, request, baseURL!);
  await page.goto('/console/login');
  await expect(page).toHaveURL(/\/console\/quality$/);
  await expect(page.getByRole('heading', { name: 'Quality', level: 1 })).toBeVisible();

  await expect(heldRow(page, 'QC-3')).toContainText('QC-CUT');
  await expect(heldRow(page, 'QC-3')).toContainText('Surface cracks on the first piece');
  await expect(page.getByTestId('alert-row').filter({ hasText: 'Gauge out of calibration' })).toContainText('QC-WELD');

  // By reason (the default): the demo plant reported no scrap, so the period holds just these.
  await expect(scrapRow(page, 'burr')).toContainText('16');
  await expect(scrapRow(page, 'crack')).toContainText('8');
  await expect(scrapRow(page, '')).toContainText('no reason given');
  await expect(page.getByTestId('pareto-chart').locator('svg')).toBeVisible();

  await page.getByTestId('scrap-by-workCenter').check();
  await expect(scrapRow(page, 'QC-CUT')).toContainText('QC-CUT · QC cutting');
  await expect(scrapRow(page, 'QC-CUT').locator('td').nth(2)).toHaveText('21');
  await expect(scrapRow(page, 'QC-WELD').locator('td').nth(2)).toHaveText('11');
  await page.getByTestId('scrap-by-product').check();
  await expect(scrapRow(page, 'P-QC-CUT').locator('td').nth(2)).toHaveText('21');
});

async function screens(browser: Browser, request: APIRequestContext, baseURL: string, language: 'en' | 'zh-CN') {
  const context = await browser.newContext({ locale: language === 'en' ? 'en-US' : 'zh-CN', viewport: { width: 1440, height: 900 } });
  await context.addCookies([{ name: 'takt_session', value: await qcToken(request), url: baseURL }]);
  const page = await context.newPage();
  await page.goto('/console/quality');
  await expect(heldRow(page, 'QC-3')).toBeVisible();
  await expect(page.getByTestId('pareto-chart').locator('svg')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
  await screenshot(page, `quality-home-${language}-1440x900`);
  await page.getByTestId('scrap').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `tests/artifacts/screenshots/quality-pareto-${language}-1440x900.png`, fullPage: true });
  await context.close();
}

for (const language of ['en', 'zh-CN'] as const) {
  test(`screenshots: the quality page, ${language} at 1440x900`, async ({ browser, request, baseURL }) => {
    await seed(request);
    await screens(browser, request, baseURL!, language);
  });
}

test('QC releases a hold: the row leaves, the alert is resolved with the root cause', async ({ page, request, baseURL }) => {
  await seed(request);
  await signedIn(page, request, baseURL!);
  await page.goto('/console/quality');
  const row = heldRow(page, 'QC-3');
  await row.getByTestId('acknowledge').click();
  await expect(row).toHaveAttribute('data-state', 'acknowledged');
  await row.getByRole('textbox').fill('Blade changed');
  await row.getByTestId('release').click();
  await expect(row).toHaveCount(0);
  expect(await admin.get(request, '/andon/qc-hold-3')).toMatchObject({ state: 'resolved', rootCause: 'Blade changed', resolvedBy: 'e2e qc' });
});

test('a job not started a minute after its planned start marks its TV tile "late start" until it starts', async ({ browser, request }) => {
  test.setTimeout(150_000);
  await seedWorkCenter(request, 'QC-LATE', { line: 'E2E-QC', name: 'QC late cell' });
  await admin.put(request, '/work-centers/QC-LATE', { name: 'QC late cell', line: 'E2E-QC', machines: 1, calendar: 'E2E-247', lateStartMinutes: 1 });
  await admin.put(request, '/boards/QC-BOARD', { name: 'QC board', workCenters: ['QC-LATE', 'QC-CUT', 'QC-WELD'] });
  await createOrder(request, 'QC-L1', 'P-QC-LATE', 20, 48);
  await waitForEta(request, 'QC-L1');
  const display = await tokenFor(request, 'display', 'e2e qc board');

  const pages: Page[] = [];
  for (const locale of ['en-US', 'zh-CN']) {
    const context = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`/display/board/QC-BOARD?token=${display}`);
    await expect(page.locator('[data-testid=wc-tile][data-wc="QC-LATE"]')).toBeVisible();
    pages.push(page);
  }
  const [en, zh] = pages as [Page, Page];
  // Live: the worker's timer tells it at planned start + 1 minute, the board hears the notice.
  const mark = (page: Page) => page.locator('[data-testid=wc-tile][data-wc="QC-LATE"] [data-testid=late-start]');
  await expect(mark(en)).toContainText('Late start', { timeout: 120_000 });
  await expect(mark(en)).toContainText('QC-L1');
  await expect(mark(zh)).toContainText('开工延迟');
  await screenshot(en, 'board-late-start-en-1440x900');
  await screenshot(zh, 'board-late-start-zh-CN-1440x900');

  const feed = (await admin.get(request, '/notifications?audience=floor&limit=1000')) as unknown as { kind: string; order?: string }[];
  expect(feed.filter((n) => n.kind === 'operation.late_start' && n.order === 'QC-L1')).toHaveLength(1);

  // Leads and planners read it in the console's feed, as a sentence in their language.
  const planner = (await admin.post(request, '/auth/tokens', { name: 'e2e planner', role: 'planner' })).token as string;
  for (const [page, text] of [[en, 'QC-L1 op 1 at QC-LATE was planned to start'], [zh, 'QC-L1 工序 1（QC-LATE）计划']] as const) {
    await page.context().addCookies([{ name: 'takt_session', value: planner, url: new URL(page.url()).origin }]);
    await page.goto('/console/notifications');
    const notice = page.locator('[data-testid=notification][data-kind="operation.late_start"] [data-testid=late-start-notice]').filter({ hasText: 'QC-L1' });
    await expect(notice).toContainText(text);
    await screenshot(page, `notifications-late-start-${page === en ? 'en' : 'zh-CN'}-1440x900`);
    await page.goto('/display/board/QC-BOARD');
    await expect(mark(page)).toBeVisible();
  }

  const worker = await tokenFor(request, 'worker', 'e2e qc late worker');
  await asToken(request, worker, '/events', { id: newId(), type: 'operation.started', order: 'QC-L1', seq: 1 });
  await expect(mark(en)).toHaveCount(0);
  for (const page of pages) await page.context().close();
});
