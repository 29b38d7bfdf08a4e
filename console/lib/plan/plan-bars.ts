/**
 * What the planner Gantt draws and what a drag may do, as pure functions over the API's views: the
 * bars per machine row (planned operations, and completed ones as they really ran), each bar's tone,
 * why a bar does not drag, whether a row takes a dropped bar, the moves a drop asks the server to
 * preview, and the ghosts a preview leaves on the chart. The rules that decide the plan stay on the
 * server; these only say what the planner may ask for. Tested without a DOM (tests/ui/plan-bars.test.ts).
 */
import type { MoveMode, PlanMove, PreviewView } from '$contract/plan.ts';
import type { ScheduleView } from '$contract/schedule.ts';
import { barBox, machineKey, packLanes, type PlacedBar, type TimeView } from './gantt-layout.ts';

/**
 * - pending: planned, not started; held: planned but stopped by a material or quality alert.
 * - running: started on the floor; completed: drawn where it really ran (actual, not plan).
 */
export type BarState = 'pending' | 'held' | 'running' | 'completed';

export interface GanttBar {
  /** `order#seq`; a completed bar gets its own key, so actual and plan never collide. */
  key: string;
  order: string;
  seq: number;
  workCenter: string;
  machine: number;
  start: number;
  end: number;
  setupMinutes: number;
  state: BarState;
  pinned: boolean;
  frozen: boolean;
  late: boolean;
}

export const isoOf = (ms: number): string => new Date(ms).toISOString();

export const barKey = (order: string, seq: number) => `${order}#${seq}`;

/** A machine row's bars sorted by start, their lanes, and the longest bar (for the visible window). */
export interface MachineBars {
  placed: PlacedBar<GanttBar>[];
  lanes: number;
  maxDuration: number;
}

/** Planned bars from the schedule and actual bars of completed operations (machine unknown: the first). */
export function barsOf(schedule: ScheduleView | null): GanttBar[] {
  if (!schedule) return [];
  const planned = schedule.operations.map(
    (op): GanttBar => ({
      key: barKey(op.order, op.seq),
      order: op.order,
      seq: op.seq,
      workCenter: op.workCenter,
      machine: op.machine,
      start: Date.parse(op.start),
      end: Date.parse(op.end),
      setupMinutes: op.setupMinutes,
      state: op.status,
      pinned: op.pinned,
      frozen: op.frozen,
      late: op.late,
    }),
  );
  const plannedKeys = new Set(planned.map((b) => b.key));
  const completed = schedule.completed
    // A re-plan racing the completion can list an operation in both; the plan's bar wins until the next one.
    .filter((op) => !plannedKeys.has(barKey(op.order, op.seq)))
    .map(
      (op): GanttBar => ({
        key: `${barKey(op.order, op.seq)}:done`,
        order: op.order,
        seq: op.seq,
        workCenter: op.workCenter,
        machine: op.machine ?? 1,
        start: Date.parse(op.start),
        end: Date.parse(op.end),
        setupMinutes: 0,
        state: 'completed',
        pinned: false,
        frozen: false,
        late: false,
      }),
    );
  return [...completed, ...planned];
}

export function barsByMachine(bars: readonly GanttBar[]): Map<string, MachineBars> {
  const grouped = new Map<string, GanttBar[]>();
  for (const bar of bars) {
    const key = machineKey(bar.workCenter, bar.machine);
    const list = grouped.get(key);
    if (list) list.push(bar);
    else grouped.set(key, [bar]);
  }
  const out = new Map<string, MachineBars>();
  for (const [key, list] of grouped) {
    const { placed, lanes } = packLanes(list);
    out.set(key, { placed, lanes, maxDuration: list.reduce((max, b) => Math.max(max, b.end - b.start), 0) });
  }
  return out;
}

/** The colour a bar gets: the floor's state first, then the order's lateness. Pins and frozen are marks on top. */
export type BarTone = 'completed' | 'held' | 'running' | 'late' | 'pending';

export function barTone(bar: GanttBar): BarTone {
  if (bar.state === 'completed' || bar.state === 'held' || bar.state === 'running') return bar.state;
  return bar.late ? 'late' : 'pending';
}

/** Why a bar does not drag; null when it does. `readOnly`: the viewer's role may look, not move. */
export type DragBlock = 'readOnly' | 'completed' | 'running' | 'frozen';

export function dragBlock(bar: GanttBar, canEdit: boolean): DragBlock | null {
  if (!canEdit) return 'readOnly';
  if (bar.state === 'completed') return 'completed';
  if (bar.state === 'running') return 'running';
  if (bar.frozen) return 'frozen';
  return null;
}

/** Where a dragged bar would land: a machine row, or something that is not one (a header, nothing). */
export interface DropTarget {
  workCenter: string;
  machine: number;
}

