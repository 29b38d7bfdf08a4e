import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkCenter } from '../../server/contract/master-data.ts';
import type { PinView, PreviewView } from '../../server/contract/plan.ts';
import type { ScheduledOperationView, ScheduleView } from '../../server/contract/schedule.ts';
import type { PlanState as PlanStateClass } from '../../console/lib/plan/plan-state.svelte.ts';
import { loadAndFollow, message, useFakeServer, type FakeServer } from './fake-server.ts';
import { orderView } from './views.ts';

const fake = useFakeServer();
let server: FakeServer;
let PlanState: typeof PlanStateClass;

const T0 = Date.UTC(2026, 2, 2, 8);
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3_600_000;

const workCenters: WorkCenter[] = [{ code: 'LATHE', name: 'Lathe', line: 'L1', machines: 2, calendar: 'C', setupMatrix: [], wipLimit: null, lateStartMinutes: 15 }];
const op = (order: string, machine: number, startH: number): ScheduledOperationView => ({
  order,
  seq: 1,
  workCenter: 'LATHE',
  machine,
  start: iso(T0 + startH * H),
  end: iso(T0 + (startH + 1) * H),
  setupMinutes: 0,
  status: 'pending',
  pinned: false,
  frozen: false,
  late: false,
});
const schedule = (version: number, operations: ScheduledOperationView[]): ScheduleView => ({
  version,
  computedAt: iso(T0),
  trigger: { kind: 'startup', causeId: null },
  solveMs: 5,
  figures: { weightedTardinessMinutes: 0, lateOrders: 0, makespan: null, movedOperations: 0 },
  operations,
  completed: [],
  problem: null,
});
const pin = (id: string, over: Partial<PinView> = {}): PinView => ({
  id,
  order: 'O1',
  seq: 1,
  workCenter: 'LATHE',
  machine: 2,
  start: null,
  mode: 'queue',
  state: 'active',
  note: null,
  noteCode: null,
  commitId: 'c1',
  baseVersion: 3,
  createdBy: 'planner',
  createdAt: iso(T0),
  removedAt: null,
  ...over,
});
const preview = (baseVersion: number): PreviewView => ({
  baseVersion,
  feasible: true,
  problems: [],
  solveMs: 30,
  moved: [{ order: 'O1', seq: 1, workCenter: 'LATHE', machine: 2, start: iso(T0 + H), end: iso(T0 + 2 * H), previousMachine: 1, previousStart: iso(T0), previousEnd: iso(T0 + H) }],
  etaChanges: [],
  lateOrders: { before: 0, after: 0 },
});
const bodyOf = (init: RequestInit) => JSON.parse(String(init.body)) as Record<string, unknown>;
const move = { order: 'O1', seq: 1, machine: 2, start: iso(T0 + H), mode: 'queue' as const };

beforeEach(async () => {
  server = fake.server;
  ({ PlanState } = await import('../../console/lib/plan/plan-state.svelte.ts'));
  server.api.set('/work-centers', workCenters);
  server.api.set('/schedule', schedule(3, [op('O1', 1, 0), op('O2', 2, 0)]));
  server.api.set('/orders', [orderView('O1'), orderView('O2')]);
  server.api.set('/pins', [pin('p0', { state: 'removed', commitId: 'c0' })]);
});

async function followed() {
  const state = new PlanState();
  await loadAndFollow(server, state);
  return state;
}

