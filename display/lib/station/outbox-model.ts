import type { AndonAcknowledgeBody, AndonBody, AndonCancelBody, AndonResolveBody } from '$contract/andon.ts';
import type { FloorEventBody } from '$contract/floor-events.ts';
import type { FloorOperation } from '../board/floor-model.ts';

/**
 * The station's outbox: every press is stored first (IndexedDB), shown as pending, and sent in the
 * order it was made. Each press keeps the client id and the time `at` it was made, so a re-send is
 * counted once by the server and the event log keeps the floor's real time. Pure rules here; the
 * storage and the sender are in outbox.svelte.ts.
 */
export type OutboxPress =
  | { kind: 'event'; body: FloorEventBody }
  | { kind: 'andon'; body: AndonBody }
  | { kind: 'acknowledge'; andonId: string; body: AndonAcknowledgeBody }
  | { kind: 'resolve'; andonId: string; body: AndonResolveBody }
  | { kind: 'cancel'; andonId: string; body: AndonCancelBody };

export interface OutboxEntry {
  /** The press's client id (also the event/andon id sent to the server). */
  id: string;
  /** Order of the presses on this device. */
  n: number;
  /** When the press was made (ISO). */
  at: string;
  press: OutboxPress;
  state: 'pending' | 'failed';
  /** Send attempts so far. */
  attempts: number;
  /** For a failed press: the server's error code and message. */
  error: { status: number; code: string; message: string } | null;
}

/** The next press to send: the oldest pending one. Failed presses wait for the operator, not the queue. */
export function nextToSend(entries: readonly OutboxEntry[]): OutboxEntry | null {
  let best: OutboxEntry | null = null;
  for (const e of entries) if (e.state === 'pending' && (!best || e.n < best.n)) best = e;
  return best;
}

export function ordered(entries: readonly OutboxEntry[]): OutboxEntry[] {
  return [...entries].sort((a, b) => a.n - b.n);
}

export function nextNumber(entries: readonly OutboxEntry[]): number {
  return entries.reduce((max, e) => Math.max(max, e.n), 0) + 1;
}

/**
 * What a failed send means. No answer or a 5xx: the press may or may not have landed; resend it
 * (same id: the server counts it once). 408/429: try later. Any other 4xx: the server refused it
 * and will refuse it again; show it to the operator. A 409 on a lead action means the alert is
 * already in that state (someone else was faster, or our first attempt landed): done.
 */
export function classifyFailure(press: OutboxPress, status: number): 'retry' | 'failed' | 'done' {
  if (status === 0 || status >= 500 || status === 408 || status === 429) return 'retry';
  if (status === 409 && (press.kind === 'acknowledge' || press.kind === 'resolve' || press.kind === 'cancel')) return 'done';
  return 'failed';
}

/** Presses of one operation not yet confirmed by the server. */
export function pendingFor(entries: readonly OutboxEntry[], order: string, seq: number): OutboxEntry[] {
  return ordered(entries).filter((e) => e.state === 'pending' && e.press.kind === 'event' && e.press.body.order === order && e.press.body.seq === seq);
}

/**
 * The operation as the operator expects it after their pending presses: quantities added, status
 * moved. When a press is confirmed it leaves the outbox and the server's numbers take over, so the
 * optimistic view always reconciles with server state.
 */
export function withPending(op: FloorOperation, entries: readonly OutboxEntry[]): FloorOperation {
  let result = op;
  for (const e of pendingFor(entries, op.order, op.seq)) {
    if (e.press.kind !== 'event') continue;
    const b = e.press.body;
    switch (b.type) {
      case 'operation.started':
        result = { ...result, status: 'running', startedAt: result.startedAt ?? e.at };
        break;
      case 'operation.paused':
        result = { ...result, status: 'paused' };
        break;
      case 'operation.completed':
        result = {
          ...result,
          status: 'completed',
          quantityGood: result.quantityGood + (b.quantityGood ?? 0),
          quantityScrap: result.quantityScrap + (b.quantityScrap ?? 0),
        };
        break;
      case 'operation.progress':
        result = { ...result, quantityGood: result.quantityGood + (b.quantityGood ?? 0), quantityScrap: result.quantityScrap + (b.quantityScrap ?? 0) };
        break;
    }
  }
  return result;
}

/** Retry delay after `attempt` failed sends: 1 s doubling to 30 s. */
export function retryDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/** The time a press is made, as the server expects it. */
export const pressTime = (ms: number = Date.now()): string => new Date(ms).toISOString();
