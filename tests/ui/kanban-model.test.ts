import { describe, expect, it } from 'vitest';
import type { Product, WorkCenter } from '../../server/contract/master-data.ts';
import type { ScheduledOperationView } from '../../server/contract/schedule.ts';
import {
  anyMissing,
  cardsShown,
  dragBlockOf,
  dropResult,
  insertionIndex,
  kanbanLines,
  kanbanPages,
  limitStateOf,
  type KanbanColumn,
} from '../../ui/lib/flow/kanban-model.ts';
import { orderView } from './views.ts';

const at = (hhmm: string) => `2026-03-02T${hhmm}:00.000Z`;

const op = (order: string, seq: number, workCenter: string, start: string, over: Partial<ScheduledOperationView> = {}): ScheduledOperationView => ({
  order,
  seq,
  workCenter,
  machine: 1,
  start: at(start),
  end: at(start.replace(/^(\d\d)/, (h) => String(Number(h) + 1).padStart(2, '0'))),
  setupMinutes: 10,
  status: 'pending',
  pinned: false,
  frozen: false,
  late: false,
  ...over,
});

const center = (code: string, line: string, wipLimit: number | null = null): WorkCenter => ({
  code,
  name: `${code} name`,
  line,
  machines: 1,
  calendar: 'ALWAYS',
  setupMatrix: [],
  wipLimit,
  lateStartMinutes: 15,
});

const product: Product = {
  code: 'P1',
  name: 'Shaft',
  family: null,
  routing: [
    { seq: 1, workCenter: 'CUT', setupMinutes: 10, runMinutesPerUnit: 0.5, minTransferMinutes: 0, description: 'Saw' },
    { seq: 2, workCenter: 'MILL', setupMinutes: 20, runMinutesPerUnit: 2, minTransferMinutes: 0, description: null },
  ],
  bom: [],
};

describe('kanban columns', () => {
  const lines = kanbanLines({
    operations: [
      op('O3', 1, 'CUT', '11:00'),
      op('O1', 1, 'CUT', '09:00', { status: 'running' }),
      op('O2', 1, 'CUT', '10:00', { status: 'held', pinned: true, late: true }),
      op('O1', 2, 'MILL', '12:00', { setupMinutes: 15 }),
      op('X9', 1, 'GONE', '08:00'),
    ],
    workCenters: [center('MILL', 'L1', 2), center('PACK', 'L2', 1), center('CUT', 'L1', 3)],
    orders: [orderView('O1', { product: 'P1', quantity: 40 }), orderView('O2', { product: 'P1', quantity: 10 }), orderView('O3', { product: 'NOPE', quantity: 5 })],
    products: [product],
  });
  const column = (code: string) => lines.flatMap((l) => l.columns).find((c) => c.code === code)!;

  it('groups work centers by line, in line then code order; a work center the page does not know still shows', () => {
    expect(lines.map((l) => [l.line, l.columns.map((c) => c.code)])).toEqual([
      ['', ['GONE']],
      ['L1', ['CUT', 'MILL']],
      ['L2', ['PACK']],
    ]);
    expect(column('GONE')).toMatchObject({ name: 'GONE', wipLimit: null, limitState: 'none' });
  });

  it('puts running jobs first, then the queue in planned start order (held jobs stay in the queue)', () => {
    expect(column('CUT').running.map((c) => c.order)).toEqual(['O1']);
    expect(column('CUT').queued.map((c) => [c.order, c.status])).toEqual([
      ['O2', 'held'],
      ['O3', 'pending'],
    ]);
    expect(column('PACK').running).toEqual([]);
    expect(column('PACK').queued).toEqual([]);
  });

  it('fills cards from the order and the routing: quantity, due, routing length, step name', () => {
    const [o2] = column('CUT').queued;
    expect(o2).toMatchObject({ order: 'O2', seq: 1, quantity: 10, dueAt: '2026-03-05T16:00:00.000Z', operations: 2, stepName: 'Saw', pinned: true, late: true });
    // Product unknown: no routing length or step name, but the order's quantity.
    expect(column('CUT').queued[1]).toMatchObject({ order: 'O3', quantity: 5, operations: null, stepName: null });
    // Order unknown: nothing from the order list.
    expect(column('GONE').queued[0]).toMatchObject({ quantity: null, dueAt: null, operations: null });
  });

  it('counts WIP as running + queued, and queued work as setup + run time x quantity', () => {
    // CUT: O1 running, O2 (10 setup + 0.5 x 10) and O3 (routing unknown: its 60-minute planned span) queued.
    expect(column('CUT')).toMatchObject({ wip: 3, wipLimit: 3, limitState: 'at', queuedMinutes: 15 + 60 });
    // MILL: the plan's sequence-dependent setup (15), not the routing's (20), plus 2 x 40.
    expect(column('MILL')).toMatchObject({ wip: 1, wipLimit: 2, limitState: 'under', queuedMinutes: 95 });
    expect(column('PACK')).toMatchObject({ wip: 0, limitState: 'under', queuedMinutes: 0 });
  });

  it('reads the limit state: none without a limit, amber at it, red over it', () => {
    expect(limitStateOf(5, null)).toBe('none');
    expect(limitStateOf(5, undefined)).toBe('none');
    expect(limitStateOf(2, 3)).toBe('under');
    expect(limitStateOf(3, 3)).toBe('at');
    expect(limitStateOf(4, 3)).toBe('over');
  });
});

