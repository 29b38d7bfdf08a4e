import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    await createOrder(api, 'A-1', { quantity: 10 });
    // `operator` must name an active operator of the plant.
    for (const code of ['Zhang', 'Wang']) expect((await api('PUT', `/api/v1/operators/${code}`, { name: code })).status).toBe(200);
  },
});

const raise = (body: Record<string, unknown>) => t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'CUT', reason: 'breakdown', ...body });
const andonRows = async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from andon`)[0]!.n;
const logRows = async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from event_log`)[0]!.n;

describe('andon lifecycle', () => {
  it('raise 201; acknowledge with a new estimate moves expectedEndAt; resolve records the root cause', async () => {
    const id = randomUUID();
    const before = Date.now();
    const raised = await t.api('POST', '/api/v1/andon', { id, workCenter: 'CUT', reason: 'breakdown', machine: 1, note: 'spindle noise', expectedMinutes: 30, operator: 'Zhang' });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({
      id,
      duplicate: false,
      workCenter: 'CUT',
      line: 'L1',
      reason: 'breakdown',
      state: 'raised',
      order: null,
      seq: null,
      machine: 1,
      note: 'spindle noise',
      expectedMinutes: 30,
      raisedBy: 'Zhang',
      acknowledgedAt: null,
      resolvedAt: null,
      rootCause: null,
    });
    const raisedAt = Date.parse(raised.body.raisedAt);
    expect(raisedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(raised.body.expectedEndAt!)).toBe(raisedAt + 30 * 60_000);

    const ack = await t.api('POST', `/api/v1/andon/${id}/acknowledge`, { expectedMinutes: 120, note: 'waiting for a fitter' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id, state: 'acknowledged', expectedMinutes: 120, acknowledgedBy: expect.any(String) });
    const ackAt = Date.parse(ack.body.acknowledgedAt!);
    expect(Date.parse(ack.body.expectedEndAt!)).toBe(ackAt + 120 * 60_000);
    expect(Date.parse(ack.body.expectedEndAt!)).toBeGreaterThan(Date.parse(raised.body.expectedEndAt!));

    const resolved = await t.api('POST', `/api/v1/andon/${id}/resolve`, { rootCause: 'worn bearing', operator: 'Wang' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ id, state: 'resolved', rootCause: 'worn bearing', resolvedBy: 'Wang' });
    expect(Date.parse(resolved.body.resolvedAt!)).toBeGreaterThanOrEqual(ackAt);

    const got = await t.api('GET', `/api/v1/andon/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(resolved.body);
    const types = await t.sql<{ type: string }[]>`select type from event_log where client_id = ${id} or subject = ${id} order by id`;
    expect(types.map((r) => r.type)).toEqual(['andon.raised', 'andon.acknowledged', 'andon.resolved']);
  });

  it('acknowledge without an estimate keeps the old one', async () => {
    const raised = await raise({ expectedMinutes: 45 });
    const ack = await t.api('POST', `/api/v1/andon/${raised.body.id}/acknowledge`, {});
    expect(ack.status).toBe(200);
    expect(ack.body.expectedEndAt).toBe(raised.body.expectedEndAt);
    expect(ack.body.expectedMinutes).toBe(45);
  });

  it('a raised alert can be resolved directly', async () => {
    const raised = await raise({ reason: 'safety' });
    const resolved = await t.api('POST', `/api/v1/andon/${raised.body.id}/resolve`, {});
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ state: 'resolved', rootCause: null, acknowledgedAt: null });
  });

  it('a duplicate id answers 200 with duplicate true and the original alert', async () => {
    const id = randomUUID();
    const first = await t.api('POST', '/api/v1/andon', { id, workCenter: 'CUT', reason: 'quality', note: 'first' });
    expect(first.status).toBe(201);
    const rows = await andonRows();
    const second = await t.api('POST', '/api/v1/andon', { id, workCenter: 'WELD', reason: 'other', note: 'second' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id, duplicate: true, workCenter: 'CUT', reason: 'quality', note: 'first' });
    expect(await andonRows()).toBe(rows);
  });

  it('an alert on an order without a step concerns its next open operation', async () => {
    const raised = await raise({ reason: 'material', order: 'A-1' });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ order: 'A-1', seq: 1 });
    const order = await t.api('GET', '/api/v1/orders/A-1');
    expect(order.body.operations[0]!.held).toMatchObject({ reason: 'material', andonId: raised.body.id });
    await t.api('POST', `/api/v1/andon/${raised.body.id}/resolve`, {});
    const after = await t.api('GET', '/api/v1/orders/A-1');
    expect(after.body.operations[0]!.held).toBeNull();
  });
});

describe('andon errors', () => {
  let resolvedId: string;
  let acknowledgedId: string;

  beforeAll(async () => {
    resolvedId = (await raise({})).body.id;
    expect((await t.api('POST', `/api/v1/andon/${resolvedId}/resolve`, {})).status).toBe(200);
    acknowledgedId = (await raise({})).body.id;
    expect((await t.api('POST', `/api/v1/andon/${acknowledgedId}/acknowledge`, {})).status).toBe(200);
  });

  it('409 for acknowledging twice, and the alert is unchanged', async () => {
    const before = await t.api('GET', `/api/v1/andon/${acknowledgedId}`);
    const logs = await logRows();
    expectError(await t.api('POST', `/api/v1/andon/${acknowledgedId}/acknowledge`, { expectedMinutes: 999 }), 409, 'invalid_state');
    expect((await t.api('GET', `/api/v1/andon/${acknowledgedId}`)).body).toEqual(before.body);
    expect(await logRows()).toBe(logs);
  });

  it('409 for acknowledging or resolving a resolved alert', async () => {
    const logs = await logRows();
    expectError(await t.api('POST', `/api/v1/andon/${resolvedId}/resolve`, { rootCause: 'again' }), 409, 'invalid_state');
    expectError(await t.api('POST', `/api/v1/andon/${resolvedId}/acknowledge`, {}), 409, 'invalid_state');
    expect((await t.api('GET', `/api/v1/andon/${resolvedId}`)).body.rootCause).toBeNull();
    expect(await logRows()).toBe(logs);
  });

  it('404 for an unknown andon on GET, acknowledge and resolve', async () => {
    const id = randomUUID();
    expectError(await t.api('GET', `/api/v1/andon/${id}`), 404, 'not_found');
    expectError(await t.api('POST', `/api/v1/andon/${id}/acknowledge`, {}), 404, 'not_found');
    expectError(await t.api('POST', `/api/v1/andon/${id}/resolve`, {}), 404, 'not_found');
  });

  it.each([
    ['an unknown work center', { workCenter: 'NOPE' }, 404, 'not_found', 'workCenter'],
    ['an unknown order', { order: 'NOPE-1' }, 404, 'not_found', 'order'],
    ['an unknown step', { order: 'A-1', seq: 9 }, 404, 'not_found', 'seq'],
    ['seq without an order', { seq: 1 }, 400, 'validation_failed', 'order'],
    ['a machine the work center lacks', { machine: 2 }, 400, 'validation_failed', 'machine'],
    ['an unknown reason', { reason: 'aliens' }, 400, 'validation_failed', 'reason'],
    ['expectedMinutes 0', { expectedMinutes: 0 }, 400, 'validation_failed', 'expectedMinutes'],
    ['a malformed id', { id: 'x' }, 400, 'validation_failed', 'id'],
  ])('raise with %s is rejected and stores nothing', async (_name, patch, status, code, field) => {
    const id = randomUUID();
    const [rows, logs] = [await andonRows(), await logRows()];
    expectError(await t.api('POST', '/api/v1/andon', { id, workCenter: 'CUT', reason: 'breakdown', ...patch }), status, code, field);
    expect([await andonRows(), await logRows()]).toEqual([rows, logs]);
    // Nothing was recorded under the id: it is still free for a valid alert.
    if (!('id' in patch)) {
      expectError(await t.api('GET', `/api/v1/andon/${id}`), 404, 'not_found');
    }
  });

  it('400 naming the field for an invalid acknowledge body', async () => {
    const raised = await raise({});
    expectError(await t.api('POST', `/api/v1/andon/${raised.body.id}/acknowledge`, { expectedMinutes: -5 }), 400, 'validation_failed', 'expectedMinutes');
    expect((await t.api('GET', `/api/v1/andon/${raised.body.id}`)).body.state).toBe('raised');
  });
});

describe('GET /andon', () => {
  it('state=open lists raised and acknowledged alerts only; other filters narrow it', async () => {
    const raisedWeld = await raise({ workCenter: 'WELD', reason: 'other' });
    const open = await t.api('GET', '/api/v1/andon?state=open');
    expect(open.status).toBe(200);
    expect(open.body.length).toBeGreaterThan(0);
    expect(open.body.every((a: { state: string }) => a.state === 'raised' || a.state === 'acknowledged')).toBe(true);
    expect(open.body.some((a: { state: string }) => a.state === 'acknowledged')).toBe(true);
    expect(open.body.map((a: { id: string }) => a.id)).toContain(raisedWeld.body.id);

    const all = await t.api('GET', '/api/v1/andon');
    expect(all.body.length).toBeGreaterThan(open.body.length);
    expect(all.body.some((a: { state: string }) => a.state === 'resolved')).toBe(true);
    const raisedAt = all.body.map((a: { raisedAt: string }) => Date.parse(a.raisedAt));
    expect(raisedAt).toEqual([...raisedAt].sort((a, b) => b - a));

    const resolved = await t.api('GET', '/api/v1/andon?state=resolved');
    expect(resolved.body.length).toBeGreaterThan(0);
    expect(resolved.body.every((a: { state: string }) => a.state === 'resolved')).toBe(true);

    const weld = await t.api('GET', '/api/v1/andon?state=open&workCenter=WELD');
    expect(weld.body.map((a: { id: string }) => a.id)).toEqual([raisedWeld.body.id]);
    expect((await t.api('GET', '/api/v1/andon?limit=1')).body).toHaveLength(1);
  });

  it('400 naming the parameter for an unknown state', async () => {
    expectError(await t.api('GET', '/api/v1/andon?state=closed'), 400, 'validation_failed', 'state');
  });
});
