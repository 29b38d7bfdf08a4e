import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { standardWebhookReceiver, type Receiver } from '../support/channel-receivers.ts';
import { ADMIN_TOKEN, admin, newId, screenshot, seedWorkCenter } from './factory.ts';

/**
 * The admin's channels page (/console/channels): a Standard Webhooks channel to a real receiver on
 * this machine (the e2e server allows loopback, TAKT_OUTBOUND_ALLOW_LOOPBACK), its test button, a
 * subscription from the floor's default, the delivery log with attempts and replay.
 */

test.use({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });

const WHSEC = `whsec_${Buffer.from('e2e-webhook-secret-32-bytes-long').toString('base64')}`;
let erp: Receiver;

test.beforeAll(async () => {
  erp = await standardWebhookReceiver(WHSEC);
});
test.afterAll(async () => {
  await erp?.close();
});

async function signedIn(page: Page, baseURL: string): Promise<void> {
  await page.context().addCookies([{ name: 'takt_session', value: ADMIN_TOKEN, url: baseURL }]);
}

const raise = (request: APIRequestContext, workCenter: string) => admin.post(request, '/andon', { id: newId(), workCenter, reason: 'material' });

/** The log refreshes on demand: press Refresh until the row is there. */
async function untilLogged(page: Page, predicate: () => Promise<boolean>): Promise<void> {
  await expect(async () => {
    await page.getByRole('button', { name: /Refresh|刷新/ }).click();
    expect(await predicate()).toBe(true);
  }).toPass({ timeout: 15_000 });
}

