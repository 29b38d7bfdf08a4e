import { sql } from 'kysely';
import type { Queryable } from '../connect.ts';

/** The plant's current plan: every reader of planned operations starts from this version id. */
export async function latestScheduleVersion(db: Queryable, plantId: number): Promise<string | null> {
  const row = await db
    .selectFrom('schedule_version')
    .select(sql<string>`max(id)`.as('id'))
    .where('plant_id', '=', plantId)
    .executeTakeFirst();
  return row?.id ?? null;
}
