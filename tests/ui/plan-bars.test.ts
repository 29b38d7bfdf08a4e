import { describe, expect, it } from 'vitest';
import type { PreviewView } from '$contract/plan.ts';
import type { ScheduledOperationView, ScheduleView } from '$contract/schedule.ts';
import { buildRows, packLanes } from '$console/plan/gantt-layout.ts';
import {
  barsByMachine,
  barsOf,
  barTone,
  dragBlock,
  drawRow,
  dropRefusal,
  etaVerdict,
  ghostsOf,
  movesForDrop,
  withMode,
  type GanttBar,
} from '$console/plan/plan-bars.ts';
import { shadeBands } from '$console/plan/plan-shading.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 8);
const iso = (ms: number) => new Date(ms).toISOString();

const op = (order: string, seq: number, machine: number, startH: number, endH: number, over: Partial<ScheduledOperationView> = {}): ScheduledOperationView => ({
  order,
  seq,
  workCenter: 'LATHE',
  machine,
  start: iso(T0 + startH * H),
  end: iso(T0 + endH * H),
  setupMinutes: 10,
  status: 'pending',
  pinned: false,
  frozen: false,
  late: false,
  ...over,
});

const schedule = (operations: ScheduledOperationView[], completed: ScheduleView['completed'] = []): ScheduleView => ({
  version: 7,
  computedAt: iso(T0),
  trigger: { kind: 'startup', causeId: null },
  solveMs: 12,
  figures: { weightedTardinessMinutes: 0, lateOrders: 0, makespan: null, movedOperations: 0 },
  operations,
  completed,
  problem: null,
});

const bar = (over: Partial<GanttBar> = {}): GanttBar => ({
  key: 'O1#1',
  order: 'O1',
  seq: 1,
  workCenter: 'LATHE',
  machine: 1,
  start: T0,
  end: T0 + H,
  setupMinutes: 0,
  state: 'pending',
  pinned: false,
  frozen: false,
  late: false,
  ...over,
});

describe('bars from the plan', () => {
  it('draws planned operations and completed ones where they really ran, never both for one operation', () => {
    const bars = barsOf(
      schedule(
        [op('O1', 2, 2, 1, 2, { pinned: true, late: true }), op('O2', 1, 1, 0, 1, { status: 'running' })],
        [
          { order: 'O1', seq: 1, workCenter: 'LATHE', machine: null, start: iso(T0 - 2 * H), end: iso(T0 - H) },
          // Listed as completed and still planned (a re-plan racing the completion): the plan's bar only.
          { order: 'O2', seq: 1, workCenter: 'LATHE', machine: 1, start: iso(T0 - H), end: iso(T0) },
        ],
      ),
    );
    expect(bars.map((b) => [b.key, b.machine, b.state])).toEqual([
      ['O1#1:done', 1, 'completed'],
      ['O1#2', 2, 'pending'],
      ['O2#1', 1, 'running'],
    ]);
    expect(bars[1]).toMatchObject({ start: T0 + H, end: T0 + 2 * H, pinned: true, late: true, setupMinutes: 10 });
    expect(barsOf(null)).toEqual([]);
  });

  it('groups bars per machine row, sorted, with lanes for overlaps and the longest bar', () => {
    const byMachine = barsByMachine(barsOf(schedule([op('B', 1, 1, 2, 5), op('A', 1, 1, 0, 1), op('C', 1, 1, 3, 4), op('D', 1, 2, 0, 1)])));
    const m1 = byMachine.get('LATHE#1')!;
    expect(m1.placed.map((p) => [p.bar.order, p.lane])).toEqual([
      ['A', 0],
      ['B', 0],
      ['C', 1],
    ]);
    expect(m1.lanes).toBe(2);
    expect(m1.maxDuration).toBe(3 * H);
    expect(byMachine.get('LATHE#2')!.lanes).toBe(1);
  });

  it('colours by the floor state first, then by the order being late', () => {
    expect(barTone(bar({ state: 'running', late: true }))).toBe('running');
    expect(barTone(bar({ state: 'held', late: true }))).toBe('held');
    expect(barTone(bar({ state: 'completed' }))).toBe('completed');
    expect(barTone(bar({ late: true }))).toBe('late');
    expect(barTone(bar())).toBe('pending');
  });
});

describe('what may be dragged and where', () => {
  it('keeps completed, running and frozen operations in place, and everything for a read-only role', () => {
    expect(dragBlock(bar(), true)).toBeNull();
    expect(dragBlock(bar({ state: 'held' }), true)).toBeNull();
    expect(dragBlock(bar(), false)).toBe('readOnly');
    expect(dragBlock(bar({ state: 'completed' }), true)).toBe('completed');
    expect(dragBlock(bar({ state: 'running' }), true)).toBe('running');
    expect(dragBlock(bar({ frozen: true }), true)).toBe('frozen');
  });

  it('takes a drop only on a machine of the operation’s work center', () => {
    expect(dropRefusal(bar(), { workCenter: 'LATHE', machine: 3 })).toBeNull();
    expect(dropRefusal(bar(), { workCenter: 'MILL', machine: 1 })).toEqual({ reason: 'workCenter', workCenter: 'LATHE' });
    expect(dropRefusal(bar(), null)).toEqual({ reason: 'notMachine' });
  });

  it('moves the grabbed bar to the target and the rest of the selection by the same time on their machines', () => {
    const grabbed = bar();
    const other = bar({ key: 'O2#3', order: 'O2', seq: 3, machine: 2, start: T0 + 2 * H, end: T0 + 3 * H });
    const moves = movesForDrop(grabbed, [grabbed, other], { workCenter: 'LATHE', machine: 3 }, T0 + 30 * 60_000, 'queue');
    expect(moves).toEqual([
      { order: 'O1', seq: 1, machine: 3, start: iso(T0 + 30 * 60_000), mode: 'queue' },
      { order: 'O2', seq: 3, machine: 2, start: iso(T0 + 2.5 * H), mode: 'queue' },
    ]);
    expect(withMode(moves, 'exact').map((m) => m.mode)).toEqual(['exact', 'exact']);
  });
});

