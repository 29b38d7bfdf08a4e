import type { OrderView } from '$contract/orders.ts';
import { orderIsAtRisk, orderIsLate } from '$contract/lateness.ts';
import type { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { live } from '$lib/live/live-connection.svelte.ts';

/** Progress is reported piece by piece; refetching a touched order at most this often keeps the office view cheap. */
const REFETCH_MS = 1000;

/**
 * The office's order list. ETA messages carry everything the list shows, so they patch rows in
 * place; progress and order messages only say which order changed, so those rows are refetched
 * (the server owns how progress is weighted).
 */
export class OrdersState {
  orders = $state.raw<OrderView[]>([]);
  loaded = $state(false);
  /** When the list was last read whole: data is as fresh as this or the stream's last message. */
  fetchedAt = $state<number | null>(null);
  error = $state<ApiError | null>(null);
  /** Why the last re-plan failed (e.g. a calendar without working time); ETAs are from the plan before. */
  planProblem = $state<string | null>(null);

  // Plain on purpose: which rows await a refetch is not shown anywhere.
  #dirty: string[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;

  async load(): Promise<void> {
    await loadInto(this, async () => {
      const [orders, schedule] = await Promise.all([api.orders({ status: 'all', limit: 1000 }), api.schedule(undefined, { summary: true }).catch(() => null)]);
      this.orders = orders;
      // A re-plan that failed before this page opened still explains why the ETAs stopped moving.
      this.planProblem = schedule?.problem?.errors[0]?.message ?? null;
    });
  }

  follow(): () => void {
    const stops = [
      live.listen('eta', (m) => {
        const changes = m.data.changes;
        if (changes.length === 0) return;
        this.orders = this.orders.map((o) => {
          const c = changes.find((change) => change.order === o.code);
          if (!c) return o;
          const moved = { ...o, eta: c.eta, etaP50: c.etaP50, etaP90: c.etaP90, latenessMinutes: c.latenessMinutes, reasons: c.reasons };
          const now = Date.now();
          return { ...moved, late: orderIsLate(moved, now), atRisk: orderIsAtRisk(moved, now) };
        });
      }),
      live.listen('schedule', (m) => {
        const data = m.data;
        if ('error' in data) this.planProblem = data.errors[0]?.message ?? data.error;
        else this.planProblem = null;
      }),
      live.listen('progress', (m) => {
        this.#markDirty(m.data.order);
      }),
      live.listen('order', (m) => {
        this.#markDirty(m.data.order);
      }),
      // After a reconnect or a reset the replay may not cover the gap: the list is fetched anew.
      live.onResync(() => void this.load()),
    ];
    return () => {
      for (const stop of stops) stop();
      if (this.#timer) clearTimeout(this.#timer);
    };
  }

  #markDirty(code: string): void {
    if (!this.#dirty.includes(code)) this.#dirty.push(code);
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      const codes = this.#dirty;
      this.#dirty = [];
      void Promise.all(codes.map((c) => this.#refetch(c)));
    }, REFETCH_MS);
  }

  async #refetch(code: string): Promise<void> {
    try {
      const detail = await api.order(code);
      const { operations: _operations, etaHistory: _history, ...view } = detail;
      const index = this.orders.findIndex((o) => o.code === code);
      this.orders = index === -1 ? [...this.orders, view] : this.orders.with(index, view);
    } catch (error) {
      console.warn(`order ${code} refresh failed`, error);
    }
  }
}
