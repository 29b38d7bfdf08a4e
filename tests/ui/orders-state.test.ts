import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrdersState as OrdersStateClass } from '../../console/lib/orders/orders-state.svelte.ts';
import { loadAndFollow, message, useFakeServer, type FakeServer } from './fake-server.ts';
import { orderDetail, orderView, progressData } from './views.ts';

const fake = useFakeServer();
let server: FakeServer;
let OrdersState: typeof OrdersStateClass;

beforeEach(async () => {
  server = fake.server;
  ({ OrdersState } = await import('../../console/lib/orders/orders-state.svelte.ts'));
  server.api.set('/orders', [orderView('O1'), orderView('O2', { eta: null })]);
});

async function followed() {
  const state = new OrdersState();
  await loadAndFollow(server, state);
  return state;
}

describe('OrdersState', () => {
  it('loads the order list once, and keeps it when a later load fails', async () => {
    const state = new OrdersState();
    await state.load();
    expect(state.loaded).toBe(true);
    expect(state.orders.map((o) => o.code)).toEqual(['O1', 'O2']);
    expect(server.requestsTo('/orders')[0]!.searchParams.get('status')).toBe('all');
    server.api.delete('/orders');
    await state.load();
    expect(state.error?.status).toBe(404);
    expect(state.orders).toHaveLength(2);
  });

  it('patches ETA, lateness and reasons in place from an eta message, without a refetch', async () => {
    const state = await followed();
    const untouched = state.orders[1];
    const reasons = [{ kind: 'work', minutes: 90 }];
    // A message with one malformed change does not match the contract: it is dropped whole, and the
    // list fetched again instead (the snapshot holds what the message could not say).
    server.stream.send(
      message(1, 'eta', {
        version: 2,
        causes: [],
        changes: [{ order: 'O2', eta: 42, late: 'no', reasons: [] }],
      }),
    );
    await vi.waitFor(() => expect(server.requestsTo('/orders')).toHaveLength(2));
    await vi.waitFor(() => expect(state.orders[1]).not.toBe(untouched));
    const reloaded = state.orders[1];
    server.stream.send(
      message(2, 'eta', {
        version: 3,
        causes: ['ev-1'],
        changes: [
          { order: 'O1', eta: '2026-03-06T12:00:00.000Z', previousEta: '2026-03-04T10:00:00.000Z', dueAt: '2026-03-05T16:00:00.000Z', late: true, latenessMinutes: 1200, reasons },
          { order: 'O9', eta: null, previousEta: null, dueAt: '2026-03-05T16:00:00.000Z', late: false, latenessMinutes: null, reasons: [] },
        ],
      }),
    );
    // Late because the new ETA is after the order's due date (the one definition in the contract).
    await vi.waitFor(() => expect(state.orders[0]!.late).toBe(true));
    expect(state.orders[0]).toMatchObject({ eta: '2026-03-06T12:00:00.000Z', latenessMinutes: 1200, reasons });
    expect(state.orders[1]).toBe(reloaded);
    expect(state.orders).toHaveLength(2);
    expect(server.requestsTo('/orders')).toHaveLength(2);
  });

  it('takes the P50/P90 from an eta message and re-derives "at risk" from them', async () => {
    const state = await followed();
    const change = { order: 'O1', eta: '2026-03-05T12:00:00.000Z', previousEta: '2026-03-04T10:00:00.000Z', dueAt: '2026-03-05T16:00:00.000Z', late: false, latenessMinutes: null, reasons: [] };
    server.stream.send(message(1, 'eta', { version: 2, causes: [], changes: [{ ...change, etaP50: '2026-03-05T13:00:00.000Z', etaP90: '2026-03-05T18:00:00.000Z' }] }));
    await vi.waitFor(() => expect(state.orders[0]).toMatchObject({ etaP50: '2026-03-05T13:00:00.000Z', etaP90: '2026-03-05T18:00:00.000Z', atRisk: true, late: false }));
    // A message from before sampling existed has no P50/P90: the row degrades to its ETA alone.
    server.stream.send(message(2, 'eta', { version: 3, causes: [], changes: [change] }));
    await vi.waitFor(() => expect(state.orders[0]).toMatchObject({ etaP50: null, etaP90: null, atRisk: false }));
  });

  it('says when the plan cannot be recomputed and clears it with the next plan', async () => {
    const state = await followed();
    const trigger = { kind: 'master-data', causeId: 'A' };
    server.stream.send(
      message(1, 'schedule', { error: 'infeasible', errors: [{ code: 'no_working_time', message: 'work center A never has working time' }], trigger, causes: ['A'] }),
    );
    await vi.waitFor(() => expect(state.planProblem).toBe('work center A never has working time'));
    server.stream.send(
      message(2, 'schedule', { version: 8, computedAt: '2026-03-02T08:00:00.000Z', trigger, causes: ['A'], solveMs: 12, lateOrders: 0, operations: 10 }),
    );
    await vi.waitFor(() => expect(state.planProblem).toBeNull());
  });

  it('refetches an order touched by progress or order messages once per burst, adding orders it did not have', async () => {
    const state = await followed();
    server.api.set('/orders/O1', orderDetail('O1', [{ status: 'running', quantityGood: 3 }], { quantityGood: 3, progress: 0.06 }));
    server.api.set('/orders/O3', orderDetail('O3', [{}], { customer: 'New' }));
    for (let i = 1; i <= 5; i++) server.stream.send(message(i, 'progress', progressData('O1', 1, 'A', { quantityGood: i })));
    server.stream.send(message(6, 'order', { type: 'order.created', order: 'O3', product: 'P1', quantity: 10, dueAt: '2026-03-09T16:00:00.000Z' }));
    await vi.waitFor(() => expect(state.orders.map((o) => o.code)).toEqual(['O1', 'O2', 'O3']), { timeout: 3000 });
    expect(state.orders[0]).toMatchObject({ quantityGood: 3, progress: 0.06 });
    expect(state.orders[0]).not.toHaveProperty('operations');
    expect(state.orders[2]).not.toHaveProperty('etaHistory');
    expect(server.requestsTo('/orders/O1')).toHaveLength(1);
    expect(server.requestsTo('/orders/O3')).toHaveLength(1);
  });

  it('fetches the whole list again when the stream says the gap was too large to replay', async () => {
    const state = await followed();
    server.api.set('/orders', [orderView('O1'), orderView('O2', { eta: null }), orderView('O4')]);
    server.stream.write(`event: reset\ndata: ${JSON.stringify({ reason: 'gap too large', resumeFrom: 500 })}\n\n`);
    await vi.waitFor(() => expect(state.orders.map((o) => o.code)).toEqual(['O1', 'O2', 'O4']));
    expect(server.requestsTo('/orders')).toHaveLength(2);
  });
});