describe('dragging and dropping a card', () => {
  const queue = (...cards: [string, string, Partial<ScheduledOperationView>?][]): Pick<KanbanColumn, 'code' | 'queued'> => ({
    code: 'CUT',
    queued: kanbanLines({
      operations: cards.map(([order, start, over]) => op(order, 1, 'CUT', start, over)),
      workCenters: [center('CUT', 'L1')],
      orders: [],
      products: [],
    })[0]!.columns[0]!.queued,
  });
  const column = queue(['A', '09:00'], ['B', '10:00'], ['C', '11:00'], ['D', '12:00']);
  const card = (order: string) => column.queued.find((c) => c.order === order)!;

  it('starts between the new neighbours: their midpoint', () => {
    // D between A and B.
    expect(dropResult(column, card('D'), 'CUT', 1)).toEqual({ kind: 'move', index: 1, start: at('09:30') });
    // A down between C and D (index in the queue without A).
    expect(dropResult(column, card('A'), 'CUT', 2)).toEqual({ kind: 'move', index: 2, start: at('11:30') });
  });

  it('joins a minute before the first or after the last', () => {
    expect(dropResult(column, card('C'), 'CUT', 0)).toEqual({ kind: 'move', index: 0, start: '2026-03-02T08:59:00.000Z' });
    expect(dropResult(column, card('A'), 'CUT', 3)).toEqual({ kind: 'move', index: 3, start: '2026-03-02T12:01:00.000Z' });
    expect(dropResult(column, card('B'), 'CUT', 3)).toEqual({ kind: 'move', index: 3, start: '2026-03-02T12:01:00.000Z' });
    // Past the end is the end.
    expect(dropResult(column, card('B'), 'CUT', 99)).toEqual({ kind: 'move', index: 3, start: '2026-03-02T12:01:00.000Z' });
  });

  it('sends nothing for a drop where the card already is', () => {
    expect(dropResult(column, card('B'), 'CUT', 1)).toEqual({ kind: 'same' });
    expect(dropResult(queue(['A', '09:00']), card('A'), 'CUT', 0)).toEqual({ kind: 'same' });
  });

  it('gives equal neighbour starts that start', () => {
    const tie = queue(['A', '09:00'], ['B', '10:00'], ['C', '10:00']);
    const a = tie.queued[0]!;
    expect(dropResult(tie, a, 'CUT', 1)).toEqual({ kind: 'move', index: 1, start: at('10:00') });
  });

  it('takes a queue-pinned neighbour’s queue time, not its planned start: the engine orders by it', () => {
    const input = {
      operations: [op('A', 1, 'CUT', '09:00', { frozen: true }), op('C', 1, 'CUT', '10:10', { pinned: true }), op('B', 1, 'CUT', '10:20', { pinned: true })],
      workCenters: [center('CUT', 'L1')],
      orders: [],
      products: [],
      // C was pinned to join the queue at 09:30 and starts at 10:10, once A is done.
      pins: [{ order: 'C', seq: 1, mode: 'queue' as const, start: at('09:30') }, { order: 'B', seq: 1, mode: 'exact' as const, start: at('10:20') }],
    };
    const pinned = kanbanLines(input)[0]!.columns[0]!;
    expect(pinned.queued.map((c) => [c.order, c.queueAt])).toEqual([
      ['A', null],
      ['C', at('09:30')],
      ['B', null],
    ]);
    // B between A and C: between 09:00 and 09:30, where C's planned start (10:10) would leave it behind C.
    expect(dropResult(pinned, pinned.queued[2]!, 'CUT', 1)).toEqual({ kind: 'move', index: 1, start: at('09:15') });
    // Last behind C: a minute after B's planned start, B being exact-pinned.
    expect(dropResult(pinned, pinned.queued[1]!, 'CUT', 2)).toEqual({ kind: 'move', index: 2, start: '2026-03-02T10:21:00.000Z' });
  });

  it('refuses another column, naming the work center the card belongs to', () => {
    expect(dropResult(column, card('B'), 'MILL', 0)).toEqual({ kind: 'other-work-center', workCenter: 'CUT' });
  });

  it('refuses a place ahead of a frozen job', () => {
    const frozen = queue(['A', '09:00', { frozen: true }], ['B', '10:00'], ['C', '11:00']);
    const c = frozen.queued[2]!;
    expect(dropResult(frozen, c, 'CUT', 0)).toEqual({ kind: 'ahead-of-frozen' });
    expect(dropResult(frozen, c, 'CUT', 1)).toEqual({ kind: 'move', index: 1, start: at('09:30') });
  });

  it('does not drag running or frozen cards', () => {
    expect(dragBlockOf({ status: 'running', frozen: false })).toBe('running');
    expect(dragBlockOf({ status: 'running', frozen: true })).toBe('running');
    expect(dragBlockOf({ status: 'pending', frozen: true })).toBe('frozen');
    expect(dragBlockOf({ status: 'held', frozen: false })).toBeNull();
    expect(dragBlockOf({ status: 'pending', frozen: false })).toBeNull();
  });

  it('finds the slot under the pointer from the cards\u2019 middles', () => {
    const middles = [100, 160, 220];
    expect(insertionIndex(middles, 20)).toBe(0);
    expect(insertionIndex(middles, 130)).toBe(1);
    expect(insertionIndex(middles, 219)).toBe(2);
    expect(insertionIndex(middles, 400)).toBe(3);
    expect(insertionIndex([], 50)).toBe(0);
  });
});

