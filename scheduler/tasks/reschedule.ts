import type { Task } from 'graphile-worker';
import type { ScheduleTrigger } from '../../server/contract/schedule.ts';
import type { Db } from '../../server/db/connect.ts';
import { ReschedulePayload } from '../../server/outbox/plan-requests.ts';
import { liveSearchBudget } from './budget.ts';
import type { EngineThread } from './engine-thread.ts';
import { requestEtaSpread } from './eta-spread.ts';
import { loadSnapshot } from './load-snapshot.ts';
import { markPlanned, pendingRequests, type PendingRequests } from './plan-request-repository.ts';
import { saveInfeasible, savePlan } from './save-plan.ts';

export interface RescheduleOptions {
  db: Db;
  engine: EngineThread;
  /** An explicit wall-clock search budget per plan; null: the live budget (budget.ts, a fixed count of iterations). */
  timeLimitMs: number | null;
  frozenMinutes: number;
  log?: (line: string) => void;
  /** Always-on: failures and dropped payloads. */
  warn: (line: string) => void;
  /** Least time between the starts of two plans of one plant (PLAN_GAP_MS). */
  planGapMs?: number;
  /** Engine time per minute the P50/P90 sampling after plans may use; 0 or absent: no sampling. */
  etaSpreadCpuMsPerMinute?: number;
}

/** Re-plans until no request arrived during the run (bounded: a busy floor is served by the next job). */
const MAX_ROUNDS = 5;

/**
 * A busy floor (50 events a second) would otherwise have the plant re-planned back to back, several
 * times a second, each plan's load and save competing with the floor's own requests. Requests that
 * arrive within the gap are coalesced into the next plan, which starts no sooner than this after the
 * last one: an event is in a saved plan within max(gap, one plan's time) + one plan's time, well under
 * the second the floor is promised; a quiet floor's event is planned at once. The wait holds one of
 * the worker's job slots for at most the gap.
 */
export const PLAN_GAP_MS = 300;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function rescheduleNow(options: RescheduleOptions, payload: ReschedulePayload, lastStarts = new Map<number, number>()) {
  const { plantId } = payload;
  const gap = options.planGapMs ?? PLAN_GAP_MS;
  let saved: Awaited<ReturnType<typeof planOnce>> = null;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    // A job queued during the last run whose requests that run already covered: nothing to do.
    if ((await pendingRequests(options.db, plantId)).covered) break;
    const wait = (lastStarts.get(plantId) ?? -Infinity) + gap - performance.now();
    if (wait > 0) await sleep(wait);
    const pending = await pendingRequests(options.db, plantId);
    lastStarts.set(plantId, performance.now());
    saved = await planOnce(options, plantId, pending.newest ?? payload.trigger, pending);
    if ((await pendingRequests(options.db, plantId)).requested === pending.requested) break;
  }
  return saved;
}

async function planOnce(options: RescheduleOptions, plantId: number, trigger: ScheduleTrigger, pending: PendingRequests) {
  const started = performance.now();
  const now = Date.now();
  const loaded = await loadSnapshot(options.db, plantId, now);
  const { result, solveMs: rawSolveMs } = await options.engine.solve({
    snapshot: loaded.snapshot,
    previousPlan: loaded.previousPlan,
    now,
    options: { seed: 1, ...liveSearchBudget(loaded.snapshot, options.timeLimitMs), frozenMinutes: options.frozenMinutes, objective: 'tardiness' },
  });
  const solveMs = Math.round(rawSolveMs * 10) / 10;
  if (!result.ok) {
    await options.db.transaction().execute((trx) => saveInfeasible(trx, { plantId, errors: result.errors, trigger, causes: pending.causes, detectedAt: new Date(now) }));
    options.warn(`[reschedule] plant ${plantId}: infeasible: ${result.errors.map((e) => e.message).join('; ')}`);
    return null;
  }
  const saved = await options.db.transaction().execute((trx) =>
    savePlan(trx, {
      plantId,
      plan: result.plan,
      orderIds: loaded.orderIds,
      trigger,
      causes: pending.causes,
      computedAt: new Date(now),
      solveMs,
      pins: loaded.pins,
      shortagesFirstSeen: loaded.shortagesFirstSeen,
      held: loaded.held,
    }),
  );
  // The plan answers every request its snapshot covered. Marked after the save commits, in a statement
  // of its own: inside the save it would hold the plant's plan_request row, and every floor event
  // asking for a re-plan meanwhile would wait for the save to finish. A crash in between only means
  // the next plan names those causes again.
  await markPlanned(options.db, plantId, pending.requested);
  if (options.etaSpreadCpuMsPerMinute) await requestEtaSpread(options.db, plantId, options.etaSpreadCpuMsPerMinute);
  options.log?.(
    `[reschedule] plant ${plantId} v${saved.version}: ${result.plan.operations.length} ops, solve ${solveMs} ms, ` +
      `total ${Math.round(performance.now() - started)} ms, ${saved.etaChanges} ETA changes (${trigger.kind})`,
  );
  return saved;
}

export function rescheduleTask(options: RescheduleOptions): Task {
  // When each plant's last plan started, in this worker (jobs of one plant run one at a time).
  const lastStarts = new Map<number, number>();
  return async (raw) => {
    const parsed = ReschedulePayload.safeParse(raw);
    if (!parsed.success) {
      // A malformed payload will never succeed: log and drop it rather than retry forever.
      options.warn(`[reschedule] dropped malformed payload: ${JSON.stringify(raw)}`);
      return;
    }
    await rescheduleNow(options, parsed.data, lastStarts);
  };
}
