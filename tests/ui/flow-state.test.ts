import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlowMoves as FlowMovesClass } from '../../console/lib/flow/flow-moves.svelte.ts';
import type { PinBody, PinView } from '../../server/contract/plan.ts';
import type { ScheduledOperationView, ScheduleView } from '../../server/contract/schedule.ts';
import type { FlowData as FlowDataClass } from '../../ui/lib/flow/flow-data.svelte.ts';
import { json, loadAndFollow, message, useFakeServer, type FakeServer } from './fake-server.ts';
import { orderView } from './views.ts';

const fake = useFakeServer();
let server: FakeServer;
let FlowData: typeof FlowDataClass;
let FlowMoves: typeof FlowMovesClass;
let plan: ScheduleView;

const op = (order: string, start: string, over: Partial<ScheduledOperationView> = {}): ScheduledOperationView => ({
  order,
  seq: 1,
  workCenter: 'CUT',
  machine: 2,
  start: `2026-03-02T${start}:00.000Z`,
  end: `2026-03-02T${start}:30.000Z`,
  setupMinutes: 0,
  status: 'pending',
  pinned: false,
  frozen: false,
  late: false,
  ...over,
});

const planOf = (version: number, operations: ScheduledOperationView[], computedAt = '2026-03-02T08:00:00.000Z'): ScheduleView => ({
  version,
  computedAt,
  trigger: { kind: 'startup', causeId: null },
  solveMs: 5,
  figures: { weightedTardinessMinutes: 0, lateOrders: 0, makespan: null, movedOperations: 0 },
  operations,
  completed: [],
  problem: null,
});

const scheduleMessage = (id: number, version: number) =>
  message(id, 'schedule', { version, computedAt: '2026-03-02T08:00:00.000Z', trigger: { kind: 'pin', causeId: null }, causes: [], solveMs: 5, lateOrders: 0, operations: 3 });

beforeEach(async () => {
  server = fake.server;
  ({ FlowData } = await import('../../ui/lib/flow/flow-data.svelte.ts'));
  ({ FlowMoves } = await import('../../console/lib/flow/flow-moves.svelte.ts'));
  plan = planOf(7, [op('O1', '09:00'), op('O2', '10:00'), op('O3', '11:00')]);
  server.api.set('/schedule', () => plan);
  server.api.set('/work-centers', [{ code: 'CUT', name: 'Saw', line: 'L1', machines: 2, calendar: 'C', setupMatrix: [], wipLimit: 3 }]);
  server.api.set('/orders', [orderView('O1'), orderView('O2'), orderView('O3')]);
  server.api.set('/products', []);
});

async function followed() {
  const flow = new FlowData({ refreshMs: 0 });
  await loadAndFollow(server, flow);
  return flow;
}

const queueOf = (flow: FlowDataClass) => flow.lines[0]!.columns[0]!.queued.map((c) => c.order);

describe('FlowData', () => {
  it('loads the plan, the work centers, the open orders and the products: four requests for the whole board', async () => {
    const flow = new FlowData();
    await flow.load();
    expect(flow.loaded).toBe(true);
    expect(queueOf(flow)).toEqual(['O1', 'O2', 'O3']);
    expect(flow.lines[0]!.columns[0]).toMatchObject({ wip: 3, limitState: 'at' });
    expect(server.requests.map((u) => u.pathname).sort()).toEqual(['/api/v1/orders', '/api/v1/products', '/api/v1/schedule', '/api/v1/work-centers']);
    expect(server.requestsTo('/orders')[0]!.searchParams.get('status')).toBe('open');
  });

  it('reads the live pins only when asked, and without them still shows the board', async () => {
    const withPins = new FlowData({ withPins: true });
    await withPins.load();
    // No pins endpoint answering: the board loads all the same.
    expect(withPins.loaded).toBe(true);
    expect(withPins.pins).toEqual([]);
    server.api.set('/pins', [{ order: 'O3', seq: 1, mode: 'queue', start: '2026-03-02T08:30:00.000Z', state: 'active' }]);
    await withPins.load();
    expect(withPins.lines[0]!.columns[0]!.queued.find((c) => c.order === 'O3')?.queueAt).toBe('2026-03-02T08:30:00.000Z');
    const tv = new FlowData();
    await tv.load();
    expect(server.requestsTo('/pins')).toHaveLength(2);
  });

  it('re-fetches the plan, and only the plan, when a new version is announced', async () => {
    const flow = await followed();
    plan = planOf(8, [op('O3', '08:30'), op('O1', '09:00'), op('O2', '10:00')]);
    server.stream.send(scheduleMessage(1, 8));
    await vi.waitFor(() => expect(queueOf(flow)).toEqual(['O3', 'O1', 'O2']));
    expect(server.requestsTo('/schedule')).toHaveLength(2);
    expect(server.requestsTo('/orders')).toHaveLength(1);
    // The version on screen announced again: nothing to fetch.
    server.stream.send(scheduleMessage(2, 8));
    await new Promise((r) => setTimeout(r, 20));
    expect(server.requestsTo('/schedule')).toHaveLength(2);
  });

  it('fetches the orders again when the plan names one it does not know', async () => {
    const flow = await followed();
    plan = planOf(8, [...plan.operations, op('O4', '12:00')]);
    server.api.set('/orders', [orderView('O1'), orderView('O2'), orderView('O3'), orderView('O4', { quantity: 77 })]);
    server.stream.send(scheduleMessage(1, 8));
    await vi.waitFor(() => expect(flow.lines[0]!.columns[0]!.queued.at(-1)).toMatchObject({ order: 'O4', quantity: 77 }));
    expect(server.requestsTo('/orders')).toHaveLength(2);
  });
});

