import type { MoveMode, PreviewBody, PreviewEtaChange, PreviewView, MovedOperationView } from '../contract/plan.ts';
import type { ScheduleProblem } from '../contract/schedule.ts';
import type { Queryable } from '../db/connect.ts';
import { latestScheduleVersion } from '../db/repositories/schedule.ts';
import type { ScheduleResult } from '../../scheduler/engine/model.ts';
import { batchMoveField, resolveMoves } from './moves.ts';
import type { MoveRules } from './pins.ts';
import { clockDriftToleranceMs } from './stale-base.ts';

/** A move as the previewer lays it over the plant's live pins. */
export interface PreviewPin {
  order: string;
  seq: number;
  machine: number;
  /** Epoch ms: the exact start, or the queue time (null: where it is planned now). */
  start: number | null;
  mode: MoveMode;
}

/**
 * Plans a plant as the worker would, with some moves added as pins, and writes nothing. Implemented
 * by the worker side (scheduler/tasks/preview.ts) and injected by server/system.ts: the search runs
 * on a thread of its own, one preview at a time per plant, within a bounded budget.
 */
export interface PlanPreviewer {
  preview(plantId: number, pins: PreviewPin[]): Promise<{ result: ScheduleResult; solveMs: number }>;
}

/** The plan the console shows now: what a preview is compared with. */
async function readBase(db: Queryable, plantId: number) {
  const versionId = await latestScheduleVersion(db, plantId);
  const [version, planned, etas] = await Promise.all([
    versionId ? db.selectFrom('schedule_version').select('computed_at').where('id', '=', versionId).executeTakeFirst() : undefined,
    versionId
      ? db
          .selectFrom('planned_operation as pl')
          .innerJoin('customer_order as o', 'o.id', 'pl.order_id')
          .select(['o.code', 'pl.seq', 'pl.machine', 'pl.start_at', 'pl.end_at'])
          .where('pl.version_id', '=', versionId)
          .execute()
      : [],
    db
      .selectFrom('order_eta as e')
      .innerJoin('customer_order as o', 'o.id', 'e.order_id')
      .select(['o.code', 'e.eta', 'e.late'])
      .where('e.plant_id', '=', plantId)
      .where('o.status', '=', 'open')
      .execute(),
  ]);
  return {
    version: versionId ? Number(versionId) : 0,
    computedAt: version?.computed_at ?? null,
    planned: new Map(planned.map((p) => [`${p.code}/${p.seq}`, p])),
    etas: new Map(etas.map((e) => [e.code, e])),
  };
}

type Base = Awaited<ReturnType<typeof readBase>>;
type Result = Extract<ScheduleResult, { ok: true }>;

/**
 * Operations whose machine changed or whose start moved by more than the clock alone moves it (the
 * preview is planned from a later now than the base: see clockDriftToleranceMs), or new to the plan.
 */
function movedOperations(plan: Result['plan'], base: Base, now: Date): MovedOperationView[] {
  const tolerance = base.computedAt ? clockDriftToleranceMs(base.computedAt, now) : 0;
  const moved: MovedOperationView[] = [];
  for (const op of plan.operations) {
    const was = base.planned.get(`${op.order}/${op.seq}`);
    if (was && was.machine === op.machine && Math.abs(was.start_at.getTime() - op.start) <= tolerance) continue;
    moved.push({
      order: op.order,
      seq: op.seq,
      workCenter: op.workCenter,
      machine: op.machine,
      start: new Date(op.start).toISOString(),
      end: new Date(op.end).toISOString(),
      previousMachine: was?.machine ?? null,
      previousStart: was?.start_at.toISOString() ?? null,
      previousEnd: was?.end_at.toISOString() ?? null,
    });
  }
  return moved;
}

/** Orders whose ETA moved by more than the clock alone moves it, or whose late flag changed. */
function etaChanges(plan: Result['plan'], base: Base, now: Date): PreviewEtaChange[] {
  const tolerance = base.computedAt ? clockDriftToleranceMs(base.computedAt, now) : 0;
  const changes: PreviewEtaChange[] = [];
  for (const o of plan.orders) {
    const was = base.etas.get(o.order);
    const previousEta = was?.eta ?? null;
    if (previousEta && Math.abs(previousEta.getTime() - o.eta) <= tolerance && was?.late === o.late) continue;
    changes.push({
      order: o.order,
      eta: new Date(o.eta).toISOString(),
      previousEta: previousEta?.toISOString() ?? null,
      minutes: previousEta ? Math.round((o.eta - previousEta.getTime()) / 60_000) : null,
      dueAt: new Date(o.dueAt).toISOString(),
      late: o.late,
      previousLate: was?.late ?? false,
    });
  }
  return changes;
}

/**
 * What-if: the moves are checked like a commit (except the base: a preview is always against the
 * latest plan), planned off the HTTP thread, and compared with the latest plan. Nothing is written.
 */
export async function previewMoves(db: Queryable, previewer: PlanPreviewer, plantId: number, body: PreviewBody, rules: MoveRules): Promise<PreviewView> {
  const moves = await resolveMoves(db, plantId, body.moves, { ...rules, field: batchMoveField });
  const pins = moves.map((m) => ({ order: m.order, seq: m.seq, machine: m.machine, start: m.start?.getTime() ?? null, mode: m.mode }));
  // The base is read while the engine plans: the planner waits for the slower of the two only.
  const [base, { result, solveMs }] = await Promise.all([readBase(db, plantId), previewer.preview(plantId, pins)]);
  const lateBefore = [...base.etas.values()].filter((e) => e.late).length;
  if (!result.ok) {
    const problems: ScheduleProblem[] = result.errors.map((e) => ({ code: e.code, message: e.message, ...(e.order ? { order: e.order } : {}), ...(e.seq !== undefined ? { seq: e.seq } : {}), ...(e.workCenter ? { workCenter: e.workCenter } : {}) }));
    return { baseVersion: base.version, feasible: false, problems, solveMs: Math.round(solveMs), moved: [], etaChanges: [], lateOrders: { before: lateBefore, after: lateBefore } };
  }
  const plan = result.plan;
  const moved = new Set(moves.map((m) => `${m.order}/${m.seq}`));
  return {
    baseVersion: base.version,
    feasible: true,
    // Only the moves being previewed: other pins' standing issues are on the pins panel already.
    problems: plan.pinIssues.filter((i) => moved.has(`${i.order}/${i.seq}`)).map((i) => ({ code: i.code, message: i.message, order: i.order, seq: i.seq, workCenter: i.workCenter })),
    solveMs: Math.round(solveMs),
    moved: movedOperations(plan, base, rules.now),
    etaChanges: etaChanges(plan, base, rules.now),
    lateOrders: { before: lateBefore, after: plan.orders.filter((o) => o.late).length },
  };
}