describe('the preview on the chart', () => {
  it('draws a ghost where each moved operation would run', () => {
    const preview: PreviewView = {
      baseVersion: 7,
      feasible: true,
      problems: [],
      solveMs: 40,
      moved: [{ order: 'O1', seq: 1, workCenter: 'LATHE', machine: 3, start: iso(T0 + H), end: iso(T0 + 2 * H), previousMachine: 1, previousStart: iso(T0), previousEnd: iso(T0 + H) }],
      etaChanges: [],
      lateOrders: { before: 1, after: 0 },
    };
    expect(ghostsOf(preview)).toEqual([{ key: 'O1#1', workCenter: 'LATHE', machine: 3, start: T0 + H, end: T0 + 2 * H }]);
    expect(ghostsOf(null)).toEqual([]);
  });

  it('names how an ETA changes: lateness first, then the direction', () => {
    expect(etaVerdict({ minutes: 30, late: true, previousLate: false })).toBe('newlyLate');
    expect(etaVerdict({ minutes: -30, late: false, previousLate: true })).toBe('noLongerLate');
    expect(etaVerdict({ minutes: 30, late: true, previousLate: true })).toBe('later');
    expect(etaVerdict({ minutes: -5, late: false, previousLate: false })).toBe('earlier');
    expect(etaVerdict({ minutes: null, late: false, previousLate: false })).toBe('same');
  });
});

describe('shading', () => {
  const rows = buildRows([
    { code: 'LATHE', name: 'Lathe', line: 'L1', machines: 2 },
    { code: 'MILL', name: 'Mill', line: 'L1', machines: 1 },
  ]);
  const view = { start: T0, pixelsPerHour: 10, width: 240 };

  it('bands a work center’s closed time over all its machine rows, hatches downtime on its machine, and skips what is off screen', () => {
    const bands = shadeBands(
      {
        from: iso(T0),
        to: iso(T0 + 48 * H),
        workCenters: [
          {
            code: 'LATHE',
            closed: [
              { from: iso(T0 + 10 * H), to: iso(T0 + 18 * H) },
              { from: iso(T0 + 30 * H), to: iso(T0 + 38 * H) },
            ],
            downtime: [{ from: iso(T0 + H), to: iso(T0 + 3 * H), reason: 'breakdown', machine: 2, andonId: 'a1' }],
          },
          { code: 'MILL', closed: [], downtime: [{ from: iso(T0 - H), to: iso(T0 + H), reason: 'safety', machine: null, andonId: 'a2' }] },
          { code: 'GONE', closed: [{ from: iso(T0), to: iso(T0 + H) }], downtime: [] },
        ],
      },
      rows,
      view,
    );
    const lathe1 = rows.find((r) => r.key === 'LATHE#1')!;
    const lathe2 = rows.find((r) => r.key === 'LATHE#2')!;
    const mill = rows.find((r) => r.key === 'MILL#1')!;
    expect(bands).toEqual([
      { key: `c:LATHE:${iso(T0 + 10 * H)}`, x: 100, width: 80, y: lathe1.y, height: lathe1.height + lathe2.height, down: false },
      { key: 'd:a1', x: 10, width: 20, y: lathe2.y, height: lathe2.height, down: true },
      { key: 'd:a2', x: -1, width: 11, y: mill.y, height: mill.height, down: true },
    ]);
    expect(shadeBands(null, rows, view)).toEqual([]);
  });
});

describe('drawing a row', () => {
  it('draws bars wide enough one by one, and merges runs of narrow neighbours in a lane into one box', () => {
    const at = (key: string, startH: number, hours: number, late = false) => bar({ key, order: key, start: T0 + startH * H, end: T0 + (startH + hours) * H, late });
    const { placed } = packLanes([at('wide', 0, 2), at('n1', 2, 0.5), at('n2', 2.5, 0.5, true), at('n3', 3, 0.5), at('gap', 6, 0.5), at('wide2', 7, 2)]);
    // 10 px an hour: half-hour bars are 5 px, under the 8 px a bar needs to be told apart.
    const drawn = drawRow(placed, { start: T0, pixelsPerHour: 10, width: 200 }, 100);
    expect(drawn.map((d) => [d.key, d.x, d.width, d.cluster?.map((b) => b.key) ?? null])).toEqual([
      ['wide', 0, 20, null],
      ['cluster:n1', 20, 15, ['n1', 'n2', 'n3']],
      ['gap', 60, 5, null],
      ['wide2', 70, 20, null],
    ]);
    expect(drawn[0]!.y).toBe(103);
    // Zoomed in, the same bars are drawn one by one again.
    expect(drawRow(placed, { start: T0, pixelsPerHour: 60, width: 600 }, 0).every((d) => d.cluster === null)).toBe(true);
  });
});
