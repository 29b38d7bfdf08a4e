import type { ScheduleTrigger } from '../../server/contract/schedule.ts';
import type { Queryable } from '../../server/db/connect.ts';

/** What a run answers: the requests made up to `requested`, with the triggers not yet covered by a plan. */
export interface PendingRequests {
  requested: string;
  /** Every request so far is covered by a saved plan: there is nothing to re-plan for. */
  covered: boolean;
  /** The newest request's trigger (a replaced job's payload can be older), or null before any request. */
  newest: ScheduleTrigger | null;
  /** Cause ids of the requests since the last saved plan, newest first, without repeats, bounded. */
  causes: string[];
}

export async function pendingRequests(db: Queryable, plantId: number): Promise<PendingRequests> {
  const row = await db
    .selectFrom('plan_request')
    .select(['requested', 'planned', 'last_kind', 'last_cause', 'causes'])
    .where('plant_id', '=', plantId)
    .executeTakeFirst();
  if (!row) return { requested: '0', covered: false, newest: null, causes: [] };
  const planned = Number(row.planned);
  const causes: string[] = [];
  // The log itself is bounded (MAX_LOGGED_CAUSES in server/outbox/plan-requests.ts), so this is too.
  for (const c of row.causes) {
    if (c.n > planned && c.causeId !== null && !causes.includes(c.causeId)) causes.push(c.causeId);
  }
  return { requested: row.requested, covered: BigInt(row.requested) <= BigInt(row.planned), newest: row.last_kind ? { kind: row.last_kind, causeId: row.last_cause } : null, causes };
}

/** A saved plan covers every request up to `requested`: later runs name only newer causes. */
export async function markPlanned(db: Queryable, plantId: number, requested: string): Promise<void> {
  await db
    .updateTable('plan_request')
    .set((eb) => ({ planned: eb.fn('greatest', [eb.ref('planned'), eb.val(requested)]) }))
    .where('plant_id', '=', plantId)
    .execute();
}
