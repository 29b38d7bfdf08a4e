import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { ADMIN_TOKEN, admin, createOrder, screenshot, tokenFor, waitForEta } from './factory.ts';

/**
 * The planner Gantt against the real server and the demo plant, plus a corner of its own: a 24/7 line
 * "E2E-G" with a two-machine work center (GA) and a one-machine one (GB), so what is frozen and what
 * drags does not depend on the demo's shifts or the clock.
 */
test.describe.configure({ mode: 'serial' });

async function seedPlanCorner(request: Parameters<typeof admin.put>[0]) {
  await admin.put(request, '/calendars/E2E-247', {
    name: 'Always open',
    timeZone: 'UTC',
    shifts: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '00:00' })),
    exceptions: [],
  });
  await admin.put(request, '/work-centers/E2E-GA', { name: 'Gantt A', line: 'E2E-G', machines: 2, calendar: 'E2E-247' });
  await admin.put(request, '/work-centers/E2E-GB', { name: 'Gantt B', line: 'E2E-G', machines: 1, calendar: 'E2E-247' });
  await admin.put(request, '/products/P-E2E-GA', { name: 'Part on GA', routing: [{ seq: 1, workCenter: 'E2E-GA', setupMinutes: 10, runMinutesPerUnit: 1 }] });
  // About an hour each on two machines: the first two start now (frozen), the next two an hour later.
  for (let i = 1; i <= 4; i++) await createOrder(request, `E2E-G${i}`, 'P-E2E-GA', 50, 48 + i);
  for (let i = 1; i <= 4; i++) await waitForEta(request, `E2E-G${i}`);
}

async function openPlan(browser: Browser, baseURL: string, token: string, options: { locale: string; width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ locale: options.locale, viewport: { width: options.width, height: options.height } });
  await context.addCookies([{ name: 'takt_session', value: token, url: baseURL }]);
  const page = await context.newPage();
  await page.goto('/console/plan');
  await expect(page.locator('[data-order][data-seq]').first()).toBeVisible();
  return page;
}

/** Folds the demo's lines so the test's own line is on screen (also proves collapsing). */
/**
 * Other specs' lines (E2E-...) sort before the demo's and this spec's own (E2E-G): folded, the rows
 * this spec looks at are on screen. One at a time: folding one brings the next into the window.
 */
async function foldOtherSpecsLines(page: Page) {
  const open = page.locator('[data-row^="line:E2E"]:not([data-row="line:E2E-G"]) button[aria-expanded="true"]');
  while ((await open.count()) > 0) await open.first().click();
}

async function foldDemoLines(page: Page) {
  await foldOtherSpecsLines(page);
  for (const line of ['L1', 'L2', 'L3']) await page.locator(`[data-row="line:${line}"] button`).click();
  await expect(page.locator('[data-work-center="E2E-GA"][data-machine="2"]')).toBeVisible();
  await expect(page.locator('[data-work-center="LATHE"]')).toHaveCount(0);
}

/** The machine row a bar sits on, found under the bar's centre. */
async function rowOf(page: Page, bar: Locator): Promise<{ workCenter: string; machine: number }> {
  const box = (await bar.boundingBox())!;
  return page.evaluate(
    ([x, y]) => {
      const row = document.elementsFromPoint(x!, y!).find((e): e is HTMLElement => e instanceof HTMLElement && e.dataset.machine !== undefined)!;
      return { workCenter: row.dataset.workCenter!, machine: Number(row.dataset.machine) };
    },
    [box.x + box.width / 2, box.y + box.height / 2],
  );
}

