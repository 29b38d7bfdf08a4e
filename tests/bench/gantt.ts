// npm run bench:gantt — the planner's Gantt in Chromium on a large plant (2,000 orders x 8
// operations on 120 generated machines, plus the demo's): time from navigation to bars painted,
// frame times while panning, zooming and dragging, DOM nodes at rest, and the what-if preview's
// round trip. The server runs in its own process; the browser is Debian's chromium.
//
// Frame times: Chromium runs with the frame-rate limit and vsync off, so requestAnimationFrame fires
// as soon as the previous frame is done; the gap between two frames is then what one frame of the
// interaction costs (script, style, layout, paint), not the display's 16.7 ms refresh.
import { existsSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { bigPlant, seedBigPlant, waitForFullPlan } from './big-plant.ts';
import { summary } from './percentiles.ts';
import { spawnSystem, type SpawnedSystem } from '../support/spawn-system.ts';

const FRAMES = Number(process.env.BENCH_FRAMES ?? 240);
const PREVIEWS = 3;

interface ScheduleOp {
  order: string;
  seq: number;
  workCenter: string;
  machine: number;
  start: string;
  status: string;
  frozen: boolean;
}

async function api<T>(system: SpawnedSystem, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const r = await fetch(`${system.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${system.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as T };
}

/** A pending operation a day or more ahead on a two-machine work center: moved to its other machine. */
function previewMove(ops: ScheduleOp[]) {
  const dayAhead = Date.now() + 86_400_000;
  const op = ops.find((o) => o.status === 'pending' && !o.frozen && o.workCenter.startsWith('WC') && new Date(o.start).getTime() > dayAhead);
  if (!op) throw new Error('no movable operation in the plan');
  return { order: op.order, seq: op.seq, machine: op.machine === 1 ? 2 : 1, start: op.start, mode: 'queue' as const };
}

/** Runs `step` before each of `frames` animation frames and returns the gaps between frames. */
async function frameTimes(page: Page, kind: 'pan' | 'zoom' | 'drag', frames: number): Promise<number[]> {
  return await page.evaluate(
    async ({ kind, frames }) => {
      const area = document.querySelector<HTMLElement>('[data-gantt-area]');
      if (!area) throw new Error('no [data-gantt-area] on the page');
      const box = area.getBoundingClientRect();
      const cx = box.left + box.width / 2;
      const cy = box.top + box.height / 2;
      const wheel = (init: WheelEventInit) => area.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: cx, clientY: cy, ...init }));
      const pointer = (type: string, x: number, y: number, target: Element) =>
        target.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, pointerId: 1, pointerType: 'mouse', isPrimary: true, button: 0, buttons: type === 'pointerup' ? 0 : 1, clientX: x, clientY: y }));

      let bar: Element | null = null;
      let barX = 0;
      let barY = 0;
      if (kind === 'drag') {
        bar = [...area.querySelectorAll('[data-order][data-seq]')].find((b) => b.getAttribute('data-draggable') !== 'false') ?? null;
        if (!bar) throw new Error('no draggable bar on screen');
        const b = bar.getBoundingClientRect();
        barX = b.left + Math.min(20, b.width / 2);
        barY = b.top + b.height / 2;
        pointer('pointerdown', barX, barY, bar);
      }
      const step = (i: number) => {
        // Back and forth, so the view stays over the plan.
        const dir = Math.floor(i / 40) % 2 === 0 ? 1 : -1;
        if (kind === 'pan') wheel({ deltaX: 30 * dir, deltaY: i % 3 === 0 ? 20 * dir : 0 });
        else if (kind === 'zoom') wheel({ deltaY: -25 * dir, ctrlKey: true });
        else pointer('pointermove', barX + 4 * (i % 80) * dir, barY + (i % 40) * 2, document.elementFromPoint(barX, barY) ?? bar!);
      };
      const gaps: number[] = [];
      let last = await new Promise<number>((r) => requestAnimationFrame(r));
      for (let i = 0; i < frames; i++) {
        step(i);
        const now = await new Promise<number>((r) => requestAnimationFrame(r));
        gaps.push(now - last);
        last = now;
      }
      if (kind === 'drag') document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      return gaps;
    },
    { kind, frames },
  );
}

const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const system = await spawnSystem({}, ['--no-simulate']);
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-frame-rate-limit', '--disable-gpu-vsync', '--disable-background-networking'],
});
try {
  const seeded = await seedBigPlant(system);
  const version = await waitForFullPlan(system, seeded.operations);
  const { body: schedule } = await api<{ operations: ScheduleOp[] }>(system, 'GET', '/schedule');
  const { body: workCenters } = await api<{ machines: number }[]>(system, 'GET', '/work-centers');
  const machines = workCenters.reduce((n, w) => n + w.machines, 0);
  console.log(
    `plant: ${bigPlant.orders} generated orders x ${bigPlant.operationsPerOrder} ops on ${bigPlant.workCenters * bigPlant.machinesPerWorkCenter} machines ` +
      `(with the demo's: ${schedule.operations.length} planned operations on ${machines} machines), plan v${version}`,
  );

  // Preview round trip (nothing is written): the same move three times.
  const move = previewMove(schedule.operations);
  const previewMs: number[] = [];
  for (let i = 0; i < PREVIEWS; i++) {
    const started = performance.now();
    const r = await api<{ solveMs: number; moved: unknown[] }>(system, 'POST', '/schedule/preview', { moves: [move] });
    if (r.status !== 200) throw new Error(`preview answered ${r.status}: ${JSON.stringify(r.body)}`);
    previewMs.push(performance.now() - started);
    console.log(`preview ${i + 1}: ${previewMs.at(-1)!.toFixed(0)} ms round trip (solve ${r.body.solveMs} ms, ${r.body.moved.length} operations moved)`);
  }

  const { body: planner } = await api<{ token: string }>(system, 'POST', '/auth/tokens', { name: 'bench planner', role: 'planner' });
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'en-US' });
  await context.addCookies([{ name: 'takt_session', value: planner.token, url: system.url }]);
  const page = await context.newPage();

  // Navigation -> bars painted: the page marks the first frame with its bars in it.
  const paint: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${system.url}/console/plan`);
    await page.waitForSelector('[data-bars-painted]', { timeout: 60_000 });
    paint.push(await page.evaluate(() => performance.getEntriesByName('takt:gantt-painted').at(-1)?.startTime ?? Number.NaN));
  }
  const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  const barsInDom = await page.locator('[data-gantt-area] [data-order][data-seq]').count();

  const pan = await frameTimes(page, 'pan', FRAMES);
  const zoom = await frameTimes(page, 'zoom', FRAMES);
  const drag = await frameTimes(page, 'drag', FRAMES);

  const fmt = (xs: number[]) => {
    const s = summary(xs);
    return `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (${xs.length} frames)`;
  };
  console.log('');
  console.log(`navigation -> bars painted: ${paint.map((p) => `${p.toFixed(0)} ms`).join(', ')} (target < 1000)`);
  console.log(`frame time while panning:  ${fmt(pan)} (target p95 < 16)`);
  console.log(`frame time while zooming:  ${fmt(zoom)} (target p95 < 16)`);
  console.log(`frame time while dragging: ${fmt(drag)} (target p95 < 16)`);
  console.log(`DOM at rest: ${domNodes} elements, ${barsInDom} bars of ${schedule.operations.length}`);
  console.log(`preview round trip: ${previewMs.map((p) => p.toFixed(0)).join(', ')} ms (target < 3000)`);
} finally {
  await browser.close();
  await system.stop();
}
