import { sql } from 'kysely';
import * as z from 'zod/mini';
import { ScheduleTrigger } from '../contract/schedule.ts';
import type { Trx } from '../db/connect.ts';

/** The graphile-worker task that re-plans a plant; the worker registers it under this name. */
export const RESCHEDULE_TASK = 'reschedule';

/** Requests remembered per plant for naming causes; a burst beyond this names its newest ones. */
export const MAX_LOGGED_CAUSES = 20;

/** The job payload, written here and checked by the worker before anything runs: one schema for both. */
export const ReschedulePayload = z.object({
  plantId: z.int().check(z.positive()),
  trigger: ScheduleTrigger,
  requestedAt: z.optional(z.string()),
});
export type ReschedulePayload = z.infer<typeof ReschedulePayload>;

/**
 * Enqueues the plant's reschedule inside the caller's transaction, due now. The job key makes a
 * burst of events collapse into the one pending job; the queue name runs them one at a time per plant.
 */
export async function requestReschedule(trx: Trx, plantId: number, trigger: ScheduleTrigger): Promise<void> {
  // The durable record of the request: a run that started before this commit sees the counter move
  // and runs again (see scheduler/tasks/reschedule.ts), whatever happens to the job below.
  // Each request is also logged (newest first, bounded) with its number, so a run can name every
  // cause its snapshot covers; `planned` is moved by the run that saves the plan.
  await sql`insert into plan_request (plant_id, requested, last_kind, last_cause, causes)
    values (${plantId}, 1, ${trigger.kind}, ${trigger.causeId},
      jsonb_build_array(jsonb_build_object('n', 1, 'kind', ${trigger.kind}::text, 'causeId', ${trigger.causeId}::text)))
    on conflict (plant_id) do update set
      requested = plan_request.requested + 1,
      last_kind = excluded.last_kind,
      last_cause = excluded.last_cause,
      causes = (
        select coalesce(jsonb_agg(x.e order by x.i), '[]'::jsonb)
        from jsonb_array_elements(
          jsonb_build_array(jsonb_build_object('n', plan_request.requested + 1, 'kind', excluded.last_kind, 'causeId', excluded.last_cause))
          || plan_request.causes) with ordinality as x(e, i)
        where x.i <= ${MAX_LOGGED_CAUSES})`.execute(trx);
  const payload = JSON.stringify({ plantId, trigger, requestedAt: new Date().toISOString() } satisfies ReschedulePayload);
  await sql`select graphile_worker.add_job(
      identifier => ${RESCHEDULE_TASK},
      payload => ${payload}::text::json,
      queue_name => ${'reschedule:' + plantId},
      job_key => ${'reschedule:' + plantId},
      job_key_mode => 'replace',
      max_attempts => 5
    )`.execute(trx);
}
