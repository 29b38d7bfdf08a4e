import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { completedOrder, createOrder, seedSmallFactory, waitForEta } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    // A second product that never visits CUT, for the product and work-center filters.
    const p2 = await api('PUT', '/api/v1/products/P2', { name: 'Part two', routing: [{ seq: 1, workCenter: 'WELD', setupMinutes: 0, runMinutesPerUnit: 1 }] });
    expect(p2.status).toBe(200);
  },
});

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const codes = (body: { code: string }[]) => body.map((o) => o.code).sort();

describe('POST /orders', () => {
  it('201 with the order expanded into operations from the routing', async () => {
    const dueAt = hoursFromNow(72);
    const r = await t.api('POST', '/api/v1/orders', { code: 'ORD-1', product: 'P1', quantity: 7, dueAt, priority: 3, customer: 'Globex' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      code: 'ORD-1',
      product: 'P1',
      productName: 'Part one',
      quantity: 7,
      quantityGood: 0,
      dueAt,
      releaseAt: null,
      priority: 3,
      customer: 'Globex',
      status: 'open',
      progress: 0,
      currentSeq: 1,
    });
    expect(r.body.operations).toEqual([
      expect.objectContaining({ seq: 1, workCenter: 'CUT', status: 'pending', quantity: 7, quantityGood: 0, quantityScrap: 0, setupMinutes: 10, runMinutesPerUnit: 1, startedAt: null, completedAt: null, held: null }),
      expect.objectContaining({ seq: 2, workCenter: 'WELD', status: 'pending', quantity: 7, setupMinutes: 5, runMinutesPerUnit: 2 }),
    ]);
    const got = await t.api('GET', '/api/v1/orders/ORD-1');
    expect(got.status).toBe(200);
    expect(got.body.operations).toHaveLength(2);
  });

  it('priority defaults to 1, customer and releaseAt are optional', async () => {
    const r = await t.api('POST', '/api/v1/orders', { code: 'ORD-MIN', product: 'P1', quantity: 1, dueAt: hoursFromNow(24) });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ priority: 1, customer: null, releaseAt: null });
  });

  it('409 with field code for a duplicate code, and the first order is untouched', async () => {
    await createOrder(t.api, 'ORD-DUP', { quantity: 5 });
    const r = await t.api('POST', '/api/v1/orders', { code: 'ORD-DUP', product: 'P2', quantity: 99, dueAt: hoursFromNow(5) });
    expectError(r, 409, 'conflict', 'code');
    const kept = await t.api('GET', '/api/v1/orders/ORD-DUP');
    expect(kept.body).toMatchObject({ product: 'P1', quantity: 5 });
  });

  it('concurrent creates of one code: one 201, the others 409 with field code', async () => {
    const body = { code: 'ORD-RACE', product: 'P1', quantity: 5, dueAt: hoursFromNow(24) };
    const results = await Promise.all(Array.from({ length: 6 }, () => t.api('POST', '/api/v1/orders', body)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expectError(r, 409, 'conflict', 'code');
  });

  it('404 with field product for an unknown product', async () => {
    expectError(await t.api('POST', '/api/v1/orders', { code: 'ORD-NP', product: 'NOPE', quantity: 1, dueAt: hoursFromNow(1) }), 404, 'not_found', 'product');
    expectError(await t.api('GET', '/api/v1/orders/ORD-NP'), 404, 'not_found');
  });

  it.each([
    ['quantity 0', { quantity: 0 }, 'quantity'],
    ['quantity -3', { quantity: -3 }, 'quantity'],
    ['quantity 2.5', { quantity: 2.5 }, 'quantity'],
    ['quantity as a string', { quantity: '10' }, 'quantity'],
    ['dueAt not a date', { dueAt: 'tomorrow' }, 'dueAt'],
    ['dueAt without an offset', { dueAt: '2030-01-01T10:00:00' }, 'dueAt'],
    ['dueAt missing', { dueAt: undefined }, 'dueAt'],
    ['releaseAt after dueAt', { releaseAt: hoursFromNow(100) }, 'releaseAt'],
    ['priority 11', { priority: 11 }, 'priority'],
    ['a code with a space', { code: 'ORD BAD' }, 'code'],
  ])('400 naming the field for %s, and no order is created', async (_name, patch, field) => {
    const body = { code: 'ORD-BAD', product: 'P1', quantity: 10, dueAt: hoursFromNow(48), ...patch };
    expectError(await t.api('POST', '/api/v1/orders', body), 400, 'validation_failed', field);
    expectError(await t.api('GET', '/api/v1/orders/ORD-BAD'), 404, 'not_found');
  });
});

