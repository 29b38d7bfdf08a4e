import type { OrderDetail } from '$contract/orders.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { live } from '$lib/live/live-connection.svelte.ts';

const REFETCH_MS = 500;

/** One order with its operations and ETA history; any message about it refetches the whole detail. */
export class OrderDetailState {
  detail = $state.raw<OrderDetail | null>(null);
  error = $state<ApiError | null>(null);

  #code: string;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(code: string) {
    this.#code = code;
  }

  async load(): Promise<void> {
    try {
      this.detail = await api.order(this.#code);
      this.error = null;
    } catch (error) {
      this.error = ApiError.from(error);
    }
  }

  follow(): () => void {
    const touch = (order: string | null | undefined) => {
      if (order !== this.#code) return;
      this.#timer ??= setTimeout(() => {
        this.#timer = null;
        void this.load();
      }, REFETCH_MS);
    };
    const stops = [
      live.listen('eta', (m) => {
        if (m.data.changes.some((c) => c.order === this.#code)) touch(this.#code);
      }),
      live.listen('progress', (m) => touch(m.data.order)),
      live.listen('order', (m) => touch(m.data.order)),
      live.listen('andon', (m) => touch(m.data.andon.order)),
      live.onResync(() => void this.load()),
    ];
    return () => {
      for (const stop of stops) stop();
      if (this.#timer) clearTimeout(this.#timer);
    };
  }
}
