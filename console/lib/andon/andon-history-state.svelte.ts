import type { AndonView } from '$contract/andon.ts';
import type { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { live } from '$lib/live/live-connection.svelte.ts';

/** Every alert (open and closed), newest first, kept current from the andon topic. */
export class AndonHistoryState {
  andons = $state.raw<AndonView[]>([]);
  loaded = $state(false);
  error = $state<ApiError | null>(null);

  async load(): Promise<void> {
    await loadInto(this, async () => {
      this.andons = await api.andon({ state: 'all', limit: 500 });
    });
  }

  follow(): () => void {
    const stops = [
      live.listen('andon', (m) => {
        const event = m.data;
        const rest = this.andons.filter((a) => a.id !== event.andon.id);
        this.andons = [event.andon, ...rest].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
      }),
      live.onResync(() => void this.load()),
    ];
    return () => stops.forEach((stop) => stop());
  }
}
