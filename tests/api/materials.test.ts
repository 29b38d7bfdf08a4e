import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ComponentView, type PickingLineView, type ReceiptView, ShortageView } from '../../server/contract/materials.ts';
import { replenishDemo } from '../../server/demo/materials.ts';
import { expectError } from '../support/errors.ts';
import { operationOf, seedSmallFactory, settledSchedule, waitForSchedule } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const MIN = 60_000;

const component = (onHand: number, reorderPoint: number, unit = 'm') => ({ name: 'Component', unit, onHand, reorderPoint, leadTimeDays: 5 });

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    expect((await api('PUT', '/api/v1/operators/OP-1', { name: 'Li Wei' })).status).toBe(200);
    for (const [code, body] of [
      ['STEEL-40', component(7, 4)],
      ['BEARING', component(100, 0, 'pcs')],
      ['ROD', component(3, 0, 'pcs')],
    ] as const) {
      expect((await api('PUT', `/api/v1/components/${code}`, body)).status).toBe(200);
    }
    const routing = [
      { seq: 1, workCenter: 'CUT', setupMinutes: 10, runMinutesPerUnit: 1 },
      { seq: 2, workCenter: 'WELD', setupMinutes: 5, runMinutesPerUnit: 2 },
    ];
    const p1 = await api('PUT', '/api/v1/products/P1', { name: 'Part one', routing, bom: [{ component: 'STEEL-40', quantityPerUnit: 0.5, seq: 1 }, { component: 'BEARING', quantityPerUnit: 2, seq: 2 }] });
    expect(p1.status, JSON.stringify(p1.body)).toBe(200);
    expect((await api('PUT', '/api/v1/products/P2', { name: 'Part two', routing, bom: [{ component: 'ROD', quantityPerUnit: 1, seq: 1 }] })).status).toBe(200);
  },
});

const order = async (code: string, product: string, quantity: number) => {
  const r = await t.api('POST', '/api/v1/orders', { code, product, quantity, dueAt: new Date(Date.now() + 48 * 3_600_000).toISOString() });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
};
const press = (body: Record<string, unknown>, id: string = randomUUID()) => t.api('POST', '/api/v1/events', { id, operator: 'OP-1', ...body });
const stock = async (code: string) => ComponentView.parse((await t.api('GET', `/api/v1/components/${code}`)).body);
async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
const notices = (kind: string) => t.sql<{ data: Record<string, unknown> }[]>`select data from notification where kind = ${kind} order by id`;

