import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScrapPareto } from '../../server/contract/quality.ts';
import { expectError } from '../support/errors.ts';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const DAY = 86_400_000;

/** The small factory plus P2, a product cut only. */
const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    expect((await api('PUT', '/api/v1/products/P2', { name: 'Part two', routing: [{ seq: 1, workCenter: 'CUT', setupMinutes: 0, runMinutesPerUnit: 1 }] })).status).toBe(200);
  },
});

const report = async (order: string, seq: number, body: { quantityGood?: number; quantityScrap?: number; scrapReason?: string; at?: string }, id = randomUUID()) => {
  const r = await t.api('POST', '/api/v1/events', { id, type: 'operation.progress', order, seq, machine: 1, ...body });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return id;
};
const pareto = async (query: string): Promise<ScrapPareto> => {
  const r = await t.api<'GET', string, ScrapPareto>('GET', `/api/v1/quality/scrap?${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

let from: string;
let to: string;

beforeAll(async () => {
  await createOrder(t.api, 'Q1', { quantity: 100 });
  const q2 = await t.api('POST', '/api/v1/orders', { code: 'Q2', product: 'P2', quantity: 100, dueAt: new Date(Date.now() + 2 * DAY).toISOString() });
  expect(q2.status).toBe(201);
  // Two days ago: inside the default week, outside the last day.
  await report('Q1', 1, { quantityScrap: 1, scrapReason: 'old', at: new Date(Date.now() - 2 * DAY).toISOString() });
  from = new Date(Date.now() - DAY).toISOString();
  const burr = await report('Q1', 1, { quantityScrap: 5, scrapReason: 'burr' });
  await report('Q1', 1, { quantityScrap: 5, scrapReason: 'burr' }, burr); // a retried press: counted once
  await report('Q1', 1, { quantityGood: 10, quantityScrap: 3, scrapReason: '  burr ' });
  await report('Q1', 1, { quantityGood: 20 }); // no scrap: not in the Pareto
  await report('Q2', 1, { quantityScrap: 4, scrapReason: 'crack' });
  await report('Q2', 1, { quantityScrap: 2, scrapReason: '' }); // no reason given
  await report('Q1', 2, { quantityScrap: 6, scrapReason: 'crack' });
  // Refused (more than the order): rolled back with its log row, never counted.
  expect((await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.progress', order: 'Q2', seq: 1, quantityScrap: 500, scrapReason: 'crack' })).status).toBe(409);
  to = new Date(Date.now() + 60_000).toISOString();
});

describe('GET /quality/scrap (the scrap Pareto)', () => {
  it('by reason: largest first, shares and the cumulative line; an empty reason is "no reason given" (null), trimmed reasons join', async () => {
    expect(await pareto(`from=${from}&to=${to}&by=reason`)).toEqual({
      from,
      to,
      by: 'reason',
      totalQuantity: 20,
      totalReports: 5,
      rows: [
        { key: 'crack', name: null, reports: 2, quantity: 10, share: 0.5, cumulativeShare: 0.5 },
        { key: 'burr', name: null, reports: 2, quantity: 8, share: 0.4, cumulativeShare: 0.9 },
        { key: null, name: null, reports: 1, quantity: 2, share: 0.1, cumulativeShare: 1 },
      ],
    });
  });

  it('by work center and by product, with their names', async () => {
    expect((await pareto(`from=${from}&to=${to}&by=workCenter`)).rows).toEqual([
      { key: 'CUT', name: 'Cutting', reports: 4, quantity: 14, share: 0.7, cumulativeShare: 0.7 },
      { key: 'WELD', name: 'Welding', reports: 1, quantity: 6, share: 0.3, cumulativeShare: 1 },
    ]);
    expect((await pareto(`from=${from}&to=${to}&by=product`)).rows).toEqual([
      { key: 'P1', name: 'Part one', reports: 3, quantity: 14, share: 0.7, cumulativeShare: 0.7 },
      { key: 'P2', name: 'Part two', reports: 2, quantity: 6, share: 0.3, cumulativeShare: 1 },
    ]);
  });

  it('defaults: the last 7 days, by reason (the report from two days ago is in)', async () => {
    const body = await pareto('');
    expect(body.by).toBe('reason');
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(7 * DAY);
    expect(body.totalQuantity).toBe(21);
    expect(body.rows.map((r) => [r.key, r.quantity])).toEqual([['crack', 10], ['burr', 8], [null, 2], ['old', 1]]);
  });

  it('an empty period has no rows', async () => {
    const empty = await pareto(`from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z&by=product`);
    expect(empty).toEqual({ from: '2020-01-01T00:00:00.000Z', to: '2020-01-02T00:00:00.000Z', by: 'product', totalQuantity: 0, totalReports: 0, rows: [] });
  });

  it('400 naming the field: unknown grouping, bad instants, from after to, more than 366 days', async () => {
    expectError(await t.api('GET', '/api/v1/quality/scrap?by=operator'), 400, 'validation_failed', 'by');
    expectError(await t.api('GET', '/api/v1/quality/scrap?from=yesterday'), 400, 'validation_failed', 'from');
    expectError(await t.api('GET', '/api/v1/quality/scrap?to=2026-13-01T00:00:00Z'), 400, 'validation_failed', 'to');
    expectError(await t.api('GET', `/api/v1/quality/scrap?from=${to}&to=${from}`), 400, 'validation_failed', 'from');
    expectError(await t.api('GET', '/api/v1/quality/scrap?from=2024-01-01T00:00:00Z&to=2025-06-01T00:00:00Z'), 400, 'validation_failed', 'from');
  });
});

describe('quality holds (qc releases them)', () => {
  it('qc acknowledges and resolves a quality hold; the resolve re-plans the operation free', async () => {
    const qc = await t.api('POST', '/api/v1/auth/tokens', { name: 'qc', role: 'qc' });
    const token: string = qc.body.token;
    const id = randomUUID();
    expect((await t.api('POST', '/api/v1/andon', { id, workCenter: 'WELD', reason: 'quality', order: 'Q1', seq: 2, expectedMinutes: 600 })).status).toBe(201);
    // QC hear of quality alerts in their own feed (the floor too); of a breakdown, only the floor.
    const breakdown = randomUUID();
    expect((await t.api('POST', '/api/v1/andon', { id: breakdown, workCenter: 'CUT', reason: 'breakdown' })).status).toBe(201);
    const feed = async (audience: string) =>
      ((await t.api('GET', `/api/v1/notifications?audience=${audience}`)).body as { kind: string; andonId?: string }[]).filter((n) => n.andonId === id || n.andonId === breakdown);
    expect((await feed('qc')).map((n) => [n.kind, n.andonId])).toEqual([['andon.raised', id]]);
    expect((await feed('floor')).map((n) => [n.kind, n.andonId])).toEqual([['andon.raised', breakdown], ['andon.raised', id]]);
    // The whole feed (planners, leads) has each alert once: the floor's.
    const whole = ((await t.api('GET', '/api/v1/notifications')).body as { audience: string; andonId?: string }[]).filter((n) => n.andonId === id);
    expect(whole.map((n) => n.audience)).toEqual(['floor']);
    const held = await t.api('GET', '/api/v1/orders/Q1');
    expect(held.body.operations.find((o: { seq: number }) => o.seq === 2)!.held).toEqual({ reason: 'quality', andonId: id, until: expect.any(String) });
    expect((await t.api('POST', `/api/v1/andon/${id}/acknowledge`, {}, { token })).body).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'qc' });
    const resolved = await t.api('POST', `/api/v1/andon/${id}/resolve`, { rootCause: 'gauge recalibrated' }, { token });
    expect(resolved.body).toMatchObject({ state: 'resolved', resolvedBy: 'qc', rootCause: 'gauge recalibrated' });
    const released = await t.api('GET', '/api/v1/orders/Q1');
    expect(released.body.operations.find((o: { seq: number }) => o.seq === 2)!.held).toBeNull();
  });
});
