import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SpreadModel } from '../../scheduler/engine/spread-model.ts';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({ seed: seedSmallFactory });

const event = (type: string, order: string, seq: number, extra: object = {}) => ({ id: randomUUID(), type, order, seq, ...extra });

describe('P90 calibration on the plant\'s record (the real loop)', () => {
  it('fits the futures\' own margin: P90s given with a factor are divided back by it, and the factor is stored with each new P90', async () => {
    // Twenty orders done now, each told a day and a half before that it would end 2 h before it did,
    // with a P90 2 h after that ETA given with factor 2: the futures' own margin was 1 h, and the
    // orders finished 2 h after their ETA, so the record asks for factor 2 again (not 1, which is
    // what the widened margins alone would say).
    for (let k = 1; k <= 20; k++) {
      const code = `CAL-${k}`;
      await createOrder(t.api, code, { quantity: 10 });
      for (const seq of [1, 2]) {
        expect((await t.api('POST', '/api/v1/events', event('operation.started', code, seq))).status).toBe(201);
        expect((await t.api('POST', '/api/v1/events', event('operation.completed', code, seq, { quantityGood: 10 }))).status).toBe(201);
      }
    }
    await t.sql`
      insert into order_eta_history (order_id, version_id, eta, eta_p50, eta_p90, p90_scale, at)
      select o.id, (select max(id) from schedule_version), o.completed_at - interval '2 hours', o.completed_at - interval '2 hours',
             o.completed_at, 2, o.completed_at - interval '36 hours'
      from customer_order o where o.code like 'CAL-%' and o.status = 'completed'`;

    await createOrder(t.api, 'CAL-OPEN', { quantity: 10 });
    const deadline = Date.now() + 30_000;
    let run: { model: SpreadModel } | undefined;
    for (;;) {
      [run] = await t.sql<{ model: SpreadModel }[]>`select model from eta_spread_run`;
      const [open] = await t.sql<{ p90_scale: number | null }[]>`
        select e.p90_scale from order_eta e join customer_order o on o.id = e.order_id where o.code = 'CAL-OPEN'`;
      if (run?.model.p90Scale?.n === 20 && open?.p90_scale !== null && open?.p90_scale !== undefined) {
        expect(open.p90_scale).toBe(2);
        break;
      }
      if (Date.now() > deadline) throw new Error(`no calibrated spread: ${JSON.stringify(run?.model.p90Scale)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(run?.model.p90Scale).toEqual({ scale: 2, n: 20 });
    // The history row the spread writes carries the factor, for the next fit.
    const history = await t.sql<{ p90_scale: number | null }[]>`
      select h.p90_scale from order_eta_history h join customer_order o on o.id = h.order_id
      where o.code = 'CAL-OPEN' and h.eta_p90 is not null order by h.id desc limit 1`;
    expect(history[0]?.p90_scale).toBe(2);
  });
});
