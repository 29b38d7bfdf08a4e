import { SvelteSet } from 'svelte/reactivity';
import {
  buildRows,
  endOf,
  instantAt,
  pan,
  snap,
  snapStepMs,
  totalHeight,
  visibleBars,
  visibleRows,
  xOf,
  zoomAt,
  zoomTo,
  type GanttRow,
  type TimeView,
  type WorkCenterRowsInput,
  type ZoomLevel,
} from './gantt-layout.ts';
import { drawRow, laneCounts, type DrawnBar, type MachineBars } from './plan-bars.ts';

const HOUR_MS = 3_600_000;
/** A wheel or pinch zoom is laid out once the gesture rests this long; until then it only stretches. */
export const ZOOM_SETTLE_MS = 120;

/** The screen map x -> a * x + b of a zoom gesture in progress, over the laid-out view. */
export interface ZoomGesture {
  a: number;
  b: number;
}

/** A bar (or a cluster of narrow ones) on the bar plane (see `planeShift`); y from the top of the first row. */
export type VisibleBar = DrawnBar;

/**
 * The part of the plan on screen: the time view (start, zoom, width), the vertical scroll, and which
 * lines and work centers are collapsed. Rows and bars outside the window never reach the DOM; the
 * geometry itself is `gantt-layout.ts`, this class only holds the viewport and derives from it.
 */
export class GanttViewport {
  view = $state.raw<TimeView>({ start: Date.now() - 2 * HOUR_MS, pixelsPerHour: 60, width: 1000 });
  scrollTop = $state(0);
  height = $state(600);
  collapsed = new SvelteSet<string>();

  readonly #source: () => { workCenters: WorkCenterRowsInput[]; byMachine: Map<string, MachineBars> };

  constructor(source: () => { workCenters: WorkCenterRowsInput[]; byMachine: Map<string, MachineBars> }) {
    this.#source = source;
  }

  rows = $derived.by((): GanttRow[] => {
    const { workCenters, byMachine } = this.#source();
    return buildRows(workCenters, { collapsed: this.collapsed, lanes: laneCounts(byMachine) });
  });

  totalHeight = $derived(totalHeight(this.rows));
  visibleRows = $derived(visibleRows(this.rows, this.scrollTop, this.height));

  /**
   * Bars are placed on a plane whose origin moves only once per screen of panning; the plane itself
   * is shifted by `planeShift`. Panning then moves one element, not every bar: a bar's box changes
   * only when the zoom changes or the origin jumps.
   */
  #pixelsPerHour = $derived(this.view.pixelsPerHour);
  #width = $derived(this.view.width);
  #planeOrigin = $derived.by(() => {
    const screenMs = (this.#width / this.#pixelsPerHour) * HOUR_MS;
    return Math.floor(this.view.start / screenMs) * screenMs;
  });
  planeShift = $derived(xOf(this.view, this.#planeOrigin));

  /** The bars of the visible machine rows that reach into the visible time, with their boxes on the plane. */
  visibleBars = $derived.by((): VisibleBar[] => {
    const { byMachine } = this.#source();
    // Two screens wide: the visible window always lies within the plane's first two screens.
    const plane: TimeView = { start: this.#planeOrigin, pixelsPerHour: this.#pixelsPerHour, width: 2 * this.#width };
    const from = this.view.start;
    const to = endOf(this.view);
    const out: VisibleBar[] = [];
    for (const row of this.visibleRows) {
      if (row.kind !== 'machine') continue;
      const bars = byMachine.get(row.key);
      if (!bars) continue;
      out.push(...drawRow(visibleBars(bars.placed, from, to, bars.maxDuration), plane, row.y));
    }
    return out;
  });

  snapStep = $derived(snapStepMs(this.view));

  /** The row under a y in content coordinates (from the top of the first row). */
  rowAt(y: number): GanttRow | null {
    // A linear scan: a plant has a few hundred rows, and this runs once per pointer move.
    return this.rows.find((r) => r.y <= y && y < r.y + r.height) ?? null;
  }

  machineRow(workCenter: string, machine: number): GanttRow | null {
    return this.rows.find((r) => r.kind === 'machine' && r.workCenter === workCenter && r.machine === machine) ?? null;
  }

  xOf = (instant: number) => xOf(this.view, instant);
  instantAt = (x: number) => instantAt(this.view, x);
  snap = (instant: number, offsetMs: number) => snap(instant, this.snapStep, offsetMs);

  resize(width: number, height: number): void {
    if (width > 0 && width !== this.view.width) this.view = { ...this.view, width };
    if (height > 0) this.height = height;
  }

  pan(dx: number): void {
    this.settleZoom();
    this.view = pan(this.view, dx);
  }

  /**
   * A continuous zoom (ctrl+wheel, pinch) first only stretches what is drawn (one transform, see
   * `gesture`); the bars are laid out again once, when the gesture rests. Laying out every visible
   * bar at every wheel notch cost a frame several times over on a dense plan.
   */
  gesture = $state.raw<ZoomGesture | null>(null);
  #settleTimer: ReturnType<typeof setTimeout> | null = null;

  zoomAt(x: number, factor: number): void {
    const g = this.gesture ?? { a: 1, b: 0 };
    const target = zoomAt(this.view, 0, g.a * factor).pixelsPerHour; // clamped to the zoom bounds
    const a = target / this.view.pixelsPerHour;
    const f = a / g.a;
    this.gesture = { a, b: f * g.b + x * (1 - f) };
    if (this.#settleTimer) clearTimeout(this.#settleTimer);
    this.#settleTimer = setTimeout(() => this.settleZoom(), ZOOM_SETTLE_MS);
  }

  /** Lays the zoom gesture out: the view whose screen map is the gesture's. */
  settleZoom(): void {
    if (this.#settleTimer) clearTimeout(this.#settleTimer);
    this.#settleTimer = null;
    const g = this.gesture;
    if (!g) return;
    this.gesture = null;
    this.view = { ...this.view, start: instantAt(this.view, -g.b / g.a), pixelsPerHour: this.view.pixelsPerHour * g.a };
  }

  zoomTo(level: ZoomLevel): void {
    this.settleZoom();
    this.view = zoomTo(this.view, level);
  }

  /** Puts `instant` a quarter from the left: the past just behind, the plan ahead. */
  showAt(instant: number): void {
    this.settleZoom();
    const hours = this.view.width / this.view.pixelsPerHour;
    this.view = { ...this.view, start: instant - (hours / 4) * HOUR_MS };
  }

  toggle(key: string): void {
    if (this.collapsed.has(key)) this.collapsed.delete(key);
    else this.collapsed.add(key);
  }
}
