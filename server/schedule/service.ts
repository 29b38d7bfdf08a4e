import type { ScheduleView } from '../contract/schedule.ts';
import type { Queryable } from '../db/connect.ts';
import { latestScheduleVersion } from '../orders/repository.ts';

export async function getSchedule(
  db: Queryable,
  plantId: number,
  filter: { workCenter?: string } = {},
): Promise<ScheduleView | null> {
  const versionId = await latestScheduleVersion(db, plantId);
  if (!versionId) return null;
  const version = await db.selectFrom('schedule_version').selectAll().where('id', '=', versionId).executeTakeFirstOrThrow();
  let query = db
    .selectFrom('planned_operation as pl')
    .innerJoin('customer_order as o', 'o.id', 'pl.order_id')
    .select(['o.code', 'pl.seq', 'pl.work_center_code', 'pl.machine', 'pl.start_at', 'pl.end_at'])
    .where('pl.version_id', '=', versionId);
  if (filter.workCenter) query = query.where('pl.work_center_code', '=', filter.workCenter);
  const ops = await query.orderBy('pl.start_at').orderBy('o.code').execute();
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
  };
}
