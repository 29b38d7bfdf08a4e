// npm run bench:gantt — the planner Gantt in Chromium on a big plant: a generated plant of 2,000
// orders x 8 operations on 120 machines (15 work centers x 8, on 3 lines, 24/7) is posted to a real
// server (its own process, embedded database, the demo plant beside it) and planned by the real
// scheduler; then, at 1920x1080: navigation -> bars painted, frame times while panning and zooming
// and while dragging a bar, DOM nodes at rest, and the preview round trip for that plant.
//
// Frame times: headless Chromium paces animation frames at 60 Hz, so the interval between frames
// cannot go below 16.7 ms and says little; the figure held against the 16 ms target is each input's
// main-thread work (handlers, Svelte's DOM update, style and layout), with the frame intervals beside it.
// BENCH_ORDERS (2000) changes the plant's size.
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { summary } from './percentiles.ts';
import { spawnSystem } from '../support/spawn-system.ts';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);
const OPERATIONS = 8;
const WORK_CENTERS = 15;
const MACHINES = 8;
const PRODUCTS = 24;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const system = await spawnSystem({ TAKT_LOG_RESCHEDULE: '' });
const headers = { authorization: `Bearer ${system.adminToken}`, 'content-type': 'application/json' };
async function call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
  const r = await fetch(`${system.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json: unknown = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});

try {
  // ---- The plant ------------------------------------------------------------------------------
  const rnd = random(8);
  await call('PUT', '/calendars/BENCH-247', {
    timeZone: 'Asia/Shanghai',
    shifts: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '00:00' })),
    exceptions: [],
  });
  const centers = Array.from({ length: WORK_CENTERS }, (_, i) => `BWC${String(i + 1).padStart(2, '0')}`);
  for (const [i, code] of centers.entries()) {
    await call('PUT', `/work-centers/${code}`, { name: `Bench ${code}`, line: `BL${Math.floor(i / 5) + 1}`, machines: MACHINES, calendar: 'BENCH-247' });
  }
  for (let p = 0; p < PRODUCTS; p++) {
    const routing = Array.from({ length: OPERATIONS }, (_, s) => ({
      seq: s + 1,
      workCenter: centers[Math.floor(rnd() * centers.length)]!,
      setupMinutes: 5 + Math.floor(rnd() * 20),
      runMinutesPerUnit: 0.3 + rnd(),
    }));
    await call('PUT', `/products/BP${p}`, { name: `Bench part ${p}`, routing });
  }
  const seedStart = performance.now();
  const codes = Array.from({ length: ORDERS }, (_, i) => `BO${String(i + 1).padStart(5, '0')}`);
  for (let i = 0; i < codes.length; i += 16) {
    await Promise.all(
      codes.slice(i, i + 16).map((code) =>
        call('POST', '/orders', {
          code,
          product: `BP${Math.floor(rnd() * PRODUCTS)}`,
          quantity: 10 + Math.floor(rnd() * 60),
          dueAt: new Date(Date.now() + (2 + rnd() * 40) * 86_400_000).toISOString(),
        }),
      ),
    );
  }
  console.log(`posted ${ORDERS} orders in ${Math.round((performance.now() - seedStart) / 1000)} s; waiting for the plan`);
  let operations = 0;
  const planDeadline = Date.now() + 600_000;
  for (;;) {
    const plan = (await call('GET', '/schedule')) as { operations: { order: string }[] };
    operations = plan.operations.filter((op) => op.order.startsWith('BO')).length;
    if (operations >= ORDERS * OPERATIONS * 0.95) break;
    if (Date.now() > planDeadline) throw new Error(`the plan has only ${operations} bench operations`);
    await new Promise((r) => setTimeout(r, 3000));
  }
  console.log(`plan: ${operations} bench operations planned`);

  // ---- The page -------------------------------------------------------------------------------
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'en-US' });
  await context.addCookies([{ name: 'takt_session', value: system.adminToken, url: system.url }]);
  const page = await context.newPage();
  await page.goto(`${system.url}/console/plan`, { waitUntil: 'commit' });
  // The Gantt stamps its root with the time (since navigation) its first bars reached the screen.
  const paintedMs = Number(await (await page.waitForSelector('[data-bars-painted]')).getAttribute('data-bars-painted'));
  await page.waitForTimeout(1000);
  const domAtRest = await page.evaluate(() => document.getElementsByTagName('*').length);
  const barsAtRest = await page.locator('[data-bar]').count();

  await installFrameProbe(page);
  const time = (await page.locator('.gantt .time').boundingBox())!;
  // Pan: drag the background sideways and down, then ctrl+wheel zoom in and out around the cursor.
  const y0 = time.y + 200;
  for (let round = 0; round < 3; round++) {
    await page.mouse.move(time.x + time.width - 100, y0);
    await page.mouse.down();
    await page.mouse.move(time.x + 100, y0 + 300, { steps: 60 });
    await page.mouse.up();
  }
  const pan = await takeFrames(page);
  // A trackpad pinch or ctrl+wheel gesture: a wheel event every frame, in and then out again.
  await page.evaluate(
    async ({ x, y }) => {
      const target = document.elementFromPoint(x, y)!;
      for (let i = 0; i < 40; i++) {
        target.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: x, clientY: y, deltaY: i < 20 ? 40 : -40, ctrlKey: true }));
        await new Promise((r) => requestAnimationFrame(r));
      }
    },
    { x: time.x + time.width / 2, y: y0 },
  );
  // Wheel and pinch only stretch what is drawn; the bars are laid out once when the gesture rests.
  const zoom = await takeFrames(page);
  // A zoom button lays out at once: one discrete relayout per click, reported on its own.
  for (const level of ['week', 'hour', 'shift', 'day', 'shift']) await page.locator(`[data-zoom="${level}"]`).click();
  const zoomButtons = await takeFrames(page);

  // Drag: a movable bar carried across rows and time, then Esc (no preview asked).
  await page.locator('[data-zoom="day"]').click();
  await page.getByRole('button', { name: 'Now' }).click();
  await page.locator('.gantt .body').evaluate((el) => (el.scrollTop = 0));
  const bar = page.locator('[data-bar]:not(.fixed)').first();
  const box = (await bar.boundingBox())!;
  await page.mouse.move(box.x + 5, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 300, box.y + 400, { steps: 120 });
  await page.mouse.move(box.x - 100, box.y + 50, { steps: 120 });
  await page.keyboard.press('Escape');
  await page.mouse.up();
  const dragFrames = await takeFrames(page);

  // Preview round trip for this plant: one bar moved to another machine of its work center.
  const previewMs = await page.evaluate(async () => {
    const plan = (await (await fetch('/api/v1/schedule')).json()) as { operations: { order: string; seq: number; frozen: boolean; status: string; machine: number; start: string }[] };
    // Well past the frozen horizon (the server's, from now): a move the planner may make.
    const movable = Date.now() + 2 * 3_600_000;
    const op = plan.operations.find((o) => o.order.startsWith('BO') && !o.frozen && o.status === 'pending' && Date.parse(o.start) > movable)!;
    const started = performance.now();
    const r = await fetch('/api/v1/schedule/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ moves: [{ order: op.order, seq: op.seq, machine: op.machine === 1 ? 2 : 1, start: op.start, mode: 'queue' }] }),
    });
    return { status: r.status, ms: Math.round(performance.now() - started) };
  });

  console.log(
    JSON.stringify(
      {
        plant: { orders: ORDERS, operationsPlanned: operations, machines: WORK_CENTERS * MACHINES },
        navigationToBarsPaintedMs: Math.round(paintedMs),
        domNodesAtRest: domAtRest,
        barsInDomAtRest: barsAtRest,
        inputWorkMsPan: summary(pan.work),
        frameIntervalMsPan: summary(pan.frames),
        inputWorkMsZoom: summary(zoom.work),
        frameIntervalMsZoom: summary(zoom.frames),
        zoomButtonRelayoutMs: summary(zoomButtons.work),
        inputWorkMsDrag: summary(dragFrames.work),
        frameIntervalMsDrag: summary(dragFrames.frames),
        previewRoundTrip: previewMs.status === 200 ? { ms: previewMs.ms } : { status: previewMs.status, note: 'the preview failed' },
      },
      null,
      2,
    ),
  );
  console.log(
    `targets: bars painted < 1000 ms (${Math.round(paintedMs)}), pan work p95 < 16 ms (${summary(pan.work).p95}), wheel zoom work p95 < 16 ms (${summary(zoom.work).p95}), zoom button relayout p50 ${summary(zoomButtons.work).p50} ms, drag work p95 < 16 ms (${summary(dragFrames.work).p95}), preview < 3000 ms (${previewMs.status === 200 ? previewMs.ms : 'n/a'})`,
  );
} finally {
  await browser.close();
  await system.stop();
}

/**
 * Measures each input's main-thread cost: from the event's dispatch to the DOM updated and laid out
 * (the page's handlers, Svelte's flush, which runs in a microtask, then a forced style and layout),
 * and the animation-frame intervals while inputs arrive (the cadence the eye sees).
 */
async function installFrameProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __work: number[]; __frames: number[]; __input: boolean };
    w.__work = [];
    w.__frames = [];
    w.__input = false;
    const begin = () => {
      w.__input = true;
      const t0 = performance.now();
      // A task after the event's: by then every handler ran and Svelte flushed its DOM update (a
      // microtask of the event's task); reading a layout property forces what style and layout remain.
      setTimeout(() => {
        void document.body.offsetHeight;
        w.__work.push(performance.now() - t0);
      }, 0);
    };
    for (const type of ['pointermove', 'pointerdown', 'wheel', 'click']) window.addEventListener(type, begin, { capture: true, passive: true });
    let last = performance.now();
    const loop = (now: number) => {
      if (w.__input) w.__frames.push(now - last);
      w.__input = false;
      last = now;
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
}

async function takeFrames(page: Page): Promise<{ work: number[]; frames: number[] }> {
  await page.waitForTimeout(200);
  return page.evaluate(() => {
    const w = window as unknown as { __work: number[]; __frames: number[] };
    const taken = { work: w.__work, frames: w.__frames };
    w.__work = [];
    w.__frames = [];
    return taken;
  });
}
