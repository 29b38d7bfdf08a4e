import { expect, test, type Page } from '@playwright/test';
import { admin, createOrder, screenshot, seedWorkCenter, waitForEta } from './factory.ts';

test.use({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });

interface Notice {
  kind: string;
  order?: string;
}

async function salesNotice(request: Parameters<typeof admin.get>[0], order: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const feed = (await admin.get(request, '/notifications?audience=sales&limit=1000')) as unknown as Notice[];
    if (feed.some((n) => n.order === order && n.kind === 'order.late')) return;
    if (Date.now() > deadline) throw new Error(`no sales notice for ${order}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `<wc>-RUSH`, due in two hours, queued behind ten hours of `<wc>-BIG` that start now (frozen): late, and sales told. */
async function lateRushOrder(request: Parameters<typeof admin.get>[0], workCenter: string): Promise<void> {
  await seedWorkCenter(request, workCenter);
  await createOrder(request, `${workCenter}-BIG`, `P-${workCenter}`, 600, 24 * 20);
  await waitForEta(request, `${workCenter}-BIG`);
  await createOrder(request, `${workCenter}-RUSH`, `P-${workCenter}`, 10, 2);
  await salesNotice(request, `${workCenter}-RUSH`);
}

async function openAsSales(page: Page, baseURL: string, token: string): Promise<void> {
  await page.context().addCookies([{ name: 'takt_session', value: token, url: baseURL }]);
  await page.goto('/console/notifications');
}

test('sales read an order that cannot make its due date as a sentence, in English and Chinese, and open the order from it', async ({ page, browser, request, baseURL }) => {
  await lateRushOrder(request, 'E2E-N');
  const { token } = (await admin.post(request, '/auth/tokens', { name: 'e2e sales', role: 'sales' })) as { token: string };

  await openAsSales(page, baseURL!, token);
  const notice = page.locator('[data-testid=notification][data-kind="order.late"]').filter({ has: page.locator('[data-order="E2E-N-RUSH"]') });
  await expect(notice.getByTestId('order-notice')).toHaveText(/^E2E-N-RUSH will be \d+ h \d+ min late: Op 1 queued behind E2E-N-BIG at E2E-N/);
  await expect(notice).toContainText('Order late');
  // Sales read their part of the feed: no andon notices, and the bell counts the unread ones.
  await expect(page.locator('[data-testid=notification][data-kind^="andon."]')).toHaveCount(0);
  await expect(page.getByTestId('bell-count')).toBeVisible();
  await screenshot(page, 'console-notices-en');

  const zh = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const zhPage = await zh.newPage();
  await openAsSales(zhPage, baseURL!, token);
  const zhNotice = zhPage.locator('[data-testid=notification][data-kind="order.late"]').filter({ has: zhPage.locator('[data-order="E2E-N-RUSH"]') });
  await expect(zhNotice.getByTestId('order-notice')).toHaveText(/^E2E-N-RUSH 将延期 \d+小时\d+分：工序 1 在 E2E-N 排在 E2E-N-BIG 之后/);
  await screenshot(zhPage, 'console-notices-zh');
  await zh.close();

  await notice.getByTestId('order-notice').click();
  await expect(page).toHaveURL(/\/console\/orders\/E2E-N-RUSH$/);
});

test('a planner narrows the feed to their own notices, and the choice is remembered', async ({ page, browser, request, baseURL }) => {
  await lateRushOrder(request, 'E2E-M');
  const { token } = (await admin.post(request, '/auth/tokens', { name: 'e2e planner', role: 'planner' })) as { token: string };
  await page.context().addCookies([{ name: 'takt_session', value: token, url: baseURL! }]);
  await page.goto('/console/notifications');

  // The whole feed has sales' late order; it is not the planner's own (their own are late starts).
  const rush = page.locator('[data-testid=notification]').filter({ has: page.locator('[data-order="E2E-M-RUSH"]') });
  await expect(rush).toHaveCount(1);
  await expect(page.getByTestId('notifications-all')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('notifications-mine').click();
  await expect(page.getByTestId('notifications-mine')).toHaveAttribute('aria-pressed', 'true');
  await expect(rush).toHaveCount(0);
  await expect(page.locator('[data-testid=notification]:not([data-kind="operation.late_start"])')).toHaveCount(0);
  await screenshot(page, 'console-notices-mine-en');

  await page.reload();
  await expect(page.getByTestId('notifications-mine')).toHaveAttribute('aria-pressed', 'true');
  await expect(rush).toHaveCount(0);
  await page.getByTestId('notifications-all').click();
  await expect(rush).toHaveCount(1);

  const zh = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  await zh.addCookies([{ name: 'takt_session', value: token, url: baseURL! }]);
  const zhPage = await zh.newPage();
  await zhPage.goto('/console/notifications');
  await expect(zhPage.getByTestId('notifications-mine')).toHaveText('与我相关');
  await zhPage.getByTestId('notifications-mine').click();
  await expect(zhPage.getByTestId('notifications-mine')).toHaveAttribute('aria-pressed', 'true');
  await screenshot(zhPage, 'console-notices-mine-zh-CN-390x844');
  await zh.close();
});
