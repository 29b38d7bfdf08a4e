import { Code } from '../contract/common.ts';
import { ComponentBody } from '../contract/materials.ts';
import type { Queryable } from '../db/connect.ts';
import type { Actor } from '../http/actor.ts';
import { parseWith } from '../http/validate.ts';
import { putComponent } from '../materials/service.ts';
import { isBlank, number, text } from './cells.ts';
import { BodyReader, duplicateOf, type ImportRecord, type Importer, type Outcome, type SheetRow } from './record.ts';

const columnOfField: Record<string, string> = { code: 'component', name: 'name', unit: 'unit', onHand: 'onHand', reorderPoint: 'reorderPoint', leadTimeDays: 'leadTimeDays' };

/**
 * Components with stock: one row each, stored as PUT /components/{code} stores them; the on-hand
 * column is a count, so a difference to the books goes through the ledger. A row equal to what is
 * stored writes nothing (no count of zero, no event, no re-plan).
 */
export const componentImporter: Importer = {
  records(rows) {
    const seen = new Map<string, number>();
    return rows.map((row) => componentRecord(row, seen));
  },
};

function componentRecord(row: SheetRow, seen: Map<string, number>): ImportRecord {
  const reader = new BodyReader(row);
  for (const field of ['name', 'unit'] as const) reader.put(field, field, (c) => ({ value: text(c) }));
  for (const field of ['onHand', 'reorderPoint', 'leadTimeDays'] as const) reader.put(field, field, number);
  const cell = row.cells.get('component');
  const code = cell === undefined || isBlank(cell) ? '' : text(cell);
  if (code) {
    const first = duplicateOf(seen, code, row.row);
    if (first !== undefined) reader.problems.push({ spot: { row: row.row, key: 'component' }, message: `component '${code}' is also on row ${first}` });
  }
  const validated = () => ({ checked: parseWith(Code, code || undefined, 'code'), body: parseWith(ComponentBody, reader.body) });
  return {
    firstRow: row.row,
    problems: reader.problems,
    locate: (field) => ({ row: row.row, key: columnOfField[field] ?? null }),
    lockKey: code,
    async check(db, actor) {
      const { checked, body } = validated();
      return (await storedOutcome(db, actor, checked, body)) ?? 'created';
    },
    async apply(trx, actor, now) {
      const { checked, body } = validated();
      const outcome = await storedOutcome(trx, actor, checked, body);
      if (outcome !== 'unchanged') await putComponent(trx, actor, checked, body, now);
      return outcome ?? 'created';
    },
  };
}

/** Unchanged when the row stored holds exactly these values, updated when it differs, null when there is none. */
async function storedOutcome(db: Queryable, actor: Actor, code: string, body: ComponentBody): Promise<Exclude<Outcome, 'created'> | null> {
  const stored = await db
    .selectFrom('component')
    .select(['name', 'unit', 'on_hand', 'reorder_point', 'lead_time_days'])
    .where('plant_id', '=', actor.plantId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!stored) return null;
  const same =
    stored.name === body.name &&
    stored.unit === body.unit &&
    stored.on_hand === body.onHand &&
    stored.reorder_point === body.reorderPoint &&
    stored.lead_time_days === body.leadTimeDays;
  return same ? 'unchanged' : 'updated';
}
