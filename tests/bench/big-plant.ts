// The benchmarks' large plant, loaded through the real API: the seeded synthetic plant of
// bench:reschedule (2,000 orders x 8 operations on 60 work centers x 2 machines = 120 machines),
// its dates moved from the generator's fixed "now" to the real one. Plants are only created by the
// demo seed, so it joins the demo plant (its few orders and machines come on top; the benchmark
// prints the totals) with the simulator off.
import { generatePlant } from '../../scheduler/bench/plant.ts';
import type { SpawnedSystem } from '../support/spawn-system.ts';

export interface BigPlantSpec {
  orders: number;
  operationsPerOrder: number;
  workCenters: number;
  machinesPerWorkCenter: number;
  /** Work centers per line on the Gantt. */
  workCentersPerLine: number;
}

export const bigPlant: BigPlantSpec = { orders: 2000, operationsPerOrder: 8, workCenters: 60, machinesPerWorkCenter: 2, workCentersPerLine: 10 };

const CONCURRENCY = 8;

async function inParallel<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

function client(system: SpawnedSystem) {
  const headers = { authorization: `Bearer ${system.adminToken}`, 'content-type': 'application/json' };
  return async (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const r = await fetch(`${system.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/** Loads the plant (one product per order: each generated order has a routing of its own). */
export async function seedBigPlant(system: SpawnedSystem, spec: BigPlantSpec = bigPlant): Promise<{ operations: number }> {
  const api = client(system);
  const { snapshot, now: generatedNow } = generatePlant({ seed: 7, ...spec, downtimes: 0, pins: 0 });
  const shift = Date.now() - generatedNow;
  for (const c of snapshot.calendars) {
    await api('PUT', `/calendars/BIG-${c.code}`, { name: c.code, timeZone: c.timeZone, shifts: c.shifts, exceptions: [] });
  }
  await inParallel(
    snapshot.workCenters.map((w, i) => ({ w, line: `BIG-L${Math.floor(i / spec.workCentersPerLine) + 1}` })),
    async ({ w, line }) => {
      await api('PUT', `/work-centers/${w.code}`, { name: w.code, line, machines: w.machines, calendar: `BIG-${w.calendar}`, setupMatrix: w.setupMatrix ?? [] });
    },
  );
  await inParallel(snapshot.orders, async (o) => {
    await api('PUT', `/products/P-${o.code}`, {
      name: `Part ${o.code}`,
      ...(o.family ? { family: o.family } : {}),
      routing: o.operations.map((op, k) => ({ seq: k + 1, workCenter: op.workCenter, setupMinutes: op.setupMinutes, runMinutesPerUnit: op.runMinutesPerUnit, minTransferMinutes: op.minTransferMinutes ?? 0 })),
    });
    await api('POST', '/orders', { code: o.code, product: `P-${o.code}`, quantity: o.quantity, dueAt: new Date(o.dueAt + shift).toISOString(), priority: o.priority, customer: `Customer ${o.code.slice(-1)}` });
  });
  return { operations: snapshot.orders.reduce((n, o) => n + o.operations.length, 0) };
}

/** Waits until the latest plan holds every operation of the plant (orders arrive while it re-plans). */
export async function waitForFullPlan(system: SpawnedSystem, operations: number, timeoutMs = 300_000): Promise<number> {
  const api = client(system);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const schedule = (await api('GET', '/schedule').catch(() => null)) as { version: number; operations: unknown[] } | null;
    if (schedule && schedule.operations.length >= operations) return schedule.version;
    if (Date.now() > deadline) throw new Error(`the plan did not reach ${operations} operations in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}
