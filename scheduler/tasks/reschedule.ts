import type { Task } from 'graphile-worker';
import * as z from 'zod/mini';
import type { Db } from '../../server/db/connect.ts';
import { liveBudgetMs } from './budget.ts';
import type { EngineThread } from './engine-thread.ts';
import { loadSnapshot } from './load-snapshot.ts';
import { saveInfeasible, savePlan } from './save-plan.ts';

/** Job payloads are untrusted input too: one schema, checked before anything runs. */
export const ReschedulePayload = z.object({
  plantId: z.int().check(z.positive()),
  trigger: z.object({ kind: z.string(), causeId: z.nullable(z.string()) }),
  requestedAt: z.optional(z.string()),
});

export interface RescheduleOptions {
  db: Db;
  engine: EngineThread;
  /** Live-loop search budget; null scales it with the plant (the floor expects new ETAs within a second). */
  timeLimitMs: number | null;
  frozenMinutes: number;
  log?: (line: string) => void;
  /** Always-on: failures and dropped payloads. */
  warn: (line: string) => void;
}

/** Re-plans until no request arrived during the run (bounded: a busy floor is served by the next job). */
const MAX_ROUNDS = 5;

async function planRequests(db: Db, plantId: number): Promise<{ requested: string; trigger: { kind: string; causeId: string | null } | null }> {
  const row = await db.selectFrom('plan_request').select(['requested', 'last_kind', 'last_cause']).where('plant_id', '=', plantId).executeTakeFirst();
  return { requested: row?.requested ?? '0', trigger: row?.last_kind ? { kind: row.last_kind, causeId: row.last_cause } : null };
}

export async function rescheduleNow(options: RescheduleOptions, payload: z.infer<typeof ReschedulePayload>) {
  let saved: Awaited<ReturnType<typeof planOnce>> = null;
  let trigger = payload.trigger;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const before = await planRequests(options.db, payload.plantId);
    // A run answers the newest request so far (a replaced job's payload can be older): its messages
    // name that cause.
    if (before.trigger) trigger = before.trigger;
    saved = await planOnce(options, { ...payload, trigger });
    if ((await planRequests(options.db, payload.plantId)).requested === before.requested) break;
  }
  return saved;
}

async function planOnce(options: RescheduleOptions, payload: z.infer<typeof ReschedulePayload>) {
  const started = performance.now();
  const now = Date.now();
  const loaded = await loadSnapshot(options.db, payload.plantId, now);
  const { result, solveMs: rawSolveMs } = await options.engine.solve({
    snapshot: loaded.snapshot,
    previousPlan: loaded.previousPlan,
    now,
    options: { seed: 1, timeLimitMs: options.timeLimitMs ?? liveBudgetMs(loaded.snapshot), frozenMinutes: options.frozenMinutes, objective: 'tardiness' },
  });
  const solveMs = Math.round(rawSolveMs * 10) / 10;
  if (!result.ok) {
    await options.db.transaction().execute((trx) => saveInfeasible(trx, payload.plantId, result.errors, payload.trigger));
    options.warn(`[reschedule] plant ${payload.plantId}: infeasible: ${result.errors.map((e) => e.message).join('; ')}`);
    return null;
  }
  const saved = await options.db.transaction().execute((trx) =>
    savePlan(trx, {
      plantId: payload.plantId,
      plan: result.plan,
      orderIds: loaded.orderIds,
      trigger: payload.trigger,
      computedAt: new Date(now),
      solveMs,
    }),
  );
  options.log?.(
    `[reschedule] plant ${payload.plantId} v${saved.version}: ${result.plan.operations.length} ops, solve ${solveMs} ms, ` +
      `total ${Math.round(performance.now() - started)} ms, ${saved.etaChanges} ETA changes (${payload.trigger.kind})`,
  );
  return saved;
}

export function rescheduleTask(options: RescheduleOptions): Task {
  return async (raw) => {
    const parsed = ReschedulePayload.safeParse(raw);
    if (!parsed.success) {
      // A malformed payload will never succeed: log and drop it rather than retry forever.
      options.warn(`[reschedule] dropped malformed payload: ${JSON.stringify(raw)}`);
      return;
    }
    await rescheduleNow(options, parsed.data);
  };
}
