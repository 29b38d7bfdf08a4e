import type { Task } from 'graphile-worker';
import { sql } from 'kysely';
import * as z from 'zod/mini';
import { etaMessages, type EtaChange } from '../../server/contract/stream.ts';
import type { LateReason } from '../../server/contract/schedule.ts';
import type { Db, Queryable, Trx } from '../../server/db/connect.ts';
import { jsonb } from '../../server/db/jsonb.ts';
import { noticeOrderLateness, type OrderLatenessInput } from '../../server/db/repositories/order-notices.ts';
import { publish } from '../../server/outbox/stream-messages.ts';
import { learnSpreadModel, type SpreadModel } from '../engine/spread-model.ts';
import type { EngineThread } from './engine-thread.ts';
import { loadSnapshot } from './load-snapshot.ts';
import { readSpreadHistory } from './spread-history.ts';

/** The graphile-worker task that samples a plant's P50/P90 after its plans. */
export const ETA_SPREAD_TASK = 'eta_spread';

export const EtaSpreadPayload = z.object({ plantId: z.int().check(z.positive()) });

export interface EtaSpreadOptions {
  db: Db;
  /** Its own engine thread, at the lowest priority: sampling must never delay a live plan. */
  engine: EngineThread;
  frozenMinutes: number;
  /** Futures per run (K). */
  samples: number;
  /** Engine time one run may take (at least MIN_SAMPLES futures are drawn whatever it says). */
  timeLimitMs: number;
  log?: (line: string) => void;
  warn: (line: string) => void;
}

/**
 * Engine time one run may take. A big plant (2,000 orders) constructs in a few hundred ms, so it
 * gets fewer futures (MIN_SAMPLES at least) rather than a run the pacing then makes it wait minutes for.
 */
export const ETA_SPREAD_TIME_LIMIT_MS = 3000;

/**
 * P50/P90 moves smaller than this are not news for the screens: resampling the same floor a minute
 * later moves quantiles by a few minutes, and every board would repaint for nothing.
 */
const NEWS_MS = 5 * 60_000;
/** A history row (the band of the order page's chart) only when the band moved this much. */
const HISTORY_MS = 15 * 60_000;

/**
 * Asks for a spread of the plant's ETAs after a plan, paced so sampling costs at most
 * `cpuMsPerMinute` of engine time per minute: the next run waits for the last run's cost to be
 * earned back. Plans arriving meanwhile keep the one pending job (and its time); the spread it
 * computes is of the newest plan when it runs.
 *
 * An order created since the last run started has no P90 yet, and the sales person who just took it
 * is waiting for one: then the job runs now, whatever the pacing says. Each new order buys at most
 * one such run (the next run's start is after its creation), and orders created together share it.
 */
export async function requestEtaSpread(db: Queryable, plantId: number, cpuMsPerMinute: number): Promise<void> {
  await sql`
    with last_run as (select r.ran_at, r.cpu_ms from eta_spread_run r where r.plant_id = ${plantId}),
    waiting as (
      select exists (
        select 1 from customer_order o join order_eta e on e.order_id = o.id
        where o.plant_id = ${plantId} and o.status = 'open' and e.eta is not null and e.eta_p90 is null
          and o.created_at > coalesce((select ran_at - make_interval(secs => cpu_ms / 1000) from last_run), '-infinity')
      ) as new_order)
    select graphile_worker.add_job(
      identifier => ${ETA_SPREAD_TASK},
      payload => json_build_object('plantId', ${plantId}::int),
      run_at => case when waiting.new_order then now()
                     else greatest(now(), (select ran_at + make_interval(secs => cpu_ms * 60 / ${cpuMsPerMinute}::float8) from last_run)) end,
      job_key => ${`${ETA_SPREAD_TASK}:${plantId}`},
      job_key_mode => case when waiting.new_order then 'replace' else 'preserve_run_at' end,
      -- One queue for every plant's sampling: at most one worker slot is ever spent on it, the
      -- others stay free for re-plans however slow a starved nice-19 thread is.
      queue_name => ${ETA_SPREAD_TASK},
      priority => 5,
      max_attempts => 3
    ) from waiting`.execute(db);
}

