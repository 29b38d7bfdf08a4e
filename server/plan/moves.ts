import type { MoveMode, PlanMove } from '../contract/plan.ts';
import { ApiError } from '../contract/errors.ts';
import type { Queryable } from '../db/connect.ts';
import { latestScheduleVersion } from '../db/repositories/schedule.ts';

/** A planner's move checked against the plant: the operation exists, may still move, and where to. */
export interface ResolvedMove {
  orderId: string;
  order: string;
  seq: number;
  workCenter: string;
  machine: number;
  /** Exact: the start to keep. Queue: the time it joins the machine's queue (null: not planned yet). */
  start: Date | null;
  mode: MoveMode;
}

/** How a move's fields are named in errors: `machine` for one pin, `moves.0.machine` in a batch. */
export type FieldNamer = (index: number, field: keyof PlanMove) => string;
export const singleMoveField: FieldNamer = (_index, field) => field;
export const batchMoveField: FieldNamer = (index, field) => `moves.${index}.${field}`;

async function readOperations(db: Queryable, plantId: number, codes: string[]) {
  return db
    .selectFrom('operation as op')
    .innerJoin('customer_order as o', 'o.id', 'op.order_id')
    .innerJoin('work_center as wc', (j) => j.onRef('wc.plant_id', '=', 'op.plant_id').onRef('wc.code', '=', 'op.work_center_code'))
    .select(['op.order_id', 'o.code', 'o.status as order_status', 'op.seq', 'op.status', 'op.work_center_code', 'wc.machines'])
    .where('op.plant_id', '=', plantId)
    .where('o.code', 'in', codes)
    .execute();
}

async function readPlanned(db: Queryable, versionId: string | null, orderIds: string[]) {
  if (!versionId || orderIds.length === 0) return [];
  return db
    .selectFrom('planned_operation')
    .select(['order_id', 'seq', 'machine', 'start_at', 'frozen'])
    .where('version_id', '=', versionId)
    .where('order_id', 'in', orderIds)
    .execute();
}

/**
 * Checks moves the way both a preview and a commit need them: unknown order or operation -> 404,
 * a machine outside the work center or an exact move without a start -> 400, an operation that
 * can no longer move (completed, running, or inside the frozen horizon of the latest plan), or an
 * exact start inside that horizon -> 409.
 * Each error names the field it is about.
 */
export async function resolveMoves(
  db: Queryable,
  plantId: number,
  moves: PlanMove[],
  options: { now: Date; frozenMinutes: number; field: FieldNamer },
): Promise<ResolvedMove[]> {
  const { field } = options;
  moves.forEach((m, i) => {
    if (m.mode === 'exact' && !m.start) throw ApiError.invalid(field(i, 'start'), 'an exact move needs a start');
  });
  const [operations, versionId] = await Promise.all([readOperations(db, plantId, [...new Set(moves.map((m) => m.order))]), latestScheduleVersion(db, plantId)]);
  const planned = await readPlanned(db, versionId, [...new Set(operations.map((o) => o.order_id))]);
  const plannedOf = new Map(planned.map((p) => [`${p.order_id}/${p.seq}`, p]));
  const frozenUntil = options.now.getTime() + options.frozenMinutes * 60_000;
  const seen = new Set<string>();
  return moves.map((m, i) => {
    const ofOrder = operations.filter((o) => o.code === m.order);
    if (ofOrder.length === 0) throw ApiError.notFound('order', m.order, field(i, 'order'));
    const op = ofOrder.find((o) => o.seq === m.seq);
    if (!op) throw ApiError.notFound('operation', `${m.order}/${m.seq}`, field(i, 'seq'));
    const key = `${op.order_id}/${op.seq}`;
    if (seen.has(key)) throw ApiError.invalid(field(i, 'seq'), `${m.order}/${m.seq} is moved twice`);
    seen.add(key);
    const what = `${m.order}/${m.seq}`;
    if (op.status === 'completed' || op.order_status !== 'open') throw new ApiError(409, 'invalid_state', `${what} is completed: it can no longer move`, field(i, 'seq'));
    if (op.status === 'running') throw new ApiError(409, 'invalid_state', `${what} is running: it stays where it runs`, field(i, 'seq'));
    const now = plannedOf.get(key);
    if (now && (now.frozen || now.start_at.getTime() < frozenUntil)) {
      throw new ApiError(409, 'invalid_state', `${what} is inside the frozen horizon: the floor is already preparing it`, field(i, 'seq'));
    }
    const machine = m.machine ?? now?.machine;
    if (machine === undefined) throw ApiError.invalid(field(i, 'machine'), `${what} is not planned yet: name a machine`);
    if (machine > op.machines) {
      throw ApiError.invalid(field(i, 'machine'), `${op.work_center_code} has machines 1..${op.machines}; ${what} cannot run on machine ${machine}`);
    }
    let start = m.start ? new Date(m.start) : m.mode === 'queue' ? (now?.start_at ?? null) : null;
    // The frozen horizon holds for where work goes too: an exact start inside it would push out work
    // the floor is already preparing; a queue time inside it joins the queue right after that work.
    if (start && start.getTime() < frozenUntil) {
      if (m.mode === 'exact') {
        throw new ApiError(409, 'invalid_state', `${what}: an exact start before ${new Date(frozenUntil).toISOString()} is inside the frozen horizon`, field(i, 'start'));
      }
      start = new Date(frozenUntil);
    }
    return { orderId: op.order_id, order: m.order, seq: m.seq, workCenter: op.work_center_code, machine, start, mode: m.mode };
  });
}
