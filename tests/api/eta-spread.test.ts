import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OrderDetail } from '../../server/contract/orders.ts';
import type { SpreadModel } from '../../scheduler/engine/spread-model.ts';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import type { ApiClient } from '../support/http.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({ seed: seedSmallFactory });

/** Polls until the order's P50/P90 are sampled (the sampling follows the plan, paced). */
async function waitForSpread(api: ApiClient, code: string, predicate: (o: OrderDetail) => boolean = () => true, timeoutMs = 20_000): Promise<OrderDetail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await api('GET', `/api/v1/orders/${code}`);
    if (r.status === 200 && r.body.etaP50 && r.body.etaP90 && predicate(r.body)) return r.body;
    if (Date.now() > until) throw new Error(`no spread for ${code}: ${JSON.stringify(r.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const event = (type: string, order: string, seq: number, extra: object = {}) => ({ id: randomUUID(), type, order, seq, ...extra });

describe('P50 / P90 ETAs', () => {
  it('a planned order gets its P50 and P90 after the plan, on the list, the detail, the history and the stream', async () => {
    const stream = t.stream('eta');
    await createOrder(t.api, 'SPREAD-1', { quantity: 10 });
    const order = await waitForSpread(t.api, 'SPREAD-1');
    const [eta, p50, p90] = [order.eta!, order.etaP50!, order.etaP90!].map(Date.parse) as [number, number, number];
    expect(p50).toBeLessThanOrEqual(p90);
    // Breakdowns only delay and the prior centres run times on the standard: the ETA is no later than the P90.
    expect(eta).toBeLessThanOrEqual(p90);
    const listed = (await t.api('GET', '/api/v1/orders')).body.find((o: { code: string }) => o.code === 'SPREAD-1')!;
    expect([listed.etaP50, listed.etaP90]).toEqual([order.etaP50, order.etaP90]);
    // Far from its due date: not at risk.
    expect(listed.atRisk).toBe(false);
    const message = await stream.waitForTopic('eta', (m) => m.data.changes.some((c) => c.order === 'SPREAD-1' && c.etaP90 !== null));
    const change = message.data.changes.find((c) => c.order === 'SPREAD-1')!;
    expect(Date.parse(change.etaP50!)).toBeLessThanOrEqual(Date.parse(change.etaP90!));
    const history = (await waitForSpread(t.api, 'SPREAD-1', (o) => o.etaHistory.some((h) => h.p90 !== null))).etaHistory;
    expect(history.find((h) => h.p90 !== null)!.p50).not.toBeNull();
    await stream.close();
  });

  it('a new order is sampled at once, while plans of the same orders wait out the pacing', async () => {
    await createOrder(t.api, 'PACED-1', { quantity: 10 });
    await waitForSpread(t.api, 'PACED-1');
    // The last sampling cost ten minutes of engine time: at 500 ms a minute the next may run in 20 h.
    await t.sql`update eta_spread_run set cpu_ms = 600000, ran_at = now()`;
    const pacedJob = async () =>
      (await t.sql<{ run_at: Date }[]>`select run_at from graphile_worker.jobs where key like 'eta_spread:%' and locked_at is null`)[0]?.run_at;
    // A floor event re-plans the orders the sampling already knows: the job waits.
    expect((await t.api('POST', '/api/v1/events', event('operation.started', 'PACED-1', 1))).status).toBe(201);
    await expect.poll(pacedJob, { timeout: 10_000 }).toBeDefined();
    expect((await pacedJob())!.getTime()).toBeGreaterThan(Date.now() + 19 * 3_600_000);
    // A new order has no P90 and a sales person waiting for one: sampled now, not in 20 h.
    await createOrder(t.api, 'PACED-NEW', { quantity: 5 });
    const order = await waitForSpread(t.api, 'PACED-NEW', () => true, 15_000);
    expect(Date.parse(order.etaP50!)).toBeLessThanOrEqual(Date.parse(order.etaP90!));
    // That run is the pacing's new start: the next plan's job waits for its cost again.
    expect((await t.api('POST', '/api/v1/events', event('operation.completed', 'PACED-1', 1, { quantityGood: 10 }))).status).toBe(201);
    await expect.poll(async () => (await pacedJob())?.getTime() ?? 0, { timeout: 10_000 }).toBeGreaterThan(Date.now());
  });

  it('learns from history: cutting that took three times its standard puts the P50 after the ETA', async () => {
    // Six orders cut and welded, then the cuts' starts moved back so each took 60 working minutes
    // against a standard of 20 (setup 10 + 10 units x 1). The welds, reported done the moment they
    // started, are bad data (under a tenth of the standard) and teach nothing.
    for (let k = 1; k <= 6; k++) {
      const code = `HIST-${k}`;
      await createOrder(t.api, code, { quantity: 10 });
      for (const seq of [1, 2]) {
        expect((await t.api('POST', '/api/v1/events', event('operation.started', code, seq))).status).toBe(201);
        expect((await t.api('POST', '/api/v1/events', event('operation.completed', code, seq, { quantityGood: 10 }))).status).toBe(201);
      }
    }
    await t.sql`
      update operation op set started_at = op.completed_at - interval '60 minutes'
      from customer_order o where o.id = op.order_id and o.code like 'HIST-%' and op.seq = 1`;
    await createOrder(t.api, 'SPREAD-SLOW', { quantity: 10 });
    const order = await waitForSpread(t.api, 'SPREAD-SLOW', (o) => Date.parse(o.etaP50!) > Date.parse(o.eta!));
    const [run] = await t.sql<{ model: SpreadModel; samples: number }[]>`select model, samples from eta_spread_run`;
    const cut = run!.model.durations.find((d) => d.workCenter === 'CUT')!;
    // Six observations of ln 3 shrunk by five pseudo-observations of 0.
    expect(cut.n).toBe(6);
    expect(cut.logMean).toBeCloseTo((6 * Math.log(3)) / 11, 6);
    expect(run!.model.durations.find((d) => d.workCenter === 'WELD')).toBeUndefined();
    expect(run!.samples).toBeGreaterThanOrEqual(8);
    // Cutting now takes about 1.8 times its 20 minutes (its own and the cut it queues behind): the
    // median future ends well after the ETA.
    expect(Date.parse(order.etaP50!) - Date.parse(order.eta!)).toBeGreaterThanOrEqual(10 * 60_000);
  });
});
