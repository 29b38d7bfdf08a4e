import { expect, test } from '@playwright/test';
import { asToken, createOrder, identifyWithPin, newId, resolveOpenAlerts, screenshot, seedOperator, seedWorkCenter, tokenFor, waitForEta } from './factory.ts';

test('pressing Andon on the phone station shows a red alert on the TV board', async ({ browser, request }) => {
  await resolveOpenAlerts(request);
  await seedWorkCenter(request, 'E2E-B', { name: 'E2E 数控车床' });
  await seedWorkCenter(request, 'E2E-B2', { name: 'E2E 激光切割' });
  await createOrder(request, 'E2E-B1', 'P-E2E-B', 40, 72);
  await createOrder(request, 'E2E-B3', 'P-E2E-B', 25, 96);
  await waitForEta(request, 'E2E-B1');
  await waitForEta(request, 'E2E-B3');
  const worker = await tokenFor(request, 'worker', '王师傅');
  const display = await tokenFor(request, 'display', 'e2e board');
  await asToken(request, worker, '/events', { id: newId(), type: 'operation.started', order: 'E2E-B1', seq: 1 });
  await asToken(request, worker, '/events', { id: newId(), type: 'operation.progress', order: 'E2E-B1', seq: 1, quantityGood: 12, quantityScrap: 1 });

  const boardContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
  const board = await boardContext.newPage();
  await board.goto(`/display/board?token=${display}`);
  await expect(board.locator('[data-testid=wc-tile][data-wc="E2E-B"]')).toBeVisible();
  await expect(board.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');

  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const station = await phoneContext.newPage();
  await seedOperator(request, 'E2E-OPB', '5501', { name: '王师傅' });
  await station.goto(`/display/station/E2E-B?token=${worker}`);
  await identifyWithPin(station, '5501');
  await expect(station.getByTestId('current-job')).toContainText('E2E-B1');
  await expect(station.getByTestId('current-qty')).toContainText('12');
  await screenshot(station, 'station-390x844');

  await station.getByTestId('action-andon').tap();
  await station.getByTestId('andon-reason-material').tap();
  await station.getByTestId('andon-minutes').fill('45');
  await station.getByTestId('andon-submit').tap();
  await expect(station.getByTestId('station-alert')).toBeVisible();

  const alert = board.locator('[data-testid=andon-alert][data-wc="E2E-B"]');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('缺料');
  await expect(alert).toHaveCSS('background-color', 'rgb(220, 38, 38)');
  await expect(board.locator('[data-testid=wc-tile][data-wc="E2E-B"]')).toHaveAttribute('data-state', 'blocked');

  // A second open alert (breakdown elsewhere) for the board screenshot: newest first, both red.
  await asToken(request, worker, '/andon', { id: newId(), workCenter: 'E2E-B2', reason: 'breakdown', note: '主轴异响', expectedMinutes: 30 });
  await expect(board.getByTestId('andon-alert')).toHaveCount(2);
  await expect(board.getByTestId('andon-alert').first()).toHaveAttribute('data-wc', 'E2E-B2');
  await expect(board.locator('[data-testid=wc-tile][data-wc="E2E-B2"]')).toHaveAttribute('data-state', 'down');
  await board.waitForTimeout(2200); // let the elapsed timers tick for a truthful screenshot
  await screenshot(board, 'board-1920x1080');
  await screenshot(station, 'station-390x844-alert');

  await resolveOpenAlerts(request);
  await boardContext.close();
  await phoneContext.close();
});

test('station presses report quantity and show server errors', async ({ browser, request }) => {
  await seedWorkCenter(request, 'E2E-S');
  await createOrder(request, 'E2E-S1', 'P-E2E-S', 5, 72);
  await waitForEta(request, 'E2E-S1');
  const worker = await tokenFor(request, 'worker');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
  const station = await context.newPage();
  await seedOperator(request, 'E2E-OPS', '5502');
  await station.goto(`/display/station/E2E-S?token=${worker}`);
  await identifyWithPin(station, '5502');
  await expect(station.getByTestId('current-job')).toContainText('E2E-S1');

  await station.getByTestId('action-start').tap();
  await expect(station.getByTestId('current-job')).toHaveAttribute('data-status', 'running');
  await station.getByTestId('action-report').tap();
  await station.getByTestId('report-good').fill('3');
  await station.getByTestId('report-send').tap();
  await expect(station.getByTestId('current-qty')).toContainText('3 / 5 good');

  // The server's refusal is shown with its code and field, not swallowed.
  await station.getByTestId('action-andon').tap();
  await station.getByTestId('andon-reason-other').tap();
  await station.getByTestId('andon-minutes').fill('99999');
  await station.getByTestId('andon-submit').tap();
  // A refused press (4xx) is not retried forever: it is shown as failed until dismissed.
  const failed = station.getByTestId('outbox-failed');
  await expect(failed).toBeVisible();
  await expect(failed).toContainText('expectedMinutes');
  await station.getByTestId('outbox-dismiss').tap();
  await expect(failed).toHaveCount(0);

  // Another device reports the rest; this station follows live.
  await asToken(request, worker, '/events', { id: newId(), type: 'operation.progress', order: 'E2E-S1', seq: 1, quantityGood: 2 });
  await expect(station.getByTestId('current-qty')).toContainText('5 / 5 good');
  await asToken(request, worker, '/events', { id: newId(), type: 'operation.paused', order: 'E2E-S1', seq: 1 });
  await expect(station.getByTestId('current-job')).toHaveAttribute('data-status', 'paused');
  await station.getByTestId('action-pause').waitFor();
  await expect(station.getByTestId('action-pause')).toBeDisabled();

  // A display token is read-only: actions are disabled and the reason is shown.
  const display = await tokenFor(request, 'display');
  await station.goto(`/display/station/E2E-S?token=${display}`);
  await expect(station.getByTestId('read-only')).toBeVisible();
  await expect(station.getByTestId('action-andon')).toBeDisabled();
  await context.close();
});
