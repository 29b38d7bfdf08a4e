import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KpisView } from '../../server/contract/kpis.ts';
import { admin, asToken, createOrder, newId, resolveOpenAlerts, SCREENSHOTS, seedWorkCenter, tokenFor } from './factory.ts';

/**
 * The manager's home (/console/manager): figures over a chosen period from a history the test
 * writes through the API (orders completed by floor events dated in the past days, alerts raised
 * and handled, screens' heartbeats), a TV board's own heartbeat, and the screenshots in both
 * languages at 1440x900 and, for a wall screen, 1920x1080. Its orders live on their own work center.
 */

test.use({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });

const H = 3_600_000;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function managerToken(request: APIRequestContext): Promise<string> {
  return (await admin.post(request, '/auth/tokens', { name: 'e2e manager', role: 'manager' })).token as string;
}

/** An order of one unit completed `hoursAgo`, due `dueAfterHours` after its completion (negative: late). */
async function completed(request: APIRequestContext, worker: string, code: string, hoursAgo: number, dueAfterHours: number) {
  await createOrder(request, code, 'P-KPI-C', 1, -hoursAgo + dueAfterHours);
  const done = Date.now() - hoursAgo * H;
  await asToken(request, worker, '/events', { id: newId(), type: 'operation.started', order: code, seq: 1, at: new Date(done - 11 * 60_000).toISOString() });
  await asToken(request, worker, '/events', { id: newId(), type: 'operation.completed', order: code, seq: 1, quantityGood: 1, at: new Date(done).toISOString() });
}

let seeded: Promise<void> | null = null;

function seed(request: APIRequestContext): Promise<void> {
  seeded ??= (async () => {
    // A retried test runs in a new worker against the same server: the history is there already.
    const known = await request.get('/api/v1/orders/KPI-0A', { headers: { authorization: 'Bearer e2e-admin-token-0123456789' } });
    if (known.ok()) return;
    await seedWorkCenter(request, 'KPI-C', { line: 'E2E-KPI', name: 'Figures cell' });
    const worker = await tokenFor(request, 'worker', 'e2e kpi worker');
    // Six days of completions, on time and late in turn, the latest an hour ago.
    const days: [number, number][] = [[5, 2], [4, 3], [3, 1], [2, 3], [1, 2], [0, 2]];
    for (const [daysAgo, count] of days) {
      for (let i = 0; i < count; i++) {
        const hoursAgo = daysAgo * 24 + 1 + i * 2;
        await completed(request, worker, `KPI-${daysAgo}${'ABC'[i]}`, hoursAgo, (daysAgo + i) % 3 === 0 ? -3 : 4);
      }
    }
    for (const [reason, handled] of [
      ['material', 'resolve'], ['material', 'resolve'], ['material', 'acknowledge'], ['quality', 'resolve'], ['quality', 'none'], ['breakdown', 'resolve'], ['other', 'resolve'],
    ] as const) {
      const id = newId();
      await asToken(request, worker, '/andon', { id, workCenter: 'KPI-C', reason });
      if (handled !== 'none') await admin.post(request, `/andon/${id}/acknowledge`, {});
      if (handled === 'resolve') await admin.post(request, `/andon/${id}/resolve`, { rootCause: 'e2e' });
    }
    const display = await tokenFor(request, 'display', 'e2e kpi tv');
    const now = Date.now();
    for (const [screen, kind, samples, p50, p95] of [
      ['board/HALL-1', 'board', 120, 38, 95],
      ['board/HALL-2', 'board', 80, 52, 140],
      ['station/KPI-C', 'station', 30, 61, 180],
    ] as const) {
      await asToken(request, display, '/screens/heartbeat', { screen, kind, samples, latencyP50Ms: p50, latencyP95Ms: p95, newestMessageAt: new Date(now - 2000).toISOString() });
    }
  })();
  return seeded;
}

test.afterAll(async ({ request }) => {
  await resolveOpenAlerts(request);
});

async function signIn(page: Page, request: APIRequestContext, baseURL: string) {
  await page.context().addCookies([{ name: 'takt_session', value: await managerToken(request), url: baseURL }]);
}

async function chartsDrawn(page: Page) {
  for (const id of ['chart-on-time', 'chart-pareto', 'chart-response', 'chart-latency']) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-ready', 'true');
    await expect(page.getByTestId(id).locator('svg').first()).toBeVisible();
  }
}

