import { ApiError } from '../contract/errors.ts';
import type { StaleBaseDetails } from '../contract/plan.ts';
import type { Queryable } from '../db/connect.ts';
import { latestScheduleVersion } from '../db/repositories/schedule.ts';
import type { ResolvedMove } from './moves.ts';

/** Planned operations of one version that a move touches: the moved ones and those on a target machine. */
async function touchedOperations(db: Queryable, versionId: string, moves: ResolvedMove[], also: { order_id: string; seq: number }[] = []) {
  return db
    .selectFrom('planned_operation as pl')
    .innerJoin('customer_order as o', 'o.id', 'pl.order_id')
    .innerJoin('operation as op', (j) => j.onRef('op.order_id', '=', 'pl.order_id').onRef('op.seq', '=', 'pl.seq'))
    .select(['o.code', 'pl.order_id', 'pl.seq', 'pl.machine', 'pl.start_at'])
    .where('pl.version_id', '=', versionId)
    // Running work is re-timed to now by every plan: its "change" is the clock, not a planner's concern.
    .where('op.status', '<>', 'running')
    .where((eb) =>
      eb.or(
        moves.flatMap((m) => [
          eb.and([eb('pl.order_id', '=', m.orderId), eb('pl.seq', '=', m.seq)]),
          eb.and([eb('pl.work_center_code', '=', m.workCenter), eb('pl.machine', '=', m.machine)]),
        ]).concat(also.map((k) => eb.and([eb('pl.order_id', '=', k.order_id), eb('pl.seq', '=', k.seq)]))),
      ),
    )
    .execute();
}

/**
 * Every plan is computed from its own now: work that waits only for the clock (the next job on a
 * machine, a routing chain) is re-timed by about the time that passed between two plans. That is not
 * a change the planner has to look at; a move of more than this is (and any change of machine).
 */
const MIN_TOLERANCE_MS = 60_000;
const MAX_TOLERANCE_MS = 15 * 60_000;

/** How far a start may move between a plan computed at `earlier` and one at `later` without being a change. */
export function clockDriftToleranceMs(earlier: Date, later: Date): number {
  return Math.min(MAX_TOLERANCE_MS, Math.max(MIN_TOLERANCE_MS, later.getTime() - earlier.getTime()));
}

/**
 * A commit is made against the plan the planner saw (`baseVersion`). Newer plans are fine unless they
 * changed what the move is about: the moved operations, or anything on a machine it moves to (placed
 * there, moved on it, re-timed). Then 409 stale_base names what changed, so the console can show it
 * and ask again. A base version the plant no longer keeps cannot be compared: stale too.
 */
export async function assertFreshBase(db: Queryable, plantId: number, baseVersion: number, moves: ResolvedMove[], committer: string): Promise<void> {
  const latestId = await latestScheduleVersion(db, plantId);
  const currentVersion = latestId ? Number(latestId) : 0;
  if (baseVersion > currentVersion) throw ApiError.invalid('baseVersion', `baseVersion ${baseVersion} is newer than the latest plan (${currentVersion})`);
  const stale = (changed: StaleBaseDetails['changed'], why: string): ApiError =>
    new ApiError(409, 'stale_base', why, 'baseVersion', { baseVersion, currentVersion, changed } satisfies StaleBaseDetails);
  await assertNoUnseenPins(db, plantId, baseVersion, moves, committer, stale);
  if (baseVersion === currentVersion || !latestId) return;
  const versions = await db.selectFrom('schedule_version').select(['id', 'computed_at']).where('plant_id', '=', plantId).where('id', 'in', [String(baseVersion), latestId]).execute();
  const base = versions.find((v) => Number(v.id) === baseVersion);
  const latest = versions.find((v) => v.id === latestId);
  if (!base) throw stale([], `plan version ${baseVersion} is no longer kept: look at the current plan (${currentVersion}) and move again`);
  // Also what was on a target machine in the base and has left it since.
  const before = await touchedOperations(db, base.id, moves);
  const after = await touchedOperations(db, latestId, moves, before);
  const previous = new Map(before.map((r) => [`${r.order_id}/${r.seq}`, r]));
  const tolerance = clockDriftToleranceMs(base.computed_at, latest?.computed_at ?? base.computed_at);
  const changed: StaleBaseDetails['changed'] = [];
  for (const now of after) {
    const was = previous.get(`${now.order_id}/${now.seq}`);
    if (was && was.machine === now.machine && Math.abs(was.start_at.getTime() - now.start_at.getTime()) <= tolerance) continue;
    changed.push({
      order: now.code,
      seq: now.seq,
      machine: now.machine,
      start: now.start_at.toISOString(),
      previousMachine: was?.machine ?? null,
      previousStart: was?.start_at.toISOString() ?? null,
    });
  }
  if (changed.length) throw stale(changed, `the plan changed under this move since version ${baseVersion} (now ${currentVersion}): ${changed.length} operation(s) moved`);
}

/**
 * A colleague who pinned one of these operations on the same plan (or a newer one) did it after this
 * planner last looked: the plan may not show it yet (their re-plan is still running), so the version
 * check alone would let this commit silently replace their decision. Refused like a stale base, naming
 * their pin; the planner's own earlier pins are theirs to replace.
 */
async function assertNoUnseenPins(
  db: Queryable,
  plantId: number,
  baseVersion: number,
  moves: ResolvedMove[],
  committer: string,
  stale: (changed: StaleBaseDetails['changed'], why: string) => ApiError,
): Promise<void> {
  if (moves.length === 0) return;
  const unseen = await db
    .selectFrom('plan_pin as p')
    .innerJoin('customer_order as o', 'o.id', 'p.order_id')
    .select(['o.code', 'p.seq', 'p.machine', 'p.start_at', 'p.created_at', 'p.created_by'])
    .where('p.plant_id', '=', plantId)
    .where('p.state', '<>', 'removed')
    .where('p.created_by', '<>', committer)
    .where('p.base_version', '>=', String(baseVersion))
    .where((eb) => eb.or(moves.map((m) => eb.and([eb('p.order_id', '=', m.orderId), eb('p.seq', '=', m.seq)]))))
    .execute();
  if (unseen.length === 0) return;
  const changed = unseen.map((p) => ({
    order: p.code,
    seq: p.seq,
    machine: p.machine,
    start: (p.start_at ?? p.created_at).toISOString(),
    previousMachine: null,
    previousStart: null,
  }));
  const who = [...new Set(unseen.map((p) => p.created_by))].join(', ');
  throw stale(changed, `${who} pinned ${unseen.map((p) => `${p.code}/${p.seq}`).join(', ')} after plan version ${baseVersion}: look at their move and move again`);
}
