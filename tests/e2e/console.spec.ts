import { expect, test } from '@playwright/test';
import { ADMIN_TOKEN, admin, asToken, resolveOpenAlerts, createOrder, newId, screenshot, seedWorkCenter, tokenFor, waitForEta } from './factory.ts';

test.use({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });

test('a breakdown andon moves an order ETA on the console, live', async ({ page, context, request, baseURL }) => {
  await seedWorkCenter(request, 'E2E-C');
  // About 70 minutes of work due in 5 hours: on time until the breakdown.
  await createOrder(request, 'E2E-C1', 'P-E2E-C', 60, 5);
  const etaBefore = await waitForEta(request, 'E2E-C1');
  const worker = await tokenFor(request, 'worker');

  // Any valid token works as the console's session cookie; real users get it from /auth/login.
  await context.addCookies([{ name: 'takt_session', value: ADMIN_TOKEN, url: baseURL! }]);
  await page.goto('/console');
  const row = page.locator('[data-testid=order-row][data-order="E2E-C1"]');
  const eta = row.getByTestId('order-eta');
  await expect(eta).not.toHaveText('not planned');
  const shownBefore = (await eta.textContent())!.trim();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  await screenshot(page, 'console-orders');

  // Ten hours down on a 24/7 work center: the order cannot finish before the repair.
  const andonId = newId();
  await asToken(request, worker, '/andon', { id: andonId, workCenter: 'E2E-C', reason: 'breakdown', order: 'E2E-C1', expectedMinutes: 600 });
  await expect(eta).not.toHaveText(shownBefore, { timeout: 20_000 });
  const etaAfter = await waitForEta(request, 'E2E-C1', (e) => e !== etaBefore);
  expect(new Date(etaAfter).getTime()).toBeGreaterThan(new Date(etaBefore).getTime() + 8 * 3_600_000);
  await expect(row.getByTestId('late-flag')).toBeVisible();
  expect((await admin.get(request, '/orders/E2E-C1')).late).toBe(true);
  await expect(row.getByTestId('late-reasons')).toContainText('E2E-C is down until');

  // The repair is done: the ETA comes back, live, without a reload.
  const shownDuring = (await eta.textContent())!.trim();
  await admin.post(request, `/andon/${andonId}/resolve`, { rootCause: 'e2e' });
  await expect(eta).not.toHaveText(shownDuring, { timeout: 20_000 });
  await expect(row.getByTestId('late-flag')).toHaveCount(0);
  const etaBack = await waitForEta(request, 'E2E-C1', (e) => new Date(e).getTime() < new Date(etaAfter).getTime());
  expect(Math.abs(new Date(etaBack).getTime() - new Date(etaBefore).getTime())).toBeLessThan(30 * 60_000);
  await asToken(request, worker, '/andon', { id: newId(), workCenter: 'E2E-C', reason: 'breakdown', order: 'E2E-C1', expectedMinutes: 600 });
  await expect(eta).not.toHaveText(shownBefore, { timeout: 20_000 });

  await page.getByTestId('late-only').check();
  await expect(row).toBeVisible();
  await row.getByRole('link', { name: 'E2E-C1' }).click();
  await expect(page.getByTestId('detail-eta')).not.toHaveText('not planned');
  await expect(page.getByTestId('operation-row')).toHaveCount(1);
  await screenshot(page, 'order-detail');
  await resolveOpenAlerts(request);
});

test('the login page signs in and refuses a wrong password', async ({ page }) => {
  await page.goto('/console');
  await expect(page).toHaveURL(/\/console\/login/);
  await page.getByLabel('User name').fill('worker');
  await page.getByLabel('Password').fill('definitely-wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('error-notice')).toHaveAttribute('data-code', 'unauthorized');
  await screenshot(page, 'login');
});

test('the landing page links to every screen, in Chinese for zh browsers', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByTestId('link-board')).toContainText('电视看板');
  await expect(page.getByTestId('link-station')).toHaveAttribute('href', '/display/station');
  await expect(page.getByTestId('link-console')).toHaveAttribute('href', '/console');
  await screenshot(page, 'landing');
  await page.getByRole('button', { name: 'EN' }).click();
  await expect(page.getByTestId('link-board')).toContainText('TV board');
  await context.close();
});
