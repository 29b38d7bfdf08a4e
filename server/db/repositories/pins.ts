import type { PinState, PinView } from '../../contract/plan.ts';
import type { Queryable } from '../connect.ts';

/** Pins the engine plans with: not removed. */
export const LIVE_PIN_STATES: PinState[] = ['active', 'unhonourable'];

/** Pins with what the console shows of them, joined once for the API and the worker's messages. */
export function selectPins(db: Queryable, plantId: number) {
  return db
    .selectFrom('plan_pin as p')
    .innerJoin('customer_order as o', 'o.id', 'p.order_id')
    .innerJoin('operation as op', (j) => j.onRef('op.order_id', '=', 'p.order_id').onRef('op.seq', '=', 'p.seq'))
    .select([
      'p.id', 'p.order_id', 'o.code', 'p.seq', 'op.work_center_code', 'p.machine', 'p.start_at', 'p.mode', 'p.state', 'p.note', 'p.note_code',
      'p.commit_id', 'p.base_version', 'p.replaces_id', 'p.created_by', 'p.created_at', 'p.removed_at',
      'op.status as operation_status', 'o.status as order_status',
    ])
    .where('p.plant_id', '=', plantId);
}

export type PinRow = Awaited<ReturnType<ReturnType<typeof selectPins>['execute']>>[number];

export function toPinView(row: PinRow): PinView {
  return {
    id: row.id,
    order: row.code,
    seq: row.seq,
    workCenter: row.work_center_code,
    machine: row.machine,
    start: row.start_at?.toISOString() ?? null,
    mode: row.mode,
    state: row.state,
    note: row.note,
    noteCode: row.note_code as PinView['noteCode'],
    commitId: row.commit_id,
    baseVersion: Number(row.base_version),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    removedAt: row.removed_at?.toISOString() ?? null,
  };
}

export async function pinViewsById(db: Queryable, plantId: number, ids: string[]): Promise<PinView[]> {
  if (ids.length === 0) return [];
  const rows = await selectPins(db, plantId).where('p.id', 'in', ids).orderBy('p.id').execute();
  return rows.map(toPinView);
}
