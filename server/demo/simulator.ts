import { randomUUID } from 'node:crypto';
import type { AndonReason } from '../contract/andon.ts';
import type { FloorEventBody } from '../contract/floor-events.ts';
import type { Db } from '../db/connect.ts';
import { acknowledgeAndon, resolveAndon } from '../andon/lifecycle.ts';
import { raiseAndon } from '../andon/service.ts';
import { recordFloorEvent } from '../floor-events/service.ts';
import { stopsWorkCenter } from '../contract/andon-effects.ts';
import { selectOpenAndons } from '../db/repositories/andon.ts';
import { latestScheduleVersion } from '../db/repositories/schedule.ts';
import { createOrder } from '../orders/service.ts';
import { DEMO_PLANT } from './factory.ts';
import type { CounterPublisher } from './machine-counters.ts';
import { MaterialGate } from './material-gate.ts';
import { replenishDemo } from './materials.ts';
import { seededRandom } from './random.ts';
import { actualMinutes, andonCourse, arrivingOrder, demoCapacity } from './twin/model.ts';

export interface Simulator {
  stop: () => Promise<void>;
}

/** One step of the simulated floor at `now` (epoch ms); the time since the last step is what the floor did. */
export interface FloorSimulator {
  tick: (now: number) => Promise<void>;
}

export interface SimulatorOptions {
  speed: number;
  log: (line: string) => void;
  seed?: number;
  counters?: CounterPublisher;
}

const TICK_MS = 1000;
/**
 * New orders keep the demo alive. They arrive as in the digital twin (server/demo/twin/model.ts: the
 * rate that loads the bottleneck to 85 %, the twin's product mix and due dates, some tight so some are
 * late and say why), at `speed` factory minutes per second. The wall clock ignores the plant's shifts
 * and the floor here starts a machine's next planned job without waiting for its planned start, so
 * the bounds stay as guard rails: at once (one a tick) below openMin, none from openMax.
 */
export const demoArrivals = { openMin: 35, openMax: 70 } as const;
/**
 * Wall time an alert stays unacknowledged / open: at least long enough for the TV to show it, at most
 * under the 5 minutes after which a restarted simulator clears what an earlier run left open.
 */
const ALERT_WALL_MS = { acknowledge: 8000, resolveMin: 30_000, resolveMax: 4 * 60_000 } as const;
const SIMULATOR = 'floor-simulator';
/** How long after a shortage shows the simulated goods arrive: long enough to see it on the purchasing page. */
const ARRIVAL_WALL_MS = 4 * 60_000;
// The demo's operators (server/demo/seed.ts): workers press at the machines, leads close alerts.
const WORKERS = ['OP02', 'OP03', 'OP04', 'OP05'];
const LEADS = ['OP01', 'OP06'];

/** The same worker stands at the same work center, so the event log reads like a real shift. */
function workerAt(workCenter: string): string {
  let hash = 0;
  for (const ch of workCenter) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return WORKERS[hash % WORKERS.length]!;
}

interface RunningOp {
  order_id: string;
  code: string;
  seq: number;
  work_center_code: string;
  machine: number | null;
  quantity: number;
  quantity_good: number;
  quantity_scrap: number;
  run_minutes_per_unit: number;
}

/**
 * Demo mode only: plays the floor so the screens are alive. Machines start the jobs the scheduler
 * planned for them, report good and scrap every few seconds at `speed` factory minutes per real
 * second, complete them, and now and then raise an andon that a lead acknowledges and resolves.
 * It goes through the same domain functions as the API, so everything it does is real data.
 */
/** The next order of the demo's arrivals: numbered on from the highest SO- code. */
async function nextOrderCode(db: Db, plantId: number): Promise<string> {
  const row = await db
    .selectFrom('customer_order')
    .select((eb) => eb.fn.max('code').as('code'))
    .where('plant_id', '=', plantId)
    .where('code', 'like', 'SO-%')
    .executeTakeFirst();
  const last = Number(/^SO-(\d+)$/.exec(row?.code ?? '')?.[1] ?? 2611000);
  return `SO-${last + 1}`;
}

/**
 * Runs the floor on the wall clock, one tick a second (a tick still running is not overlapped).
 */