describe('components and BOMs', () => {
  it('stores a component and a product BOM, and names the field of bad input', async () => {
    expect(await stock('STEEL-40')).toEqual({ code: 'STEEL-40', name: 'Component', unit: 'm', onHand: 7, reorderPoint: 4, leadTimeDays: 5, arrivalAt: null, belowReorder: false });
    expect((await t.api('GET', '/api/v1/products/P1')).body.bom).toEqual([
      { component: 'STEEL-40', quantityPerUnit: 0.5, seq: 1 },
      { component: 'BEARING', quantityPerUnit: 2, seq: 2 },
    ]);
    expectError(await t.api('PUT', '/api/v1/components/X1', { ...component(1, 0), onHand: -1 }), 400, 'validation_failed', 'onHand');
    expectError(await t.api('PUT', '/api/v1/components/X1', { ...component(1, 0), unit: '' }), 400, 'validation_failed', 'unit');
    const routing = [{ seq: 1, workCenter: 'CUT', setupMinutes: 0, runMinutesPerUnit: 1 }];
    expectError(await t.api('PUT', '/api/v1/products/P9', { name: 'p', routing, bom: [{ component: 'NOPE', quantityPerUnit: 1, seq: 1 }] }), 400, 'validation_failed', 'bom.0.component');
    expectError(await t.api('PUT', '/api/v1/products/P9', { name: 'p', routing, bom: [{ component: 'ROD', quantityPerUnit: 1, seq: 2 }] }), 400, 'validation_failed', 'bom.0.seq');
    expectError(await t.api('PUT', '/api/v1/products/P9', { name: 'p', routing, bom: [{ component: 'ROD', quantityPerUnit: 0, seq: 1 }] }), 400, 'validation_failed', 'bom.0.quantityPerUnit');
    expectError(await t.api('GET', '/api/v1/products/P9'), 404, 'not_found');
    expectError(await t.api('GET', '/api/v1/components/NOPE'), 404, 'not_found');
    expectError(await t.api('POST', '/api/v1/components/NOPE/receipts', { id: randomUUID(), quantity: 1 }), 404, 'not_found');
    expectError(await t.api('POST', '/api/v1/components/ROD/receipts', { id: randomUUID(), quantity: 0 }), 400, 'validation_failed', 'quantity');
    expectError(await t.api('POST', '/api/v1/components/ROD/arrival', { expectedAt: 'tomorrow' }), 400, 'validation_failed', 'expectedAt');
    expectError(await t.api('GET', '/api/v1/picking?hours=0'), 400, 'validation_failed', 'hours');
  });

  it('backflushes good and scrapped units by BOM in the report transaction, once per press, and tells purchasing once per crossing', async () => {
    await order('B-1', 'P1', 10);
    const first = randomUUID();
    expect((await press({ type: 'operation.progress', order: 'B-1', seq: 1, quantityGood: 3, quantityScrap: 1 }, first)).status).toBe(201);
    expect((await stock('STEEL-40')).onHand).toBe(5); // 7 - 4 x 0.5
    expect((await press({ type: 'operation.progress', order: 'B-1', seq: 1, quantityGood: 3, quantityScrap: 1 }, first)).status).toBe(200);
    expect((await stock('STEEL-40')).onHand).toBe(5);
    const second = randomUUID();
    expect((await press({ type: 'operation.progress', order: 'B-1', seq: 1, quantityGood: 6 }, second)).status).toBe(201);
    expect(await stock('STEEL-40')).toMatchObject({ onHand: 2, belowReorder: true }); // 5 - 6 x 0.5, below 4
    expect((await press({ type: 'operation.completed', order: 'B-1', seq: 1 })).status).toBe(201);
    expect((await stock('STEEL-40')).onHand).toBe(2);
    expect((await stock('BEARING')).onHand).toBe(100); // step 2 has reported nothing
    const ledger = await t.sql<{ kind: string; quantity: number; client_id: string | null }[]>`
      select kind, quantity, client_id from stock_movement where component_code = 'STEEL-40' order by id`;
    expect(ledger).toEqual([
      { kind: 'count', quantity: 7, client_id: null },
      { kind: 'backflush', quantity: -2, client_id: first },
      { kind: 'backflush', quantity: -3, client_id: second },
    ]);
    expect((await notices('material.below_reorder')).map((n) => n.data)).toEqual([{ component: 'STEEL-40', onHand: 2, reorderPoint: 4, unit: 'm' }]);
    expect(((await t.api('GET', '/api/v1/components?belowReorder=true')).body as ComponentView[]).map((c) => c.code)).toEqual(['STEEL-40']);
    const feed = await t.api('GET', '/api/v1/notifications?audience=purchasing');
    expect(feed.body).toMatchObject([{ kind: 'material.below_reorder', audience: 'purchasing', component: 'STEEL-40', onHand: 2, reorderPoint: 4 }]);

    // A receipt raises on-hand above the reorder point (re-arming the notice); idempotent by id.
    const receipt = { id: randomUUID(), quantity: 10 };
    const received = await t.api('POST', '/api/v1/components/STEEL-40/receipts', receipt);
    expect(received.status).toBe(201);
    expect(received.body).toMatchObject({ duplicate: false, component: { onHand: 12, belowReorder: false } });
    const again = await t.api('POST', '/api/v1/components/STEEL-40/receipts', receipt);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, component: { onHand: 12 } });
  });

  it('forecasts a shortage from the plan, holds the short work from then (stable over re-plans), follows the arrival estimate and clears on receipt', async () => {
    // ROD: 3 on hand; S-2 needs 4 x 1 at CUT.
    await order('S-2', 'P2', 4);
    // The plan that first shows the shortage remembers its instant and asks for the plan with the hold.
    await waitFor(async () => (await t.sql`select 1 from component_shortage where component_code = 'ROD'`).length === 1);
    const held = await settledSchedule(t.api);
    const shortages = (await t.api('GET', '/api/v1/shortages')).body as ShortageView[];
    expect(shortages.map((s) => ShortageView.parse(s))).toHaveLength(1);
    const [rod] = shortages;
    expect(rod).toMatchObject({ component: 'ROD', unit: 'pcs', shortBy: 1, orders: ['S-2'], workCenter: 'CUT', workCenters: ['CUT'], arrivalAt: null });
    const [anchor] = await t.sql<{ needed_at: Date }[]>`select needed_at from component_shortage where component_code = 'ROD'`;
    expect(rod!.neededAt).toBe(anchor!.needed_at.toISOString());
    // A material hold without an estimate: the andon default, 240 minutes from when it goes short.
    expect(Date.parse(operationOf(held, 'S-2', 1).start)).toBe(Date.parse(rod!.neededAt) + 240 * MIN);
    // The Gantt shows the short step held, though no andon holds it; the step after it waits, not held.
    expect([operationOf(held, 'S-2', 1).status, operationOf(held, 'S-2', 2).status]).toEqual(['held', 'pending']);
    expect((await notices('material.shortage')).map((n) => n.data)).toEqual([{ component: 'ROD', neededAt: rod!.neededAt, shortBy: 1, unit: 'pcs', orders: ['S-2'], workCenters: ['CUT'] }]);

    // Two more re-plans with nothing changed (a component saved as it was asks for one): same ETAs.
    const settled = await settledSchedule(t.api);
    const eta = (await t.api('GET', '/api/v1/orders/S-2')).body.eta;
    expect(eta).not.toBeNull();
    for (let i = 0; i < 2; i++) {
      const before = (await settledSchedule(t.api)).version;
      expect((await t.api('PUT', '/api/v1/components/BEARING', component(100, 0, 'pcs'))).status).toBe(200);
      const next = await waitForSchedule(t.api, (s) => s.version > before);
      expect(operationOf(next, 'S-2', 1).start).toBe(operationOf(settled, 'S-2', 1).start);
      expect((await t.api('GET', '/api/v1/orders/S-2')).body.eta).toBe(eta);
    }
    expect(await notices('material.shortage')).toHaveLength(1);

    // Purchasing: ROD arrives in 10 hours. The short step waits for it; the ETA moves at once.
    const arrival = new Date(Math.ceil((Date.now() + 10 * 3_600_000) / MIN) * MIN).toISOString();
    const estimated = await t.api('POST', '/api/v1/components/ROD/arrival', { expectedAt: arrival });
    expect(estimated.status).toBe(200);
    expect(estimated.body).toMatchObject({ code: 'ROD', arrivalAt: arrival });
    const [logged] = await t.sql<{ payload: Record<string, unknown> }[]>`select payload from event_log where type = 'component.arrival' and subject = 'ROD'`;
    expect(logged?.payload).toEqual({ expectedAt: arrival });
    const afterArrival = await waitForSchedule(t.api, (s) => operationOf(s, 'S-2', 1).start === arrival);
    // CUT: 10 min setup + 4 x 1 min; WELD: 5 min setup + 4 x 2 min.
    expect(Date.parse(operationOf(afterArrival, 'S-2', 2).end)).toBe(Date.parse(arrival) + 27 * MIN);
    expect(Date.parse((await t.api('GET', '/api/v1/orders/S-2')).body.eta ?? '')).toBe(Date.parse(arrival) + 27 * MIN);
    expect(((await t.api('GET', '/api/v1/shortages')).body as ShortageView[])[0]).toMatchObject({ component: 'ROD', arrivalAt: arrival, shortBy: 1 });

    // Goods received: on-hand covers the demand, the shortage and its hold are gone.
    const received = await t.api('POST', '/api/v1/components/ROD/receipts', { id: randomUUID(), quantity: 5 });
    expect((received.body as ReceiptView).component).toMatchObject({ onHand: 8, arrivalAt: null });
    const cleared = await waitForSchedule(t.api, (s) => Date.parse(operationOf(s, 'S-2', 1).start) < Date.parse(rod!.neededAt) + 240 * MIN);
    expect(Date.parse(operationOf(cleared, 'S-2', 1).start)).toBeLessThan(Date.parse(arrival));
    expect(operationOf(cleared, 'S-2', 1).status).toBe('pending');
    expect((await t.api('GET', '/api/v1/shortages')).body).toEqual([]);
    expect(await t.sql`select * from component_shortage`).toEqual([]);
  });

  it('lists what to pick for the operations starting within the chosen hours', async () => {
    await settledSchedule(t.api);
    const picking = (await t.api('GET', '/api/v1/picking?hours=8')).body as PickingLineView[];
    const s2 = picking.find((p) => p.order === 'S-2' && p.seq === 1);
    expect(s2).toMatchObject({ product: 'P2', workCenter: 'CUT', quantity: 4, components: [{ component: 'ROD', unit: 'pcs', quantity: 4, onHand: 8, short: false }] });
    const b1 = picking.find((p) => p.order === 'B-1' && p.seq === 2);
    expect(b1).toMatchObject({ workCenter: 'WELD', quantity: 10, components: [{ component: 'BEARING', quantity: 20, onHand: 100, short: false }] });
    // Only work that consumes components is listed: B-1's step 1 is done, nothing else is left.
    expect(picking.map((p) => `${p.order}/${p.seq}`).sort()).toEqual(['B-1/2', 'S-2/1']);
  });
});