/** Presses on the bar and moves to the row's vertical centre, keeping the time; returns a release. */
async function dragTo(page: Page, bar: Locator, row: Locator) {
  const from = (await bar.boundingBox())!;
  const to = (await row.boundingBox())!;
  const x = from.x + Math.min(20, from.width / 2);
  await page.mouse.move(x, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(x + 3, from.y + from.height / 2 + 6, { steps: 2 });
  await page.mouse.move(x, to.y + to.height / 2, { steps: 8 });
  return () => page.mouse.up();
}

test('a planner sees the plan per machine, is refused on another work center, and previews a move to another machine', async ({ browser, request, baseURL }) => {
  await seedPlanCorner(request);
  const page = await openPlan(browser, baseURL!, ADMIN_TOKEN, { locale: 'en-US', width: 1920, height: 1080 });
  await foldOtherSpecsLines(page);
  // The demo plan is there: machine rows of the demo work centers, bars with order and step.
  await expect(page.locator('[data-work-center="LATHE"][data-machine="3"]')).toBeAttached();
  await expect(page.getByTestId('now-line')).toBeVisible();
  await expect(page.locator('.gantt')).toHaveAttribute('data-bars-painted', /^\d+$/);
  await screenshot(page, 'console-plan-1920-en');

  await foldDemoLines(page);
  const movable = page.locator('[data-bar][data-order^="E2E-G"]:not(.fixed)').first();
  await expect(movable).toBeVisible();
  const order = (await movable.getAttribute('data-order'))!;
  const home = await rowOf(page, movable);
  expect(home.workCenter).toBe('E2E-GA');

  // Onto the other work center: its row is dimmed while dragging, GA's rows are lit, the drop is refused.
  let previews = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/schedule/preview')) previews++;
  });
  const release = await dragTo(page, movable, page.locator('[data-work-center="E2E-GB"][data-machine="1"]'));
  await expect(page.locator('[data-work-center="E2E-GB"][data-machine="1"]')).toHaveClass(/dimmed/);
  await expect(page.locator('[data-work-center="E2E-GA"][data-machine="1"]')).toHaveClass(/lit/);
  await expect(page.getByTestId('drag-ghost')).toContainText('only machines of E2E-GA');
  await release();
  await expect(page.getByTestId('plan-notice')).toHaveText('Refused: only machines of E2E-GA can run this operation');
  expect(previews).toBe(0);

  // Onto GA's other machine: the console asks the server for a what-if, nothing committed yet.
  const otherMachine = home.machine === 1 ? 2 : 1;
  const asked = page.waitForRequest((r) => r.url().endsWith('/api/v1/schedule/preview') && r.method() === 'POST');
  const drop = await dragTo(page, page.locator(`[data-bar][data-order="${order}"]`), page.locator(`[data-work-center="E2E-GA"][data-machine="${otherMachine}"]`));
  await drop();
  const body = (await asked).postDataJSON() as { moves: { order: string; seq: number; machine: number; start: string; mode: string }[] };
  expect(body.moves).toHaveLength(1);
  expect(body.moves[0]).toMatchObject({ order, seq: 1, machine: otherMachine, mode: 'queue' });
  expect(Number.isNaN(Date.parse(body.moves[0]!.start))).toBe(false);
  await expect(page.getByTestId('preview')).toBeVisible();
  await expect(page.locator('[data-action="commit"]')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('preview')).toHaveCount(0);

  // A click shows the bar's order, customer and plan in the side panel.
  await page.locator(`[data-bar][data-order="${order}"]`).click();
  const details = page.getByTestId('bar-details');
  await expect(details).toHaveAttribute('data-order', order);
  await expect(details).toContainText('E2E 客户');
  await expect(details).toContainText('Part on GA');
  await screenshot(page, 'console-plan-1920-en-selected');

  // Shift-click adds a second movable bar; the arrow key nudges both by the snap step (15 min at
  // shift zoom), previewed as exact starts.
  const second = page.locator(`[data-bar][data-order^="E2E-G"]:not(.fixed):not([data-order="${order}"])`).first();
  await second.click({ modifiers: ['Shift'] });
  await expect(page.getByText('2 selected')).toBeVisible();
  const nudged = page.waitForRequest((r) => r.url().endsWith('/api/v1/schedule/preview') && r.method() === 'POST');
  await page.keyboard.press('ArrowRight');
  const nudge = (await nudged).postDataJSON() as { moves: { order: string; start: string; mode: string }[] };
  const plan = (await admin.get(request, '/schedule')) as { operations: { order: string; seq: number; start: string }[] };
  const plannedStart = (o: string) => Date.parse(plan.operations.find((p) => p.order === o && p.seq === 1)!.start);
  expect(nudge.moves.map((m) => m.mode)).toEqual(['exact', 'exact']);
  for (const m of nudge.moves) expect(Date.parse(m.start) - plannedStart(m.order)).toBe(15 * 60_000);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('preview')).toHaveCount(0);

  // The bar planned to start now is frozen: it does not drag, and says why.
  const frozen = page.locator('[data-bar][data-order^="E2E-G"].frozen').first();
  await expect(frozen).toHaveAttribute('title', /frozen horizon/);
  await page.context().close();
});