export function startSimulator(db: Db, options: SimulatorOptions): Simulator {
  const floor = floorSimulator(db, options);
  let stopped = false;
  let running: Promise<void> | null = null;
  const loop = setInterval(() => {
    if (running || stopped) return;
    running = floor
      .tick(Date.now())
      .catch((e: unknown) => {
        // A state conflict with a real user's press is expected now and then; the next tick re-reads.
        const message = e instanceof Error ? e.message : String(e);
        if (!/cannot apply|exceeds|already/.test(message)) options.log(`[simulator] ${message}`);
      })
      .finally(() => (running = null));
  }, TICK_MS);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(loop);
      await running;
    },
  };
}

/**
 * The floor's behaviour on an injected clock: the wall-clock loop above drives it, and a test drives
 * it through simulated days in seconds. Follow-ups (a lead acknowledging an alert) are due at clock
 * instants, not timers, so they happen on the same clock.
 */
export function floorSimulator(db: Db, options: SimulatorOptions): FloorSimulator {
  const accumulated = new Map<string, number>();
  // Actual minutes per unit of each running job: the routing times the twin's noise for its work center.
  const perUnit = new Map<string, number>();
  const nextReportAt = new Map<string, number>();
  const followUps: { at: number; run: () => Promise<unknown> }[] = [];
  let lastTick: number | null = null;
  // Seeded: a run of the demo can be repeated.
  const random = seededRandom(options.seed ?? 20261202);

  const later = (at: number, run: () => Promise<unknown>) => followUps.push({ at, run });
  async function runFollowUps(now: number): Promise<void> {
    const due = followUps.filter((f) => f.at <= now);
    for (const f of due) {
      followUps.splice(followUps.indexOf(f), 1);
      await f.run().catch((e: unknown) => options.log(`[simulator] ${String(e)}`));
    }
  }

  async function floorEvent(plantId: number, workCenter: string, body: Omit<FloorEventBody, 'id' | 'operator'>, now: number) {
    await db.transaction().execute((trx) =>
      recordFloorEvent(trx, { plantId, name: SIMULATOR }, { id: `sim-${randomUUID()}`, operator: workerAt(workCenter), ...body }, new Date(now)),
    );
  }

  async function arriveOrders(plantId: number, now: number, elapsedMs: number): Promise<void> {
    const { open } = await db
      .selectFrom('customer_order')
      .select((eb) => eb.fn.countAll<string>().as('open'))
      .where('plant_id', '=', plantId)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    const count = Number(open);
    const perTick = demoCapacity.ordersPerWorkingMinute * options.speed * (elapsedMs / 1000);
    if (count >= demoArrivals.openMax || (count >= demoArrivals.openMin && random() >= perTick)) return;
    // No release date: this floor would not wait for it (see demoArrivals).
    const { releaseAt: _release, ...body } = arrivingOrder(random, await nextOrderCode(db, plantId), now);
    await db.transaction().execute((trx) => createOrder(trx, { plantId, name: SIMULATOR }, body));
  }

  async function tick(now: number): Promise<void> {
    // A tick that took long (a slow plan) moved the floor on by as much; a first tick by one.
    const elapsedMs = lastTick === null ? TICK_MS : Math.max(0, Math.min(now - lastTick, 60 * TICK_MS));
    lastTick = now;
    await runFollowUps(now);
    const plant = await db.selectFrom('plant').select('id').where('code', '=', DEMO_PLANT.code).executeTakeFirst();
    if (!plant) return;
    const plantId = plant.id;
    const [centers, ops, openAndon, version, bom, stock] = await Promise.all([
      db.selectFrom('work_center').select(['code', 'machines']).where('plant_id', '=', plantId).execute(),
      db
        .selectFrom('operation as op')
        .innerJoin('customer_order as o', 'o.id', 'op.order_id')
        .select(['op.order_id', 'o.code', 'o.product_code', 'op.seq', 'op.work_center_code', 'op.machine', 'o.quantity', 'op.quantity_good', 'op.quantity_scrap', 'op.run_minutes_per_unit', 'op.status'])
        .where('op.plant_id', '=', plantId)
        .where('o.status', '=', 'open')
        .where('op.status', '<>', 'completed')
        .execute(),
      selectOpenAndons(db, plantId).select(['id', 'work_center_code', 'reason', 'state', 'raised_at', 'raised_by']).execute(),
      latestScheduleVersion(db, plantId),
      db.selectFrom('bom_line').select(['product_code as product', 'component_code as component', 'seq', 'quantity_per_unit as quantityPerUnit']).where('plant_id', '=', plantId).execute(),
      db.selectFrom('component').select(['code', 'on_hand']).where('plant_id', '=', plantId).execute(),
    ]);
    const down = new Set(openAndon.filter((a) => stopsWorkCenter(a.reason)).map((a) => a.work_center_code));
    await arriveOrders(plantId, now, elapsedMs);
    // Purchasing answers a shortage with an arrival a few minutes out (wall time), and the goods come.
    await replenishDemo(db, plantId, new Date(now), ARRIVAL_WALL_MS);

    // Running operations report progress and complete.
    const busy = new Set<string>();
    for (const op of ops.filter((o) => o.status === 'running') as (RunningOp & { status: string })[]) {
      busy.add(`${op.work_center_code}#${op.machine}`);
      if (down.has(op.work_center_code)) continue;
      const key = `${op.order_id}/${op.seq}`;
      const actual = perUnit.get(key) ?? actualMinutes(random, op.work_center_code, 0, op.run_minutes_per_unit).perUnit;
      perUnit.set(key, actual);
      const units = (accumulated.get(key) ?? 0) + (options.speed * (elapsedMs / 1000)) / actual;
      accumulated.set(key, units);
      if ((nextReportAt.get(key) ?? 0) > now) continue;
      nextReportAt.set(key, now + 2500 + random() * 4000);
      const left = op.quantity - op.quantity_good - op.quantity_scrap;
      const whole = Math.min(left, Math.floor(units));
      if (whole < 1 && left > 0) continue;
      accumulated.set(key, units - whole);
      const scrap = whole >= 5 && random() < 0.2 ? 1 : 0;
      const good = whole - scrap;
      if (left - whole <= 0) {
        accumulated.delete(key);
        nextReportAt.delete(key);
        perUnit.delete(key);
        await floorEvent(plantId, op.work_center_code, { type: 'operation.completed', order: op.code, seq: op.seq, quantityGood: good, quantityScrap: scrap, ...scrapReasonOf(scrap, op.quantity_scrap + op.seq) }, now);
      } else if (options.counters?.counts(op.work_center_code) && op.machine !== null) {
        // With --mqtt a counting machine reports its parts over MQTT; the completion stays a station press.
        await options.counters.report(op.work_center_code, op.machine, good, scrap);
      } else {
        await floorEvent(plantId, op.work_center_code, { type: 'operation.progress', order: op.code, seq: op.seq, quantityGood: good, quantityScrap: scrap, ...scrapReasonOf(scrap, op.quantity_scrap + op.seq) }, now);
      }
    }

    // Idle machines start the next job the scheduler planned for them, once its material has arrived
    // from the previous step and its components are on the rack (else the machine takes its next job:
    // the plan holds a job forecast short until the goods come, and the floor follows it).
    const unitsLeft = (o: { quantity: number; quantity_good: number; quantity_scrap: number }) => o.quantity - o.quantity_good - o.quantity_scrap;
    const gate = new MaterialGate(
      new Map(stock.map((c) => [c.code, c.on_hand])),
      bom,
      ops.filter((o) => o.status === 'running').map((o) => ({ product: o.product_code, seq: o.seq, units: unitsLeft(o) })),
    );
    if (version) {
      const planned = await db
        .selectFrom('planned_operation as pl')
        .innerJoin('customer_order as o', 'o.id', 'pl.order_id')
        .innerJoin('operation as op', (j) => j.onRef('op.order_id', '=', 'pl.order_id').onRef('op.seq', '=', 'pl.seq'))
        .leftJoin('operation as prev', (j) => j.onRef('prev.order_id', '=', 'pl.order_id').on('prev.seq', '=', (eb) => eb('pl.seq', '-', 1)))
        .select(['o.code', 'o.product_code', 'o.quantity', 'op.quantity_good', 'op.quantity_scrap', 'pl.seq', 'pl.work_center_code', 'pl.machine', 'prev.status as prev_status', 'prev.quantity_good as prev_good'])
        .where('pl.version_id', '=', version)
        .where('op.status', 'in', ['pending', 'paused'])
        .orderBy('pl.start_at')
        .execute();
      // A stale plan may list one job on two machines: start it once.
      const starting = new Set<string>();
      for (const wc of centers) {
        if (down.has(wc.code)) continue;
        for (let machine = 1; machine <= wc.machines; machine++) {
          if (busy.has(`${wc.code}#${machine}`) || random() < 0.5) continue;
          const next = planned.find(
            (p) =>
              p.work_center_code === wc.code &&
              p.machine === machine &&
              !starting.has(`${p.code}/${p.seq}`) &&
              (p.prev_status === null || p.prev_status === 'completed' || (p.prev_good ?? 0) > 0) &&
              gate.tryStart({ product: p.product_code, seq: p.seq, units: unitsLeft(p) }),
          );
          if (!next) continue;
          busy.add(`${wc.code}#${machine}`);
          starting.add(`${next.code}/${next.seq}`);
          await floorEvent(plantId, wc.code, { type: 'operation.started', order: next.code, seq: next.seq, machine }, now);
        }
      }
    }

    // Now and then something goes wrong; a lead acknowledges and fixes it.
    const mine = openAndon.filter((a) => a.raised_by === SIMULATOR);
    for (const a of mine) {
      // After a restart the timers are gone: close what an earlier run left open.
      if (now - a.raised_at.getTime() > 5 * 60_000) {
        await db.transaction().execute((trx) => resolveAndon(trx, { plantId, name: 'lead' }, a.id, { rootCause: 'cleared', operator: LEADS[0] }, new Date(now)));
      }
    }
    if (mine.length < 2 && random() < elapsedMs / 45_000) {
      const candidates = ops.filter((o) => o.status === 'running');
      const target = candidates[Math.floor(random() * candidates.length)];
      if (target) {
        const roll = random();
        const reason: AndonReason = roll < 0.35 ? 'breakdown' : roll < 0.65 ? 'material' : roll < 0.85 ? 'quality' : 'other';
        // The twin's estimate and course for it, in wall time at this speed, but long enough to read.
        const course = andonCourse(random, reason === 'other' ? 'quality' : reason, target.work_center_code);
        const wallMs = (minutes: number) => (minutes * 60_000) / options.speed;
        const resolveMs = Math.min(ALERT_WALL_MS.resolveMax, Math.max(ALERT_WALL_MS.resolveMin, wallMs(course.resolveAfterMinutes)));
        const acknowledgeMs = Math.min(resolveMs - 5000, Math.max(ALERT_WALL_MS.acknowledge, wallMs(course.acknowledgeAfterMinutes)));
        const id = `sim-${randomUUID()}`;
        await db.transaction().execute((trx) =>
          raiseAndon(
            trx,
            { plantId, name: SIMULATOR },
            {
              id,
              workCenter: target.work_center_code,
              reason,
              ...(reason === 'breakdown' ? {} : { order: target.code, seq: target.seq }),
              expectedMinutes: course.expectedMinutes,
              note: reason === 'breakdown' ? '主轴报警 spindle alarm' : reason === 'material' ? '缺料 waiting for bar stock' : undefined,
            },
            new Date(now),
          ),
        );
        later(now + acknowledgeMs, () =>
          db.transaction().execute((trx) => acknowledgeAndon(trx, { plantId, name: 'lead' }, id, { operator: LEADS[0] }, new Date(now + acknowledgeMs))),
        );
        later(now + resolveMs, () =>
          db.transaction().execute((trx) => resolveAndon(trx, { plantId, name: 'lead' }, id, { rootCause: 'fixed', operator: LEADS[1] }, new Date(now + resolveMs))),
        );
      }
    }
  }

  return { tick };
}

/**
 * What the demo's workers type for scrap, so the QC Pareto has a head and a tail: picked from the
 * operation's running count (no draw from the seeded randomness, whose sequence stays as it was);
 * one report in seven gives no reason, as on a real floor.
 */
const DEMO_SCRAP_REASONS = ['burr', 'dimension', 'burr', 'scratch', 'burr', 'porosity', ''] as const;
function scrapReasonOf(scrap: number, counter: number): { scrapReason?: string } {
  return scrap > 0 ? { scrapReason: DEMO_SCRAP_REASONS[counter % DEMO_SCRAP_REASONS.length] } : {};
}
