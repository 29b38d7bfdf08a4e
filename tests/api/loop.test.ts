import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOrder, seedSmallFactory, settledSchedule, waitForEta } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({ seed: seedSmallFactory });

describe('the closed loop', () => {
  it('a new order gets planned operations and an ETA, pushed on the stream', async () => {
    // The seed's own plans first: one still running when the order is stored could plan it under
    // the master data's causes (its snapshot read after the insert).
    await settledSchedule(t.api);
    const stream = t.stream('eta,schedule');
    await createOrder(t.api, 'LOOP-1', { quantity: 10 });
    const eta = await stream.waitForTopic('eta', (m) => m.data.changes.some((c) => c.order === 'LOOP-1'));
    // A re-plan may cover several requests (a master-data change, the new order): it names them all,
    // newest first, and `cause` is the newest.
    expect(eta.data.causes).toContain('LOOP-1');
    expect(eta.cause).toBe(eta.data.causes[0]);
    const order = await waitForEta(t.api, 'LOOP-1');
    expect(order.operations).toHaveLength(2);
    const [cut, weld] = order.operations;
    expect(cut!.planned).not.toBeNull();
    expect(weld!.planned).not.toBeNull();
    // Precedence: welding starts after cutting ends; 10 units: cut 10+10 min, weld 5+20 min.
    expect(Date.parse(weld!.planned!.start)).toBeGreaterThanOrEqual(Date.parse(cut!.planned!.end));
    expect(Date.parse(cut!.planned!.end) - Date.parse(cut!.planned!.start)).toBe(20 * 60_000);
    expect(Date.parse(order.eta)).toBe(Date.parse(weld!.planned!.end));
    await stream.close();
  });

  it('a duplicate event id is counted once', async () => {
    await createOrder(t.api, 'DUP-1', { quantity: 10 });
    const event = { id: randomUUID(), type: 'operation.progress', order: 'DUP-1', seq: 1, quantityGood: 3 };
    const first = await t.api('POST', '/api/v1/events', event);
    expect(first.status).toBe(201);
    expect(first.body.duplicate).toBe(false);
    const second = await t.api('POST', '/api/v1/events', event);
    expect(second.status).toBe(200);
    expect(second.body.duplicate).toBe(true);
    const order = await t.api('GET', '/api/v1/orders/DUP-1');
    expect(order.body.operations[0]!.quantityGood).toBe(3);
    expect(order.body.operations[0]!.status).toBe('running');
  });

  it('concurrent repeats of one event id are counted once', async () => {
    await createOrder(t.api, 'DUP-2', { quantity: 50 });
    const event = { id: randomUUID(), type: 'operation.progress', order: 'DUP-2', seq: 1, quantityGood: 2 };
    const results = await Promise.all(Array.from({ length: 8 }, () => t.api('POST', '/api/v1/events', event)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200 && r.body.duplicate)).toHaveLength(7);
    const order = await t.api('GET', '/api/v1/orders/DUP-2');
    expect(order.body.operations[0]!.quantityGood).toBe(2);
  });

  it('progress goes out on the stream with the cause and a server time', async () => {
    await createOrder(t.api, 'PROG-1', { quantity: 10 });
    const stream = t.stream('progress');
    await new Promise((r) => setTimeout(r, 100));
    const id = randomUUID();
    const before = Date.now();
    await t.api('POST', '/api/v1/events', { id, type: 'operation.started', order: 'PROG-1', seq: 1 });
    const message = await stream.waitFor((m) => m.cause === id);
    expect(message.topic).toBe('progress');
    expect(message.data).toMatchObject({ order: 'PROG-1', seq: 1, status: 'running', type: 'operation.started' });
    expect(Date.parse(message.emittedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(stream.frames.find((f) => f.data?.includes(id))?.id).toBe(String(message.id));
    await stream.close();
  });

  it('Last-Event-ID replays exactly the messages missed while disconnected', async () => {
    await createOrder(t.api, 'REPLAY-1', { quantity: 100 });
    const first = t.stream('progress');
    await new Promise((r) => setTimeout(r, 100));
    await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.progress', order: 'REPLAY-1', seq: 1, quantityGood: 1 });
    const seen = await first.waitForTopic('progress', (m) => m.data.order === 'REPLAY-1');
    await first.close();

    const missed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = randomUUID();
      missed.push(id);
      const r = await t.api('POST', '/api/v1/events', { id, type: 'operation.progress', order: 'REPLAY-1', seq: 1, quantityGood: 1 });
      expect(r.status).toBe(201);
    }
    const resumed = t.stream('progress', { 'last-event-id': String(seen.id) });
    await resumed.waitFor((m) => m.cause === missed[4]);
    const replayed = resumed.messagesOf('progress').filter((m) => m.data.order === 'REPLAY-1').map((m) => m.cause);
    expect(replayed).toEqual(missed);
    const ids = resumed.messages.map((m) => m.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    await resumed.close();
  });

  it('a breakdown andon moves the ETA out and resolving it brings it back', async () => {
    await createOrder(t.api, 'BRK-1', { quantity: 10 });
    const before = await waitForEta(t.api, 'BRK-1');
    const andonId = randomUUID();
    const raised = await t.api('POST', '/api/v1/andon', { id: andonId, workCenter: 'CUT', reason: 'breakdown', expectedMinutes: 600 });
    expect(raised.status).toBe(201);
    // CUT (one machine) is down for 10 h: the order cannot end before the repair. How far its ETA moves
    // past that depends on how the search re-sequences the queue behind it, so the repair is the bar.
    const repairedAt = Date.parse(raised.body.expectedEndAt!);
    const during = await waitForEta(t.api, 'BRK-1', (eta) => Date.parse(eta) > repairedAt);
    expect(Date.parse(during.eta)).toBeGreaterThan(Date.parse(before.eta));
    expect(during.operations[0]!.planned!.start >= raised.body.expectedEndAt!).toBe(true);
    const resolved = await t.api('POST', `/api/v1/andon/${andonId}/resolve`, { rootCause: 'replaced spindle bearing' });
    expect(resolved.status).toBe(200);
    await waitForEta(t.api, 'BRK-1', (eta) => Date.parse(eta) < repairedAt);
  });

  it('a material andon on an operation holds it until the expected arrival', async () => {
    await createOrder(t.api, 'MAT-1', { quantity: 10 });
    await waitForEta(t.api, 'MAT-1');
    const raised = await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'CUT', reason: 'material', order: 'MAT-1', seq: 1, expectedMinutes: 240 });
    expect(raised.status).toBe(201);
    // The plan the andon asked for (the queue on CUT alone may already put the ETA past the hold's end).
    await settledSchedule(t.api);
    const held = await waitForEta(t.api, 'MAT-1', (eta) => Date.parse(eta) >= Date.parse(raised.body.expectedEndAt!));
    expect(Date.parse(held.operations[0]!.planned!.start)).toBeGreaterThanOrEqual(Date.parse(raised.body.expectedEndAt!));
    expect(held.operations[0]!.held).toMatchObject({ reason: 'material' });
  });
});
