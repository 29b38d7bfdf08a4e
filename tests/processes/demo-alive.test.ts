import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnSystem, type SpawnedSystem } from '../support/spawn-system.ts';

// The demo factory at many times its default pace: it must not run dry. The floor finishes the
// seeded orders within minutes; new ones arrive, some due within hours, so the console keeps a
// list with a few late orders and the TV keeps busy tiles.
const SPEED = 150; // factory minutes per real second (the default is 20)
let system: SpawnedSystem;
beforeAll(async () => {
  system = await spawnSystem({ TAKT_SIMULATOR_SPEED: String(SPEED) }, []);
});
afterAll(async () => {
  await system?.stop();
});

interface OrderRow {
  code: string;
  late: boolean;
  status: string;
}

it('the demo keeps 20-90 open orders, some late, with new ones arriving, while the floor works them off', async () => {
  const headers = { authorization: `Bearer ${system.adminToken}` };
  const orders = async () => (await (await fetch(`${system.url}/api/v1/orders?status=all`, { headers })).json()) as OrderRow[];
  const seeded = new Set((await orders()).map((o) => o.code));
  const samples: { open: number; late: number; completed: number }[] = [];
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 5000));
    const all = await orders();
    const open = all.filter((o) => o.status === 'open');
    samples.push({ open: open.length, late: open.filter((o) => o.late).length, completed: all.length - open.length });
  }
  const all = await orders();
  expect(all.filter((o) => !seeded.has(o.code)).length, JSON.stringify(samples)).toBeGreaterThan(0);
  expect(samples.at(-1)!.completed, JSON.stringify(samples)).toBeGreaterThan(0);
  for (const s of samples) {
    expect(s.open, JSON.stringify(samples)).toBeGreaterThanOrEqual(20);
    expect(s.open, JSON.stringify(samples)).toBeLessThanOrEqual(90);
  }
  expect(samples.some((s) => s.late > 0), JSON.stringify(samples)).toBe(true);
});
