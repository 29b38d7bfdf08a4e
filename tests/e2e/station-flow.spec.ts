import { expect, test } from '@playwright/test';
import { admin, createOrder, identifyWithPin, resolveOpenAlerts, screenshot, seedOperator, seedWorkCenter, tokenFor, waitForEta } from './factory.ts';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });

type Op = { status: string; quantityGood: number; quantityScrap: number };
const operationOf = async (request: Parameters<typeof admin.get>[0], order: string) =>
  ((await admin.get(request, `/orders/${order}`)).operations as Op[])[0];

test('an operator identifies with a PIN and works a job: start, report with scrap, pause, complete, andon, acknowledge, resolve', async ({ page, request }) => {
  await resolveOpenAlerts(request);
  await seedWorkCenter(request, 'E2E-F', { name: 'E2E 磨床' });
  await createOrder(request, 'E2E-F1', 'P-E2E-F', 20, 72);
  await waitForEta(request, 'E2E-F1');
  await seedOperator(request, 'E2E-LEAD', '7301', { name: '周组长', lead: true });
  // Acknowledge and resolve need a lead token (the server's rule); the operator is a lead too.
  const worker = await tokenFor(request, 'lead', 'e2e station F');

  await page.goto(`/display/station/E2E-F?token=${worker}`);
  await expect(page.getByTestId('operator-login')).toBeVisible();
  await expect(page.getByTestId('action-start')).toBeDisabled();
  // A wrong PIN is refused, the right one identifies the operator.
  for (const d of '9999') await page.getByTestId(`pin-key-${d}`).tap();
  await page.getByTestId('pin-submit').tap();
  await expect(page.getByTestId('operator-login').getByRole('alert')).toBeVisible();
  await identifyWithPin(page, '7301');
  await expect(page.getByTestId('operator-name')).toContainText('周组长');
  await expect(page.getByTestId('current-job')).toContainText('E2E-F1');

  await page.getByTestId('action-start').tap();
  await expect(page.getByTestId('current-job')).toHaveAttribute('data-status', 'running');

  await page.getByTestId('action-report').tap();
  await page.getByTestId('report-good').fill('6');
  await page.getByTestId('report-scrap').fill('2');
  await expect(page.getByTestId('report-send')).toBeDisabled(); // scrap needs a reason
  await page.getByTestId('scrap-reason-dimension').tap();
  await screenshot(page, 'station-report-scrap-390x844');
  await page.getByTestId('report-send').tap();
  await expect(page.getByTestId('current-qty')).toContainText('6 / 20');
  await expect.poll(() => operationOf(request, 'E2E-F1')).toMatchObject({ quantityGood: 6, quantityScrap: 2 });

  await page.getByTestId('action-pause').tap();
  await page.getByTestId('pause-reason-material').tap();
  await page.getByTestId('pause-confirm').tap();
  await expect(page.getByTestId('current-job')).toHaveAttribute('data-status', 'paused');
  await page.getByTestId('action-start').tap(); // resume
  await expect(page.getByTestId('current-job')).toHaveAttribute('data-status', 'running');

  // Andon: one press opens the reasons; raised at once, with the operator's code.
  await page.getByTestId('action-andon').tap();
  await page.getByTestId('andon-reason-quality').tap();
  await page.getByTestId('andon-submit').tap();
  const alert = page.getByTestId('station-alert');
  await expect(alert).toBeVisible();
  const open = (await admin.get(request, '/andon?state=open&workCenter=E2E-F')) as unknown as { raisedBy: string; id: string }[];
  expect(open).toHaveLength(1);
  expect(JSON.stringify(open[0])).toContain('E2E-LEAD');

  // The lead acknowledges with a new estimate, then resolves with the root cause.
  await alert.getByTestId('alert-acknowledge').tap();
  await page.getByTestId('lead-minutes').fill('20');
  await page.getByTestId('lead-confirm').tap();
  await expect(alert).toHaveAttribute('data-state', 'acknowledged');
  await screenshot(page, 'station-alert-acknowledged-390x844');
  await alert.getByTestId('alert-resolve').tap();
  await page.getByTestId('lead-text').fill('量具校准');
  await page.getByTestId('lead-confirm').tap();
  await expect(alert).toHaveCount(0);
  const resolved = (await admin.get(request, `/andon/${open[0]!.id}`)) as { state: string; rootCause: string; expectedMinutes: number };
  expect(resolved).toMatchObject({ state: 'resolved', rootCause: '量具校准', expectedMinutes: 20 });

  await page.getByTestId('action-complete').tap();
  await page.getByTestId('complete-confirm').tap();
  await expect.poll(async () => (await operationOf(request, 'E2E-F1'))!.status).toBe('completed');

  // Signing out hides the keypad-protected actions again.
  await page.getByTestId('operator-logout').tap();
  await expect(page.getByTestId('operator-login')).toBeVisible();
});

test('presses made offline survive a reload and are applied exactly once when back online', async ({ page, context, request }) => {
  await seedWorkCenter(request, 'E2E-O');
  await createOrder(request, 'E2E-O1', 'P-E2E-O', 30, 72);
  await waitForEta(request, 'E2E-O1');
  await seedOperator(request, 'E2E-OPO', '7302');
  const worker = await tokenFor(request, 'worker', 'e2e station O');

  await page.goto(`/display/station/E2E-O?token=${worker}`);
  await identifyWithPin(page, '7302');
  await expect(page.getByTestId('current-job')).toContainText('E2E-O1');
  // The service worker must control the page before it can serve a reload offline.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 }).catch(async () => {
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  });
  await expect(page.getByTestId('current-job')).toContainText('E2E-O1');

  await context.setOffline(true);
  await page.getByTestId('action-start').tap();
  await expect(page.getByTestId('current-job')).toHaveAttribute('data-status', 'running'); // optimistic
  for (const qty of ['4', '5']) {
    await page.getByTestId('action-report').tap();
    await page.getByTestId('report-good').fill(qty);
    await page.getByTestId('report-send').tap();
  }
  const pending = page.getByTestId('outbox-pending');
  await expect(pending).toHaveAttribute('data-count', '3');
  await expect(page.getByTestId('job-pending')).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('outbox-pending')).toHaveAttribute('data-count', '3');
  // The job the pending presses belong to is still on screen, from the device's last snapshot.
  await expect(page.getByTestId('station-snapshot')).toBeVisible();
  await expect(page.getByTestId('current-job')).toContainText('E2E-O1');
  await screenshot(page, 'station-offline-pending-390x844');
  expect((await operationOf(request, 'E2E-O1'))!.quantityGood).toBe(0);

  await context.setOffline(false);
  await expect(page.getByTestId('outbox-pending')).toHaveCount(0, { timeout: 40_000 });
  await expect.poll(() => operationOf(request, 'E2E-O1')).toMatchObject({ status: 'running', quantityGood: 9 });
  // Reloading (or re-sending) changes nothing: each press was counted once.
  await page.reload();
  await expect(page.getByTestId('current-qty')).toContainText('9 / 30');
  expect((await operationOf(request, 'E2E-O1'))!.quantityGood).toBe(9);
});