describe('PlanState', () => {
  it('loads rows, bars, orders and pins; a server without pins yet is a plan without pins', async () => {
    const state = new PlanState();
    await state.load();
    expect(state.loaded).toBe(true);
    expect(state.bars.map((b) => b.key)).toEqual(['O1#1', 'O2#1']);
    expect([...state.byMachine.keys()]).toEqual(['LATHE#1', 'LATHE#2']);
    expect(state.orders.get('O2')?.customer).toBe('ACME');
    expect(server.requestsTo('/orders')[0]!.searchParams.get('status')).toBe('open');
    // The plan around now first (the page paints it), then the whole plan.
    const [first, whole] = server.requestsTo('/schedule');
    expect(first!.searchParams.get('from')).not.toBeNull();
    expect(first!.searchParams.get('to')).not.toBeNull();
    expect(whole!.searchParams.has('from')).toBe(false);
    expect(state.activePins).toEqual([]);

    server.api.delete('/pins');
    const bare = new PlanState();
    await bare.load();
    expect(bare.loaded).toBe(true);
    expect(bare.pins).toEqual([]);
  });

  it('fetches the plan again on every re-plan, coalescing a burst, keeping the selection of bars still planned', async () => {
    const state = await followed();
    state.select(state.barByKey.get('O1#1')!, false);
    state.select(state.barByKey.get('O2#1')!, true);
    expect([...state.selection]).toEqual(['O1#1', 'O2#1']);
    let release!: () => void;
    server.api.set('/schedule', async () => {
      await new Promise<void>((r) => (release = r));
      return schedule(5, [op('O1', 2, 1)]);
    });
    const summary = { version: 5, computedAt: iso(T0), trigger: { kind: 'pin', causeId: null }, solveMs: 5, lateOrders: 0, operations: 1 };
    server.stream.send(message(1, 'schedule', summary));
    await vi.waitFor(() => expect(server.requestsTo('/schedule')).toHaveLength(3));
    server.stream.send(message(2, 'schedule', summary));
    server.stream.send(message(3, 'schedule', summary));
    release();
    await vi.waitFor(() => expect(server.requestsTo('/schedule')).toHaveLength(4));
    release();
    await vi.waitFor(() => expect(state.schedule?.version).toBe(5));
    expect(state.bars.map((b) => [b.key, b.machine, b.start])).toEqual([['O1#1', 2, T0 + H]]);
    expect([...state.selection]).toEqual(['O1#1']);
    expect(state.animating).toBe(true);
  });

  it('patches ETAs from eta messages and keeps pins current from pin messages', async () => {
    const state = await followed();
    server.stream.send(
      message(1, 'eta', {
        version: 4,
        causes: [],
        changes: [{ order: 'O1', eta: iso(T0 + 50 * H), previousEta: iso(T0), dueAt: iso(T0 + 40 * H), late: true, latenessMinutes: 600, reasons: [{ kind: 'work', minutes: 90 }] }],
      }),
    );
    await vi.waitFor(() => expect(state.orders.get('O1')?.late).toBe(true));
    expect(state.orders.get('O1')?.eta).toBe(iso(T0 + 50 * H));
    server.stream.send(message(2, 'pin', { type: 'pin.created', pin: pin('p1') }));
    await vi.waitFor(() => expect(state.activePins.map((p) => p.id)).toEqual(['p1']));
    server.stream.send(message(3, 'pin', { type: 'pin.unhonourable', pin: pin('p1', { state: 'unhonourable', note: 'off shift' }) }));
    await vi.waitFor(() => expect(state.activePins[0]?.note).toBe('off shift'));
    expect(state.pins).toHaveLength(2);
  });

  it('previews moves, switches mode, and commits them as a pin on the preview’s base version; undo unpins that commit', async () => {
    const state = await followed();
    const previewBodies: Record<string, unknown>[] = [];
    server.api.set('/schedule/preview', (_u: URL, init: RequestInit) => {
      previewBodies.push(bodyOf(init));
      return preview(3);
    });
    await state.previewMoves([move]);
    expect(state.preview?.result?.baseVersion).toBe(3);
    expect(state.ghosts).toEqual([{ key: 'O1#1', workCenter: 'LATHE', machine: 2, start: T0 + H, end: T0 + 2 * H }]);
    await state.setMode('exact');
    expect(previewBodies.map((b) => (b.moves as { mode: string }[])[0]!.mode)).toEqual(['queue', 'exact']);

    const commits: Record<string, unknown>[] = [];
    server.api.set('/pins', (_u: URL, init: RequestInit) => {
      if (init.method !== 'POST') return [];
      commits.push(bodyOf(init));
      return pin('p1', { commitId: 'c9', mode: 'exact', start: iso(T0 + H) });
    });
    await state.commit();
    expect(commits).toEqual([{ ...move, mode: 'exact', baseVersion: 3 }]);
    expect(state.preview).toBeNull();
    expect(state.lastCommitId).toBe('c9');
    expect(state.activePins.map((p) => p.id)).toEqual(['p1']);

    let undone = 0;
    server.api.set('/pins/undo', (_u: URL, init: RequestInit) => {
      expect(init.method).toBe('POST');
      // Only the commit this page made: never a colleague's, never an older one of its own.
      expect(bodyOf(init)).toEqual({ commitId: 'c9' });
      undone++;
      server.api.set('/pins', []);
      return [pin('p1', { commitId: 'c9', state: 'removed' })];
    });
    await state.undoLast();
    expect(undone).toBe(1);
    expect(state.activePins).toEqual([]);
    expect(state.lastCommitId).toBeNull();

    const deletes: string[] = [];
    server.api.set('/pins/p2', (_u: URL, init: RequestInit) => {
      deletes.push(String(init.method));
      return pin('p2', { state: 'removed' });
    });
    await state.unpin('p2');
    expect(deletes).toEqual(['DELETE']);
    expect(state.pins.find((p) => p.id === 'p2')?.state).toBe('removed');
  });

  it('commits several moves together, and on a stale base keeps the server’s words and previews again', async () => {
    const state = await followed();
    let base = 3;
    server.api.set('/schedule/preview', () => preview(base));
    const commits: Record<string, unknown>[] = [];
    server.api.set('/pins/batch', (_u: URL, init: RequestInit) => {
      commits.push(bodyOf(init));
      if (commits.length === 1) {
        base = 4;
        return new Response(JSON.stringify({ error: { code: 'conflict', message: 'O1 op 1 moved to machine 1' } }), { status: 409 });
      }
      return { pins: [pin('p1', { commitId: 'c2' }), pin('p2', { order: 'O2', commitId: 'c2' })] };
    });
    const moves = [move, { ...move, order: 'O2', machine: 1 }];
    await state.previewMoves(moves);
    await state.commit();
    expect(commits[0]).toEqual({ moves, baseVersion: 3 });
    expect(state.preview?.staleNote).toBe('O1 op 1 moved to machine 1');
    expect(state.preview?.result?.baseVersion).toBe(4);
    await state.commit();
    expect(commits[1]).toEqual({ moves, baseVersion: 4 });
    expect(state.lastCommitId).toBe('c2');
    expect(state.activePins.map((p) => p.id).sort()).toEqual(['p1', 'p2']);
  });

  it('ignores a preview answer that arrives after the planner cancelled', async () => {
    const state = await followed();
    let release!: () => void;
    server.api.set('/schedule/preview', async () => {
      await new Promise<void>((r) => (release = r));
      return preview(3);
    });
    const pending = state.previewMoves([move]);
    await vi.waitFor(() => expect(server.requestsTo('/schedule/preview')).toHaveLength(1));
    state.cancelPreview();
    release();
    await pending;
    expect(state.preview).toBeNull();
  });
});
