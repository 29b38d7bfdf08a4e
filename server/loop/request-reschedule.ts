import { sql } from 'kysely';
import type { Trx } from '../db/connect.ts';

export interface RescheduleTrigger {
  kind: string;
  causeId: string | null;
}

/**
 * Enqueues the plant's reschedule inside the caller's transaction, due now. The job key makes a
 * burst of events collapse into the one pending job; the queue name runs them one at a time per plant.
 */
export async function requestReschedule(trx: Trx, plantId: number, trigger: RescheduleTrigger): Promise<void> {
  // The durable record of the request: a run that started before this commit sees the counter move
  // and runs again (see scheduler/tasks/reschedule.ts), whatever happens to the job below.
  await sql`insert into plan_request (plant_id, requested, last_kind, last_cause) values (${plantId}, 1, ${trigger.kind}, ${trigger.causeId})
    on conflict (plant_id) do update set requested = plan_request.requested + 1, last_kind = excluded.last_kind, last_cause = excluded.last_cause`.execute(trx);
  const payload = JSON.stringify({ plantId, trigger, requestedAt: new Date().toISOString() });
  await sql`select graphile_worker.add_job(
      identifier => 'reschedule',
      payload => ${payload}::text::json,
      queue_name => ${'reschedule:' + plantId},
      job_key => ${'reschedule:' + plantId},
      job_key_mode => 'replace',
      max_attempts => 5
    )`.execute(trx);
}
