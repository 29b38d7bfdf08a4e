import type { Task } from 'graphile-worker';
import * as z from 'zod/mini';
import type { Db, Trx } from '../db/connect.ts';
import { ladderFor, scheduleEscalation } from '../escalation/service.ts';
import { appendEvent } from '../event-log/append.ts';
import { ApiError } from '../contract/errors.ts';
import { addNotification } from '../notifications/service.ts';
import { publish } from '../outbox/stream-messages.ts';
import { getAndon, lockAndon } from './service.ts';

/** Job payloads are untrusted input too: checked before anything runs. */
export const EscalatePayload = z.object({
  plantId: z.int().check(z.positive()),
  andonId: z.string().check(z.minLength(1), z.maxLength(64)),
  level: z.int().check(z.gte(2), z.lte(9)),
});
export type EscalatePayload = z.infer<typeof EscalatePayload>;

const ESCALATION_ACTOR = 'escalation';

/**
 * Raises an alert that is still unacknowledged to `level`: the level goes up, the people of that
 * level get a notification (feed row and stream message), every board gets `andon.escalated`, and
 * the next level's timer is set, all in one transaction. Under the alert's row lock, so it cannot
 * interleave with an acknowledge; a run that finds the alert handled, or the level already reached
 * (a retried job), does nothing. Returns whether it escalated.
 */
export async function escalateAndon(trx: Trx, payload: EscalatePayload, now: Date): Promise<boolean> {
  // An unknown alert (deleted plant, hand-edited table) is a no-op, not a retry.
  const row = await lockAndon(trx, payload.plantId, payload.andonId).catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });
  if (!row || row.state !== 'raised' || row.escalation_level >= payload.level) return false;
  // The ladder as configured now: a change applies to alerts already open.
  const ladder = await ladderFor(trx, payload.plantId, row.reason);
  const step = ladder.find((l) => l.level === payload.level);
  if (!step) return false;
  await trx.updateTable('andon').set({ escalation_level: step.level }).where('id', '=', payload.andonId).execute();
  const told = await addNotification(trx, payload.plantId, { kind: 'andon.escalated', andonId: payload.andonId, level: step.level, notify: step.notify, at: now });
  await appendEvent(trx, {
    plantId: payload.plantId,
    type: 'andon.escalated',
    actor: ESCALATION_ACTOR,
    at: now,
    subject: payload.andonId,
    payload: { level: step.level, notify: step.notify },
  });
  const andon = await getAndon(trx, payload.plantId, payload.andonId);
  await publish(trx, payload.plantId, [...told, { topic: 'andon', cause: payload.andonId, data: { type: 'andon.escalated', andon } }]);
  const next = ladder.find((l) => l.level === step.level + 1);
  // Due times count from the raise, not from this run: a late run (after downtime) does not push
  // the later levels back; overdue ones follow at once.
  if (next) await scheduleEscalation(trx, payload.plantId, payload.andonId, next.level, new Date(row.raised_at.getTime() + next.afterMinutes * 60_000));
  return true;
}

export function escalateAndonTask(db: Db, warn: (line: string) => void): Task {
  return async (raw) => {
    const parsed = EscalatePayload.safeParse(raw);
    if (!parsed.success) {
      // A malformed payload will never succeed: log and drop it rather than retry forever.
      warn(`[escalate] dropped malformed payload: ${JSON.stringify(raw)}`);
      return;
    }
    await db.transaction().execute((trx) => escalateAndon(trx, parsed.data, new Date()));
  };
}
