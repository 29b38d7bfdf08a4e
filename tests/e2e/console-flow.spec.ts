import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { admin, asToken, createOrder, newId, screenshot, seedWorkCenter, tokenFor, waitForEta } from './factory.ts';

/**
 * The kanban of the work: /console/flow as a planner (reorder by drag, refusals), its screenshots,
 * and a TV board with the kanban layout. Each test owns its work centers on its own line, so the
 * demo plant's orders never land in its columns.
 */

test.use({ viewport: { width: 1920, height: 1080 }, locale: 'en-US' });

async function signInAs(page: Page, request: APIRequestContext, baseURL: string, role: 'planner' | 'sales'): Promise<void> {
  const body = await admin.post(request, '/auth/tokens', { name: `e2e ${role}`, role });
  // Any valid token works as the console's session cookie; people get theirs from /auth/login.
  await page.context().addCookies([{ name: 'takt_session', value: body.token as string, url: baseURL }]);
}

/** Three orders queued on `wc` (a one-machine, 24/7 work center): about 70 minutes each, in due order. */
async function seedQueue(request: APIRequestContext, wc: string, line: string, prefix: string): Promise<string[]> {
  await seedWorkCenter(request, wc, { line, name: `Flow ${wc}` });
  const codes = [1, 2, 3].map((i) => `${prefix}${i}`);
  for (const [i, code] of codes.entries()) await createOrder(request, code, `P-${wc}`, 60, 24 + 24 * i);
  for (const code of codes) await waitForEta(request, code);
  return codes;
}

const queueOf = (column: Locator) => column.locator('[data-testid=flow-card][data-queued]');
const ordersIn = async (column: Locator) => queueOf(column).evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.order));

/** Drags `card` with the mouse (pointer events) to `to`, in steps so the page sees a drag. */
async function dragTo(page: Page, card: Locator, to: { x: number; y: number }): Promise<void> {
  const box = (await card.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 10, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
}

test('a planner reorders a queue by dragging a card; the next plan has it there', async ({ page, request, baseURL }) => {
  const [first, second, third] = await seedQueue(request, 'E2E-FL', 'E2E-FLOW', 'E2E-FL');
  await signInAs(page, request, baseURL!, 'planner');
  await page.goto('/console/flow');
  const column = page.locator('[data-work-center="E2E-FL"]');
  await expect(queueOf(column)).toHaveCount(3);
  // The first job starts now, inside the frozen horizon: it keeps its place and does not drag.
  expect(await ordersIn(column)).toEqual([first, second, third]);
  await expect(column.locator(`[data-order="${first}"]`)).toHaveAttribute('title', /frozen/);

  // The third card up above the second: a queue pin between the first's and the second's starts.
  const plan = (await admin.get(request, '/schedule?workCenter=E2E-FL')) as unknown as { version: number; operations: { order: string; machine: number; start: string }[] };
  const startOf = (order: string) => Date.parse(plan.operations.find((o) => o.order === order)!.start);
  const target = (await column.locator(`[data-order="${second}"]`).boundingBox())!;
  const pinRequest = page.waitForRequest((r) => r.url().endsWith('/api/v1/pins') && r.method() === 'POST');
  await dragTo(page, column.locator(`[data-order="${third}"]`), { x: target.x + target.width / 2, y: target.y + 8 });
  await expect(column.locator('.drop-line')).toHaveCount(1);
  await page.mouse.up();
  const sent = (await pinRequest).postDataJSON() as { order: string; seq: number; machine: number; start: string; mode: string; baseVersion: number };
  expect(sent).toMatchObject({ order: third, seq: 1, machine: 1, mode: 'queue', baseVersion: plan.version });
  expect(Date.parse(sent.start)).toBeGreaterThan(startOf(first!));
  expect(Date.parse(sent.start)).toBeLessThan(startOf(second!));

  // The pin is committed and the engine re-plans; the page follows the stream, no reload.
  await expect(page.getByTestId('move-notice')).toHaveAttribute('data-kind', 'done', { timeout: 20_000 });
  await expect.poll(() => ordersIn(column), { timeout: 20_000 }).toEqual([first, third, second]);
  await expect(column.locator(`[data-order="${third}"]`).getByTestId('card-pinned')).toBeVisible();
  await screenshot(page, 'console-flow-reordered');

  // The keyboard does the same: the second order back up, one place.
  await column.locator(`[data-order="${second}"]`).focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => ordersIn(column), { timeout: 20_000 }).toEqual([first, second, third]);
  await expect(page.getByTestId('move-notice')).toHaveAttribute('data-kind', 'done');
  await expect(column.locator(`[data-order="${second}"]`)).toBeFocused();
});

