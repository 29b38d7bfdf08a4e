/**
 * The planner Gantt's geometry, as pure functions: the time scale and its ticks, the rows (lines ->
 * work centers -> machines, collapsible), lanes for bars that overlap on one machine, the windows of
 * rows and bars that are visible (only those reach the DOM), and snapping. Svelte only draws what
 * these return, so all of it is tested without a browser (tests/ui/gantt-layout.test.ts).
 *
 * Terms
 * - Instant: epoch milliseconds. x: pixels from the left of the time area; y: pixels from its top.
 * - Zoom: how many pixels an hour takes; the named levels are the buttons, ctrl+wheel zooms freely
 *   between the bounds.
 */
import { scaleUtc, type ScaleTime } from 'd3-scale';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const zoomLevels = { hour: 240, shift: 60, day: 12, week: 2 } as const;
export type ZoomLevel = keyof typeof zoomLevels;
/** Wheel and pinch zoom stay between a week on a laptop screen and minutes you can click. */
export const zoomBounds = { minPixelsPerHour: 0.5, maxPixelsPerHour: 960 } as const;

/** What the time axis shows: `start` is the instant at x = 0, `width` the time area in pixels. */
export interface TimeView {
  start: number;
  pixelsPerHour: number;
  width: number;
}

export function timeScale(view: TimeView): ScaleTime<number, number> {
  return scaleUtc().domain([new Date(view.start), new Date(endOf(view))]).range([0, view.width]);
}

/** The last instant visible. */
export function endOf(view: TimeView): number {
  return view.start + (view.width / view.pixelsPerHour) * HOUR_MS;
}

export const xOf = (view: TimeView, instant: number): number => ((instant - view.start) / HOUR_MS) * view.pixelsPerHour;
export const instantAt = (view: TimeView, x: number): number => view.start + (x / view.pixelsPerHour) * HOUR_MS;

/** Pans by a drag of `dx` pixels (dragging right shows earlier time). */
export function pan(view: TimeView, dx: number): TimeView {
  return { ...view, start: view.start - (dx / view.pixelsPerHour) * HOUR_MS };
}

/** Zooms by `factor` keeping the instant under `x` (the cursor or the pinch centre) where it is. */
export function zoomAt(view: TimeView, x: number, factor: number): TimeView {
  const anchor = instantAt(view, x);
  const pixelsPerHour = Math.min(zoomBounds.maxPixelsPerHour, Math.max(zoomBounds.minPixelsPerHour, view.pixelsPerHour * factor));
  return { ...view, pixelsPerHour, start: anchor - (x / pixelsPerHour) * HOUR_MS };
}

/** A named zoom level, centred on the same instant as before. */
export function zoomTo(view: TimeView, level: ZoomLevel): TimeView {
  return zoomAt(view, view.width / 2, zoomLevels[level] / view.pixelsPerHour);
}

/**
 * Tick spacing chosen from the pixels a day takes, as frePPLe's Gantt does: ticks at least ~60 px
 * apart, on intervals a planner reads (15 min, 1 h, 2 h, 4 h, 8 h, a day, a week).
 */
const tickIntervals = [15 * MINUTE_MS, 30 * MINUTE_MS, HOUR_MS, 2 * HOUR_MS, 4 * HOUR_MS, 8 * HOUR_MS, DAY_MS, 7 * DAY_MS] as const;
const MIN_TICK_PIXELS = 60;

export function tickInterval(view: TimeView): number {
  const pixelsPerMs = view.pixelsPerHour / HOUR_MS;
  return tickIntervals.find((ms) => ms * pixelsPerMs >= MIN_TICK_PIXELS) ?? 7 * DAY_MS;
}

/**
 * Tick instants across the view, aligned to the interval in the plant's time zone: `offsetMs` is the
 * zone's offset from UTC at the view (e.g. +8 h for Asia/Shanghai), so day ticks fall on local midnight.
 */
export function ticks(view: TimeView, offsetMs = 0): number[] {
  const step = tickInterval(view);
  const end = endOf(view);
  const first = Math.ceil((view.start + offsetMs) / step) * step - offsetMs;
  const out: number[] = [];
  for (let t = first; t <= end; t += step) out.push(t);
  return out;
}

/** Drag snapping follows the zoom: 5 min when an hour is wide, 15 min at shift level, an hour beyond. */
export function snapStepMs(view: TimeView): number {
  if (view.pixelsPerHour >= 120) return 5 * MINUTE_MS;
  if (view.pixelsPerHour >= 30) return 15 * MINUTE_MS;
  return HOUR_MS;
}

export function snap(instant: number, stepMs: number, offsetMs = 0): number {
  return Math.round((instant + offsetMs) / stepMs) * stepMs - offsetMs;
}

// ---- Rows -------------------------------------------------------------------------------------

export interface WorkCenterRowsInput {
  code: string;
  name: string;
  line: string;
  machines: number;
}

export type GanttRow =
  | { kind: 'line'; key: string; line: string; y: number; height: number; collapsed: boolean }
  | { kind: 'workCenter'; key: string; line: string; workCenter: string; name: string; y: number; height: number; collapsed: boolean }
  | { kind: 'machine'; key: string; line: string; workCenter: string; machine: number; y: number; height: number; lanes: number };

export interface RowHeights {
  header: number;
  /** One lane of bars; a machine row with overlapping bars is that many lanes tall. */
  lane: number;
}

export const DEFAULT_ROW_HEIGHTS: RowHeights = { header: 28, lane: 32 };