describe('the TV layout', () => {
  const columns = (line: string, n: number) => ({
    line,
    columns: Array.from({ length: n }, (_, i) => ({ code: `${line}-${i}` }) as KanbanColumn),
  });
  const shape = (pages: ReturnType<typeof kanbanPages>) => pages.map((p) => p.map((l) => `${l.line}:${l.columns.length}`));

  it('keeps whole lines on a page while they fit, and splits a line wider than a page', () => {
    expect(shape(kanbanPages([columns('L1', 4), columns('L2', 4), columns('L3', 2)], 6))).toEqual([['L1:4'], ['L2:4', 'L3:2']]);
    expect(shape(kanbanPages([columns('L1', 2), columns('L2', 3)], 6))).toEqual([['L1:2', 'L2:3']]);
    expect(shape(kanbanPages([columns('L1', 1), columns('L2', 14), columns('L3', 1)], 6))).toEqual([['L1:1'], ['L2:6'], ['L2:6'], ['L2:2', 'L3:1']]);
    expect(shape(kanbanPages([], 6))).toEqual([[]]);
  });

  it('cuts a long column to what fits, the last slot counting the rest', () => {
    const cards = (n: number) => Array.from({ length: n }, (_, i) => ({ order: `O${i}` }) as KanbanColumn['queued'][number]);
    const column = { running: cards(1), queued: cards(7) };
    expect(cardsShown(column, 8)).toMatchObject({ hidden: 0 });
    expect(cardsShown(column, 8).cards).toHaveLength(8);
    const cut = cardsShown(column, 5);
    expect(cut.cards).toHaveLength(4);
    expect(cut.hidden).toBe(4);
    expect(cut.cards[0]).toBe(column.running[0]);
  });
});

describe('anyMissing', () => {
  it('says whether the plan names something the page has not loaded', () => {
    expect(anyMissing(['O1', 'O2'], ['O1', 'O2', 'O3'])).toBe(false);
    expect(anyMissing(['O1', 'O4'], ['O1', 'O2'])).toBe(true);
    expect(anyMissing([], [])).toBe(false);
  });
});
