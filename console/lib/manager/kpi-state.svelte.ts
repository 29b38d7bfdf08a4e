import type { KpisView } from '$contract/kpis.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { locale } from '$lib/i18n/locale.svelte.ts';
import { live } from '$lib/live/live-connection.svelte.ts';
import { Throttle } from '$lib/live/throttle.ts';
import { periodRange, type PeriodChoice } from './kpi-period.ts';

export const KPI_REFRESH_MS = 60_000;
/** Alerts and completions change the figures; a burst of them refreshes once. */
const STREAM_REFRESH_MS = 5000;

/**
 * The manager's figures for the chosen period: fetched when the period (or the plant's zone) changes,
 * every minute (presets run up to now), and soon after an alert or an order changes on the stream.
 */
export class KpiState {
  choice = $state<PeriodChoice>({ preset: '7d', fromDay: '', toDay: '' });
  figures = $state.raw<KpisView | null>(null);
  loaded = $state(false);
  fetchedAt = $state<number | null>(null);
  error = $state<ApiError | null>(null);
  /** A custom period that cannot be asked for (a date missing or the days in the wrong order). */
  invalidPeriod = $state(false);
  #request = 0;
  #streamRefresh = new Throttle(STREAM_REFRESH_MS, () => this.load());
  #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async load(): Promise<void> {
    const range = periodRange(this.choice, this.#now(), locale.timeZone);
    this.invalidPeriod = range === null;
    if (!range) return;
    // Answers can cross when the period changes quickly: only the latest request's is shown.
    const request = ++this.#request;
    await loadInto(this, async () => {
      const figures = await api.kpis(range);
      if (request === this.#request) this.figures = figures;
    });
  }

  follow(refreshMs = KPI_REFRESH_MS): () => void {
    const timer = setInterval(() => void this.load(), refreshMs);
    const stops = [
      live.listen('andon', () => this.#streamRefresh.request()),
      live.listen('order', () => this.#streamRefresh.request()),
      live.onResync(() => void this.load()),
    ];
    return () => {
      clearInterval(timer);
      this.#streamRefresh.stop();
      stops.forEach((stop) => stop());
    };
  }
}