describe('GET /orders', () => {
  beforeAll(async () => {
    const post = async (body: Record<string, unknown>) => {
      const r = await t.api('POST', '/api/v1/orders', body);
      if (r.status !== 201) throw new Error(JSON.stringify(r.body));
    };
    await post({ code: 'F-LATE', product: 'P1', quantity: 10, dueAt: hoursFromNow(-2), customer: 'Initech' });
    await post({ code: 'F-P2', product: 'P2', quantity: 10, dueAt: hoursFromNow(200), customer: 'Initech' });
    await post({ code: 'F-DONE', product: 'P2', quantity: 2, dueAt: hoursFromNow(200), customer: 'Umbrella' });
    await post({ code: 'F-CUTDONE', product: 'P1', quantity: 2, dueAt: hoursFromNow(200), customer: 'Umbrella' });
    const done = await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.completed', order: 'F-DONE', seq: 1, quantityGood: 2 });
    expect(done.status).toBe(201);
    const cut = await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.completed', order: 'F-CUTDONE', seq: 1, quantityGood: 2 });
    expect(cut.status).toBe(201);
    await waitForEta(t.api, 'F-LATE');
    await waitForEta(t.api, 'F-P2');
    await waitForEta(t.api, 'F-CUTDONE');
  });

  it('lists open orders by default, sorted by due date, with the list fields', async () => {
    const r = await t.api('GET', '/api/v1/orders');
    expect(r.status).toBe(200);
    expect(codes(r.body)).not.toContain('F-DONE');
    expect(r.body.every((o: { status: string }) => o.status === 'open')).toBe(true);
    const due = r.body.map((o: { dueAt: string }) => Date.parse(o.dueAt));
    expect(due).toEqual([...due].sort((a, b) => a - b));
    expect(r.body[0]).not.toHaveProperty('operations');
    expect(Object.keys(r.body[0]!).sort()).toEqual(
      ['atRisk', 'code', 'createdAt', 'currentSeq', 'customer', 'dueAt', 'eta', 'etaDayAgo', 'etaP50', 'etaP90', 'late', 'latenessMinutes', 'priority', 'product', 'productName', 'progress', 'quantity', 'quantityGood', 'reasons', 'releaseAt', 'shippedAt', 'status'].sort(),
    );
  });

  it('status=completed and status=all', async () => {
    const completed = await t.api('GET', '/api/v1/orders?status=completed');
    expect(codes(completed.body)).toEqual(['F-DONE']);
    expect(completed.body[0]).toMatchObject({ status: 'completed', late: false, progress: 1, currentSeq: null, quantityGood: 2 });
    const all = await t.api('GET', '/api/v1/orders?status=all');
    expect(codes(all.body)).toEqual(expect.arrayContaining(['F-DONE', 'F-LATE', 'F-P2', 'F-CUTDONE']));
  });

  it('late=true and late=false', async () => {
    const late = await t.api('GET', '/api/v1/orders?late=true');
    expect(codes(late.body)).toContain('F-LATE');
    expect(late.body.every((o: { late: boolean }) => o.late)).toBe(true);
    const onTime = await t.api('GET', '/api/v1/orders?late=false');
    expect(codes(onTime.body)).not.toContain('F-LATE');
    expect(codes(onTime.body)).toContain('F-P2');
    expect(onTime.body.every((o: { late: boolean }) => !o.late)).toBe(true);
  });

  it('product and customer filters', async () => {
    expect(codes((await t.api('GET', '/api/v1/orders?product=P2')).body)).toEqual(['F-P2']);
    expect(codes((await t.api('GET', '/api/v1/orders?product=P2&status=all')).body)).toEqual(['F-DONE', 'F-P2']);
    expect(codes((await t.api('GET', '/api/v1/orders?customer=Initech')).body)).toEqual(['F-LATE', 'F-P2']);
    expect(codes((await t.api('GET', '/api/v1/orders?customer=Umbrella&product=P1')).body)).toEqual(['F-CUTDONE']);
    expect((await t.api('GET', '/api/v1/orders?customer=Nobody')).body).toEqual([]);
  });

  it('workCenter keeps orders with an open operation there', async () => {
    const cut = codes((await t.api('GET', '/api/v1/orders?workCenter=CUT')).body);
    expect(cut).toContain('F-LATE');
    expect(cut).not.toContain('F-P2'); // never visits CUT
    expect(cut).not.toContain('F-CUTDONE'); // its CUT step is done
    const weld = codes((await t.api('GET', '/api/v1/orders?workCenter=WELD')).body);
    expect(weld).toEqual(expect.arrayContaining(['F-LATE', 'F-P2', 'F-CUTDONE']));
  });

  it('limit caps the list', async () => {
    const r = await t.api('GET', '/api/v1/orders?status=all&limit=2');
    expect(r.body).toHaveLength(2);
  });

  it.each([
    ['status=bogus', 'status'],
    ['late=maybe', 'late'],
    ['limit=-1', 'limit'],
    ['workCenter=has%20space', 'workCenter'],
  ])('400 naming the parameter for %s', async (query, field) => {
    expectError(await t.api('GET', `/api/v1/orders?${query}`), 400, 'validation_failed', field);
  });
});

