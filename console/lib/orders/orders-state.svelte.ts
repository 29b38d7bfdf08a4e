import type { OrderView } from '$contract/orders.ts';
import type { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { live } from '$lib/live/live-connection.svelte.ts';
import { etaChangesOf, orderEventOf, progressOf } from '$lib/live/payloads.ts';

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
  error = $state<ApiError | null>(null);
  /** Why the last re-plan failed (e.g. a calendar without working time); ETAs are from the plan before. */
  planProblem = $state<string | null>(null);

  // Plain on purpose: which rows await a refetch is not shown anywhere.
  #dirty: string[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;

  async load(): Promise<void> {
    await loadInto(this, async () => {
      this.orders = await api.orders({ status: 'all', limit: 1000 });
    });
  }

  follow(): () => void {
    const stops = [
      live.listen('eta', (m) => {
        const changes = etaChangesOf(m);
        if (changes.length === 0) return;
        this.orders = this.orders.map((o) => {
          const c = changes.find((change) => change.order === o.code);
          return c ? { ...o, eta: c.eta, late: o.status === 'completed' ? false : c.late, latenessMinutes: c.latenessMinutes, reasons: c.reasons } : o;
        });
      }),
      live.listen('schedule', (m) => {
        if (m.data.error === 'infeasible') {
          const [first] = Array.isArray(m.data.errors) ? (m.data.errors as { message?: unknown }[]) : [];
          this.planProblem = typeof first?.message === 'string' ? first.message : String(m.data.error);
        } else if (typeof m.data.version === 'number') {
          this.planProblem = null;
        }
      }),
      live.listen('progress', (m) => {
        const p = progressOf(m);
        if (p) this.#markDirty(p.order);
      }),
      live.listen('order', (m) => {
        const e = orderEventOf(m);
        if (e) this.#markDirty(e.order);
      }),
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
