import { sql } from 'kysely';
import * as z from 'zod/mini';
import { ScheduleTrigger } from '../contract/schedule.ts';
import type { Trx } from '../db/connect.ts';

/** The graphile-worker task that re-plans a plant; the worker registers it under this name. */
export const RESCHEDULE_TASK = 'reschedule';

/** Requests remembered per plant for naming causes; a burst beyond this names its newest ones. */
export const MAX_LOGGED_CAUSES = 20;

/** The job payload, written by takt_request_plans() (migrations/0011) and checked by the worker before anything runs. */
export const ReschedulePayload = z.object({
  plantId: z.int().check(z.positive()),
  trigger: ScheduleTrigger,
  requestedAt: z.optional(z.string()),
});
export type ReschedulePayload = z.infer<typeof ReschedulePayload>;

/**
 * Asks for the plant's re-plan inside the caller's transaction. The request is only queued here; at
 * COMMIT a deferred trigger (takt_request_plans(), migrations/0011) raises the plant's plan_request
 * counter, logs the cause and enqueues the reschedule job, due now: those rows are shared by every
 * floor event, so their locks are held for the commit alone, never across a round trip.
 * The counter is the durable record of the request: a run that started before this commit sees it
 * move and runs again (see scheduler/tasks/reschedule.ts), whatever happens to the job. Each request
 * is logged (newest first, MAX_LOGGED_CAUSES of them) with its number, so a run can name every cause
 * its snapshot covers; `planned` is moved by the run that saves the plan.
 */
export async function requestReschedule(trx: Trx, plantId: number, trigger: ScheduleTrigger): Promise<void> {
  await sql`insert into plan_request_outbox (plant_id, kind, cause_id) values (${plantId}, ${trigger.kind}, ${trigger.causeId})`.execute(trx);
}