/** The model the plant's last sampling learned (quotes reuse it); the priors before the first one. */
export async function latestSpreadModel(db: Queryable, plantId: number): Promise<SpreadModel> {
  const row = await db.selectFrom('eta_spread_run').select('model').where('plant_id', '=', plantId).executeTakeFirst();
  return (row?.model as SpreadModel | undefined) ?? learnSpreadModel([], []);
}

/** The saved plan's ETAs, by order code, and its version. */
async function liveEtas(db: Queryable, plantId: number): Promise<{ etas: Map<string, number>; version: string | null }> {
  const rows = await db
    .selectFrom('order_eta as e')
    .innerJoin('customer_order as o', 'o.id', 'e.order_id')
    .select(['o.code', 'e.eta', 'e.version_id'])
    .where('e.plant_id', '=', plantId)
    .where('o.status', '=', 'open')
    .where('e.eta', 'is not', null)
    .execute();
  let version: string | null = null;
  for (const r of rows) if (version === null || BigInt(r.version_id) > BigInt(version)) version = r.version_id;
  return { etas: new Map(rows.map((r) => [r.code, r.eta!.getTime()])), version };
}

interface Offset {
  code: string;
  d50: number;
  d90: number;
}

/**
 * Stores the spread as offsets from each order's ETA as it is at commit: a plan saved while the
 * futures were sampled moved the ETAs, and the spread follows them (save-plan.ts does the same).
 * Returns the eta messages' changes for the orders whose P50 or P90 moved.
 */
async function storeSpread(trx: Trx, plantId: number, offsets: Offset[], calibration: { p90Scale: number; p50ShiftMinutes: number }): Promise<{ news: EtaChange[]; all: OrderLatenessInput[] }> {
  const rows = await sql<{
    code: string; eta: Date; due_at: Date; late: boolean; lateness_minutes: number | null; reasons: LateReason[];
    eta_p50: Date; eta_p90: Date; old_p50: Date | null; old_p90: Date | null; order_id: string;
  }>`
    with x as (select * from jsonb_to_recordset(${JSON.stringify(offsets)}::text::jsonb) as x(code text, d50 double precision, d90 double precision)),
    old as (
      select e.order_id, o.code, o.due_at, e.eta_p50 as old_p50, e.eta_p90 as old_p90, x.d50, x.d90
      from x join customer_order o on o.plant_id = ${plantId} and o.code = x.code and o.status = 'open'
      join order_eta e on e.order_id = o.id and e.eta is not null
      for update of e)
    update order_eta e set
      eta_p50 = greatest(now(), e.eta + make_interval(secs => old.d50 / 1000)),
      eta_p90 = greatest(now(), e.eta + make_interval(secs => greatest(old.d50, old.d90) / 1000)),
      p90_scale = ${calibration.p90Scale},
      p50_shift = ${calibration.p50ShiftMinutes}
    from old where e.order_id = old.order_id
    returning old.code, e.order_id, e.eta, old.due_at, e.late, e.lateness_minutes, e.reasons, e.eta_p50, e.eta_p90, old.old_p50, old.old_p90`.execute(trx);
  const moved = (a: Date | null, b: Date) => a === null || Math.abs(a.getTime() - b.getTime()) >= NEWS_MS;
  const news = rows.rows.filter((r) => moved(r.old_p50, r.eta_p50) || moved(r.old_p90, r.eta_p90));
  const bandMoved = news.filter((r) => r.old_p90 === null || Math.abs(r.old_p90.getTime() - r.eta_p90.getTime()) >= HISTORY_MS
    || r.old_p50 === null || Math.abs(r.old_p50.getTime() - r.eta_p50.getTime()) >= HISTORY_MS);
  if (bandMoved.length) {
    await sql`
      insert into order_eta_history (order_id, version_id, eta, eta_p50, eta_p90, p90_scale, p50_shift)
      select e.order_id, e.version_id, e.eta, e.eta_p50, e.eta_p90, e.p90_scale, e.p50_shift from order_eta e
      where e.order_id = any(${bandMoved.map((r) => r.order_id)}::bigint[])`.execute(trx);
  }
  const all = rows.rows.map((r) => ({
    orderId: String(r.order_id), code: r.code, dueAt: r.due_at.toISOString(), eta: r.eta.toISOString(), etaP90: r.eta_p90.toISOString(),
    latenessMinutes: r.lateness_minutes, reasons: r.reasons,
  }));
  return { all, news: news.map((r) => ({
    order: r.code,
    eta: r.eta.toISOString(),
    previousEta: r.eta.toISOString(),
    dueAt: r.due_at.toISOString(),
    late: r.late,
    latenessMinutes: r.lateness_minutes,
    reasons: r.reasons,
    etaP50: r.eta_p50.toISOString(),
    etaP90: r.eta_p90.toISOString(),
  })) };
}