describe('the demo keeps materials flowing', () => {
  it('purchasing estimates an arrival for what runs short, and the goods come when it is due', async () => {
    // ROD is covered now: make it short again with a second order of 10.
    await order('S-3', 'P2', 10);
    await waitFor(async () => (await t.sql`select 1 from component_shortage where component_code = 'ROD'`).length === 1);
    const [plant] = await t.sql<{ id: number }[]>`select id from plant where code = 'TEST'`;
    const now = new Date();
    await replenishDemo(t.system.database.db, plant!.id, now, 4 * MIN);
    expect((await stock('ROD')).arrivalAt).toBe(new Date(now.getTime() + 4 * MIN).toISOString());
    // Four minutes later the rod arrives: what the open plan needs within its 5 days' lead (S-2 4 + S-3 10) plus
    // the reorder point (0), less the 8 on hand.
    await replenishDemo(t.system.database.db, plant!.id, new Date(now.getTime() + 4 * MIN), 4 * MIN);
    expect(await stock('ROD')).toMatchObject({ onHand: 14, arrivalAt: null });
    const receipts = await t.sql<{ quantity: number }[]>`select quantity from stock_movement where component_code = 'ROD' and kind = 'receipt' order by id`;
    expect(receipts.map((r) => r.quantity)).toEqual([5, 6]);
    await waitFor(async () => (await t.sql`select 1 from component_shortage where component_code = 'ROD'`).length === 0);
  });

  it('makes good a component whose books are below zero though nothing planned is short of it', async () => {
    expect((await t.api('PUT', '/api/v1/components/SPARE', component(2, 1, 'pcs'))).status).toBe(200);
    const routing = [{ seq: 1, workCenter: 'CUT', setupMinutes: 0, runMinutesPerUnit: 1 }];
    expect((await t.api('PUT', '/api/v1/products/P3', { name: 'Part three', routing, bom: [{ component: 'SPARE', quantityPerUnit: 1, seq: 1 }] })).status).toBe(200);
    await order('X-1', 'P3', 5);
    expect((await press({ type: 'operation.completed', order: 'X-1', seq: 1, quantityGood: 5, quantityScrap: 0 })).status).toBe(201);
    expect((await stock('SPARE')).onHand).toBe(-3);
    await settledSchedule(t.api);
    expect(await t.sql`select 1 from component_shortage where component_code = 'SPARE'`).toEqual([]);
    const [plant] = await t.sql<{ id: number }[]>`select id from plant where code = 'TEST'`;
    const now = new Date();
    await replenishDemo(t.system.database.db, plant!.id, now, 4 * MIN);
    expect((await stock('SPARE')).arrivalAt).toBe(new Date(now.getTime() + 4 * MIN).toISOString());
    // Nothing open needs it: the receipt is the reorder point (1) less the -3 on the books.
    await replenishDemo(t.system.database.db, plant!.id, new Date(now.getTime() + 4 * MIN), 4 * MIN);
    expect(await stock('SPARE')).toMatchObject({ onHand: 1, arrivalAt: null });
  });
});

