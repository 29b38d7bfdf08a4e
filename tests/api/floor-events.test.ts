import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    // `operator` must name an active operator of the plant.
    expect((await api('PUT', '/api/v1/operators/LIWEI', { name: 'Li Wei' })).status).toBe(200);
  },
});

type EventPatch = Record<string, unknown> & { type: string; order: string; seq: number };
const send = (patch: EventPatch) => t.api('POST', '/api/v1/events', { id: randomUUID(), ...patch });

async function operation(order: string, seq: number) {
  const r = await t.api('GET', `/api/v1/orders/${order}`);
  return r.body.operations.find((o: { seq: number }) => o.seq === seq)!;
}

/** What a rejected request must not change: the event log, the stream and the operations. The
 *  worker publishes schedule and eta messages on its own time, so only request-made topics count. */
async function snapshot(order: string) {
  const { events } = (await t.sql<{ events: number }[]>`select count(*)::int as events from event_log`)[0]!;
  const { messages } = (await t.sql<{ messages: number }[]>`select count(*)::int as messages from stream_message where topic in ('progress', 'order', 'andon')`)[0]!;
  const detail = await t.api('GET', `/api/v1/orders/${order}`);
  const ops = detail.body.operations.map(({ planned: _p, held: _h, ...rest }) => rest);
  return { events, messages, status: detail.body.status, ops };
}

async function expectRejected(order: string, patch: EventPatch, status: number, code: string, field: string) {
  const before = await snapshot(order);
  const id = randomUUID();
  expectError(await t.api('POST', '/api/v1/events', { id, ...patch }), status, code, field);
  expect(await snapshot(order)).toEqual(before);
  const { n } = (await t.sql<{ n: number }[]>`select count(*)::int as n from event_log where client_id = ${id}`)[0]!;
  expect(n).toBe(0);
}

describe('the operation state machine', () => {
  it('start, progress, pause, restart, complete', async () => {
    await createOrder(t.api, 'SM-1', { quantity: 10 });
    const at = new Date(Date.now() - 60_000).toISOString();

    const started = await send({ type: 'operation.started', order: 'SM-1', seq: 1, machine: 1, operator: 'LIWEI', at });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ duplicate: false, accepted: true, operation: { order: 'SM-1', seq: 1, status: 'running', quantityGood: 0, quantityScrap: 0 } });
    const op = await operation('SM-1', 1);
    expect(op.status).toBe('running');
    expect(op.startedAt).toBe(at);

    const progress = await send({ type: 'operation.progress', order: 'SM-1', seq: 1, quantityGood: 4, quantityScrap: 1, scrapReason: 'burr' });
    expect(progress.status).toBe(201);
    expect(progress.body.operation).toMatchObject({ status: 'running', quantityGood: 4, quantityScrap: 1 });

    const paused = await send({ type: 'operation.paused', order: 'SM-1', seq: 1, pauseReason: 'lunch' });
    expect(paused.status).toBe(201);
    expect(paused.body.operation.status).toBe('paused');

    // Progress while paused is counted and keeps it paused.
    const late = await send({ type: 'operation.progress', order: 'SM-1', seq: 1, quantityGood: 1 });
    expect(late.body.operation).toMatchObject({ status: 'paused', quantityGood: 5 });

    const restarted = await send({ type: 'operation.started', order: 'SM-1', seq: 1 });
    expect(restarted.status).toBe(201);
    expect(restarted.body.operation.status).toBe('running');
    // Restarting keeps the first start time.
    expect((await operation('SM-1', 1)).startedAt).toBe(at);

    const completed = await send({ type: 'operation.completed', order: 'SM-1', seq: 1, quantityGood: 4 });
    expect(completed.status).toBe(201);
    expect(completed.body.operation).toMatchObject({ status: 'completed', quantityGood: 9, quantityScrap: 1 });
    const done = await operation('SM-1', 1);
    expect(done.completedAt).not.toBeNull();

    const order = await t.api('GET', '/api/v1/orders/SM-1');
    expect(order.body.status).toBe('open');
    expect(order.body.currentSeq).toBe(2);

    const { n } = (await t.sql<{ n: number }[]>`select count(*)::int as n from event_log where subject = 'SM-1/1'`)[0]!;
    expect(n).toBe(6);
  });

  it('progress on a pending operation starts it', async () => {
    await createOrder(t.api, 'SM-2', { quantity: 10 });
    const r = await send({ type: 'operation.progress', order: 'SM-2', seq: 1, quantityGood: 2 });
    expect(r.status).toBe(201);
    expect(r.body.operation).toMatchObject({ status: 'running', quantityGood: 2 });
    expect((await operation('SM-2', 1)).startedAt).not.toBeNull();
  });

  it('the order becomes completed when all its operations complete', async () => {
    await createOrder(t.api, 'SM-3', { quantity: 3 });
    expect((await send({ type: 'operation.completed', order: 'SM-3', seq: 1, quantityGood: 3 })).status).toBe(201);
    expect((await t.api('GET', '/api/v1/orders/SM-3')).body.status).toBe('open');
    expect((await send({ type: 'operation.completed', order: 'SM-3', seq: 2, quantityGood: 3 })).status).toBe(201);
    const order = await t.api('GET', '/api/v1/orders/SM-3');
    expect(order.body).toMatchObject({ status: 'completed', late: false, progress: 1, currentSeq: null, quantityGood: 3 });
    const open = await t.api('GET', '/api/v1/orders');
    expect(open.body.map((o: { code: string }) => o.code)).not.toContain('SM-3');
    const done = await t.api('GET', '/api/v1/orders?status=completed');
    expect(done.body.map((o: { code: string }) => o.code)).toContain('SM-3');
  });
});

