import type { Queryable } from '../db/connect.ts';

/** Master data a plant keys by code. */
type CodedTable = 'calendar' | 'product' | 'work_center';

/** Whether the plant has master data of this kind with this code (for "unknown X" answers). */
export async function hasCode(db: Queryable, table: CodedTable, plantId: number, code: string): Promise<boolean> {
  // The three tables share (plant_id, code); Kysely types one of them for the shared columns.
  const row = await db
    .selectFrom(table as 'calendar')
    .select('code')
    .where('plant_id', '=', plantId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}