describe('purchasing on material andons', () => {
  it('enters the arrival on an open material andon, but may not estimate a breakdown', async () => {
    const purchasing = (await t.api('POST', '/api/v1/auth/tokens', { name: 'buyer', role: 'purchasing' })).body.token;
    const material = await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'CUT', reason: 'material' });
    const breakdown = await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'WELD', reason: 'breakdown' });
    const expectedAt = new Date(Math.ceil((Date.now() + 3 * 3_600_000) / MIN) * MIN).toISOString();
    const estimated = await t.api('POST', `/api/v1/andon/${material.body.id}/estimate`, { expectedAt }, { token: purchasing });
    expect(estimated.status).toBe(200);
    expect(estimated.body.expectedEndAt).toBe(expectedAt);
    const refused = await t.api('POST', `/api/v1/andon/${breakdown.body.id}/estimate`, { expectedAt }, { token: purchasing });
    expectError(refused, 403, 'forbidden', null);
    expect((await t.api('GET', `/api/v1/andon/${breakdown.body.id}`)).body.expectedEndAt).not.toBe(expectedAt);
    for (const id of [material.body.id, breakdown.body.id]) await t.api('POST', `/api/v1/andon/${id}/cancel`, { note: 'test done' });
  });
  it('a Complete press without counts uses up the units nobody counted; a new component PUT twice at once is counted once', async () => {
    await order('B-2', 'P1', 10);
    expect((await press({ type: 'operation.progress', order: 'B-2', seq: 2, quantityGood: 1 })).status).toBe(201);
    const before = (await stock('BEARING')).onHand;
    // Completed with 1 of 10 counted: the other 9 took their 2 bearings each too.
    expect((await press({ type: 'operation.completed', order: 'B-2', seq: 2 })).status).toBe(201);
    expect((await stock('BEARING')).onHand).toBe(before - 18);

    const [a, b] = await Promise.all([
      t.api('PUT', '/api/v1/components/NUT-M8', component(100, 10, 'pcs')),
      t.api('PUT', '/api/v1/components/NUT-M8', component(100, 10, 'pcs')),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await stock('NUT-M8')).onHand).toBe(100);
    const counts = await t.sql<{ quantity: number }[]>`select quantity from stock_movement where component_code = 'NUT-M8' order by id`;
    expect(counts.map((c) => c.quantity)).toEqual([100]);
  });

  it('refuses an arrival estimate more than 30 days ahead, naming the field', async () => {
    expectError(await t.api('POST', '/api/v1/components/ROD/arrival', { expectedAt: new Date(Date.now() + 31 * 86_400_000).toISOString() }), 400, 'validation_failed', 'expectedAt');
  });
  it('a shortage that appears between plans (a stock count) is held and told from where its work was, not from where the held plan moved it', async () => {
    expect((await t.api('PUT', '/api/v1/components/PIN', component(10, 0, 'pcs'))).status).toBe(200);
    const routing = [{ seq: 1, workCenter: 'CUT', setupMinutes: 10, runMinutesPerUnit: 1 }, { seq: 2, workCenter: 'WELD', setupMinutes: 5, runMinutesPerUnit: 2 }];
    expect((await t.api('PUT', '/api/v1/products/P3', { name: 'Part three', routing, bom: [{ component: 'PIN', quantityPerUnit: 1, seq: 2 }] })).status).toBe(200);
    await order('L-1', 'P3', 4);
    await waitFor(async () => (await t.api('GET', '/api/v1/orders/L-1')).body.eta !== null);
    const before = await settledSchedule(t.api);
    const was = Date.parse(operationOf(before, 'L-1', 2).start);
    // Counted: only 2 pins left, L-1 needs 4.
    expect((await t.api('PUT', '/api/v1/components/PIN', component(2, 0, 'pcs'))).status).toBe(200);
    await waitFor(async () => (await t.sql`select 1 from component_shortage where component_code = 'PIN'`).length === 1);
    const [anchor] = await t.sql<{ needed_at: Date }[]>`select needed_at from component_shortage where component_code = 'PIN'`;
    expect(anchor!.needed_at.getTime()).toBe(was);
    const held = await settledSchedule(t.api);
    expect(Date.parse(operationOf(held, 'L-1', 2).start)).toBe(was + 240 * MIN);
    const pin = ((await t.api('GET', '/api/v1/shortages')).body as ShortageView[]).find((x) => x.component === 'PIN');
    expect(pin?.neededAt).toBe(new Date(was).toISOString());
    expect((await notices('material.shortage')).filter((n) => n.data.component === 'PIN').map((n) => n.data.neededAt)).toEqual([new Date(was).toISOString()]);
  });
});