export async function spreadEtas(options: EtaSpreadOptions, plantId: number): Promise<{ orders: number; samples: number; engineMs: number } | null> {
  const { db } = options;
  const now = Date.now();
  const [loaded, live] = await Promise.all([loadSnapshot(db, plantId, now), liveEtas(db, plantId)]);
  if (live.version === null || live.etas.size === 0) return null;
  const history = await readSpreadHistory(db, plantId, loaded.snapshot, now);
  const model = learnSpreadModel(history.durations, history.breakdowns, history.holds, history.calibration);
  const { spread, solveMs } = await options.engine.spread(
    {
      snapshot: loaded.snapshot,
      previousPlan: loaded.previousPlan,
      now,
      // One seed per plant: consecutive runs draw the same random numbers, so a floor that did not
      // change gives the same dates, and one that did moves them by what changed, not by chance.
      options: { seed: plantId, timeLimitMs: options.timeLimitMs, frozenMinutes: options.frozenMinutes, objective: 'tardiness' },
    },
    { liveEtas: [...live.etas], model, samples: options.samples },
  );
  const offsets: Offset[] = spread.orders.map((o) => ({ code: o.order, d50: o.p50 - live.etas.get(o.order)!, d90: o.p90 - live.etas.get(o.order)! }));
  const changes = await db.transaction().execute(async (trx) => {
    const { news, all } = offsets.length ? await storeSpread(trx, plantId, offsets, { p90Scale: model.p90Scale?.scale ?? 1, p50ShiftMinutes: model.p50Shift?.minutes ?? 0 }) : { news: [], all: [] };
    await trx
      .insertInto('eta_spread_run')
      .values({ plant_id: plantId, version_id: live.version!, ran_at: new Date(), samples: spread.samples, cpu_ms: solveMs, model: jsonb(model) })
      .onConflict((oc) => oc.column('plant_id').doUpdateSet((eb) => ({
        version_id: eb.ref('excluded.version_id'), ran_at: eb.ref('excluded.ran_at'), samples: eb.ref('excluded.samples'),
        cpu_ms: eb.ref('excluded.cpu_ms'), model: eb.ref('excluded.model'),
      })))
      .execute();
    const version = Number(live.version);
    const messages = etaMessages({ version, causes: [] }, news, null);
    // Sales hear of an order whose P90 crossed its due date (at risk) or came back, like an ETA's crossing.
    const notices = await noticeOrderLateness(trx, plantId, all, new Date());
    if (messages.length || notices.length) await publish(trx, plantId, [...messages, ...notices]);
    return news.length;
  });
  options.log?.(`[eta-spread] plant ${plantId}: ${spread.samples} futures of ${offsets.length} orders in ${Math.round(solveMs)} ms, ${changes} moved`);
  return { orders: offsets.length, samples: spread.samples, engineMs: solveMs };
}

export function etaSpreadTask(options: EtaSpreadOptions): Task {
  return async (raw) => {
    const parsed = EtaSpreadPayload.safeParse(raw);
    if (!parsed.success) {
      options.warn(`[eta-spread] dropped malformed payload: ${JSON.stringify(raw)}`);
      return;
    }
    await spreadEtas(options, parsed.data.plantId);
  };
}