test('an admin connects the ERP webhook, tests it, subscribes the floor and sees the delivery log with attempts and replay', async ({ page, request, baseURL }) => {
  await seedWorkCenter(request, 'E2E-CH', { line: 'E2E-CH', name: 'Channel cell' });
  await signedIn(page, baseURL!);
  await page.goto('/console/channels');
  await expect(page.getByRole('heading', { name: 'Channels', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Channels' })).toHaveAttribute('aria-current', 'page');

  await page.getByTestId('channel-new').click();
  await page.getByTestId('field-code').fill('ERP');
  await page.getByTestId('field-kind').selectOption('webhook');
  await page.getByTestId('field-url').fill(`${erp.url}/takt/events`);
  await page.getByTestId('field-secret').fill(WHSEC);
  await page.getByTestId('field-language').selectOption('en');
  await page.getByTestId('channel-save').click();
  await expect(page.getByTestId('channel-saved')).toBeVisible();
  const row = page.locator('[data-testid=channel][data-code=ERP]');
  await expect(row).toContainText('Webhook (Standard Webhooks)');
  await expect(row).toContainText('Enabled');
  // Write-only: the page never holds the secret again.
  await expect(page.getByTestId('field-secret')).toHaveValue('');
  await expect(page.getByTestId('field-secret')).toHaveAttribute('placeholder', 'A secret is stored; leave blank to keep it');

  await row.getByTestId('channel-test').click();
  await expect(row.getByTestId('test-result')).toContainText(/Delivered \(204, \d+ ms\)/);
  expect(erp.received.at(-1)!.verified).toBe(true);

  await page.getByTestId('sub-preset').selectOption('floor');
  await page.getByTestId('sub-new').click();
  await expect(page.getByTestId('sub-code')).toHaveValue('ERP-FLOOR');
  await expect(page.locator('[data-testid=subscription-editor] input[data-kind="andon.raised"]')).toBeChecked();
  await expect(page.locator('[data-testid=subscription-editor] input[data-kind="order.late"]')).not.toBeChecked();
  await page.getByTestId('sub-work-centers').fill('E2E-CH');
  await page.getByTestId('sub-save').click();
  const sub = page.locator('[data-testid=subscription][data-code=ERP-FLOOR]');
  await expect(sub).toContainText('Andon raised · Andon escalated · Andon resolved · Late start');
  await expect(sub).toContainText('Departments: Floor · Work centers: E2E-CH');

  await raise(request, 'E2E-CH');
  const andonRow = page.locator('[data-testid=delivery][data-state=delivered]').filter({ hasText: 'Andon: E2E-CH material' });
  await untilLogged(page, async () => (await andonRow.count()) === 1);
  await expect(andonRow).toContainText('Andon raised');
  await andonRow.click();
  await expect(page.getByTestId('attempts')).toContainText(/204 · \d+ ms/);

  // A failing receiver: the log says pending with the next try, and the attempt's answer.
  erp.failNext([{ status: 503, body: 'maintenance' }]);
  await raise(request, 'E2E-CH');
  await page.getByTestId('log-state').selectOption('pending');
  const pending = page.locator('[data-testid=delivery][data-state=pending]');
  await untilLogged(page, async () => (await pending.count()) >= 1 && (await pending.first().textContent())!.includes('503'));
  await expect(pending.first()).toContainText('next try');
  await page.getByTestId('log-state').selectOption('');

  // Replay the delivered one: the receiver sees it again, with the same webhook-id.
  const id = await andonRow.getAttribute('data-id');
  const before = erp.received.length;
  await andonRow.getByTestId('replay').click();
  await expect.poll(() => erp.received.filter((r) => r.headers['webhook-id'] === id).length).toBe(2);
  expect(erp.received.length).toBeGreaterThan(before);
});

test('the notifications page words a quote made an order and a channel Takt disabled, in English and Chinese', async ({ browser, request, baseURL }) => {
  const gone = await standardWebhookReceiver(WHSEC);
  try {
    await admin.put(request, '/channels/GONE', { kind: 'webhook', url: gone.url, secret: WHSEC });
    await admin.put(request, '/subscriptions/GONE', { channel: 'GONE', kinds: ['andon.raised'], filter: { workCenters: ['E2E-CH'] } });
    gone.failNext([{ status: 410 }]);
    await raise(request, 'E2E-CH');
    await expect.poll(async () => (await admin.get(request, '/channels/GONE')).enabled, { timeout: 15_000 }).toBe(false);
  } finally {
    await gone.close();
  }
  const quote = await admin.post(request, '/quotes', { product: 'P-E2E-CH', quantity: 3, customer: 'E2E 客户' });
  await admin.post(request, '/orders', { code: 'E2E-QUOTED', product: 'P-E2E-CH', quantity: 3, quote: quote.id });
  for (const language of ['en', 'zh-CN'] as const) {
    const context = await browser.newContext({ locale: language === 'en' ? 'en-US' : 'zh-CN', viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: 'takt_session', value: ADMIN_TOKEN, url: baseURL! }]);
    const page = await context.newPage();
    await page.goto('/console/notifications');
    await page.goto('/console/channels');
    await expect(page.locator('[data-testid=channel][data-code=GONE] [data-testid=disabled-cause]')).toHaveText(language === 'en' ? 'Disabled by Takt: the endpoint answered 410 Gone' : '被 Takt 停用：对方返回 410 Gone');
    await page.goto('/console/notifications');
    await expect(page.getByTestId('channel-notice')).toHaveText(language === 'en' ? 'Channel GONE was disabled: its endpoint answered 410 Gone' : '通道 GONE 已停用：对方返回 410 Gone');
    await expect(page.getByTestId('quote-notice')).toContainText(language === 'en' ? 'E2E-QUOTED: 3 × P-E2E-CH for E2E 客户, due ' : 'E2E-QUOTED：E2E 客户 P-E2E-CH × 3，交期 ');
    await screenshot(page, `notifications-channels-${language}-1440x900`);
    await context.close();
  }
});

async function screens(browser: Browser, baseURL: string, language: 'en' | 'zh-CN') {
  const context = await browser.newContext({ locale: language === 'en' ? 'en-US' : 'zh-CN', viewport: { width: 1440, height: 900 } });
  await context.addCookies([{ name: 'takt_session', value: ADMIN_TOKEN, url: baseURL }]);
  const page = await context.newPage();
  await page.goto('/console/channels');
  const row = page.locator('[data-testid=channel][data-code=ERP]');
  await row.getByRole('button', { name: 'ERP' }).click();
  await row.getByTestId('channel-test').click();
  await expect(row.getByTestId('test-result')).toBeVisible();
  await page.locator('[data-testid=subscription][data-code=ERP-FLOOR]').getByRole('button').click();
  await expect(page.getByTestId('delivery').first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
  await screenshot(page, `channels-${language}-1440x900`);
  await page.getByTestId('delivery').first().click();
  await page.getByTestId('deliveries').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `tests/artifacts/screenshots/channels-log-${language}-1440x900.png`, fullPage: true });
  await context.close();
}

test('screenshots of the channels page in English and Chinese at 1440x900', async ({ browser, baseURL }) => {
  await screens(browser, baseURL!, 'en');
  await screens(browser, baseURL!, 'zh-CN');
});
