import type { ScheduleProblem, ScheduleView } from '../contract/schedule.ts';
import type { Queryable } from '../db/connect.ts';
import { latestScheduleVersion } from '../db/repositories/schedule.ts';

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
    return { version: 0, computedAt: problem.detectedAt, trigger: problem.trigger, solveMs: 0, figures, operations: [], problem };
  }
  const version = await db.selectFrom('schedule_version').selectAll().where('id', '=', versionId).executeTakeFirstOrThrow();
  let query = db
    .selectFrom('planned_operation as pl')
    .innerJoin('customer_order as o', 'o.id', 'pl.order_id')
    .select(['o.code', 'pl.seq', 'pl.work_center_code', 'pl.machine', 'pl.start_at', 'pl.end_at'])
    .where('pl.version_id', '=', versionId);
  if (filter.workCenter) query = query.where('pl.work_center_code', '=', filter.workCenter);
  // A window keeps what overlaps it: an operation running across its edge is still on screen.
  if (filter.from) query = query.where('pl.end_at', '>', filter.from);
  if (filter.to) query = query.where('pl.start_at', '<', filter.to);
  const ops = filter.summary ? [] : await query.orderBy('pl.start_at').orderBy('o.code').execute();
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
    })),
    problem,
  };
}