describe('FlowMoves', () => {
  const pinView = (body: PinBody): PinView => ({
    id: '1',
    order: body.order,
    seq: body.seq,
    workCenter: 'CUT',
    machine: body.machine ?? 1,
    start: body.start ?? null,
    mode: body.mode,
    state: 'active',
    note: null,
    noteCode: null,
    commitId: 'c1',
    baseVersion: body.baseVersion,
    createdBy: 'planner',
    createdAt: '2026-03-02T08:10:00.000Z',
    removedAt: null,
  });

  it('sends a queue pin on the card\u2019s machine between its new neighbours, then says where the new plan put it', async () => {
    const flow = await followed();
    const sent: PinBody[] = [];
    server.api.set('/pins', (_url: URL, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as PinBody;
      sent.push(body);
      return pinView(body);
    });
    const moves = new FlowMoves(flow, () => true);
    const column = flow.lines[0]!.columns[0]!;
    await moves.drop(column.queued[2]!, column, 'CUT', 0);
    expect(sent).toEqual([{ order: 'O3', seq: 1, machine: 2, start: '2026-03-02T08:59:00.000Z', mode: 'queue', baseVersion: 7 }]);
    expect(moves.notice).toMatchObject({ kind: 'replanning', order: 'O3' });

    // A plan computed before the pin was stored does not count as its result.
    plan = planOf(8, plan.operations, '2026-03-02T08:05:00.000Z');
    server.stream.send(scheduleMessage(1, 8));
    await vi.waitFor(() => expect(flow.schedule?.version).toBe(8));
    expect(moves.notice?.kind).toBe('replanning');

    plan = planOf(9, [op('O3', '08:59', { pinned: true }), op('O1', '09:00'), op('O2', '10:00')], '2026-03-02T08:10:01.000Z');
    server.stream.send(scheduleMessage(2, 9));
    await vi.waitFor(() => expect(moves.notice).toEqual({ kind: 'done', order: 'O3', seq: 1, workCenter: 'Saw', position: 1, count: 3 }));
  });

  it('on 409 pins nothing, re-fetches the plan and says why', async () => {
    const flow = await followed();
    server.api.set('/pins', () => json(409, { error: { code: 'conflict', message: 'O1 op 1 moved in plan 8' } }));
    const moves = new FlowMoves(flow, () => true);
    const column = flow.lines[0]!.columns[0]!;
    await moves.step(column.queued[1]!, column, 1);
    expect(moves.notice).toEqual({ kind: 'conflict', message: 'O1 op 1 moved in plan 8' });
    await vi.waitFor(() => expect(server.requestsTo('/schedule')).toHaveLength(2));
  });

  it('refuses without a request: read-only users, running and frozen cards, other columns, ahead of a frozen job', async () => {
    plan = planOf(7, [op('O0', '08:00', { status: 'running' }), op('O1', '09:00', { frozen: true }), op('O2', '10:00'), op('O3', '11:00')]);
    const flow = await followed();
    server.api.set('/pins', () => {
      throw new Error('no pin may be sent');
    });
    const column = flow.lines[0]!.columns[0]!;
    const [o1, o2, o3] = column.queued;
    const readOnly = new FlowMoves(flow, () => false);
    await readOnly.drop(o3!, column, 'CUT', 1);
    expect(readOnly.notice).toMatchObject({ kind: 'refused', why: 'read-only' });

    const moves = new FlowMoves(flow, () => true);
    await moves.step(column.running[0]!, column, 1);
    expect(moves.notice).toMatchObject({ kind: 'refused', order: 'O0', why: 'running' });
    await moves.drop(o1!, column, 'CUT', 2);
    expect(moves.notice).toMatchObject({ kind: 'refused', order: 'O1', why: 'frozen' });
    await moves.drop(o2!, column, 'MILL', 0);
    expect(moves.notice).toMatchObject({ kind: 'refused', why: { otherWorkCenter: 'Saw' } });
    await moves.step(o2!, column, -1);
    expect(moves.notice).toMatchObject({ kind: 'refused', why: 'ahead-of-frozen' });
    expect(server.requestsTo('/pins')).toHaveLength(0);
  });
});

describe('FlowMoves and the pin stream', () => {
  it('says when the pin just made cannot be kept, and ignores other pins', async () => {
    const flow = await followed();
    server.api.set('/pins', (_url: URL, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as PinBody;
      return { id: '5', order: body.order, seq: body.seq, createdAt: '2026-03-02T08:10:00.000Z' };
    });
    const moves = new FlowMoves(flow, () => true);
    server.stops.push(moves.follow());
    const column = flow.lines[0]!.columns[0]!;
    await moves.drop(column.queued[2]!, column, 'CUT', 0);
    const pin = (order: string, note: string): PinView => ({
      id: '5',
      order,
      seq: 1,
      workCenter: 'CUT',
      machine: 2,
      start: null,
      mode: 'queue',
      state: 'unhonourable',
      note,
      noteCode: 'pin_machine_down',
      commitId: 'c',
      baseVersion: 7,
      createdBy: 'p',
      createdAt: '2026-03-02T08:10:00.000Z',
      removedAt: null,
    });
    server.stream.send(message(1, 'pin', { type: 'pin.unhonourable', pin: pin('O1', 'not mine') }));
    server.stream.send(message(2, 'pin', { type: 'pin.unhonourable', pin: pin('O3', 'machine 2 is down until 14:00') }));
    await vi.waitFor(() => expect(moves.notice).toEqual({ kind: 'unhonourable', order: 'O3', seq: 1, note: 'machine 2 is down until 14:00', noteCode: 'pin_machine_down' }));
  });
});
