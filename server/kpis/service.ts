import { KPI_MAX_DAYS, type KpisView } from '../contract/kpis.ts';
import { ApiError } from '../contract/errors.ts';
import type { Db } from '../db/connect.ts';
import type { PlantRef } from '../plants/scope.ts';
import { andonKpis } from './andon-pareto.ts';
import { onTimeDelivery, planAdherence } from './delivery.ts';
import { screenKpis } from './screen-latency.ts';

const DEFAULT_DAYS = 7;
const DAY_MS = 86_400_000;

/** [from, to) from the query: the 7 days up to now by default; from before to, at most KPI_MAX_DAYS. */
export function kpiPeriod(query: { from?: string; to?: string }, now: Date): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) throw ApiError.invalid(query.from ? 'from' : 'to', 'from must be before to');
  if (to.getTime() - from.getTime() > KPI_MAX_DAYS * DAY_MS) throw ApiError.invalid('from', `the period is at most ${KPI_MAX_DAYS} days`);
  return { from, to };
}

/** Every figure over one snapshot of the database (repeatable read), so they agree with each other. */
export async function kpis(db: Db, plant: PlantRef, from: Date, to: Date, now: Date): Promise<KpisView> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => ({
      from: from.toISOString(),
      to: to.toISOString(),
      timeZone: plant.timeZone,
      computedAt: now.toISOString(),
      onTimeDelivery: await onTimeDelivery(trx, plant.id, plant.timeZone, from, to),
      planAdherence: await planAdherence(trx, plant.id, plant.timeZone, from, to),
      andon: await andonKpis(trx, plant.id, from, to),
      screens: await screenKpis(trx, plant.id, from, to, now),
    }));
}
