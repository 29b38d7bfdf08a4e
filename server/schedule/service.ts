import { andonEffects } from '../contract/andon-effects.ts';
import { andonReasons } from '../contract/andon.ts';
import type { CompletedOperationView, ScheduleProblem, ScheduleView } from '../contract/schedule.ts';
import type { Queryable } from '../db/connect.ts';
import { selectOpenAndons } from '../db/repositories/andon.ts';
import { latestScheduleVersion } from '../db/repositories/schedule.ts';

const DAY_MS = 86_400_000;
const holdReasons = andonReasons.filter((r) => andonEffects[r].effect === 'hold');

/** Operations held by an open material or quality alert, as "orderId:seq". */
async function heldOperations(db: Queryable, plantId: number): Promise<Set<string>> {
  const rows = await selectOpenAndons(db, plantId)
    .select(['order_id', 'seq'])
    .where('reason', 'in', holdReasons)
    .where('order_id', 'is not', null)
    .execute();
  return new Set(rows.map((r) => `${r.order_id}:${r.seq}`));
}

/** What really ran in the window (default: the last day), for actual-against-plan bars. */
async function completedOperations(db: Queryable, plantId: number, from: Date, to: Date | undefined): Promise<CompletedOperationView[]> {
  let query = db
    .selectFrom('operation as op')
    .innerJoin('customer_order as o', 'o.id', 'op.order_id')
    .select(['o.code', 'op.seq', 'op.work_center_code', 'op.machine', 'op.started_at', 'op.completed_at'])
    .where('op.plant_id', '=', plantId)
    .where('op.status', '=', 'completed')
    .where('op.started_at', 'is not', null)
    .where('op.completed_at', '>', from);
  if (to) query = query.where('op.started_at', '<', to);
  const rows = await query.orderBy('op.started_at').execute();
  return rows.map((r) => ({
    order: r.code,
    seq: r.seq,
    workCenter: r.work_center_code,
    machine: r.machine,
    start: r.started_at!.toISOString(),
    end: r.completed_at!.toISOString(),
  }));
}

async function scheduleProblem(db: Queryable, plantId: number): Promise<ScheduleView['problem']> {
  const row = await db.selectFrom('schedule_problem').selectAll().where('plant_id', '=', plantId).executeTakeFirst();
  if (!row) return null;
  return { detectedAt: row.detected_at.toISOString(), trigger: { kind: row.trigger_kind, causeId: row.cause_id }, errors: row.errors as ScheduleProblem[] };
}

/**
 * The latest plan and, while the latest re-plan failed, why. Without any feasible plan but with a
 * problem it answers version 0 (no operations), so a console can say why nothing is planned.
 * `summary` leaves the operations out: what a banner needs, without thousands of rows.
 */
export async function getSchedule(
  db: Queryable,
  plantId: number,
  filter: { workCenter?: string; from?: Date; to?: Date; summary?: boolean } = {},
): Promise<ScheduleView | null> {
  const [versionId, problem] = await Promise.all([latestScheduleVersion(db, plantId), scheduleProblem(db, plantId)]);
  if (!versionId) {
    if (!problem) return null;
    const figures = { weightedTardinessMinutes: 0, lateOrders: 0, makespan: null, movedOperations: 0 };
    return { version: 0, computedAt: problem.detectedAt, trigger: problem.trigger, solveMs: 0, figures, operations: [], completed: [], problem };
  }
  const version = await db.selectFrom('schedule_version').selectAll().where('id', '=', versionId).executeTakeFirstOrThrow();
  let query = db
    .selectFrom('planned_operation as pl')
    .innerJoin('customer_order as o', 'o.id', 'pl.order_id')
    .innerJoin('operation as op', (j) => j.onRef('op.order_id', '=', 'pl.order_id').onRef('op.seq', '=', 'pl.seq'))
    .leftJoin('order_eta as e', 'e.order_id', 'pl.order_id')
    .select(['pl.order_id', 'o.code', 'pl.seq', 'pl.work_center_code', 'pl.machine', 'pl.start_at', 'pl.end_at', 'pl.setup_minutes', 'pl.pinned', 'pl.frozen', 'pl.held', 'op.status', 'e.late'])
    .where('pl.version_id', '=', versionId);
  if (filter.workCenter) query = query.where('pl.work_center_code', '=', filter.workCenter);
  // A window keeps what overlaps it: an operation running across its edge is still on screen.
  if (filter.from) query = query.where('pl.end_at', '>', filter.from);
  if (filter.to) query = query.where('pl.start_at', '<', filter.to);
  const [ops, held, completed] = filter.summary
    ? [[], new Set<string>(), []]
    : await Promise.all([
        query.orderBy('pl.start_at').orderBy('o.code').execute(),
        heldOperations(db, plantId),
        completedOperations(db, plantId, filter.from ?? new Date(Date.now() - DAY_MS), filter.to),
      ]);
  const figures = version.figures as { weightedTardinessMinutes?: number; lateOrders?: number; makespan?: number | null; movedOperations?: number };
  return {
    version: Number(version.id),
    computedAt: version.computed_at.toISOString(),
    trigger: { kind: version.trigger_kind, causeId: version.cause_id },
    solveMs: version.solve_ms,
    figures: {
      weightedTardinessMinutes: figures.weightedTardinessMinutes ?? 0,
      lateOrders: figures.lateOrders ?? 0,
      makespan: figures.makespan ? new Date(figures.makespan).toISOString() : null,
      movedOperations: figures.movedOperations ?? 0,
    },
    operations: ops.map((o) => ({
      order: o.code,
      seq: o.seq,
      workCenter: o.work_center_code,
      machine: o.machine,
      start: o.start_at.toISOString(),
      end: o.end_at.toISOString(),
      setupMinutes: o.setup_minutes,
      // Held in the plan (a forecast shortage has no andon), or by an alert raised since it was made.
      status: o.status === 'running' ? 'running' : o.held !== null || held.has(`${o.order_id}:${o.seq}`) ? 'held' : 'pending',
      pinned: o.pinned,
      frozen: o.frozen,
      late: o.late ?? false,
    })),
    completed,
    problem,
  };
}
