import type { FloorEventBody } from '../../server/contract/floor-events.ts';
import { describe, expect, it } from 'vitest';
import type { FloorOperation } from '../../display/lib/board/floor-model.ts';
import { classifyFailure, nextNumber, nextToSend, pendingFor, retryDelay, withPending, type OutboxEntry } from '../../display/lib/station/outbox-model.ts';

const event = (n: number, body: Partial<FloorEventBody>, state: OutboxEntry['state'] = 'pending'): OutboxEntry => ({
  id: `id-${n}`,
  n,
  at: `2026-03-02T02:00:0${n}Z`,
  press: { kind: 'event', body: { id: `id-${n}`, type: 'operation.progress', order: 'O1', seq: 1, ...body } },
  state,
  attempts: 0,
  error: null,
});

const op: FloorOperation = {
  order: 'O1',
  seq: 1,
  workCenter: 'A',
  status: 'pending',
  quantity: 50,
  quantityGood: 2,
  quantityScrap: 0,
  machine: null,
  startedAt: null,
  setupMinutes: 10,
};

describe('station outbox rules', () => {
  it('sends the oldest pending press first and skips failed ones', () => {
    const entries = [event(3, {}), event(1, {}, 'failed'), event(2, {})];
    expect(nextToSend(entries)?.n).toBe(2);
    expect(nextToSend([event(1, {}, 'failed')])).toBeNull();
    expect(nextNumber(entries)).toBe(4);
    expect(nextNumber([])).toBe(1);
  });

  it('retries network errors and 5xx, fails other 4xx, and takes a 409 on a lead action as done', () => {
    const press = event(1, {}).press;
    expect(classifyFailure(press, 0)).toBe('retry');
    expect(classifyFailure(press, 503)).toBe('retry');
    expect(classifyFailure(press, 429)).toBe('retry');
    expect(classifyFailure(press, 400)).toBe('failed');
    expect(classifyFailure(press, 409)).toBe('failed');
    expect(classifyFailure({ kind: 'resolve', andonId: 'a', body: {} }, 409)).toBe('done');
  });

  it('shows pending presses optimistically, in order, on their operation only', () => {
    const entries = [
      event(1, { type: 'operation.started' }),
      event(2, { quantityGood: 5, quantityScrap: 1 }),
      event(3, { quantityGood: 3 }),
      event(4, { quantityGood: 100 }, 'failed'),
      event(5, { order: 'OTHER', quantityGood: 9 }),
    ];
    expect(pendingFor(entries, 'O1', 1).map((e) => e.n)).toEqual([1, 2, 3]);
    expect(withPending(op, entries)).toMatchObject({ status: 'running', quantityGood: 10, quantityScrap: 1, startedAt: '2026-03-02T02:00:01Z' });
    // Confirmed presses leave the outbox: the server's figures are shown as they are.
    expect(withPending(op, [])).toEqual(op);
  });

  it('backs off from 1 s to at most 30 s', () => {
    expect([1, 2, 3, 6, 10].map(retryDelay)).toEqual([1000, 2000, 4000, 30_000, 30_000]);
  });
});
