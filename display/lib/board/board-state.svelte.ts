import type { AndonView } from '$contract/andon.ts';
import type { OrderView } from '$contract/orders.ts';
import type { StreamMessageOf } from '$contract/stream.ts';
import type { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import type { PlantView, WorkCenterStatus } from '$contract/floor.ts';
import { live } from '$lib/live/live-connection.svelte.ts';
import { Throttle } from '$lib/live/throttle.ts';
import { applyProgressToFloor, markLateStart } from './floor-board.ts';
import { upsertOpenAndon } from './floor-model.ts';

/**
 * What a TV board knows: GET /floor for every work center (one request, not one per order), the
 * open alerts, the orders for the shift summary and the plant (name, time zone). Loads once, follows
 * the stream, and re-fetches everything after a reconnect. One instance serves every board of a
 * playlist: boards only filter it.
 */
export class BoardState {
  floor = $state.raw<WorkCenterStatus[]>([]);
  andons = $state.raw<AndonView[]>([]);
  orders = $state.raw<OrderView[]>([]);
  plant = $state.raw<PlantView | null>(null);
  loaded = $state(false);
  error = $state<ApiError | null>(null);
  /** When the snapshot was last fetched (ms since epoch). */
  fetchedAt = $state<number | null>(null);

  #onRaised: (andon: AndonView) => void;
  #floorRefresh = new Throttle(5000, () => this.refreshFloor());
  #ordersRefresh = new Throttle(30_000, () => this.refreshOrders());

  constructor(options: { onRaised?: (andon: AndonView) => void } = {}) {
    this.#onRaised = options.onRaised ?? (() => {});
  }

  async load(): Promise<void> {
    await loadInto(this, async () => {
      const [floor, andons, plants, orders] = await Promise.all([
        api.floor({ next: 1 }),
        api.andon({ state: 'open' }),
        api.plants(),
        api.orders({ status: 'all', limit: 2000 }),
      ]);
      this.floor = floor;
      this.andons = andons.sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
      this.plant = plants[0] ?? null;
      this.orders = orders;
      this.fetchedAt = Date.now();
    });
  }

  follow(): () => void {
    const stops = [
      live.listen('progress', (m) => this.#onProgress(m)),
      live.listen('andon', (m) => this.#onAndon(m)),
      live.listen('schedule', () => this.#floorRefresh.request()),
      live.listen('notification', (m) => {
        if (m.data.kind === 'operation.late_start') this.floor = markLateStart(this.floor, m.data);
      }),
      live.listen('eta', () => this.#ordersRefresh.request()),
      live.listen('order', () => {
        this.#floorRefresh.request();
        this.#ordersRefresh.request();
      }),
      // A gap in the stream: the replay brings the messages, the snapshot whatever it cannot.
      live.onResync(() => void this.load()),
    ];
    return () => {
      for (const stop of stops) stop();
      this.#floorRefresh.stop();
      this.#ordersRefresh.stop();
    };
  }

  async refreshFloor(): Promise<void> {
    try {
      this.floor = await api.floor({ next: 1 });
      this.fetchedAt = Date.now();
    } catch (error) {
      // The last snapshot stays on screen; the connection badge and stale banner say whether it is live.
      console.warn('floor refresh failed', error);
    }
  }

  async refreshOrders(): Promise<void> {
    try {
      this.orders = await api.orders({ status: 'all', limit: 2000 });
    } catch (error) {
      console.warn('orders refresh failed', error);
    }
  }

  #onProgress(message: StreamMessageOf<'progress'>): void {
    const p = message.data;
    const { floor, missing } = applyProgressToFloor(this.floor, p);
    this.floor = floor;
    if (missing || p.status === 'completed') this.#floorRefresh.request();
    this.#ordersRefresh.request();
  }

  #onAndon(message: StreamMessageOf<'andon'>): void {
    const event = message.data;
    const wasOpen = this.andons.some((a) => a.id === event.andon.id);
    this.andons = upsertOpenAndon(this.andons, event.andon);
    if (event.type === 'andon.raised' && !wasOpen) this.#onRaised(event.andon);
    // Breakdowns take a work center down and holds move plans: the tiles follow the next snapshot.
    this.#floorRefresh.request();
  }
}