export const machineKey = (workCenter: string, machine: number) => `${workCenter}#${machine}`;

/**
 * The rows top to bottom: a line header, its work centers (each a header), their machines. Collapsed
 * lines and work centers keep their header and hide what is under them. `lanes` gives the lane count
 * per machine row (from `packLanes`), 1 when absent.
 */
export function buildRows(
  workCenters: WorkCenterRowsInput[],
  options: { collapsed?: ReadonlySet<string>; lanes?: ReadonlyMap<string, number>; heights?: RowHeights } = {},
): GanttRow[] {
  const collapsed = options.collapsed ?? new Set<string>();
  const heights = options.heights ?? DEFAULT_ROW_HEIGHTS;
  const rows: GanttRow[] = [];
  let y = 0;
  const byLine = new Map<string, WorkCenterRowsInput[]>();
  for (const wc of workCenters) byLine.set(wc.line, [...(byLine.get(wc.line) ?? []), wc]);
  for (const [line, centers] of byLine) {
    const lineKey = `line:${line}`;
    const lineCollapsed = collapsed.has(lineKey);
    rows.push({ kind: 'line', key: lineKey, line, y, height: heights.header, collapsed: lineCollapsed });
    y += heights.header;
    if (lineCollapsed) continue;
    for (const wc of centers) {
      const wcKey = `wc:${wc.code}`;
      const wcCollapsed = collapsed.has(wcKey);
      rows.push({ kind: 'workCenter', key: wcKey, line, workCenter: wc.code, name: wc.name, y, height: heights.header, collapsed: wcCollapsed });
      y += heights.header;
      if (wcCollapsed) continue;
      for (let machine = 1; machine <= wc.machines; machine++) {
        const key = machineKey(wc.code, machine);
        const lanes = Math.max(1, options.lanes?.get(key) ?? 1);
        rows.push({ kind: 'machine', key, line, workCenter: wc.code, machine, y, height: lanes * heights.lane, lanes });
        y += lanes * heights.lane;
      }
    }
  }
  return rows;
}

export const totalHeight = (rows: GanttRow[]): number => {
  const last = rows.at(-1);
  return last ? last.y + last.height : 0;
};

/** Rows intersecting [top, top + height], plus `overscan` rows each side; binary search on y. */
export function visibleRows(rows: GanttRow[], top: number, height: number, overscan = 4): GanttRow[] {
  const first = Math.max(0, firstIndex(rows.length, (i) => rowAt(rows, i).y + rowAt(rows, i).height > top) - overscan);
  const end = Math.min(rows.length, firstIndex(rows.length, (i) => rowAt(rows, i).y >= top + height) + overscan);
  return rows.slice(first, end);
}

function rowAt(rows: GanttRow[], i: number): GanttRow {
  const row = rows[i];
  if (!row) throw new RangeError(`row ${i} of ${rows.length}`);
  return row;
}

/** The first index in [0, n) for which the monotonic `test` holds, or n. */
function firstIndex(n: number, test: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (test(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ---- Bars -------------------------------------------------------------------------------------

export interface BarInput {
  key: string;
  start: number;
  end: number;
}

export interface PlacedBar<B extends BarInput> {
  bar: B;
  lane: number;
}

/**
 * Lanes for one machine's bars: a machine runs one job at a time, so bars normally share lane 0; bars
 * that overlap (a conflict the planner must see, never hidden under each other) go to the first free
 * lane below, as svelte-gantt's pack layout does. Returns the bars sorted by start and the lane count.
 */
export function packLanes<B extends BarInput>(bars: readonly B[]): { placed: PlacedBar<B>[]; lanes: number } {
  const sorted = [...bars].sort((a, b) => a.start - b.start || a.end - b.end);
  const laneEnds: number[] = [];
  const placed: PlacedBar<B>[] = [];
  for (const bar of sorted) {
    let lane = laneEnds.findIndex((end) => end <= bar.start);
    if (lane === -1) lane = laneEnds.push(bar.end) - 1;
    else laneEnds[lane] = bar.end;
    placed.push({ bar, lane });
  }
  return { placed, lanes: Math.max(1, laneEnds.length) };
}

/**
 * One row's bars that intersect [from, to], for bars sorted by start. `maxDuration` is the row's
 * longest bar: a bar starting before `from - maxDuration` cannot reach into the window, so the search
 * skips it without scanning from the first bar.
 */
export function visibleBars<B extends BarInput>(sorted: readonly PlacedBar<B>[], from: number, to: number, maxDuration: number): PlacedBar<B>[] {
  const begin = firstIndex(sorted.length, (i) => (sorted[i]?.bar.start ?? Infinity) >= from - maxDuration);
  const out: PlacedBar<B>[] = [];
  for (let i = begin; i < sorted.length; i++) {
    const placed = sorted[i];
    if (!placed || placed.bar.start > to) break;
    if (placed.bar.end >= from) out.push(placed);
  }
  return out;
}

/** A bar's box within its row, clipped to the view so a bar weeks long is not a million pixels wide. */
export function barBox(view: TimeView, bar: BarInput, lane: number, heights: RowHeights = DEFAULT_ROW_HEIGHTS) {
  const left = Math.max(-1, xOf(view, bar.start));
  const right = Math.min(view.width + 1, xOf(view, bar.end));
  return { x: left, width: Math.max(2, right - left), y: lane * heights.lane + 3, height: heights.lane - 6 };
}
