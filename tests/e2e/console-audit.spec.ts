import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { admin, asToken, createOrder, newId, screenshot, seedWorkCenter, tokenFor, waitForEta } from './factory.ts';

/**
 * The audit (/console/audit): a manager answers "who changed this due date" from the event log. A
 * planner moves AUD-1's due date twice (and its priority once); a worker reports on it; the demo
 * plant's 60 orders make the log long enough to page.
 */

test.use({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });

const PLANNER = 'Wang Fang (planner)';

async function patchOrder(request: APIRequestContext, token: string, code: string, data: unknown) {
  const r = await request.fetch(`/api/v1/orders/${code}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}` }, data });
  if (!r.ok()) throw new Error(`PATCH ${code}: ${r.status()} ${await r.text()}`);
}

let seeded: Promise<void> | null = null;
function seed(request: APIRequestContext): Promise<void> {
  seeded ??= (async () => {
    await seedWorkCenter(request, 'AUD-CUT', { line: 'E2E-AUD', name: 'Audit cutting' });
    await createOrder(request, 'AUD-1', 'P-AUD-CUT', 20, 48);
    await waitForEta(request, 'AUD-1');
    const planner = (await admin.post(request, '/auth/tokens', { name: PLANNER, role: 'planner' })).token as string;
    await patchOrder(request, planner, 'AUD-1', { dueAt: '2026-12-20T08:00:00+08:00' });
    await patchOrder(request, planner, 'AUD-1', { dueAt: '2026-12-22T17:30:00+08:00', priority: 3 });
    const worker = await tokenFor(request, 'worker', 'e2e audit worker');
    await asToken(request, worker, '/events', { id: newId(), type: 'operation.started', order: 'AUD-1', seq: 1, machine: 1 });
    await asToken(request, worker, '/events', { id: newId(), type: 'operation.progress', order: 'AUD-1', seq: 1, quantityGood: 5, quantityScrap: 1 });
  })();
  return seeded;
}

const managerToken = async (request: APIRequestContext) => (await admin.post(request, '/auth/tokens', { name: 'e2e manager', role: 'manager' })).token as string;
const rows = (page: Page) => page.getByTestId('audit-row');

async function search(page: Page, filters: { subject?: string; user?: string; kind?: string }) {
  await page.getByTestId('audit-subject').fill(filters.subject ?? '');
  await page.getByTestId('audit-user').fill(filters.user ?? '');
  await page.getByTestId('audit-kind').fill(filters.kind ?? '');
  await page.getByTestId('audit-search').click();
}

test('a manager finds who changed a due date, from what to what, and pages the whole log', async ({ page, request, baseURL }) => {
  await seed(request);
  await page.context().addCookies([{ name: 'takt_session', value: await managerToken(request), url: baseURL! }]);
  await page.goto('/console/audit');
  await expect(page.getByRole('heading', { name: 'Audit', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Audit' })).toHaveAttribute('aria-current', 'page');

  // Unfiltered: the newest 50, then the next page after them.
  await expect(rows(page)).toHaveCount(50);
  await expect(page.getByTestId('audit-count')).toHaveText('50 entries shown');
  await page.getByTestId('audit-more').click();
  await expect(page.getByTestId('audit-count')).not.toHaveText('50 entries shown');
  expect(await rows(page).count()).toBeGreaterThan(50);

  await search(page, { subject: 'AUD-1' });
  await expect(rows(page)).toHaveCount(5);
  await expect(rows(page).nth(0)).toHaveAttribute('data-kind', 'operation.progress');
  await expect(rows(page).nth(0)).toContainText('5 good · 1 scrap');
  await expect(rows(page).nth(0)).toContainText('AUD-1/1');
  await expect(rows(page).nth(1)).toHaveAttribute('data-kind', 'operation.started');
  const newest = rows(page).nth(2);
  await expect(newest).toHaveAttribute('data-kind', 'order.updated');
  await expect(newest).toContainText(PLANNER);
  await expect(newest).toContainText('Order changed');
  await expect(newest.getByTestId('audit-change').nth(0)).toHaveText('Due date 2026-12-20 08:00 → 2026-12-22 17:30');
  await expect(newest.getByTestId('audit-change').nth(1)).toHaveText('Priority 1 → 3');
  const older = rows(page).nth(3);
  await expect(older.getByTestId('audit-change')).toHaveCount(1);
  await expect(older.getByTestId('audit-change')).toContainText('→ 2026-12-20 08:00');
  await expect(rows(page).nth(4)).toHaveAttribute('data-kind', 'order.created');
  await expect(page.getByText('Start of the log reached.')).toBeVisible();

  // From the order itself: its change history is the audit filtered to it.
  await page.goto('/console/orders/AUD-1');
  await expect(page.getByTestId('detail-eta')).not.toBeEmpty();
  await screenshot(page, 'console-audit-order-link-en');
  await page.getByTestId('order-audit').click();
  await expect(page).toHaveURL(/\/console\/audit\?subject=AUD-1$/);
  await expect(page.getByTestId('audit-subject')).toHaveValue('AUD-1');
  await expect(rows(page)).toHaveCount(5);

  await search(page, { user: PLANNER, kind: 'order' });
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).filter({ hasText: PLANNER })).toHaveCount(2);

  // A period in the future holds nothing.
  await search(page, { subject: 'AUD-1' });
  await page.getByTestId('audit-from').fill('2030-01-01T00:00');
  await page.getByTestId('audit-search').click();
  await expect(page.getByText('No entry matches these filters.')).toBeVisible();
  await page.getByTestId('audit-clear').click();
  await expect(rows(page)).toHaveCount(50);
});

test('a planner has no audit in the nav, and the API refuses it', async ({ page, request, baseURL }) => {
  await seed(request);
  const planner = (await admin.post(request, '/auth/tokens', { name: 'e2e audit planner', role: 'planner' })).token as string;
  await page.context().addCookies([{ name: 'takt_session', value: planner, url: baseURL! }]);
  await page.goto('/console');
  await expect(page.getByRole('link', { name: 'Orders' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Audit' })).toHaveCount(0);
  await page.goto('/console/orders/AUD-1');
  await expect(page.getByRole('heading', { name: 'AUD-1', level: 1 })).toBeVisible();
  await expect(page.getByTestId('order-audit')).toHaveCount(0);
  const r = await request.get('/api/v1/audit', { headers: { authorization: `Bearer ${planner}` } });
  expect(r.status()).toBe(403);
});

async function screens(browser: Browser, request: APIRequestContext, baseURL: string, language: 'en' | 'zh-CN') {
  const context = await browser.newContext({ locale: language === 'en' ? 'en-US' : 'zh-CN', viewport: { width: 1440, height: 900 } });
  await context.addCookies([{ name: 'takt_session', value: await managerToken(request), url: baseURL }]);
  const page = await context.newPage();
  await page.goto('/console/audit?subject=AUD-1');
  await expect(rows(page)).toHaveCount(5);
  await expect(page.getByTestId('audit-change').first()).toContainText(language === 'en' ? 'Due date' : '交期');
  await screenshot(page, `console-audit-${language}`);
  await context.close();
}

test('screenshots in both languages', async ({ browser, request, baseURL }) => {
  await seed(request);
  await screens(browser, request, baseURL!, 'en');
  await screens(browser, request, baseURL!, 'zh-CN');
});
