import type { AndonView } from '$contract/andon.ts';
import type { ComponentView, ShortageView } from '$contract/materials.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { refreshOnPlan } from './refresh-on-plan.ts';

/**
 * Purchasing's home: forecast shortages (when each component is needed by, which orders it delays),
 * open material andons, and components below their reorder point. Entering an arrival estimate
 * re-plans on the server; the view follows the plan's messages, so the new dates show at once.
 */
export class PurchasingState {
  shortages = $state.raw<ShortageView[]>([]);
  materialAndons = $state.raw<AndonView[]>([]);
  belowReorder = $state.raw<ComponentView[]>([]);
  loaded = $state(false);
  fetchedAt = $state<number | null>(null);
  error = $state<ApiError | null>(null);
  /** The component (or andon id) whose estimate is being saved, and why the last save failed. */
  saving = $state<string | null>(null);
  saveError = $state<{ key: string; error: ApiError } | null>(null);

  async load(): Promise<void> {
    await loadInto(this, async () => {
      const [shortages, andons, below] = await Promise.all([api.shortages(), api.andon({ state: 'open' }), api.components({ belowReorder: true })]);
      this.shortages = shortages;
      this.materialAndons = andons.filter((a) => a.reason === 'material');
      this.belowReorder = below;
    });
  }

  follow(): () => void {
    return refreshOnPlan(() => this.load());
  }

  /** Stores purchasing's arrival estimate (an ISO instant; null clears it) and re-reads. */
  async setArrival(component: string, expectedAt: string | null): Promise<boolean> {
    return this.#save(component, () => api.setArrival(component, expectedAt));
  }

  /** The material's arrival on an open material andon: the held operation waits until then. */
  async estimateAndon(id: string, expectedAt: string): Promise<boolean> {
    return this.#save(id, () => api.estimateAndon(id, { expectedAt }));
  }

  async #save(key: string, send: () => Promise<unknown>): Promise<boolean> {
    this.saving = key;
    this.saveError = null;
    try {
      await send();
      await this.load();
      return true;
    } catch (error) {
      this.saveError = { key, error: ApiError.from(error) };
      return false;
    } finally {
      this.saving = null;
    }
  }
}
