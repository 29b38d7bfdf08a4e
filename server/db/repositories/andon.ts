import { andonEffects } from '../../contract/andon-effects.ts';
import { openAndonStates, type AndonReason } from '../../contract/andon.ts';
import type { Queryable } from '../connect.ts';

/**
 * The plant's open alerts (raised or acknowledged), for the caller to pick its columns: the planner,
 * the floor status, order details and the simulator all start from this one definition of "open".
 */
export function selectOpenAndons(db: Queryable, plantId: number) {
  return db.selectFrom('andon').where('plant_id', '=', plantId).where('state', 'in', openAndonStates);
}

/**
 * While an alert is open its end is only an estimate. Once the estimate has passed and it is still
 * open, assume it lasts at least this much longer: a TV should not promise that a broken machine
 * is already running again.
 */
export const OVERDUE_EXTENSION_MS = 15 * 60_000;

/** When an open alert is expected to end: its estimate, else its reason's default; never before now + a margin. */
export function estimatedAndonEnd(a: { reason: AndonReason; raised_at: Date; expected_end_at: Date | null }, now: number): number {
  const estimate = a.expected_end_at ? a.expected_end_at.getTime() : a.raised_at.getTime() + andonEffects[a.reason].defaultMinutes * 60_000;
  return Math.max(estimate, now + OVERDUE_EXTENSION_MS);
}
