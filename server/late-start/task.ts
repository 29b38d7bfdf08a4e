import { sql } from 'kysely';
import type { Task } from 'graphile-worker';
import * as z from 'zod/mini';
import type { Db } from '../db/connect.ts';
import { nextLateStartDue, tellLateStarts } from './service.ts';

export const LATE_START_TASK = 'late_starts';

/** From the crontab (every plant, no plantId) or a plant's own timer. Checked: payloads are input too. */
export const LateStartPayload = z.object({ plantId: z.optional(z.int().check(z.positive())) });

/**
 * One plant's check at `now`: tells what is late, then sets the plant's timer to the next operation's
 * minute (one key per plant, replaced), so a notice leaves when it falls due; the minute sweep in the
 * crontab catches what a later plan moved earlier.
 */
export async function checkLateStarts(db: Db, plantId: number, now: Date): Promise<number> {
  const told = await db.transaction().execute((trx) => tellLateStarts(trx, plantId, now));
  const next = await nextLateStartDue(db, plantId, now);
  if (next) {
    await sql`select graphile_worker.add_job(
        identifier => ${LATE_START_TASK},
        payload => ${JSON.stringify({ plantId })}::text::json,
        run_at => ${next.toISOString()}::timestamptz,
        job_key => ${`late_starts:${plantId}`},
        job_key_mode => 'replace',
        max_attempts => 3
      )`.execute(db);
  }
  return told.length;
}

export function lateStartTask(db: Db, warn: (line: string) => void): Task {
  return async (raw) => {
    const parsed = LateStartPayload.safeParse(raw);
    if (!parsed.success) {
      warn(`[late-start] dropped malformed payload: ${JSON.stringify(raw)}`);
      return;
    }
    const now = new Date();
    const plants = parsed.data.plantId ? [{ id: parsed.data.plantId }] : await db.selectFrom('plant').select('id').execute();
    for (const p of plants) await checkLateStarts(db, p.id, now);
  };
}