test('a planner commits a move: the next plan has it on that machine, a colleague\'s open Gantt shows it without reload, the station queue follows', async ({ browser, request, baseURL }) => {
  const planner = await openPlan(browser, baseURL!, ADMIN_TOKEN, { locale: 'en-US', width: 1920, height: 1080 });
  const colleague = await openPlan(browser, baseURL!, ADMIN_TOKEN, { locale: 'zh-CN', width: 1440, height: 900 });
  await foldDemoLines(planner);
  await foldDemoLines(colleague);
  const bar = planner.locator('[data-bar][data-order^="E2E-G"]:not(.fixed)').last();
  const order = (await bar.getAttribute('data-order'))!;
  const home = await rowOf(planner, bar);
  const target = home.machine === 1 ? 2 : 1;

  const drop = await dragTo(planner, bar, planner.locator(`[data-work-center="E2E-GA"][data-machine="${target}"]`));
  await drop();
  const preview = planner.getByTestId('preview');
  await expect(preview).toBeVisible();
  await expect(planner.locator('[data-action="commit"]')).toBeEnabled();
  await screenshot(planner, 'console-plan-preview-1920-en');
  await planner.locator('[data-action="commit"]').click();
  await expect(preview).toHaveCount(0);

  // The pin is stored and the loop re-plans with it: the operation is on the machine it was dropped on.
  await expect
    .poll(async () => ((await admin.get(request, '/pins')) as unknown as { order: string; machine: number; state: string }[]).find((p) => p.order === order), { timeout: 10_000 })
    .toMatchObject({ machine: target, state: 'active' });
  await expect
    .poll(async () => ((await admin.get(request, '/schedule')) as { operations: { order: string; machine: number; pinned: boolean }[] }).operations.find((o) => o.order === order), { timeout: 15_000 })
    .toMatchObject({ machine: target, pinned: true });

  // The colleague's Gantt, never reloaded, shows the bar on its new machine with the lock.
  const moved = colleague.locator(`[data-bar][data-order="${order}"]`);
  await expect.poll(async () => (await rowOf(colleague, moved)).machine, { timeout: 10_000 }).toBe(target);
  await expect(moved).toHaveAttribute('data-pinned', 'true');
  await expect(colleague.getByTestId('pins')).toContainText(order);

  // The station of the work center lists its queue in the new plan's order.
  const plan = (await admin.get(request, '/schedule?workCenter=E2E-GA')) as { operations: { order: string; start: string; status: string }[] };
  const expected = plan.operations.filter((o) => o.status !== 'running').sort((a, b) => Date.parse(a.start) - Date.parse(b.start)).map((o) => o.order);
  const lead = await tokenFor(request, 'lead');
  const station = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await station.goto(`/display/station/E2E-GA?token=${lead}`);
  const queue = station.getByTestId('station-queue');
  await expect(queue).toContainText(order);
  const shown = (await queue.locator('.order').allTextContents()).map((text) => text.split(' ·')[0]!).filter((o) => o.startsWith('E2E-G'));
  expect(shown.filter((o) => expected.includes(o))).toEqual(expected.filter((o) => shown.includes(o)));
  await planner.context().close();
  await colleague.context().close();
  await station.context().close();
});

test('a lead looks but cannot move, and a re-plan reaches an open Gantt without a reload', async ({ browser, request, baseURL }) => {
  const lead = await tokenFor(request, 'lead', 'e2e plan lead');
  const leadPage = await openPlan(browser, baseURL!, lead, { locale: 'en-US', width: 1440, height: 900 });
  await expect(leadPage.getByText('Read only: your role can look at the plan, not move it.')).toBeVisible();
  await foldDemoLines(leadPage);
  const bar = leadPage.locator('[data-bar][data-order^="E2E-G"]').last();
  const release = await dragTo(leadPage, bar, leadPage.locator('[data-work-center="E2E-GA"][data-machine="1"]'));
  await release();
  await expect(leadPage.getByTestId('plan-notice')).toHaveText('Your role cannot move operations');
  await expect(leadPage.getByTestId('drag-ghost')).toHaveCount(0);

  // A new order is planned by the scheduler: its bar appears on the open page.
  const version = Number((await leadPage.getByTestId('plan-version').textContent())!.replace(/\D/g, ''));
  await createOrder(request, 'E2E-G5', 'P-E2E-GA', 30, 60);
  await expect(leadPage.locator('[data-bar][data-order="E2E-G5"]')).toBeVisible({ timeout: 20_000 });
  const after = Number((await leadPage.getByTestId('plan-version').textContent())!.replace(/\D/g, ''));
  expect(after).toBeGreaterThan(version);
  await leadPage.context().close();
});

for (const [locale, width, height] of [
  ['zh-CN', 1920, 1080],
  ['zh-CN', 1440, 900],
  ['en-US', 1440, 900],
] as const) {
  test(`screenshot of the Gantt at ${width}x${height} in ${locale}`, async ({ browser, baseURL }) => {
    const page = await openPlan(browser, baseURL!, ADMIN_TOKEN, { locale, width, height });
    await foldOtherSpecsLines(page);
    await expect(page.locator('h1')).toHaveText(locale === 'zh-CN' ? '排程' : 'Plan');
    await page.locator('[data-bar][data-order]').nth(3).click();
    await expect(page.getByTestId('bar-details')).toBeVisible();
    await screenshot(page, `console-plan-${width}-${locale === 'zh-CN' ? 'zh' : 'en'}`);
    await page.context().close();
  });
}