describe('rejected events change nothing', () => {
  beforeAll(async () => {
    await createOrder(t.api, 'REJ-1', { quantity: 10 });
    await createOrder(t.api, 'REJ-2', { quantity: 10 });
    expect((await send({ type: 'operation.completed', order: 'REJ-1', seq: 1, quantityGood: 10 })).status).toBe(201);
    expect((await send({ type: 'operation.progress', order: 'REJ-2', seq: 1, quantityGood: 8 })).status).toBe(201);
  });

  it('409 invalid_state for completing a completed operation', async () => {
    await expectRejected('REJ-1', { type: 'operation.completed', order: 'REJ-1', seq: 1 }, 409, 'invalid_state', 'type');
  });

  it('409 invalid_state for progress, start or pause on a completed operation', async () => {
    await expectRejected('REJ-1', { type: 'operation.progress', order: 'REJ-1', seq: 1, quantityScrap: 1 }, 409, 'invalid_state', 'type');
    await expectRejected('REJ-1', { type: 'operation.started', order: 'REJ-1', seq: 1 }, 409, 'invalid_state', 'type');
    await expectRejected('REJ-1', { type: 'operation.paused', order: 'REJ-1', seq: 1 }, 409, 'invalid_state', 'type');
  });

  it('409 invalid_state for pausing a pending operation', async () => {
    await expectRejected('REJ-1', { type: 'operation.paused', order: 'REJ-1', seq: 2 }, 409, 'invalid_state', 'type');
    expect((await operation('REJ-1', 2)).status).toBe('pending');
  });

  it('409 invalid_state for starting a running operation', async () => {
    await expectRejected('REJ-2', { type: 'operation.started', order: 'REJ-2', seq: 1 }, 409, 'invalid_state', 'type');
  });

  it('400 for progress with zero quantities', async () => {
    await expectRejected('REJ-2', { type: 'operation.progress', order: 'REJ-2', seq: 1 }, 400, 'validation_failed', 'quantityGood');
    await expectRejected('REJ-2', { type: 'operation.progress', order: 'REJ-2', seq: 1, quantityGood: 0, quantityScrap: 0 }, 400, 'validation_failed', 'quantityGood');
  });

  it('409 quantity_exceeds_order for reporting more than the order quantity', async () => {
    await expectRejected('REJ-2', { type: 'operation.progress', order: 'REJ-2', seq: 1, quantityGood: 3 }, 409, 'quantity_exceeds_order', 'quantityGood');
    await expectRejected('REJ-2', { type: 'operation.progress', order: 'REJ-2', seq: 1, quantityScrap: 3 }, 409, 'quantity_exceeds_order', 'quantityScrap');
    await expectRejected('REJ-2', { type: 'operation.completed', order: 'REJ-2', seq: 1, quantityGood: 2, quantityScrap: 1 }, 409, 'quantity_exceeds_order', 'quantityGood');
    // Exactly the order quantity is fine.
    const r = await send({ type: 'operation.progress', order: 'REJ-2', seq: 1, quantityGood: 1, quantityScrap: 1 });
    expect(r.status).toBe(201);
    expect(r.body.operation).toMatchObject({ quantityGood: 9, quantityScrap: 1 });
  });

  it('404 with field order for an unknown order', async () => {
    await expectRejected('REJ-1', { type: 'operation.started', order: 'NOPE-9', seq: 1 }, 404, 'not_found', 'order');
  });

  it('404 with field seq for an unknown step', async () => {
    await expectRejected('REJ-1', { type: 'operation.started', order: 'REJ-1', seq: 3 }, 404, 'not_found', 'seq');
  });

  it('400 with field at for a time in the future', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    await expectRejected('REJ-1', { type: 'operation.started', order: 'REJ-1', seq: 2, at }, 400, 'validation_failed', 'at');
  });

  it.each([
    ['an unknown type', { type: 'operation.exploded' }, 'type'],
    ['seq 0', { seq: 0 }, 'seq'],
    ['a negative quantity', { type: 'operation.progress', quantityGood: -1 }, 'quantityGood'],
    ['a fractional quantity', { type: 'operation.progress', quantityScrap: 0.5 }, 'quantityScrap'],
    ['an unparsable at', { at: 'yesterday' }, 'at'],
    ['machine 0', { machine: 0 }, 'machine'],
  ])('400 naming the field for %s', async (_name, patch, field) => {
    await expectRejected('REJ-1', { type: 'operation.started', order: 'REJ-1', seq: 2, ...patch }, 400, 'validation_failed', field);
  });

  it('400 naming id for a missing or malformed id', async () => {
    const before = await snapshot('REJ-1');
    expectError(await t.api('POST', '/api/v1/events', { type: 'operation.started', order: 'REJ-1', seq: 2 }), 400, 'validation_failed', 'id');
    expectError(await t.api('POST', '/api/v1/events', { id: 'short', type: 'operation.started', order: 'REJ-1', seq: 2 }), 400, 'validation_failed', 'id');
    expect(await snapshot('REJ-1')).toEqual(before);
  });

  it('the id of a rejected event is not used up: a valid retry with it is accepted', async () => {
    const id = randomUUID();
    expectError(await t.api('POST', '/api/v1/events', { id, type: 'operation.paused', order: 'REJ-1', seq: 2 }), 409, 'invalid_state', 'type');
    const retry = await t.api('POST', '/api/v1/events', { id, type: 'operation.started', order: 'REJ-1', seq: 2 });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ id, duplicate: false, accepted: true, operation: { status: 'running' } });
  });

  it('a duplicate id answers 200 with the current state and changes nothing', async () => {
    await createOrder(t.api, 'REJ-3', { quantity: 10 });
    const id = randomUUID();
    expect((await t.api('POST', '/api/v1/events', { id, type: 'operation.progress', order: 'REJ-3', seq: 1, quantityGood: 2 })).status).toBe(201);
    const before = await snapshot('REJ-3');
    const again = await t.api('POST', '/api/v1/events', { id, type: 'operation.progress', order: 'REJ-3', seq: 1, quantityGood: 2 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id, duplicate: true, accepted: false, operation: { status: 'running', quantityGood: 2 } });
    expect(await snapshot('REJ-3')).toEqual(before);
  });
});
