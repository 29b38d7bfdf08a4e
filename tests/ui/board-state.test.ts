import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AndonView } from '../../server/contract/andon.ts';
import type { WorkCenterStatus } from '../../server/contract/floor.ts';
import type { BoardState as BoardStateClass } from '../../display/lib/board/board-state.svelte.ts';
import { loadAndFollow, message, useFakeServer, type FakeServer } from './fake-server.ts';
import { andonView, onFloor, orderView, progressData, workCenterStatus } from './views.ts';

const fake = useFakeServer();
let server: FakeServer;
let BoardState: typeof BoardStateClass;
let floor: WorkCenterStatus[];

beforeEach(async () => {
  server = fake.server;
  ({ BoardState } = await import('../../display/lib/board/board-state.svelte.ts'));
  floor = [workCenterStatus('A', [onFloor('O1', 1, { status: 'running', quantityGood: 5, startedAt: '2026-03-02T08:00:00.000Z' })], [onFloor('O2', 1)]), workCenterStatus('B', [])];
  server.api.set('/floor', () => floor);
  server.api.set('/andon', [andonView('old', 'B', { raisedAt: '2026-03-02T07:00:00.000Z' }), andonView('new', 'A', { raisedAt: '2026-03-02T07:30:00.000Z' })]);
  server.api.set('/plants', [{ code: 'P1', name: 'Plant', timeZone: 'Asia/Shanghai' }]);
  server.api.set('/orders', [orderView('O1'), orderView('O2')]);
});

async function followed(options: { onRaised?: (a: AndonView) => void } = {}) {
  const board = new BoardState(options);
  await loadAndFollow(server, board);
  return board;
}

describe('BoardState', () => {
  it('loads the floor, the open alerts newest first, the plant and the orders', async () => {
    const board = new BoardState();
    await board.load();
    expect(board.loaded).toBe(true);
    expect(board.error).toBeNull();
    expect(board.floor.map((w) => w.code)).toEqual(['A', 'B']);
    expect(board.andons.map((a) => a.id)).toEqual(['new', 'old']);
    expect(board.plant?.timeZone).toBe('Asia/Shanghai');
    expect(board.orders).toHaveLength(2);
    expect(server.requestsTo('/floor')[0]!.searchParams.get('next')).toBe('1');
    expect(board.fetchedAt).not.toBeNull();
  });

  it('keeps what it has and says why when a load fails', async () => {
    const board = new BoardState();
    await board.load();
    server.api.delete('/plants');
    await board.load();
    expect(board.error?.status).toBe(404);
    expect(board.loaded).toBe(true);
    expect(board.floor).toHaveLength(2);
  });

  it('applies progress to the snapshot: a started next operation moves onto the machine, counts update', async () => {
    const board = await followed();
    const untouched = board.floor[1];
    server.stream.send(message(1, 'progress', progressData('O2', 1, 'A', { type: 'operation.started' })));
    server.stream.send(message(2, 'progress', progressData('O1', 1, 'A', { quantityGood: 9, quantityScrap: 1 })));
    await vi.waitFor(() => expect(board.floor[0]!.active).toHaveLength(2));
    const [a] = board.floor;
    expect(a!.next).toEqual([]);
    const o2 = a!.active.find((op) => op.order === 'O2')!;
    expect(o2).toMatchObject({ status: 'running', productName: 'Shaft', startedAt: '2026-03-02T08:30:00.000Z' });
    expect(a!.active.find((op) => op.order === 'O1')).toMatchObject({ quantityGood: 9, quantityScrap: 1, startedAt: '2026-03-02T08:00:00.000Z' });
    expect(board.floor[1]).toBe(untouched); // untouched work centers keep their identity
  });

  it('follows an alert from raised to resolved and chimes only for a new one', async () => {
    const onRaised = vi.fn();
    const board = await followed({ onRaised });
    const raised = andonView('a9', 'B', { raisedAt: '2026-03-02T08:40:00.000Z' });
    server.stream.send(message(1, 'andon', { type: 'andon.raised', andon: raised }));
    await vi.waitFor(() => expect(board.andons.map((a) => a.id)).toEqual(['a9', 'new', 'old']));
    expect(onRaised).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ id: 'a9' }));

    // A replayed "raised" for an alert already on screen is no new alarm.
    server.stream.send(message(2, 'andon', { type: 'andon.raised', andon: raised }));
    server.stream.send(message(3, 'andon', { type: 'andon.acknowledged', andon: { ...raised, state: 'acknowledged', acknowledgedBy: 'lead' } }));
    await vi.waitFor(() => expect(board.andons[0]!.state).toBe('acknowledged'));
    expect(onRaised).toHaveBeenCalledOnce();

    server.stream.send(message(4, 'andon', { type: 'andon.resolved', andon: { ...raised, state: 'resolved' } }));
    await vi.waitFor(() => expect(board.andons.map((a) => a.id)).toEqual(['new', 'old']));
  });

  it('drops stream payloads that do not match what it needs', async () => {
    const board = await followed();
    const before = board.floor;
    server.stream.send(message(1, 'progress', { order: 'O1', seq: 'one' }));
    server.stream.send(message(2, 'andon', { type: 'andon.raised', andon: { id: 7 } }));
    // What it could not read it fetches again (once for the burst): the snapshot is the truth.
    await vi.waitFor(() => expect(server.requestsTo('/floor')).toHaveLength(2));
    await vi.waitFor(() => expect(board.floor).not.toBe(before));
    server.stream.send(message(3, 'progress', progressData('O1', 1, 'A', { quantityGood: 11 })));
    await vi.waitFor(() => expect(board.floor[0]!.active[0]!.quantityGood).toBe(11));
    expect(board.andons).toHaveLength(2);
    expect(server.requestsTo('/floor')).toHaveLength(2);
    expect(before[0]!.active[0]!.quantityGood).toBe(5); // the old snapshot was replaced, not mutated
  });

  it('reloads everything after the stream reconnects', async () => {
    const board = await followed();
    expect(server.requestsTo('/floor')).toHaveLength(1);
    floor = [workCenterStatus('A', [])];
    server.stream.end();
    await vi.waitFor(() => expect(board.floor.map((w) => w.code)).toEqual(['A']), { timeout: 5000 });
    expect(server.streams).toHaveLength(2);
    expect(server.requestsTo('/andon')).toHaveLength(2);
  });
});
