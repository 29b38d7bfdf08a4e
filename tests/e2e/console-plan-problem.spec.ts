import { expect, test } from '@playwright/test';
import { ADMIN_TOKEN, admin, createOrder, screenshot, seedWorkCenter, waitForEta } from './factory.ts';

test('the console says when the plan cannot be recomputed, and clears when it can', async ({ page, context, request, baseURL }) => {
  await seedWorkCenter(request, 'E2E-INF');
  await createOrder(request, 'E2E-INF1', 'P-E2E-INF', 10, 48);
  await waitForEta(request, 'E2E-INF1');
  await context.addCookies([{ name: 'takt_session', value: ADMIN_TOKEN, url: baseURL! }]);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/console?lang=en');
  await expect(page.locator('[data-testid=order-row][data-order="E2E-INF1"]')).toBeVisible();

  // A planner gives the work center a calendar without a single shift.
  await admin.put(request, '/calendars/E2E-NEVER', { timeZone: 'UTC', shifts: [] });
  await admin.put(request, '/work-centers/E2E-INF', { name: 'E2E E2E-INF', line: 'E2E', machines: 1, calendar: 'E2E-NEVER' });
  const banner = page.getByTestId('plan-problem');
  await expect(banner).toContainText('E2E-INF');
  await screenshot(page, 'console-plan-problem');
  // Stored, not only streamed: a console opened after the failure still says why.
  await page.reload();
  await expect(page.getByTestId('plan-problem')).toContainText('E2E-INF');

  await admin.put(request, '/work-centers/E2E-INF', { name: 'E2E E2E-INF', line: 'E2E', machines: 1, calendar: 'E2E-247' });
  await expect(banner).toHaveCount(0);
});
