import { openAndonStates, type AndonView } from '$contract/andon.ts';
import type { ScrapGrouping, ScrapPareto } from '$contract/quality.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { live } from '$lib/live/live-connection.svelte.ts';
import { periodEnding } from './pareto-chart.ts';

const isOpenQuality = (a: AndonView) => a.reason === 'quality' && (openAndonStates as readonly string[]).includes(a.state);

/**
 * The QC home's live state: the open quality alerts (kept current from the andon topic), the
 * operations they hold, and the scrap Pareto over the chosen period and grouping. Acknowledge and
 * release go through the API as the station's buttons do; the answer replaces the alert at once and
 * the stream message confirms it.
 */
export class QualityState {
  andons = $state.raw<AndonView[]>([]);
  loaded = $state(false);
  error = $state<ApiError | null>(null);
  /** Operations held by an open quality alert, oldest hold first. */
  readonly held = $derived(this.andons.filter((a) => a.order !== null && a.seq !== null).toReversed());

  pareto = $state.raw<ScrapPareto | null>(null);
  paretoError = $state<ApiError | null>(null);
  by = $state<ScrapGrouping>('reason');
  days = $state(7);

  /** The alert an action is under way for; its buttons wait. */
  busy = $state<string | null>(null);
  actionError = $state<ApiError | null>(null);

  async load(): Promise<void> {
    await loadInto(this, async () => {
      this.andons = (await api.andon({ state: 'open' })).filter(isOpenQuality).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
    });
  }

  /** The Pareto for the last `days` days up to `now`, grouped by `by`. A failed load keeps the last one. */
  async loadPareto(now = Date.now()): Promise<void> {
    try {
      this.pareto = await api.scrapPareto({ ...periodEnding(now, this.days), by: this.by });
      this.paretoError = null;
    } catch (e) {
      this.paretoError = ApiError.from(e);
    }
  }

  follow(): () => void {
    const stops = [live.listen('andon', (m) => this.#upsert(m.data.andon)), live.onResync(() => void this.load())];
    return () => stops.forEach((stop) => stop());
  }

  acknowledge(id: string): Promise<void> {
    return this.#act(id, () => api.acknowledgeAndon(id, {}));
  }

  /** Resolving a hold releases the operation: the server re-plans it. */
  release(id: string, rootCause: string): Promise<void> {
    const cause = rootCause.trim();
    return this.#act(id, () => api.resolveAndon(id, cause ? { rootCause: cause } : {}));
  }

  async #act(id: string, call: () => Promise<AndonView>): Promise<void> {
    this.busy = id;
    this.actionError = null;
    try {
      this.#upsert(await call());
    } catch (e) {
      this.actionError = ApiError.from(e);
    } finally {
      this.busy = null;
    }
  }

  #upsert(andon: AndonView): void {
    const rest = this.andons.filter((a) => a.id !== andon.id);
    this.andons = isOpenQuality(andon) ? [andon, ...rest].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)) : rest;
  }
}
