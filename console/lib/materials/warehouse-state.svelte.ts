import { SvelteSet } from 'svelte/reactivity';
import { DEFAULT_PICKING_HOURS, type PickingLineView } from '$contract/materials.ts';
import type { OrderView } from '$contract/orders.ts';
import type { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { refreshOnPlan } from './refresh-on-plan.ts';

/** The picking windows offered on the page, in hours. */
export const PICKING_WINDOWS = [2, 4, 8, 12, 24] as const;

/** Completed orders not yet shipped, the earliest due first, at most this many. */
const SHIP_LIMIT = 50;

/**
 * The warehouse's home: what to pick for the operations starting in the next N hours (components and
 * quantities, from the plan and the BOMs), and finished orders to ship.
 */
export class WarehouseState {
  hours = $state<number>(DEFAULT_PICKING_HOURS);
  picking = $state.raw<PickingLineView[]>([]);
  toShip = $state.raw<OrderView[]>([]);
  loaded = $state(false);
  fetchedAt = $state<number | null>(null);
  error = $state<ApiError | null>(null);
  /** Orders whose Ship press is on its way (the button waits; a second press is not sent). */
  readonly shipping = new SvelteSet<string>();
  /** The last Ship press that failed, shown beside the list. */
  shipError = $state<ApiError | null>(null);

  async load(): Promise<void> {
    await loadInto(this, async () => {
      const [picking, completed] = await Promise.all([api.picking(this.hours), api.orders({ status: 'completed', shipped: false, limit: SHIP_LIMIT })]);
      this.picking = picking;
      this.toShip = [...completed].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.code.localeCompare(b.code));
    });
  }

  /** Ships one order: it leaves the list at once (every other warehouse screen drops it on the stream). */
  async ship(code: string): Promise<void> {
    if (this.shipping.has(code)) return;
    this.shipping.add(code);
    this.shipError = null;
    try {
      await api.shipOrder(code);
      this.toShip = this.toShip.filter((o) => o.code !== code);
    } catch (error) {
      this.shipError = error as ApiError;
    } finally {
      this.shipping.delete(code);
    }
  }

  async choose(hours: number): Promise<void> {
    this.hours = hours;
    await this.load();
  }

  follow(): () => void {
    return refreshOnPlan(() => this.load());
  }
}
