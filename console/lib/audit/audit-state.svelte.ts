import type { AuditEntry } from '$contract/audit.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { locale } from '$lib/i18n/locale.svelte.ts';
import { plantInstant } from '$console/sales/plant-input.ts';

export const AUDIT_PAGE_SIZE = 50;

/** The filters as typed: text, and the period as plant wall-clock (`<input type="datetime-local">`). */
export interface AuditFilters {
  subject: string;
  user: string;
  kind: string;
  from: string;
  to: string;
}

export const emptyFilters = (): AuditFilters => ({ subject: '', user: '', kind: '', from: '', to: '' });

/**
 * The audit page's state: the filters, the entries read so far (newest first) and where the next
 * older page starts. Searching starts over; "load more" appends the next page by keyset, so an entry
 * written meanwhile never repeats or skips a row. The log only grows: no live stream is followed.
 */
export class AuditState {
  filters = $state<AuditFilters>(emptyFilters());
  entries = $state.raw<AuditEntry[]>([]);
  nextBefore = $state<string | null>(null);
  loaded = $state(false);
  error = $state<ApiError | null>(null);
  loadingMore = $state(false);
  /** The filters the shown entries answer (what "load more" continues). */
  #applied: Record<string, string> = {};

  /** The query for the typed filters; an unreadable period is an error naming its field. */
  #query(): Record<string, string> {
    const q: Record<string, string> = {};
    for (const key of ['subject', 'user', 'kind'] as const) {
      const value = this.filters[key].trim();
      if (value) q[key] = value;
    }
    for (const key of ['from', 'to'] as const) {
      if (!this.filters[key]) continue;
      const instant = plantInstant(this.filters[key], locale.timeZone);
      if (!instant) throw ApiError.invalid(key, `${key} is not a date and time`);
      q[key] = instant;
    }
    return q;
  }

  async search(): Promise<void> {
    await loadInto(this, async () => {
      const query = this.#query();
      const page = await api.audit({ ...query, limit: AUDIT_PAGE_SIZE });
      this.#applied = query;
      this.entries = page.entries;
      this.nextBefore = page.nextBefore;
    });
  }

  async more(): Promise<void> {
    if (!this.nextBefore || this.loadingMore) return;
    this.loadingMore = true;
    try {
      await loadInto(this, async () => {
        const page = await api.audit({ ...this.#applied, before: this.nextBefore!, limit: AUDIT_PAGE_SIZE });
        this.entries = [...this.entries, ...page.entries];
        this.nextBefore = page.nextBefore;
      });
    } finally {
      this.loadingMore = false;
    }
  }

  clear(): Promise<void> {
    this.filters = emptyFilters();
    return this.search();
  }
}
