import type { Product, WorkCenter } from '$contract/master-data.ts';
import type { OrderView } from '$contract/orders.ts';
import type { PinView } from '$contract/plan.ts';
import type { ScheduleView } from '$contract/schedule.ts';
import type { StreamMessageOf } from '$contract/stream.ts';
import type { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { live } from '$lib/live/live-connection.svelte.ts';
import { Throttle } from '$lib/live/throttle.ts';
import { anyMissing, kanbanLines, type KanbanLine } from './kanban-model.ts';

/** Orders on a kanban are the open ones; a plant with more than this is beyond what a board shows. */
const ORDER_LIMIT = 5000;

/**
 * What the kanban knows, for the console page and the TV alike: the latest plan (GET /schedule), the
 * work centers (names, lines, WIP limits), the open orders (quantity, due) and the products (routing
 * length and run times), four requests whatever the number of cards. Every endpoint is one a display
 * token may read. A new plan on the stream re-fetches the plan only; an order the page does not know
 * re-fetches the orders (and the products, for a product it does not know).
 */
export class FlowData {
  schedule = $state.raw<ScheduleView | null>(null);
  workCenters = $state.raw<WorkCenter[]>([]);
  orders = $state.raw<OrderView[]>([]);
  products = $state.raw<Product[]>([]);
  /** Live pins, read only when asked for (the console): their queue times place a dropped card. */
  pins = $state.raw<PinView[]>([]);
  loaded = $state(false);
  error = $state<ApiError | null>(null);
  /** When the plan on screen was fetched (ms since epoch). */
  fetchedAt = $state<number | null>(null);

  readonly lines: KanbanLine[] = $derived(
    kanbanLines({
      operations: this.schedule?.operations ?? [],
      workCenters: this.workCenters,
      orders: this.orders,
      products: this.products,
      pins: this.pins,
    }),
  );

  #scheduleRefresh: Throttle;
  #ordersRefresh: Throttle;
  #pinsRefresh: Throttle;
  readonly #withPins: boolean;

  /**
   * `refreshMs`: at most one plan re-fetch per this interval (a TV needs fewer than a planner).
   * `withPins`: also read the live pins (GET /pins), for a page that moves cards.
   */
  constructor(options: { refreshMs?: number; withPins?: boolean } = {}) {
    this.#scheduleRefresh = new Throttle(options.refreshMs ?? 500, () => this.refreshSchedule());
    this.#ordersRefresh = new Throttle(Math.max(options.refreshMs ?? 500, 2000), () => this.refreshOrders());
    this.#pinsRefresh = new Throttle(options.refreshMs ?? 500, () => this.refreshPins());
    this.#withPins = options.withPins ?? false;
  }

  async load(): Promise<void> {
    await Promise.all([this.#loadBoard(), this.#withPins ? this.refreshPins() : null]);
  }

  async #loadBoard(): Promise<void> {
    await loadInto(this, async () => {
      const [schedule, workCenters, orders, products] = await Promise.all([
        api.schedule(),
        api.workCenters(),
        api.orders({ status: 'open', limit: ORDER_LIMIT }),
        api.products(),
      ]);
      this.schedule = schedule;
      this.workCenters = workCenters;
      this.orders = orders;
      this.products = products;
      this.fetchedAt = Date.now();
    });
  }

  follow(): () => void {
    const stops = [
      live.listen('schedule', (m) => this.#onSchedule(m)),
      live.listen('order', () => this.#ordersRefresh.request()),
      // A job starting or finishing moves cards before the re-plan it causes arrives.
      live.listen('progress', (m) => this.#onProgress(m)),
      live.onResync(() => void this.load()),
      ...(this.#withPins ? [live.listen('pin', () => this.#pinsRefresh.request())] : []),
    ];
    return () => {
      for (const stop of stops) stop();
      this.#scheduleRefresh.stop();
      this.#ordersRefresh.stop();
      this.#pinsRefresh.stop();
    };
  }

  /** Asks for the plan again now (after a refused pin, say); bursts still make one request. */
  requestSchedule(): void {
    this.#scheduleRefresh.request();
  }

  async refreshSchedule(): Promise<void> {
    try {
      const schedule = await api.schedule();
      // Fetches may overlap on a big plant: an answer older than the plan on screen is dropped.
      if (schedule && this.schedule && schedule.version < this.schedule.version) return;
      this.schedule = schedule;
      this.fetchedAt = Date.now();
      if (schedule && anyMissing(schedule.operations.map((op) => op.order), this.orders.map((o) => o.code))) this.#ordersRefresh.request();
    } catch (error) {
      // The last plan stays on screen; the connection badge says whether the page is live.
      console.warn('plan refresh failed', error);
    }
  }

  /** Without the pins, a drop still lands between planned starts: a failure here only warns. */
  async refreshPins(): Promise<void> {
    try {
      this.pins = await api.pins();
    } catch (error) {
      console.warn('pins refresh failed', error);
    }
  }

  async refreshOrders(): Promise<void> {
    try {
      const orders = await api.orders({ status: 'open', limit: ORDER_LIMIT });
      this.orders = orders;
      if (anyMissing(orders.map((o) => o.product), this.products.map((p) => p.code))) this.products = await api.products();
    } catch (error) {
      console.warn('orders refresh failed', error);
    }
  }

  #onSchedule(message: StreamMessageOf<'schedule'>): void {
    const data = message.data;
    // A failed re-plan is the plan on screen plus a problem: fetch it to show why.
    if ('error' in data || data.version !== this.schedule?.version) this.#scheduleRefresh.request();
  }

  #onProgress(message: StreamMessageOf<'progress'>): void {
    const p = message.data;
    const op = this.schedule?.operations.find((o) => o.order === p.order && o.seq === p.seq);
    const shownRunning = op?.status === 'running';
    const isRunning = p.status === 'running';
    if (!op || shownRunning !== isRunning) this.#scheduleRefresh.request();
  }
}
