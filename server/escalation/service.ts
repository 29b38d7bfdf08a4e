import { sql } from 'kysely';
import * as z from 'zod/mini';
import { andonReasons, type AndonReason } from '../contract/andon.ts';
import { EscalationLevelBody, type EscalationLadder, type EscalationLadderBody } from '../contract/escalation.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import { jsonb } from '../db/jsonb.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { ApiError } from '../contract/errors.ts';

export type EscalationLevel = EscalationLadderBody['levels'][number];

/** Used for every reason the plant has not configured. */
export const DEFAULT_LADDER: readonly EscalationLevel[] = [
  { level: 1, afterMinutes: 0, notify: 'lead' },
  { level: 2, afterMinutes: 5, notify: 'supervisor' },
  { level: 3, afterMinutes: 15, notify: 'manager' },
];

export const ESCALATE_TASK = 'escalate_andon';

// Stored ladders were validated on the way in; read them back through the same schema anyway.
const StoredLevels = z.array(EscalationLevelBody);

/**
 * The rules a ladder must follow, beyond field shapes: levels numbered 1..n in order, level 1 at
 * once (it is told when the alert is raised), and each later level strictly after the one before.
 */
export function checkLadder(body: EscalationLadderBody): void {
  body.levels.forEach((l, i) => {
    if (l.level !== i + 1) throw ApiError.invalid(`levels.${i}.level`, `levels must be numbered 1..n in order; expected ${i + 1}`);
    if (i === 0 && l.afterMinutes !== 0) throw ApiError.invalid('levels.0.afterMinutes', 'level 1 is told at once: afterMinutes must be 0');
    const previous = body.levels[i - 1];
    if (previous && l.afterMinutes <= previous.afterMinutes) {
      throw ApiError.invalid(`levels.${i}.afterMinutes`, `afterMinutes must increase: level ${l.level} must come after ${previous.afterMinutes} minutes`);
    }
  });
}

export async function ladderFor(db: Queryable, plantId: number, reason: AndonReason): Promise<EscalationLevel[]> {
  const row = await db.selectFrom('escalation_ladder').select('levels').where('plant_id', '=', plantId).where('reason', '=', reason).executeTakeFirst();
  const parsed = row ? StoredLevels.safeParse(row.levels) : null;
  return parsed?.success ? parsed.data : [...DEFAULT_LADDER];
}

export async function listLadders(db: Queryable, plantId: number): Promise<EscalationLadder[]> {
  const rows = await db.selectFrom('escalation_ladder').select(['reason', 'levels']).where('plant_id', '=', plantId).execute();
  return andonReasons.map((reason) => {
    const parsed = StoredLevels.safeParse(rows.find((r) => r.reason === reason)?.levels);
    return parsed.success ? { reason, levels: parsed.data, configured: true } : { reason, levels: [...DEFAULT_LADDER], configured: false };
  });
}

export async function putLadder(trx: Trx, actor: Actor, reason: AndonReason, body: EscalationLadderBody): Promise<EscalationLadder> {
  checkLadder(body);
  const values = { levels: jsonb(body.levels), updated_at: new Date() };
  await trx
    .insertInto('escalation_ladder')
    .values({ plant_id: actor.plantId, reason, ...values })
    .onConflict((oc) => oc.columns(['plant_id', 'reason']).doUpdateSet(values))
    .execute();
  await appendEvent(trx, { plantId: actor.plantId, type: 'escalation.put', actor: actor.name, subject: reason, payload: body });
  // Pending timers keep their due time; each run reads the ladder as it is then.
  return { reason, levels: body.levels, configured: true };
}

/**
 * Schedules the alert's next escalation inside the caller's transaction: the timer commits with the
 * alert (or the previous level) and, being a row in PostgreSQL, survives restarts. One key per alert,
 * so there is at most one pending timer and acknowledging removes it by name.
 */
export async function scheduleEscalation(trx: Trx, plantId: number, andonId: string, level: number, runAt: Date): Promise<void> {
  const payload = JSON.stringify({ plantId, andonId, level });
  await sql`select graphile_worker.add_job(
      identifier => ${ESCALATE_TASK},
      payload => ${payload}::text::json,
      run_at => ${runAt.toISOString()}::timestamptz,
      job_key => ${escalationKey(andonId)},
      job_key_mode => 'replace',
      max_attempts => 10
    )`.execute(trx);
}

/** Drops the pending timer (acknowledged, resolved or cancelled). A timer already running finds the
 *  alert no longer raised once it gets the row lock, and does nothing. */
export async function cancelEscalation(trx: Trx, andonId: string): Promise<void> {
  await sql`select graphile_worker.remove_job(${escalationKey(andonId)})`.execute(trx);
}

export function escalationKey(andonId: string): string {
  return `escalate:${andonId}`;
}
