import type { WorkCenter } from '$contract/master-data.ts';
import { MAX_CALENDAR_DAYS, type MoveMode, type PinView, type PlanCalendarView, type PlanMove, type PreviewView } from '$contract/plan.ts';
import type { ScheduleView } from '$contract/schedule.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { live } from '$lib/live/live-connection.svelte.ts';
import { SvelteSet } from 'svelte/reactivity';
import { barsByMachine, barsOf, ghostsOf, indexBars, isoOf, plannedKeys, withMode, type GanttBar } from './plan-bars.ts';
import { ordersByCode, withEtaChanges, withOrder, type OrdersByCode } from './plan-orders.ts';

const DAY_MS = 86_400_000;
/** The first fetch: the plan around now, what the page opens on (a quarter of a screen of past). */
const FIRST_WINDOW_BEFORE_MS = DAY_MS / 2;
const FIRST_WINDOW_AFTER_MS = 3 * DAY_MS;
/** Bars glide to their new places for this long after a re-plan, then panning is instant again. */
const ANIMATE_MS = 700;

/** A what-if the planner is looking at: the moves asked for and the server's answer, nothing written. */
export interface PendingPreview {
  moves: PlanMove[];
  mode: MoveMode;
  result: PreviewView | null;
  busy: boolean;
  error: ApiError | null;
  /** Set when a commit met a plan that changed under it: what the server said, shown above the re-preview. */
  staleNote: string | null;
}

/**
 * The planner Gantt's data and what the planner does with it: the latest plan as bars, the work
 * centers as rows, the orders behind the bars (for the details panel), the pins, the calendar
 * shading for the window on screen; a preview of moves, its commit as pins, unpin and undo. Every
 * re-plan (a colleague's commit, the floor) reaches an open page through the stream, and the plan is
 * fetched anew without touching the viewport or the selection.
 */
export class PlanState {
  workCenters = $state.raw<WorkCenter[]>([]);
  schedule = $state.raw<ScheduleView | null>(null);
  orders = $state.raw<OrdersByCode>(ordersByCode([]));
  pins = $state.raw<PinView[]>([]);
  calendar = $state.raw<PlanCalendarView | null>(null);
  loaded = $state(false);
  error = $state<ApiError | null>(null);
  /** Why the last re-plan failed; the bars are from the last good plan. */
  planProblem = $state<string | null>(null);
  preview = $state<PendingPreview | null>(null);
  /** The commit `undoLast` takes back: the last one made from this page. */
  lastCommitId = $state<string | null>(null);
  committing = $state(false);
  /** True for a moment after a re-plan arrived, so bars animate to their new places. */
  animating = $state(false);
  selection = new SvelteSet<string>();

  bars = $derived(barsOf(this.schedule));
  byMachine = $derived(barsByMachine(this.bars));
  barByKey = $derived(indexBars(this.bars));
  ghosts = $derived(ghostsOf(this.preview?.result ?? null));
  activePins = $derived(this.pins.filter((p) => p.state !== 'removed'));

  // Plain on purpose: bookkeeping of requests in flight, shown nowhere.
  #scheduleFetch: Promise<void> | null = null;
  #scheduleAgain = false;
  #previewSeq = 0;
  #calendarWindow: { from: number; to: number } | null = null;
  #animateTimer: ReturnType<typeof setTimeout> | null = null;
  #ordersAsked = new SvelteSet<string>();

  /**
   * The bars paint as soon as the rows and the plan around now are in (a big plant's whole plan is
   * megabytes); the whole plan and the orders (only the details panel needs them) follow.
   */
  async load(now = Date.now()): Promise<void> {
    const orders = api.orders({ status: 'open', limit: 5000 }).then(
      (list) => void (this.orders = ordersByCode(list)),
      (error: unknown) => void (this.error = ApiError.from(error)),
    );
    const window = { from: isoOf(now - FIRST_WINDOW_BEFORE_MS), to: isoOf(now + FIRST_WINDOW_AFTER_MS) };
    const ok = await loadInto(this, async () => {
      const [workCenters, schedule, pins] = await Promise.all([api.workCenters(), api.schedule(undefined, window), api.pins().catch(notYet([]))]);
      this.workCenters = workCenters;
      this.#takeSchedule(schedule);
      this.pins = pins;
    });
    if (ok) await this.refreshSchedule({ animate: false });
    await orders;
  }

