import { describe, expect, it, vi } from 'vitest';
import type { ScheduledOperationView, ScheduleView } from '$contract/schedule.ts';
import { xOf, zoomAt, zoomBounds } from '$console/plan/gantt-layout.ts';
import { GanttViewport, ZOOM_SETTLE_MS } from '$console/plan/gantt-viewport.svelte.ts';
import { barsByMachine, barsOf } from '$console/plan/plan-bars.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 0);
const iso = (ms: number) => new Date(ms).toISOString();

const op = (order: string, machine: number, startH: number, hours = 1): ScheduledOperationView => ({
  order,
  seq: 1,
  workCenter: machine > 2 ? 'MILL' : 'LATHE',
  machine: machine > 2 ? machine - 2 : machine,
  start: iso(T0 + startH * H),
  end: iso(T0 + (startH + hours) * H),
  setupMinutes: 0,
  status: 'pending',
  pinned: false,
  frozen: false,
  late: false,
});

const plan = (operations: ScheduledOperationView[]): ScheduleView => ({
  version: 1,
  computedAt: iso(T0),
  trigger: { kind: 'startup', causeId: null },
  solveMs: 1,
  figures: { weightedTardinessMinutes: 0, lateOrders: 0, makespan: null, movedOperations: 0 },
  operations,
  completed: [],
  problem: null,
});

function viewport(operations: ScheduledOperationView[]) {
  const byMachine = barsByMachine(barsOf(plan(operations)));
  const workCenters = [
    { code: 'LATHE', name: 'Lathe', line: 'L1', machines: 2 },
    { code: 'MILL', name: 'Mill', line: 'L2', machines: 1 },
  ];
  const v = new GanttViewport(() => ({ workCenters, byMachine }));
  v.view = { start: T0, pixelsPerHour: 10, width: 100 };
  return v;
}

describe('GanttViewport', () => {
  it('puts only the bars of the visible time in the DOM, where the time scale says, through the plane shift', () => {
    const v = viewport([op('A', 1, 1), op('B', 1, 20), op('C', 2, 9, 4), op('D', 3, 2)]);
    // 10 px an hour, 100 px wide: 10 hours are visible.
    expect(v.visibleBars.map((b) => b.bar.order).sort()).toEqual(['A', 'C', 'D']);
    for (const shown of v.visibleBars) expect(shown.x + v.planeShift).toBeCloseTo(xOf(v.view, shown.bar.start), 6);
    // Panning by less than a screen moves the plane, not the bars.
    const before = v.visibleBars.find((b) => b.bar.order === 'A')!.x;
    const shiftBefore = v.planeShift;
    // (dragging left shows later time: 5 px is half an hour)
    v.pan(-5);
    expect(v.visibleBars.find((b) => b.bar.order === 'A')!.x).toBe(before);
    expect(v.planeShift).toBeCloseTo(shiftBefore - 5, 6);
    // Far enough, B comes in and A leaves; positions on screen still follow the scale.
    v.pan(-150);
    expect(v.visibleBars.map((b) => b.bar.order)).toEqual(['B']);
    const b = v.visibleBars[0]!;
    expect(b.x + v.planeShift).toBeCloseTo(xOf(v.view, T0 + 20 * H), 6);
  });

  it('keeps rows out of the DOM below the fold, finds the row under a y, and collapses a line', () => {
    const v = viewport([op('A', 1, 1)]);
    v.height = 60;
    // Line L1 (28), LATHE (28), two machines (32 each), line L2, MILL, one machine.
    expect(v.totalHeight).toBe(28 + 28 + 32 + 32 + 28 + 28 + 32);
    expect(v.rowAt(60)).toMatchObject({ kind: 'machine', workCenter: 'LATHE', machine: 1 });
    expect(v.rowAt(100)).toMatchObject({ kind: 'machine', workCenter: 'LATHE', machine: 2 });
    expect(v.rowAt(10)).toMatchObject({ kind: 'line' });
    expect(v.rowAt(10_000)).toBeNull();
    expect(v.machineRow('MILL', 1)?.y).toBe(28 + 28 + 64 + 28 + 28);
    v.toggle('line:L1');
    expect(v.rows.map((r) => r.key)).toEqual(['line:L1', 'line:L2', 'wc:MILL', 'MILL#1']);
    v.toggle('line:L1');
    expect(v.rows).toHaveLength(7);
  });

  it('zooms by named level and snaps by it, and shows an instant a quarter from the left', () => {
    const v = viewport([]);
    v.zoomTo('hour');
    expect(v.view.pixelsPerHour).toBe(240);
    expect(v.snapStep).toBe(5 * 60_000);
    v.zoomTo('week');
    expect(v.snapStep).toBe(H);
    v.showAt(T0);
    expect(v.xOf(T0)).toBeCloseTo(v.view.width / 4, 6);
  });

  it('a wheel or pinch zoom only stretches until it rests, then lays out the view the steps add up to', () => {
    vi.useFakeTimers();
    try {
      const v = viewport([]);
      const before = v.view;
      v.zoomAt(30, 2);
      v.zoomAt(70, 1.5);
      v.zoomAt(10, 0.8);
      // Nothing laid out yet: the bars keep their boxes, one transform stretches them.
      expect(v.view).toBe(before);
      const direct = zoomAt(zoomAt(zoomAt(before, 30, 2), 70, 1.5), 10, 0.8);
      // The stretch maps every instant where the laid-out zoom will put it.
      for (const t of [T0, T0 + 3 * H, T0 + 9 * H]) expect(v.gesture!.a * xOf(before, t) + v.gesture!.b).toBeCloseTo(xOf(direct, t), 6);
      vi.advanceTimersByTime(ZOOM_SETTLE_MS + 1);
      expect(v.gesture).toBeNull();
      expect(v.view.pixelsPerHour).toBeCloseTo(direct.pixelsPerHour, 9);
      expect(v.view.start).toBeCloseTo(direct.start, 3);

      // The zoom bounds hold during the gesture too, and a pan lays a pending gesture out first.
      v.zoomAt(50, 1e9);
      v.pan(10);
      expect(v.gesture).toBeNull();
      expect(v.view.pixelsPerHour).toBe(zoomBounds.maxPixelsPerHour);
    } finally {
      vi.useRealTimers();
    }
  });
});
