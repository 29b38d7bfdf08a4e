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
    this.view = pan(this.view, dx);
  }

  zoomAt(x: number, factor: number): void {
    this.view = zoomAt(this.view, x, factor);
  }

  zoomTo(level: ZoomLevel): void {
    this.view = zoomTo(this.view, level);
  }

  /** Puts `instant` a quarter from the left: the past just behind, the plan ahead. */
  showAt(instant: number): void {
    const hours = this.view.width / this.view.pixelsPerHour;
    this.view = { ...this.view, start: instant - (hours / 4) * HOUR_MS };
  }

  toggle(key: string): void {
    if (this.collapsed.has(key)) this.collapsed.delete(key);
    else this.collapsed.add(key);
  }
}
