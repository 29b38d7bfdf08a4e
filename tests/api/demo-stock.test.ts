import { describe, expect, it } from 'vitest';
import { floorSimulator } from '../../server/demo/simulator.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { DEMO_PLANT } from '../../server/demo/factory.ts';
import { useTestSystem } from '../support/system.ts';

// The demo factory on a simulated clock: the simulator's own tick, 10 s of wall time per tick at the
// demo's speed (6 factory minutes a second), so a tick is an hour of the floor. Between ticks the real
// worker re-plans, as it would in the second the wall-clock loop waits.
const STEP_MS = 10_000;
const TICKS = Number(process.env.DEMO_STOCK_TICKS ?? 120);

const t = useTestSystem();

async function replansSettled(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await t.api('GET', '/api/v1/health')).body.pendingReschedules !== 0) {
    if (Date.now() > deadline) throw new Error('re-plans did not settle');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the demo floor over a long run', () => {
  it('never books stock below zero, and a shortage shows and is resolved by a receipt', { timeout: 600_000 }, async () => {
    const db = t.system.database.db;
    await seedDemo(db, { force: true, adminToken: null });
    const [plant] = await t.sql<{ id: number }[]>`select id from plant where code = ${DEMO_PLANT.code}`;
    const plantId = plant!.id;
    await replansSettled();
    const floor = floorSimulator(db, { speed: 6, log: (line) => console.log(line), seed: 7 });

    const lowest = new Map<string, number>();
    // component -> the tick it was first seen short, and the tick a simulated receipt resolved it.
    const shortAt = new Map<string, number>();
    const resolved: { component: string; shortAt: number; receivedAt: number; quantity: number }[] = [];
    let receiptsSeen = 0;
    let clock = Date.now();
    const start = new Date(clock);
    for (let i = 0; i < TICKS; i++) {
      await floor.tick(clock);
      clock += STEP_MS;
      await replansSettled();
      for (const c of await t.sql<{ code: string; on_hand: number }[]>`select code, on_hand from component where plant_id = ${plantId}`) {
        lowest.set(c.code, Math.min(lowest.get(c.code) ?? Infinity, c.on_hand));
      }
      const receipts = await t.sql<{ id: string; component_code: string; quantity: number }[]>`
        select id, component_code, quantity from stock_movement where plant_id = ${plantId} and kind = 'receipt' and client_id like 'sim-receipt-%' order by id offset ${receiptsSeen}`;
      receiptsSeen += receipts.length;
      for (const r of receipts) {
        const since = shortAt.get(r.component_code);
        if (since !== undefined) resolved.push({ component: r.component_code, shortAt: since, receivedAt: i, quantity: r.quantity });
        shortAt.delete(r.component_code);
      }
      for (const s of await t.sql<{ component_code: string }[]>`select component_code from component_shortage where plant_id = ${plantId}`) {
        if (!shortAt.has(s.component_code)) shortAt.set(s.component_code, i);
      }
    }

    // Every instant of the ledger, not only the ticks' samples: the running sum of each component's
    // movements (its first is the seeded count) is its on-hand after each movement.
    const ledgerLows = await t.sql<{ component_code: string; low: number; moves: number }[]>`
      select component_code, min(running) as low, count(*)::int as moves from (
        select component_code, sum(quantity) over (partition by component_code order by id) as running
        from stock_movement where plant_id = ${plantId}) m
      group by component_code order by component_code`;
    const completed = await t.sql<{ n: number }[]>`select count(*)::int as n from operation where plant_id = ${plantId} and status = 'completed' and completed_at >= ${start}`;
    console.log(JSON.stringify({ lowest: Object.fromEntries(lowest), ledgerLows, resolved, completedOnTheRun: completed[0]!.n }));

    expect(ledgerLows.map((l) => l.component_code)).toEqual(['BEARING-6204', 'MOTOR-3KW', 'PAINT-GRY', 'SHEET-2', 'STEEL-20', 'STEEL-40']);
    for (const l of ledgerLows) expect(l.low, l.component_code).toBeGreaterThanOrEqual(-1e-6);
    for (const [code, low] of lowest) expect(low, code).toBeGreaterThanOrEqual(0);
    // Every component was drawn on by the floor, and the floor kept moving.
    for (const l of ledgerLows) expect(l.moves, l.component_code).toBeGreaterThan(2);
    expect(completed[0]!.n).toBeGreaterThan(100);
    expect(resolved.length).toBeGreaterThan(0);
    for (const r of resolved) expect(r.receivedAt).toBeGreaterThan(r.shortAt);
  });
});
