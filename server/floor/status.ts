import type { OperationOnFloor, WorkCenterStatus } from '../contract/floor.ts';
import { isLate } from '../contract/lateness.ts';
import type { Queryable } from '../db/connect.ts';
import { selectOpenAndons } from '../db/repositories/andon.ts';
import { selectLateStartMarks } from '../db/repositories/late-starts.ts';
import { latestScheduleVersion } from '../db/repositories/schedule.ts';

/**
 * Everything a TV board or station needs about every work center, in four queries instead of one
 * request per order: the board refreshes it on every schedule change.
 */
export async function workCenterStatus(db: Queryable, plantId: number, options: { workCenter?: string; next?: number } = {}): Promise<WorkCenterStatus[]> {
  const nextCount = options.next ?? 3;
  const version = await latestScheduleVersion(db, plantId);
  let centersQuery = db.selectFrom('work_center').select(['code', 'name', 'line', 'machines']).where('plant_id', '=', plantId);
  if (options.workCenter) centersQuery = centersQuery.where('code', '=', options.workCenter);
  let opsQuery = db
    .selectFrom('operation as op')
    .innerJoin('customer_order as o', 'o.id', 'op.order_id')
    .innerJoin('product as p', (j) => j.onRef('p.plant_id', '=', 'o.plant_id').onRef('p.code', '=', 'o.product_code'))
    .leftJoin('planned_operation as pl', (j) =>
      j.onRef('pl.order_id', '=', 'op.order_id').onRef('pl.seq', '=', 'op.seq').on('pl.version_id', '=', version ?? '0'),
    )
    .leftJoin('order_eta as e', 'e.order_id', 'o.id')
    .select((eb) => [
      'o.code as order',
      'op.seq',
      'op.work_center_code',
      'o.product_code',
      'p.name as product_name',
      'op.status',
      'op.machine',
      'pl.machine as planned_machine',
      'o.quantity',
      'op.quantity_good',
      'op.quantity_scrap',
      'op.setup_minutes',
      'op.started_at',
      'pl.start_at',
      'pl.end_at',
      'o.due_at',
      'e.eta',
      eb.selectFrom('operation as n').select((x) => x.fn.countAll<string>().as('n')).whereRef('n.order_id', '=', 'op.order_id').as('operations'),
    ])
    .where('op.plant_id', '=', plantId)
    .where('o.status', '=', 'open')
    .where('op.status', '<>', 'completed');
  if (options.workCenter) opsQuery = opsQuery.where('op.work_center_code', '=', options.workCenter);
  const [centers, ops, andon, lateStarts] = await Promise.all([
    centersQuery.orderBy('line').orderBy('code').execute(),
    opsQuery.orderBy('pl.start_at').execute(),
    selectOpenAndons(db, plantId).select(['id', 'work_center_code', 'reason', 'raised_at', 'state']).orderBy('raised_at', 'desc').execute(),
    selectLateStartMarks(db, plantId),
  ]);
  const now = Date.now();
  const byCenter = new Map(
    centers.map((c) => [c.code, { ...c, active: [] as OperationOnFloor[], next: [] as OperationOnFloor[], openAndon: [] as WorkCenterStatus['openAndon'], lateStarts: [] as WorkCenterStatus['lateStarts'] }]),
  );
  for (const op of ops) {
    const center = byCenter.get(op.work_center_code);
    if (!center) continue;
    const view: OperationOnFloor = {
      order: op.order,
      seq: op.seq,
      operations: Number(op.operations),
      product: op.product_code,
      productName: op.product_name,
      status: op.status === 'running' || op.status === 'paused' ? op.status : 'pending',
      machine: op.machine ?? op.planned_machine,
      quantity: op.quantity,
      quantityGood: op.quantity_good,
      quantityScrap: op.quantity_scrap,
      setupMinutes: op.setup_minutes,
      startedAt: op.started_at?.toISOString() ?? null,
      plannedStart: op.start_at?.toISOString() ?? null,
      plannedEnd: op.end_at?.toISOString() ?? null,
      dueAt: op.due_at.toISOString(),
      late: isLate({ completed: false, eta: op.eta?.getTime() ?? null, dueAt: op.due_at.getTime() }, now),
    };
    if (view.status !== 'pending') center.active.push(view);
    else if (center.next.length < nextCount && view.plannedStart) center.next.push(view);
  }
  for (const a of andon) {
    byCenter.get(a.work_center_code)?.openAndon.push({ id: a.id, reason: a.reason, raisedAt: a.raised_at.toISOString(), state: a.state });
  }
  for (const l of lateStarts) {
    byCenter.get(l.work_center_code)?.lateStarts.push({ order: l.order, seq: l.seq, machine: l.machine, plannedStart: l.planned_start_at.toISOString(), minutesLate: l.minutes_late });
  }
  return [...byCenter.values()];
}