test('a drop on another column is refused with the reason, and running cards do not drag', async ({ page, request, baseURL }) => {
  const [first, , third] = await seedQueue(request, 'E2E-FR', 'E2E-FLOW-R', 'E2E-FR');
  await seedWorkCenter(request, 'E2E-FR2', { line: 'E2E-FLOW-R', name: 'Flow neighbour' });
  await signInAs(page, request, baseURL!, 'planner');
  await page.goto('/console/flow');
  await page.getByTestId('flow-line').selectOption('E2E-FLOW-R');
  const column = page.locator('[data-work-center="E2E-FR"]');
  const other = page.locator('[data-work-center="E2E-FR2"]');
  await expect(queueOf(column)).toHaveCount(3);
  let pins = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/pins')) pins++;
  });

  const box = (await other.boundingBox())!;
  await dragTo(page, column.locator(`[data-order="${third}"]`), { x: box.x + box.width / 2, y: box.y + 120 });
  await expect(other).toHaveClass(/refuse/);
  await expect(page.getByTestId('drag-refusal')).toHaveText(`${third} op 1 can only run at Flow E2E-FR: its routing fixes the work center.`);
  await page.mouse.up();
  await expect(page.getByTestId('move-notice')).toHaveAttribute('data-kind', 'refused');
  await expect(page.getByTestId('move-notice')).toContainText('can only run at Flow E2E-FR');

  // The first job starts: running cards stay where they are, and say why.
  await asToken(request, await tokenFor(request, 'worker'), '/events', { id: newId(), type: 'operation.started', order: first, seq: 1 });
  const running = column.locator(`[data-order="${first}"]`);
  await expect(running).toHaveAttribute('data-status', 'running');
  const runningBox = (await running.boundingBox())!;
  await dragTo(page, running, { x: runningBox.x + runningBox.width / 2, y: runningBox.y + 200 });
  await page.mouse.up();
  await expect(page.getByTestId('move-notice')).toContainText(`${first} op 1 is running`);
  // The keyboard's move refuses the same way.
  await running.focus();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(page.getByTestId('move-notice')).toContainText(`${first} op 1 is running`);
  expect(pins).toBe(0);
});

test('people who do not plan see the kanban read-only', async ({ page, request, baseURL }) => {
  await seedQueue(request, 'E2E-FS', 'E2E-FLOW-S', 'E2E-FS');
  await signInAs(page, request, baseURL!, 'sales');
  await page.goto('/console/flow');
  await expect(page.getByText('Read-only: planners and admins reorder the queues.')).toBeVisible();
  const column = page.locator('[data-work-center="E2E-FS"]');
  const card = queueOf(column).last();
  await card.focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page.getByTestId('move-notice')).toContainText('Read-only');
});

test('screenshots of the kanban: desktop and phone, English and Chinese', async ({ page, request, baseURL }) => {
  await seedQueue(request, 'E2E-FP', 'E2E-FLOW-P', 'E2E-FP');
  await admin.put(request, '/work-centers/E2E-FP', { name: 'Flow E2E-FP', line: 'E2E-FLOW-P', machines: 1, calendar: 'E2E-247', wipLimit: 2 });
  await signInAs(page, request, baseURL!, 'planner');
  for (const lang of ['en', 'zh-CN'] as const) {
    await page.addInitScript((l) => localStorage.setItem('takt.locale', l), lang);
    for (const size of [{ width: 1920, height: 1080, name: 'desktop' }, { width: 390, height: 844, name: 'phone' }]) {
      await page.setViewportSize(size);
      await page.goto('/console/flow');
      await expect(page.locator('[data-testid=flow-card]').first()).toBeVisible();
      await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
      await screenshot(page, `console-flow-${size.name}-${lang}`);
    }
  }
  // Over its limit of 2, the column's header turns red.
  await expect(page.locator('[data-work-center="E2E-FP"]')).toHaveAttribute('data-limit', 'over');
});

test('a TV board with the kanban layout shows the queues live, with the WIP limit', async ({ page, request }) => {
  const [first, second, third] = await seedQueue(request, 'E2E-FT', 'E2E-FLOW-T', 'E2E-FT');
  await admin.put(request, '/work-centers/E2E-FT', { name: 'Flow TV', line: 'E2E-FLOW-T', machines: 1, calendar: 'E2E-247', wipLimit: 4 });
  await admin.put(request, '/boards/E2E-FLOW-TV', { name: 'E2E 看板', lines: ['E2E-FLOW-T'], layout: 'kanban' });
  const display = (await admin.post(request, '/auth/tokens', { name: 'e2e kanban tv', role: 'display' })).token as string;

  await page.goto(`/display/board/E2E-FLOW-TV?token=${display}&lang=en`);
  await expect(page.getByTestId('board')).toHaveAttribute('data-layout', 'kanban');
  const column = page.locator('[data-testid=board-kanban] [data-work-center="E2E-FT"]');
  await expect(column.locator('[data-order]')).toHaveCount(3);
  expect(await column.locator('[data-order]').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.order))).toEqual([first, second, third]);
  await expect(column).toHaveAttribute('data-limit', 'under');
  await expect(column.getByTestId('column-wip')).toHaveText('WIP 3/4');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'still here'));

  // A fourth order reaches the TV through the stream: the column is at its limit, amber.
  await createOrder(request, 'E2E-FT4', 'P-E2E-FT', 30, 200);
  await expect(column.locator('[data-order="E2E-FT4"]')).toBeVisible({ timeout: 20_000 });
  await expect(column).toHaveAttribute('data-limit', 'at');
  expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('still here');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth || document.documentElement.scrollHeight > window.innerHeight);
  expect(overflow).toBe(false);

  // The demo's line 1 as queues, in Chinese: what a workshop TV shows.
  await admin.put(request, '/boards/E2E-FLOW-L1', { name: '一号线 看板', lines: ['L1'], layout: 'kanban', locale: 'zh-CN' });
  await page.goto(`/display/board/E2E-FLOW-L1?token=${display}`);
  await expect(page.locator('[data-testid=board-kanban] [data-work-center]').first()).toBeVisible();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  await screenshot(page, 'tv-kanban');
});
