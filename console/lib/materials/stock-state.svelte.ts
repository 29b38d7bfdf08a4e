import type { ComponentView } from '$contract/materials.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { newClientId } from '$lib/api/client-id.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { refreshOnPlan } from './refresh-on-plan.ts';

/**
 * Books below zero mean the floor used what the books did not have (the press is never refused):
 * the rack has to be counted.
 */
export const countDue = (c: Pick<ComponentView, 'onHand'>): boolean => c.onHand < 0;

/** What the warehouse typed as counted: a number >= 0 (a decimal comma is a point), else null. */
export function parseCount(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) && value <= 1e9 ? value : null;
}

/**
 * The warehouse's stock: every component's on-hand, and a count per component. One count form is open
 * at a time; it keeps the id it sends, so a save whose answer was lost and is pressed again books once.
 */
export class StockState {
  components = $state.raw<ComponentView[]>([]);
  loaded = $state(false);
  fetchedAt = $state<number | null>(null);
  error = $state<ApiError | null>(null);
  /** The component whose count form is open, and the id its save sends. */
  counting = $state<{ code: string; id: string } | null>(null);
  saving = $state(false);
  /** Why the open form's last save failed (typed text that is not a count is 'invalid'). */
  countError = $state<ApiError | 'invalid' | null>(null);

  async load(): Promise<void> {
    await loadInto(this, async () => {
      this.components = await api.components();
    });
  }

  follow(): () => void {
    return refreshOnPlan(() => this.load());
  }

  open(code: string): void {
    this.counting = { code, id: newClientId() };
    this.countError = null;
  }

  cancel(): void {
    this.counting = null;
    this.countError = null;
  }

  /** Posts the open form's count; the row shows the booked on-hand at once. */
  async save(text: string): Promise<boolean> {
    const form = this.counting;
    if (!form || this.saving) return false;
    const onHand = parseCount(text);
    if (onHand === null) {
      this.countError = 'invalid';
      return false;
    }
    this.saving = true;
    this.countError = null;
    try {
      const counted = await api.countStock(form.code, { id: form.id, onHand });
      this.components = this.components.map((c) => (c.code === form.code ? counted.component : c));
      this.counting = null;
      return true;
    } catch (error) {
      this.countError = ApiError.from(error);
      return false;
    } finally {
      this.saving = false;
    }
  }
}