test("a manager lands on the plant's figures and picks the period", async ({ page, request, baseURL }) => {
  await seed(request);
  await signIn(page, request, baseURL!);
  // Signed in already, the login page goes on to the role's home.
  const first = page.waitForResponse((r) => r.url().includes('/api/v1/kpis'));
  await page.goto('/console/login');
  await expect(page).toHaveURL(/\/console\/manager$/);
  await expect(page.getByRole('heading', { name: 'Plant figures', level: 1 })).toBeVisible();
  await expect(page.getByTestId('period-7d')).toHaveAttribute('aria-checked', 'true');
  await chartsDrawn(page);

  // Other specs share the server and may add to the figures: the tiles show what the API answered,
  // and that holds at least this spec's history (13 completions over six days, 8 on time; 7 alerts).
  const figures = (await (await first).json()) as KpisView;
  expect(figures.onTimeDelivery.completed).toBeGreaterThanOrEqual(13);
  expect(figures.onTimeDelivery.onTime).toBeGreaterThanOrEqual(8);
  expect(figures.onTimeDelivery.daily.length).toBe(7);
  expect(figures.andon.count).toBeGreaterThanOrEqual(7);
  const share = (x: number) => `${Math.round(x * 1000) / 10} %`;
  const onTime = page.getByTestId('kpi-on-time');
  await expect(onTime).toContainText(share(figures.onTimeDelivery.share!));
  await expect(onTime).toContainText(`${figures.onTimeDelivery.onTime} of ${figures.onTimeDelivery.completed} orders`);
  await expect(page.getByTestId('kpi-andon')).toContainText(`${figures.andon.acknowledged} acknowledged, ${figures.andon.resolved} resolved`);
  const screens = page.getByTestId('screens');
  await expect(screens.locator('[data-screen="board/HALL-1"]')).toContainText('38 ms');
  await expect(screens.locator('[data-screen="station/KPI-C"]')).toContainText('180 ms');

  // Today: from the plant's midnight, so at most this spec's two completions of the last hours.
  const today = page.waitForResponse((r) => r.url().includes('/api/v1/kpis'));
  await page.getByTestId('period-today').click();
  const answer = await today;
  const asked = new URL(answer.url());
  expect(Date.parse(asked.searchParams.get('to')!) - Date.parse(asked.searchParams.get('from')!)).toBeLessThanOrEqual(24 * H);
  const todays = (await answer.json()) as KpisView;
  expect(todays.onTimeDelivery.daily).toHaveLength(1);
  await expect(onTime).toContainText(`${todays.onTimeDelivery.onTime} of ${todays.onTimeDelivery.completed} orders`);

  // A custom period the wrong way round asks for nothing and says why.
  await page.getByTestId('period-custom').click();
  await page.getByTestId('period-from').fill('2026-03-05');
  await page.getByTestId('period-to').fill('2026-03-01');
  await expect(page.getByRole('alert')).toContainText('Choose a first and a last day');
});

test('a TV board reports its sync latency, which the figures list', async ({ browser, page, request, baseURL }) => {
  await seed(request);
  const tv = await browser.newPage();
  const display = await tokenFor(request, 'display', 'e2e kpi board');
  const beat = tv.waitForRequest((r) => r.url().endsWith('/api/v1/screens/heartbeat') && r.method() === 'POST');
  await tv.goto(`/display/board?token=${display}`);
  const body = (await beat).postDataJSON() as { screen: string; kind: string; samples: number };
  expect(body).toMatchObject({ screen: 'board/plant', kind: 'board', samples: 0 });
  await tv.close();

  await signIn(page, request, baseURL!);
  await page.goto('/console/manager');
  await expect(page.getByTestId('screens').locator('[data-screen="board/plant"]')).toContainText('TV board');
});

async function screenshots(browser: Browser, request: APIRequestContext, baseURL: string, language: 'en' | 'zh-CN', width: number, height: number) {
  const context = await browser.newContext({ locale: language === 'en' ? 'en-US' : 'zh-CN', viewport: { width, height } });
  const page = await context.newPage();
  await signIn(page, request, baseURL);
  await page.goto('/console/manager');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(language === 'en' ? 'Plant figures' : '工厂指标');
  await chartsDrawn(page);
  await shot(page, `manager-${language}-${width}x${height}`);
  await context.close();
}

for (const language of ['en', 'zh-CN'] as const) {
  for (const [width, height] of [
    [1440, 900],
    [1920, 1080],
  ] as const) {
    test(`screenshot: manager home, ${language} at ${width}x${height}`, async ({ browser, request, baseURL }) => {
      await seed(request);
      await screenshots(browser, request, baseURL!, language, width, height);
    });
  }
}