describe('GET /orders/:code', () => {
  it('detail with ETA, planned operations and ETA history', async () => {
    const order = await waitForEta(t.api, 'F-P2');
    expect(order.operations[0]!.planned).toMatchObject({ machine: expect.any(Number), start: expect.any(String), end: expect.any(String) });
    expect(order.etaHistory.length).toBeGreaterThan(0);
    expect(order.etaHistory[0]).toMatchObject({ eta: order.eta, version: expect.any(Number) });
  });

  it('404 for an unknown order', async () => {
    expectError(await t.api('GET', '/api/v1/orders/NOPE-1'), 404, 'not_found');
  });
});

describe('POST /orders/:code/ship', () => {
  it('the warehouse ships a completed order once: it leaves the to-ship list, a second press changes nothing', async () => {
    await completedOrder(t.api, 'SHIP-1');
    await completedOrder(t.api, 'SHIP-2');
    const toShip = async () => codes((await t.api('GET', '/api/v1/orders?status=completed&shipped=false')).body).filter((c) => c.startsWith('SHIP-'));
    expect(await toShip()).toEqual(['SHIP-1', 'SHIP-2']);
    const stream = t.stream('order');
    await new Promise((r) => setTimeout(r, 100));

    const first = (await t.api('POST', '/api/v1/orders/SHIP-1/ship', {})) as { status: number; body: { shippedAt: string } };
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ code: 'SHIP-1', status: 'completed', shippedAt: expect.any(String) });
    const message = await stream.waitForTopic('order', (m) => m.data.type === 'order.shipped' && m.data.order === 'SHIP-1');
    expect(message.data).toEqual({ type: 'order.shipped', order: 'SHIP-1', shippedAt: first.body.shippedAt });
    await stream.close();

    const again = (await t.api('POST', '/api/v1/orders/SHIP-1/ship')) as { status: number; body: { shippedAt: string } };
    expect(again.status).toBe(200);
    expect(again.body.shippedAt).toBe(first.body.shippedAt);
    expect(await toShip()).toEqual(['SHIP-2']);
    expect(codes((await t.api('GET', '/api/v1/orders?status=completed&shipped=true')).body)).toContain('SHIP-1');
    expect(await t.sql`select actor, payload from event_log where type = 'order.shipped' and subject = 'SHIP-1'`).toEqual([{ actor: expect.any(String), payload: { shippedAt: first.body.shippedAt } }]);
  });

  it('409 naming the order for an open order, 404 for an unknown one, and nothing is shipped', async () => {
    await createOrder(t.api, 'SHIP-OPEN', { quantity: 2 });
    expectError(await t.api('POST', '/api/v1/orders/SHIP-OPEN/ship', {}), 409, 'invalid_state', 'code');
    expectError(await t.api('POST', '/api/v1/orders/NOPE-9/ship', {}), 404, 'not_found');
    expect(await t.sql`select shipped_at from customer_order where code = 'SHIP-OPEN'`).toEqual([{ shipped_at: null }]);
    expectError(await t.api('GET', '/api/v1/orders?shipped=maybe'), 400, 'validation_failed', 'shipped');
  });
});
