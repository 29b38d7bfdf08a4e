import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FloorState as FloorStateClass } from '../../display/lib/station/floor-state.svelte.ts';
import { loadAndFollow, message, useFakeServer, type FakeServer } from './fake-server.ts';
import { MemoryStorage } from './memory-storage.ts';
import { andonView, orderDetail, progressData } from './views.ts';

const slot = (order: string, seq: number, start: string) => ({ order, seq, workCenter: 'A', machine: 1, start, end: start });

const fake = useFakeServer();
let server: FakeServer;
let FloorState: typeof FloorStateClass;

beforeEach(async () => {
  server = fake.server;
  vi.stubGlobal('localStorage', new MemoryStorage());
  ({ FloorState } = await import('../../display/lib/station/floor-state.svelte.ts'));
  server.api.set('/work-centers/A', { code: 'A', name: 'Lathe', line: 'L1', machines: 1, calendar: 'C', setupMatrix: [] });
  server.api.set('/andon', [andonView('a1', 'A')]);
  server.api.set('/schedule', {
    version: 4,
    computedAt: '2026-03-02T08:00:00.000Z',
    trigger: { kind: 'event', causeId: null },
    solveMs: 5,
    figures: { weightedTardinessMinutes: 0, lateOrders: 0, makespan: null, movedOperations: 0 },
    operations: [slot('O1', 1, '2026-03-02T08:00:00.000Z'), slot('O2', 2, '2026-03-02T09:00:00.000Z'), slot('O3', 1, '2026-03-02T10:00:00.000Z')],
  });
  server.api.set('/orders/O1', orderDetail('O1', [{ status: 'running', quantityGood: 4, startedAt: '2026-03-02T08:00:00.000Z' }, { workCenter: 'B' }]));
  server.api.set('/orders/O2', orderDetail('O2', [{ workCenter: 'B', status: 'completed' }, {}], { customer: 'Beta' }));
  server.api.set('/orders/O3', orderDetail('O3', [{}]));
});

describe('FloorState (station)', () => {
  it("loads its work center, its open alerts, its plan and the orders at the head of the plan", async () => {
    const floor = new FloorState({ workCenter: 'A', headDepth: 1 });
    await floor.load();
    expect(floor.loaded).toBe(true);
    expect(floor.workCenters.map((w) => w.code)).toEqual(['A']);
    expect(floor.andons.map((a) => a.id)).toEqual(['a1']);
    expect(floor.scheduleVersion).toBe(4);
    expect(server.requestsTo('/andon')[0]!.searchParams.get('workCenter')).toBe('A');
    expect(server.requestsTo('/schedule')[0]!.searchParams.get('workCenter')).toBe('A');
    // One machine plus a head depth of one: the first two orders of the plan, not the third.
    expect([...floor.orders.keys()].sort()).toEqual(['O1', 'O2']);
    expect(server.requestsTo('/orders/O3')).toHaveLength(0);
    expect(floor.operations.get('O1/1')).toMatchObject({ status: 'running', quantityGood: 4, workCenter: 'A' });
    expect(floor.orders.get('O2')).toEqual({ code: 'O2', productName: 'Shaft', customer: 'Beta', operationCount: 2 });
  });

  it('applies progress for its own work center only, and loads the order of an operation it did not know', async () => {
    const floor = new FloorState({ workCenter: 'A', headDepth: 1 });
    await loadAndFollow(server, floor);
    server.api.set('/orders/O3', orderDetail('O3', [{ status: 'running', startedAt: '2026-03-02T08:30:00.000Z' }], { customer: 'Gamma' }));
    server.stream.send(message(1, 'progress', progressData('O1', 2, 'B', { quantityGood: 7 })));
    server.stream.send(message(2, 'progress', progressData('O1', 1, 'A', { quantityGood: 9, quantityScrap: 1 })));
    server.stream.send(message(3, 'progress', progressData('O3', 1, 'A', { type: 'operation.started' })));
    await vi.waitFor(() => expect(floor.orders.get('O3')?.customer).toBe('Gamma'));
    expect(floor.operations.get('O1/1')).toMatchObject({ quantityGood: 9, quantityScrap: 1, startedAt: '2026-03-02T08:00:00.000Z' });
    expect(floor.operations.get('O1/2')).toMatchObject({ quantityGood: 0, workCenter: 'B' });
    expect(floor.operations.get('O3/1')).toMatchObject({ status: 'running', setupMinutes: 10 });
  });

  it('does not let an order detail that was in flight overwrite progress that arrived meanwhile', async () => {
    const floor = new FloorState({ workCenter: 'A', headDepth: 1 });
    await loadAndFollow(server, floor);
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    server.api.set('/orders/O3', async () => {
      await held;
      return orderDetail('O3', [{ status: 'running', quantityGood: 0 }]);
    });
    server.stream.send(message(1, 'progress', progressData('O3', 1, 'A', { type: 'operation.started' })));
    await vi.waitFor(() => expect(server.requestsTo('/orders/O3')).toHaveLength(1));
    server.stream.send(message(2, 'progress', progressData('O3', 1, 'A', { quantityGood: 5 })));
    await vi.waitFor(() => expect(floor.operations.get('O3/1')?.quantityGood).toBe(5));
    answer();
    await vi.waitFor(() => expect(floor.orders.has('O3')).toBe(true));
    expect(floor.operations.get('O3/1')?.quantityGood).toBe(5);
  });

  it('keeps the open alerts of its work center current from the stream', async () => {
    const floor = new FloorState({ workCenter: 'A' });
    await loadAndFollow(server, floor);
    server.stream.send(message(1, 'andon', { type: 'andon.raised', andon: andonView('b1', 'B') }));
    server.stream.send(message(2, 'andon', { type: 'andon.raised', andon: andonView('a2', 'A', { raisedAt: '2026-03-02T09:00:00.000Z' }) }));
    server.stream.send(message(3, 'andon', { type: 'andon.resolved', andon: andonView('a1', 'A', { state: 'resolved' }) }));
    await vi.waitFor(() => expect(floor.andons.map((a) => a.id)).toEqual(['a2']));
  });

  it('shows the last floor it saw when it reloads without network', async () => {
    const online = new FloorState({ workCenter: 'A', keepSnapshot: true });
    await online.load();
    expect(online.snapshotAt).toBeNull();

    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    const offline = new FloorState({ workCenter: 'A', keepSnapshot: true });
    await offline.load();
    expect(offline.error?.code).toBe('network');
    expect(offline.loaded).toBe(true);
    expect(offline.snapshotAt).toEqual(expect.any(Number));
    expect(offline.workCenters.map((w) => w.code)).toEqual(['A']);
    expect(offline.operations.get('O1/1')).toMatchObject({ quantityGood: 4 });
    expect(offline.orders.get('O2')?.customer).toBe('Beta');

    // A board (no snapshot kept) shows nothing rather than stale data.
    const board = new FloorState({ workCenter: 'A' });
    await board.load();
    expect(board.loaded).toBe(false);
  });
});
