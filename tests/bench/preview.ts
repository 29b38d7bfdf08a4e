// node tests/bench/preview.ts — round trip of POST /schedule/preview (what a planner waits for while
// dragging) and of POST /quotes (what a sales person waits for on the phone, P90 included) on the
// demo plant and on the 2,000-order generated plant (scheduler/bench/plant.ts), the whole system in
// this process on a fresh embedded database. Prints, asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePlant } from '../../scheduler/bench/plant.ts';
import type { PreviewView } from '../../server/contract/plan.ts';
import type { QuoteView } from '../../server/contract/quotes.ts';
import type { ScheduleView } from '../../server/contract/schedule.ts';
import { loadConfig } from '../../server/config.ts';
import { startSystem } from '../../server/system.ts';
import { summary } from './percentiles.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const adminToken = 'bench-admin-token-preview-0123456789';
const dataDir = await mkdtemp(join(tmpdir(), 'takt-bench-preview-'));
const system = await startSystem(
  { ...loadConfig({}, []), port: 0, host: '127.0.0.1', dataDir, adminToken, demo: 'auto', simulate: false },
  { log: () => {}, serveUi: false },
);

async function api<T>(method: string, path: string, plant: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${system.url}/api/v1${path}${path.includes('?') ? '&' : '?'}plant=${plant}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function settled(plant: string, orders: number): Promise<ScheduleView> {
  for (;;) {
    const health = await api<{ pendingReschedules: number }>('GET', '/health', plant);
    const schedule = await api<ScheduleView>('GET', '/schedule', plant);
    const planned = new Set(schedule.status === 200 ? schedule.body.operations.map((o) => o.order) : []).size;
    if (health.body.pendingReschedules === 0 && planned >= orders) return schedule.body;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function measure(label: string, plant: string, orders: number): Promise<void> {
  const schedule = await settled(plant, orders);
  const machines = new Map((await api<{ code: string; machines: number }[]>('GET', '/work-centers', plant)).body.map((w) => [w.code, w.machines]));
  const later = Date.now() + 2 * 3_600_000;
  const candidates = schedule.operations.filter((o) => o.status === 'pending' && !o.frozen && Date.parse(o.start) > later && (machines.get(o.workCenter) ?? 1) > 1);
  const times: number[] = [];
  const solve: number[] = [];
  let moved = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const op = candidates[(i * 7919) % candidates.length]!;
    const machine = op.machine === 1 ? 2 : 1;
    const move = i % 2 === 0 ? { order: op.order, seq: op.seq, machine, mode: 'queue' } : { order: op.order, seq: op.seq, machine, start: op.start, mode: 'exact' };
    const started = performance.now();
    const r = await api<PreviewView>('POST', '/schedule/preview', plant, { moves: [move] });
    times.push(performance.now() - started);
    if (r.status !== 200) throw new Error(`${label}: preview ${r.status} ${JSON.stringify(r.body)}`);
    solve.push(r.body.solveMs);
    moved += r.body.moved.length;
  }
  const ops = schedule.operations.length;
  const round = (s: ReturnType<typeof summary>) => `p50 ${Math.round(s.p50)} ms, p95 ${Math.round(s.p95)} ms, max ${Math.round(s.max)} ms`;
  console.log(`${label}: ${orders} orders, ${ops} planned operations; preview round trip ${round(summary(times))}; engine ${round(summary(solve))}; ${Math.round(moved / ROUNDS)} moved operations per preview`);
}

/** Quotes of one product, the two modes in turn (nothing is written but the quotes). */
async function measureQuotes(label: string, plant: string, product: string): Promise<void> {
  const times: number[] = [];
  const solve: number[] = [];
  let withP90 = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const r = await api<QuoteView>('POST', '/quotes', plant, { product, quantity: 20 + i, mode: i % 2 === 0 ? 'keep-promises' : 'earliest' });
    times.push(performance.now() - started);
    if (r.status !== 201) throw new Error(`${label}: quote ${r.status} ${JSON.stringify(r.body)}`);
    solve.push(r.body.solveMs);
    if (r.body.etaP90 !== null) withP90 += 1;
  }
  const round = (s: ReturnType<typeof summary>) => `p50 ${Math.round(s.p50)} ms, p95 ${Math.round(s.p95)} ms, max ${Math.round(s.max)} ms`;
  console.log(`${label}: quote round trip ${round(summary(times))}; engine ${round(summary(solve))}; ${withP90}/${ROUNDS} with a P90`);
}

async function loadGeneratedPlant(code: string): Promise<number> {
  const { snapshot, now } = generatePlant({ seed: 1, workCenters: 60, machinesPerWorkCenter: 2, orders: 2000, operationsPerOrder: 8, downtimes: 0, pins: 0 });
  const put = async (path: string, body: unknown) => {
    const r = await api('PUT', path, code, body);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  for (const c of snapshot.calendars) await put(`/calendars/${c.code.toUpperCase()}`, { name: c.code, timeZone: c.timeZone, shifts: c.shifts, exceptions: c.exceptions });
  for (const w of snapshot.workCenters) await put(`/work-centers/${w.code}`, { name: w.code, line: 'GEN', machines: w.machines, calendar: w.calendar.toUpperCase() });
  const inParallel = async <T>(items: T[], work: (item: T) => Promise<void>) => {
    for (let i = 0; i < items.length; i += 16) await Promise.all(items.slice(i, i + 16).map(work));
  };
  await inParallel(snapshot.orders, (o) =>
    put(`/products/R${o.code}`, { name: o.code, routing: o.operations.map((op, k) => ({ seq: k + 1, workCenter: op.workCenter, setupMinutes: op.setupMinutes, runMinutesPerUnit: op.runMinutesPerUnit, minTransferMinutes: op.minTransferMinutes ?? 0 })) }),
  );
  await inParallel(snapshot.orders, async (o) => {
    const r = await api('POST', '/orders', code, { code: o.code, product: `R${o.code}`, quantity: o.quantity, dueAt: new Date(o.dueAt - now + Date.now()).toISOString(), priority: o.priority });
    if (r.status !== 201) throw new Error(`order ${o.code}: ${r.status} ${JSON.stringify(r.body)}`);
  });
  return snapshot.orders.length;
}

// Before any request: the API reads the plant list once.
await system.database.db.insertInto('plant').values({ code: 'GEN', name: 'Generated 2,000 orders', time_zone: 'Asia/Shanghai' }).execute();
try {
  const demo = (await api<{ code: string }[]>('GET', '/plants', '')).body.find((p) => p.code !== 'GEN')!.code;
  const demoOrders = (await api<unknown[]>('GET', '/orders?status=open&limit=1000', demo)).body.length;
  await measure('demo plant', demo, demoOrders);
  const demoProduct = (await api<{ code: string }[]>('GET', '/products', demo)).body[0]!.code;
  await measureQuotes('demo plant', demo, demoProduct);
  const orders = await loadGeneratedPlant('GEN');
  await measure('generated plant', 'GEN', orders);
  await measureQuotes('generated plant', 'GEN', 'RMO00001');
} finally {
  await system.stop();
  await rm(dataDir, { recursive: true, force: true });
}