describe('presses under concurrency', () => {
  const deadlocks = async () =>
    Number((await t.sql<{ n: string }[]>`select deadlocks::text as n from pg_stat_database where datname = current_database()`)[0]!.n);

  it('presses that use up the same component at once all land, with no deadlock for PostgreSQL to break', async () => {
    expect((await t.api('PUT', '/api/v1/components/SHEET-1', component(1000, 0, 'pcs'))).status).toBe(200);
    const routing = [{ seq: 1, workCenter: 'CUT', setupMinutes: 0, runMinutesPerUnit: 1 }];
    expect((await t.api('PUT', '/api/v1/products/P3', { name: 'Part three', routing, bom: [{ component: 'SHEET-1', quantityPerUnit: 0.5, seq: 1 }] })).status).toBe(200);
    const orders = Array.from({ length: 16 }, (_, i) => `CC-${i}`);
    for (const code of orders) await order(code, 'P3', 4);
    const before = (await stock('SHEET-1')).onHand;
    const deadlocksBefore = await deadlocks();
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(orders.map((code) => press({ type: 'operation.progress', order: code, seq: 1, quantityGood: 1 })));
      expect(answers.map((a) => a.status)).toEqual(orders.map(() => 201));
    }
    expect((await stock('SHEET-1')).onHand).toBeCloseTo(before - 16 * 3 * 0.5, 6);
    // Statistics reach pg_stat_database when each backend flushes them (within a second of idling).
    await new Promise((r) => setTimeout(r, 1500));
    await t.sql`select pg_stat_clear_snapshot()`;
    expect(await deadlocks()).toBe(deadlocksBefore);
  });

  it('a press does not wait for a transaction that only references its order, operation and components (a plan being saved)', async () => {
    await order('KS-1', 'P1', 2);
    expect((await press({ type: 'operation.completed', order: 'KS-1', seq: 1 })).status).toBe(201);
    let answered: { status: number; ms: number } | null = null;
    // A plan save inserts rows whose foreign keys take key-share locks on these rows until it commits.
    await t.sql.begin(async (tx) => {
      await tx`select 1 from customer_order where code = 'KS-1' for key share`;
      await tx`select 1 from operation op join customer_order o on o.id = op.order_id where o.code = 'KS-1' for key share of op`;
      await tx`select 1 from component where code in ('STEEL-40', 'BEARING') for key share`;
      const started = Date.now();
      const r = await press({ type: 'operation.completed', order: 'KS-1', seq: 2 });
      answered = { status: r.status, ms: Date.now() - started };
    });
    expect(answered!.status).toBe(201);
    expect(answered!.ms).toBeLessThan(5_000);
    expect((await t.api('GET', '/api/v1/orders/KS-1')).body.status).toBe('completed');
  });
});