  follow(): () => void {
    const stops = [
      live.listen('schedule', (m) => {
        if ('error' in m.data) this.planProblem = m.data.errors[0]?.message ?? m.data.error;
        else void this.refreshSchedule();
      }),
      live.listen('eta', (m) => {
        if (m.data.changes.length > 0) this.orders = withEtaChanges(this.orders, m.data.changes);
      }),
      live.listen('order', (m) => {
        if (m.data.type === 'order.created') void this.#refetchOrder(m.data.order);
      }),
      live.listen('pin', (m) => {
        const pin = m.data.pin;
        const index = this.pins.findIndex((p) => p.id === pin.id);
        this.pins = index === -1 ? [pin, ...this.pins] : this.pins.with(index, pin);
      }),
      // Breakdowns and safety stops hatch the rows they take down; holds come with the re-plan.
      live.listen('andon', () => void this.#reloadCalendar()),
      live.onResync(() => void this.load().then(() => this.#reloadCalendar())),
    ];
    return () => {
      for (const stop of stops) stop();
      if (this.#animateTimer) clearTimeout(this.#animateTimer);
    };
  }

  /** Fetches the latest plan; calls during a fetch coalesce into one more fetch after it. */
  refreshSchedule(options: { animate?: boolean } = {}): Promise<void> {
    if (this.#scheduleFetch) {
      this.#scheduleAgain = true;
      return this.#scheduleFetch;
    }
    this.#scheduleFetch = (async () => {
      do {
        this.#scheduleAgain = false;
        try {
          this.#takeSchedule(await api.schedule());
          if (options.animate ?? true) this.#animate();
        } catch (error) {
          this.error = ApiError.from(error);
        }
      } while (this.#scheduleAgain);
      this.#scheduleFetch = null;
    })();
    return this.#scheduleFetch;
  }

  /** Shading for [from, to]: fetched with a margin, again only when the view leaves what was fetched. */
  async ensureCalendar(from: number, to: number): Promise<void> {
    const have = this.#calendarWindow;
    if (have && have.from <= from && to <= have.to) return;
    // The server shades at most 62 days: zoomed out further, the window is cut around the view's start.
    const window = { from: from - DAY_MS, to: Math.min(to + 7 * DAY_MS, from - DAY_MS + MAX_CALENDAR_DAYS * DAY_MS) };
    await this.#fetchCalendar(window);
  }

  async previewMoves(moves: PlanMove[]): Promise<void> {
    const mode = moves[0]?.mode ?? 'queue';
    this.preview = { moves, mode, result: null, busy: true, error: null, staleNote: this.preview?.staleNote ?? null };
    const seq = ++this.#previewSeq;
    try {
      const result = await api.previewPlan({ moves });
      if (seq === this.#previewSeq && this.preview) this.preview = { ...this.preview, result, busy: false };
    } catch (error) {
      if (seq === this.#previewSeq && this.preview) this.preview = { ...this.preview, busy: false, error: ApiError.from(error) };
    }
  }

  /** The queue / exact switch: the same moves previewed again in the other mode. */
  async setMode(mode: MoveMode): Promise<void> {
    if (!this.preview || this.preview.mode === mode) return;
    await this.previewMoves(withMode(this.preview.moves, mode));
  }

  cancelPreview(): void {
    this.#previewSeq++;
    this.preview = null;
  }

  /**
   * Pins what the preview showed, based on the version it was computed against. A 409 means the plan
   * changed under it where it matters: the server's words are kept and the moves are previewed again.
   */
  async commit(): Promise<void> {
    const preview = this.preview;
    if (!preview?.result || preview.busy || this.committing) return;
    const baseVersion = preview.result.baseVersion;
    const [single] = preview.moves;
    this.committing = true;
    try {
      const pins = preview.moves.length === 1 && single ? [await api.pin({ ...single, baseVersion })] : (await api.pinBatch({ moves: preview.moves, baseVersion })).pins;
      this.#upsertPins(pins);
      this.lastCommitId = pins[0]?.commitId ?? null;
      this.preview = null;
      this.selection.clear();
    } catch (error) {
      const apiError = ApiError.from(error);
      if (apiError.status === 409) {
        this.preview = { ...preview, staleNote: apiError.message };
        await this.previewMoves(preview.moves);
      } else {
        this.preview = { ...preview, error: apiError };
      }
    } finally {
      this.committing = false;
    }
  }

  async unpin(id: string): Promise<void> {
    try {
      this.#upsertPins([await api.unpin(id)]);
    } catch (error) {
      this.error = ApiError.from(error);
    }
  }

  /** Takes back the commit this page made last, and only that; the pin list is fetched anew. */
  async undoLast(): Promise<void> {
    const commitId = this.lastCommitId;
    if (!commitId) return;
    try {
      await api.undoPins(commitId);
      this.lastCommitId = null;
      this.pins = await api.pins();
    } catch (error) {
      this.error = ApiError.from(error);
    }
  }

  /** An order the details panel shows but the open-order list lacks (a completed one): fetched once. */
  async ensureOrder(code: string): Promise<void> {
    if (this.orders.has(code) || this.#ordersAsked.has(code)) return;
    this.#ordersAsked.add(code);
    await this.#refetchOrder(code);
  }

  /** Click selects one bar; with shift it adds or removes one. */
  select(bar: GanttBar, additive: boolean): void {
    if (!additive) {
      this.selection.clear();
      this.selection.add(bar.key);
    } else if (this.selection.has(bar.key)) this.selection.delete(bar.key);
    else this.selection.add(bar.key);
  }

  selectedBars(): GanttBar[] {
    return [...this.selection].map((k) => this.barByKey.get(k)).filter((b): b is GanttBar => b !== undefined);
  }

  #takeSchedule(schedule: ScheduleView | null): void {
    this.schedule = schedule;
    this.planProblem = schedule?.problem?.errors[0]?.message ?? null;
    // Bars that left the plan (completed, cancelled) leave the selection too.
    const keys = plannedKeys(schedule);
    for (const key of [...this.selection]) if (!keys.has(key)) this.selection.delete(key);
  }

  #animate(): void {
    this.animating = true;
    if (this.#animateTimer) clearTimeout(this.#animateTimer);
    this.#animateTimer = setTimeout(() => (this.animating = false), ANIMATE_MS);
  }

  #upsertPins(pins: PinView[]): void {
    let next = this.pins;
    for (const pin of pins) {
      const index = next.findIndex((p) => p.id === pin.id);
      next = index === -1 ? [pin, ...next] : next.with(index, pin);
    }
    this.pins = next;
  }

  async #refetchOrder(code: string): Promise<void> {
    try {
      const { operations: _operations, etaHistory: _history, ...order } = await api.order(code);
      this.orders = withOrder(this.orders, order);
    } catch (error) {
      console.warn(`order ${code} refresh failed`, error);
    }
  }

  #calendarSeq = 0;

  async #reloadCalendar(): Promise<void> {
    if (this.#calendarWindow) await this.#fetchCalendar(this.#calendarWindow);
  }

  /** Only the newest request's answer is shown, and a window counts as fetched once it arrived. */
  async #fetchCalendar(window: { from: number; to: number }): Promise<void> {
    const seq = ++this.#calendarSeq;
    try {
      const calendar = await api.planCalendar({ from: isoOf(window.from), to: isoOf(window.to) });
      if (seq !== this.#calendarSeq) return;
      this.calendar = calendar;
      this.#calendarWindow = window;
    } catch (error) {
      // Shading is a backdrop: without it the bars are still right, so it fails quietly.
      console.warn('plan calendar failed', error);
    }
  }
}

/** An endpoint this server does not offer yet (404) answers `fallback`; any other failure stays one. */
function notYet<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (error instanceof ApiError && error.status === 404) return fallback;
    throw error;
  };
}
