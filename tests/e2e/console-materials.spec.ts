import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { admin, asToken, createOrder, newId, resolveOpenAlerts, screenshot, seedWorkCenter, tokenFor, waitForEta } from './factory.ts';

/**
 * The purchasing and warehouse homes (/console/purchasing, /console/warehouse) as those departments
 * use them: a forecast shortage answered with an arrival estimate that moves the ETA, the picking
 * list and its window, a finished order to ship; screenshots in both languages at 1440x900. The
 * tests' component and orders live on their own work centers (MAT-*), beside the demo plant's.
 */

test.use({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });

/** The demo plant's zone: the arrival input speaks plant time. */
const PLANT_ZONE = 'Asia/Shanghai';

async function roleToken(request: APIRequestContext, role: 'purchasing' | 'warehouse'): Promise<string> {
  return (await admin.post(request, '/auth/tokens', { name: `e2e ${role}`, role })).token as string;
}

/** "2026-12-04T10:00" in the plant's zone, as a datetime-local input takes it. */
function plantLocal(instant: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: PLANT_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

let seeded: Promise<void> | null = null;

/**
 * Once per run: MAT-ROD has 1 piece on hand and MAT-1 needs 5 at MAT-C (short by 4); MAT-SHIP-1 on
 * MAT-W is finished, waiting to ship; MAT-HOLD-1 on MAT-W waits for material (an open andon).
 */
function seed(request: APIRequestContext): Promise<void> {
  seeded ??= (async () => {
    const known = await request.get('/api/v1/components/MAT-ROD', { headers: { authorization: `Bearer e2e-admin-token-0123456789` } });
    if (known.ok()) return;
    await seedWorkCenter(request, 'MAT-C', { line: 'E2E-MAT', name: 'Material cell' });
    await seedWorkCenter(request, 'MAT-W', { line: 'E2E-MAT', name: 'Finishing cell' });
    await admin.put(request, '/components/MAT-ROD', { name: 'Rod for e2e', unit: 'pcs', onHand: 1, reorderPoint: 2, leadTimeDays: 3 });
    await admin.put(request, '/products/P-MAT-C', {
      name: 'Part for MAT-C',
      routing: [{ seq: 1, workCenter: 'MAT-C', setupMinutes: 10, runMinutesPerUnit: 1 }],
      bom: [{ component: 'MAT-ROD', quantityPerUnit: 1, seq: 1 }],
    });
    await createOrder(request, 'MAT-1', 'P-MAT-C', 5, 48);
    await createOrder(request, 'MAT-SHIP-1', 'P-MAT-W', 3, 24);
    const worker = await tokenFor(request, 'worker');
    await asToken(request, worker, '/events', { id: newId(), type: 'operation.completed', order: 'MAT-SHIP-1', seq: 1, quantityGood: 3 });
    // A second finished order stays to ship, for the screenshots after MAT-SHIP-1 is shipped.
    await createOrder(request, 'MAT-SHIP-2', 'P-MAT-W', 2, 30);
    await asToken(request, worker, '/events', { id: newId(), type: 'operation.completed', order: 'MAT-SHIP-2', seq: 1, quantityGood: 2 });
    await createOrder(request, 'MAT-HOLD-1', 'P-MAT-W', 4, 36);
    // The floor cut 3 with 2 of each on the books: MAT-NUT and MAT-CNT go to -1 (a count is due).
    await seedWorkCenter(request, 'MAT-N', { line: 'E2E-MAT', name: 'Nut cell' });
    await admin.put(request, '/components/MAT-NUT', { name: 'Nut M8 for e2e', unit: 'pcs', onHand: 2, reorderPoint: 1, leadTimeDays: 2 });
    await admin.put(request, '/components/MAT-CNT', { name: 'Washer for e2e', unit: 'pcs', onHand: 2, reorderPoint: 1, leadTimeDays: 2 });
    await admin.put(request, '/products/P-MAT-N', {
      name: 'Part for MAT-N',
      routing: [{ seq: 1, workCenter: 'MAT-N', setupMinutes: 10, runMinutesPerUnit: 1 }],
      bom: [{ component: 'MAT-NUT', quantityPerUnit: 1, seq: 1 }, { component: 'MAT-CNT', quantityPerUnit: 1, seq: 1 }],
    });
    await createOrder(request, 'MAT-NEG-1', 'P-MAT-N', 5, 40);
    await asToken(request, worker, '/events', { id: newId(), type: 'operation.progress', order: 'MAT-NEG-1', seq: 1, quantityGood: 3 });
    await asToken(request, worker, '/andon', { id: newId(), workCenter: 'MAT-W', reason: 'material', order: 'MAT-HOLD-1', seq: 1, note: 'waiting for bar stock' });
    await waitForEta(request, 'MAT-1');
    await expect.poll(async () => ((await admin.get(request, '/components/MAT-ROD')) as { code: string }).code).toBe('MAT-ROD');
    await expect
      .poll(async () => {
        const response = await request.get('/api/v1/shortages', { headers: { authorization: `Bearer e2e-admin-token-0123456789` } });
        return ((await response.json()) as { component: string }[]).some((s) => s.component === 'MAT-ROD');
      }, { timeout: 20_000 })
      .toBe(true);
  })();
  return seeded;
}

const shortageRow = (page: Page, component: string) => page.locator(`[data-testid=shortage][data-component="${component}"]`);

test('purchasing lands on its home, sees a forecast shortage and enters an arrival: the ETA moves at once', async ({ page, request, baseURL }) => {
  await seed(request);
  await page.context().addCookies([{ name: 'takt_session', value: await roleToken(request, 'purchasing'), url: baseURL! }]);
  await page.goto('/console/login');
  await expect(page).toHaveURL(/\/console\/purchasing$/);
  await expect(page.getByRole('heading', { name: 'Purchasing', level: 1 })).toBeVisible();
  const row = shortageRow(page, 'MAT-ROD');
  await expect(row).toContainText('4 pcs');
  await expect(row).toContainText('MAT-1');
  await expect(row).toContainText('MAT-C');
  await expect(row.getByTestId('arrival-at')).toHaveText('none');

  const arrival = Math.ceil((Date.now() + 30 * 3_600_000) / 60_000) * 60_000;
  await row.getByTestId('arrival-input').fill(plantLocal(arrival));
  await row.getByTestId('arrival-save').click();
  await expect(row.getByTestId('arrival-at')).not.toHaveText('none');
  // The short step waits for the rod: MAT-1 ends 10 + 5 minutes after it arrives.
  const eta = await waitForEta(request, 'MAT-1', (e) => Date.parse(e) >= arrival);
  expect(Date.parse(eta)).toBe(arrival + 15 * 60_000);
  // Below its reorder point too (1 on hand, reorder at 2).
  await expect(page.locator('[data-testid=below-reorder-row][data-component="MAT-ROD"]')).toBeVisible();

  // The open material andon takes an arrival too: MAT-HOLD-1 waits for it.
  const andon = page.getByTestId('material-andon').filter({ hasText: 'MAT-HOLD-1' });
  const andonArrival = Math.ceil((Date.now() + 20 * 3_600_000) / 60_000) * 60_000;
  await andon.getByTestId('arrival-input').fill(plantLocal(andonArrival));
  await andon.getByTestId('arrival-save').click();
  await waitForEta(request, 'MAT-HOLD-1', (e) => Date.parse(e) === andonArrival + 14 * 60_000);
});

test.afterAll(async ({ request }) => {
  await resolveOpenAlerts(request);
});

test('the warehouse lands on its picking list, widens the window, and sees a finished order to ship', async ({ page, request, baseURL }) => {
  await seed(request);
  await page.context().addCookies([{ name: 'takt_session', value: await roleToken(request, 'warehouse'), url: baseURL! }]);
  await page.goto('/console/login');
  await expect(page).toHaveURL(/\/console\/warehouse$/);
  await expect(page.getByRole('heading', { name: 'Warehouse', level: 1 })).toBeVisible();
  await expect(page.getByTestId('picking-hours')).toHaveValue('8');
  await expect(page.getByTestId('picking-line').first()).toBeVisible();
  const inEight = Number(await page.getByTestId('picking-count').textContent());
  await page.getByTestId('picking-hours').selectOption('24');
  await expect.poll(async () => Number(await page.getByTestId('picking-count').textContent())).toBeGreaterThanOrEqual(inEight);
  await expect(page.getByTestId('to-ship')).toContainText('MAT-SHIP-1');
  // Shipped: it leaves the list here, and for good (a reload does not bring it back).
  await page.getByTestId('ship-line').filter({ hasText: 'MAT-SHIP-1' }).getByTestId('ship').click();
  await expect(page.getByTestId('to-ship')).not.toContainText('MAT-SHIP-1');
  await page.reload();
  await expect(page.getByTestId('picking-line').first()).toBeVisible();
  await expect(page.getByTestId('to-ship')).not.toContainText('MAT-SHIP-1');
});

const stockRow = (page: Page, component: string) => page.locator(`[data-testid=stock-row][data-component="${component}"]`);

test('the warehouse counts a component whose books went below zero: red with "count due" until the count is booked', async ({ page, request, baseURL }) => {
  await seed(request);
  await page.context().addCookies([{ name: 'takt_session', value: await roleToken(request, 'warehouse'), url: baseURL! }]);
  await page.goto('/console/warehouse');
  const row = stockRow(page, 'MAT-NUT');
  await expect(row.getByTestId('on-hand')).toHaveText(/^-1 pcs\s*count due$/);
  await expect(row.getByTestId('on-hand')).toHaveAttribute('data-count-due', 'true');
  await expect(row.getByTestId('on-hand')).toHaveCSS('color', 'rgb(185, 28, 28)');
  await expect(stockRow(page, 'MAT-ROD').getByTestId('on-hand')).toHaveAttribute('data-count-due', 'false');

  await row.getByTestId('count').click();
  const form = page.locator('[data-testid=count-form][data-component="MAT-NUT"]');
  await expect(form.getByTestId('count-input')).toBeFocused();
  await form.getByTestId('count-input').fill('four');
  await form.getByTestId('count-save').click();
  await expect(form.getByTestId('count-error')).toHaveText('Enter the quantity counted: a number, 0 or more');
  await form.getByTestId('count-input').fill('4');
  await form.getByTestId('count-save').click();
  await expect(form).toHaveCount(0);
  await expect(row.getByTestId('on-hand')).toHaveText('4 pcs');
  await expect(row.getByTestId('on-hand')).toHaveAttribute('data-count-due', 'false');
  // Booked: the API says so, and a reload shows it; the master data is as purchasing keeps it.
  expect(await admin.get(request, '/components/MAT-NUT')).toMatchObject({ onHand: 4, name: 'Nut M8 for e2e', reorderPoint: 1, leadTimeDays: 2 });
  await page.reload();
  await expect(stockRow(page, 'MAT-NUT').getByTestId('on-hand')).toHaveText('4 pcs');
  // Cancel closes a form without booking anything.
  await stockRow(page, 'MAT-CNT').getByTestId('count').click();
  await page.locator('[data-testid=count-form][data-component="MAT-CNT"]').getByTestId('count-cancel').click();
  await expect(page.getByTestId('count-form')).toHaveCount(0);
  expect(await admin.get(request, '/components/MAT-CNT')).toMatchObject({ onHand: -1 });
});

async function countScreens(browser: Browser, request: APIRequestContext, baseURL: string, language: 'en' | 'zh-CN', width: number, height: number) {
  const context = await browser.newContext({ locale: language === 'en' ? 'en-US' : 'zh-CN', viewport: { width, height } });
  await context.addCookies([{ name: 'takt_session', value: await roleToken(request, 'warehouse'), url: baseURL }]);
  const page = await context.newPage();
  await page.goto('/console/warehouse');
  const row = stockRow(page, 'MAT-CNT');
  await expect(row.getByTestId('on-hand')).toHaveAttribute('data-count-due', 'true');
  await expect(row.getByTestId('on-hand')).toContainText(language === 'en' ? 'count due' : '需盘点');
  await row.getByTestId('count').click();
  await page.locator('[data-testid=count-form][data-component="MAT-CNT"]').getByTestId('count-input').fill('3');
  // The phone scrolls a wide table inside itself, never the page sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  await page.getByTestId('stock').evaluate((table) => table.scrollIntoView({ block: 'center', inline: 'start' }));
  await screenshot(page, `warehouse-count-${language}-${width}x${height}`);
  await context.close();
}

for (const language of ['en', 'zh-CN'] as const) {
  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    test(`screenshots: the warehouse's count of a component below zero, ${language} at ${width}x${height}`, async ({ browser, request, baseURL }) => {
      await seed(request);
      await countScreens(browser, request, baseURL!, language, width, height);
    });
  }
}

async function screens(browser: Browser, request: APIRequestContext, baseURL: string, language: 'en' | 'zh-CN') {
  for (const role of ['purchasing', 'warehouse'] as const) {
    const context = await browser.newContext({ locale: language === 'en' ? 'en-US' : 'zh-CN', viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: 'takt_session', value: await roleToken(request, role), url: baseURL }]);
    const page = await context.newPage();
    await page.goto(`/console/${role}`);
    if (role === 'purchasing') await expect(shortageRow(page, 'MAT-ROD')).toBeVisible();
    else {
      await expect(page.getByTestId('picking-line').first()).toBeVisible();
      await expect(page.getByTestId('to-ship')).toContainText('MAT-SHIP-2');
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
    await screenshot(page, `${role}-home-${language}-1440x900`);
    await context.close();
  }
}

for (const language of ['en', 'zh-CN'] as const) {
  test(`screenshots: purchasing and warehouse homes, ${language} at 1440x900`, async ({ browser, request, baseURL }) => {
    await seed(request);
    await screens(browser, request, baseURL!, language);
  });
}
