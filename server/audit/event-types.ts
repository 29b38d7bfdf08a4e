import { sql } from 'kysely';
import type { Queryable } from '../db/connect.ts';

/**
 * The event types of the plant's log that a kind names: itself, or its family (`order` is
 * `order.created`, `order.updated`, ...). Read from the log, not from a list kept by hand, so a new
 * type is found the day it is first logged: a skip scan of the (plant_id, type, id) index, one
 * seek per distinct type (a few dozen), however long the log.
 */
export async function eventTypesOf(db: Queryable, plantId: number, kind: string): Promise<string[]> {
  const { rows } = await sql<{ type: string }>`
    with recursive t(type) as (
      select min(type) from event_log where plant_id = ${plantId}
      union all
      select (select min(type) from event_log where plant_id = ${plantId} and type > t.type) from t where t.type is not null
    )
    select type from t where type is not null`.execute(db);
  return rows.map((r) => r.type).filter((type) => type === kind || type.startsWith(`${kind}.`));
}
