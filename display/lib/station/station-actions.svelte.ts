import type { AndonBody, AndonView } from '$contract/andon.ts';
import type { FloorEventBody, FloorEventResult, FloorEventType } from '$contract/floor-events.ts';
import type { OperatorIdentity } from '$contract/operators.ts';
import { newClientId } from '$lib/api/client-id.ts';
import type { FloorOperation } from '../board/floor-model.ts';
import type { FloorState } from './floor-state.svelte.ts';
import { Outbox } from './outbox.svelte.ts';
import { pressTime, withPending } from './outbox-model.ts';

/**
 * The presses of one station terminal. Every press gets its client id and time when it is made and
 * goes into the outbox first, so nothing is lost offline; the outbox sends it and the server's
 * answer updates the screen. `operator` (the identified operator's code) goes with every press.
 */
export class StationActions {
  readonly outbox: Outbox;
  /** The last press stored, for a short confirmation on screen. */
  done = $state<{ at: number } | null>(null);

  #floor: FloorState;
  #identity: () => Pick<OperatorIdentity, 'code' | 'session'> | null;

  constructor(floor: FloorState, identity: () => Pick<OperatorIdentity, 'code' | 'session'> | null) {
    this.#floor = floor;
    this.#identity = identity;
    this.outbox = new Outbox({
      onEvent: (result) => this.#applyEvent(result),
      onAndon: (andon: AndonView) => this.#floor.upsertAndon(andon),
    });
  }

  /** The operation with this device's unsent presses applied (optimistic, reconciled on send). */
  view(op: FloorOperation): FloorOperation {
    return withPending(op, this.outbox.entries);
  }

  async floorEvent(
    op: FloorOperation,
    type: FloorEventType,
    extra: { good?: number; scrap?: number; scrapReason?: string; pauseReason?: string } = {},
  ): Promise<void> {
    const id = newClientId();
    const operator = this.#identity()?.code;
    const body: FloorEventBody = {
      id,
      type,
      order: op.order,
      seq: op.seq,
      at: pressTime(),
      ...(extra.good ? { quantityGood: extra.good } : {}),
      ...(extra.scrap ? { quantityScrap: extra.scrap } : {}),
      ...(extra.scrapReason ? { scrapReason: extra.scrapReason } : {}),
      ...(extra.pauseReason ? { pauseReason: extra.pauseReason } : {}),
      ...(operator ? { operator } : {}),
    };
    await this.outbox.add(id, { kind: 'event', body });
    this.done = { at: Date.now() };
  }

  async raiseAndon(body: Omit<AndonBody, 'id' | 'operator'>): Promise<void> {
    const id = newClientId();
    const operator = this.#identity()?.code;
    await this.outbox.add(id, { kind: 'andon', body: { ...body, id, ...(operator ? { operator } : {}) } });
    this.done = { at: Date.now() };
  }

  async lead(andonId: string, action: 'acknowledge' | 'resolve' | 'cancel', input: { expectedMinutes?: number; text?: string }): Promise<void> {
    // The lead's session proves they identified here: a worker token alone may not act as a lead.
    const identity = this.#identity();
    const who = identity ? { operator: identity.code, operatorSession: identity.session } : {};
    const id = newClientId();
    if (action === 'acknowledge') {
      await this.outbox.add(id, {
        kind: 'acknowledge',
        andonId,
        body: { ...who, ...(input.expectedMinutes ? { expectedMinutes: input.expectedMinutes } : {}), ...(input.text ? { note: input.text } : {}) },
      });
    } else if (action === 'resolve') {
      await this.outbox.add(id, { kind: 'resolve', andonId, body: { ...who, ...(input.text ? { rootCause: input.text } : {}) } });
    } else {
      await this.outbox.add(id, { kind: 'cancel', andonId, body: { ...who, ...(input.text ? { note: input.text } : {}) } });
    }
    this.done = { at: Date.now() };
  }

  #applyEvent(result: FloorEventResult): void {
    const previous = this.#floor.operations.get(`${result.operation.order}/${result.operation.seq}`);
    if (!previous) return;
    this.#floor.applyLocal({
      ...previous,
      status: result.operation.status as FloorOperation['status'],
      quantityGood: result.operation.quantityGood,
      quantityScrap: result.operation.quantityScrap,
      startedAt: previous.startedAt ?? (result.operation.status === 'running' ? pressTime() : null),
    });
  }
}