/** A machine takes the bar only when it belongs to the operation's work center (the routing's choice). */
export function dropRefusal(bar: GanttBar, target: DropTarget | null): { reason: 'notMachine' } | { reason: 'workCenter'; workCenter: string } | null {
  if (!target) return { reason: 'notMachine' };
  if (target.workCenter !== bar.workCenter) return { reason: 'workCenter', workCenter: bar.workCenter };
  return null;
}

/**
 * The moves one drop asks for: the grabbed bar goes to the target machine at its new start; the other
 * selected bars keep their machines and shift by the same time, as the planner saw them move together.
 */
export function movesForDrop(grabbed: GanttBar, others: readonly GanttBar[], target: DropTarget, newStart: number, mode: MoveMode): PlanMove[] {
  const shift = newStart - grabbed.start;
  const move = (bar: GanttBar, machine: number, start: number): PlanMove => ({ order: bar.order, seq: bar.seq, machine, start: isoOf(start), mode });
  return [move(grabbed, target.machine, newStart), ...others.filter((b) => b.key !== grabbed.key).map((b) => move(b, b.machine, b.start + shift))];
}

/** The same moves in another mode (the preview's queue / exact switch). */
export const withMode = (moves: readonly PlanMove[], mode: MoveMode): PlanMove[] => moves.map((m) => ({ ...m, mode }));

/** A bar the preview would move, drawn as a ghost at its new place. */
export interface GhostBar {
  key: string;
  workCenter: string;
  machine: number;
  start: number;
  end: number;
}

export function ghostsOf(preview: PreviewView | null): GhostBar[] {
  if (!preview) return [];
  return preview.moved.map((m) => ({
    key: barKey(m.order, m.seq),
    workCenter: m.workCenter,
    machine: m.machine,
    start: Date.parse(m.start),
    end: Date.parse(m.end),
  }));
}

/** How one order's ETA changes in a preview, in the words the list shows. */
export type EtaVerdict = 'newlyLate' | 'noLongerLate' | 'later' | 'earlier' | 'same';

export function etaVerdict(change: { minutes: number | null; late: boolean; previousLate: boolean }): EtaVerdict {
  if (change.late && !change.previousLate) return 'newlyLate';
  if (!change.late && change.previousLate) return 'noLongerLate';
  if (change.minutes === null || change.minutes === 0) return 'same';
  return change.minutes > 0 ? 'later' : 'earlier';
}

export const indexBars = (bars: readonly GanttBar[]): ReadonlyMap<string, GanttBar> => new Map(bars.map((b) => [b.key, b]));

/** Lane count per machine row, for the row heights. */
export function laneCounts(byMachine: ReadonlyMap<string, MachineBars>): ReadonlyMap<string, number> {
  return new Map([...byMachine].map(([key, bars]) => [key, bars.lanes]));
}

/** Keys of the operations the plan still has: a selection keeps only these after a re-plan. */
export const plannedKeys = (schedule: ScheduleView | null): ReadonlySet<string> => new Set((schedule?.operations ?? []).map((op) => barKey(op.order, op.seq)));

/** A box to draw: one bar, or (`cluster`) a run of bars too narrow to tell apart, drawn as one. */
export interface DrawnBar {
  key: string;
  /** The bar itself, or the first of the cluster. */
  bar: GanttBar;
  x: number;
  y: number;
  width: number;
  height: number;
  cluster: GanttBar[] | null;
}

/** Narrower than this a bar shows neither label nor grip: zoomed out, such neighbours merge. */
export const MIN_BAR_PIXELS = 8;
const CLUSTER_GAP_PIXELS = 2;

/**
 * One machine row's boxes on `view`: bars as they are, except runs of narrow bars in a lane, which
 * merge into one box. Zoomed out on a dense plan this keeps thousands of slivers out of the DOM (one
 * box per busy stretch of a machine); zooming in splits them again.
 */
export function drawRow(placed: readonly PlacedBar<GanttBar>[], view: TimeView, rowY: number): DrawnBar[] {
  const out: DrawnBar[] = [];
  const openByLane: (DrawnBar | undefined)[] = [];
  for (const { bar, lane } of placed) {
    const box = barBox(view, bar, lane);
    const narrow = box.width < MIN_BAR_PIXELS;
    const open = openByLane[lane];
    if (narrow && open && box.x - (open.x + open.width) < CLUSTER_GAP_PIXELS) {
      open.width = Math.max(open.width, box.x + box.width - open.x);
      open.cluster = [...(open.cluster ?? [open.bar]), bar];
      open.key = `cluster:${open.bar.key}`;
      continue;
    }
    const drawn: DrawnBar = { key: bar.key, bar, x: box.x, y: rowY + box.y, width: box.width, height: box.height, cluster: null };
    out.push(drawn);
    openByLane[lane] = narrow ? drawn : undefined;
  }
  return out;
}
