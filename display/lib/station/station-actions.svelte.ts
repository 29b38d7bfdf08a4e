import type { AndonBody } from '$contract/andon.ts';
import type { FloorEventBody, FloorEventType } from '$contract/floor-events.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { newClientId } from '$lib/api/client-id.ts';
import { api } from '$lib/api/endpoints.ts';
import type { FloorOperation } from '../board/floor-model.ts';
import type { FloorState } from '../board/floor-state.svelte.ts';

type Pending = { kind: 'event'; body: FloorEventBody } | { kind: 'andon'; body: AndonBody } | { kind: 'lead'; action: 'acknowledge' | 'resolve'; id: string };

/**
 * The presses of one station terminal. Each press gets its id when it is made; a retry after a
 * failure resends the same id, so the server counts it once even if the first attempt did land.
 */
export class StationActions {
  busy = $state(false);
  error = $state<ApiError | null>(null);
  /** The last press that went through, for a short confirmation on screen. */
  done = $state<{ label: string; at: number } | null>(null);

  #floor: FloorState;
  #failed: Pending | null = null;

  constructor(floor: FloorState) {
    this.#floor = floor;
  }

  get canRetry(): boolean {
    return this.#failed !== null;
  }

  floorEvent(op: FloorOperation, type: FloorEventType, quantities: { good?: number; scrap?: number } = {}): Promise<boolean> {
    const body: FloorEventBody = {
      id: newClientId(),
      type,
      order: op.order,
      seq: op.seq,
      ...(quantities.good ? { quantityGood: quantities.good } : {}),
      ...(quantities.scrap ? { quantityScrap: quantities.scrap } : {}),
    };
    return this.#run({ kind: 'event', body });
  }

  raiseAndon(body: Omit<AndonBody, 'id'>): Promise<boolean> {
    return this.#run({ kind: 'andon', body: { ...body, id: newClientId() } });
  }

  acknowledge(id: string): Promise<boolean> {
    return this.#run({ kind: 'lead', action: 'acknowledge', id });
  }

  resolve(id: string): Promise<boolean> {
    return this.#run({ kind: 'lead', action: 'resolve', id });
  }

  retry(): Promise<boolean> {
    return this.#failed ? this.#run(this.#failed) : Promise.resolve(false);
  }

  dismissError(): void {
    this.error = null;
    this.#failed = null;
  }

  async #run(pending: Pending): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      await this.#send(pending);
      this.#failed = null;
      this.done = { label: pending.kind, at: Date.now() };
      return true;
    } catch (error) {
      const apiError = ApiError.from(error);
      this.error = apiError;
      // Only a press that may not have reached the server is worth resending with the same id.
      this.#failed = apiError.code === 'network' || apiError.status >= 500 ? pending : null;
      return false;
    } finally {
      this.busy = false;
    }
  }

  async #send(pending: Pending): Promise<void> {
    switch (pending.kind) {
      case 'event': {
        const result = await api.floorEvent(pending.body);
        const previous = this.#floor.operations.get(`${result.operation.order}/${result.operation.seq}`);
        if (previous) {
          this.#floor.applyLocal({
            ...previous,
            status: result.operation.status as FloorOperation['status'],
            quantityGood: result.operation.quantityGood,
            quantityScrap: result.operation.quantityScrap,
          });
        }
        return;
      }
      case 'andon':
        this.#floor.upsertAndon(await api.raiseAndon(pending.body));
        return;
      case 'lead':
        this.#floor.upsertAndon(pending.action === 'acknowledge' ? await api.acknowledgeAndon(pending.id) : await api.resolveAndon(pending.id));
        return;
      default: {
        const unknown: never = pending;
        throw new Error(`unknown press ${JSON.stringify(unknown)}`);
      }
    }
  }
}
