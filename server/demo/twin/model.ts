import { demoCalendar, demoOrder, demoProducts, demoWorkCenters } from '../factory.ts';
import type { OrderBody } from '../../contract/orders.ts';
import { capacityFigures } from './capacity.ts';
import { twinParameters, type TwinParameters } from './parameters.ts';

/**
 * The demo factory's stochastic behaviour as pure functions of a seeded generator, a simulated time
 * and the parameters: no clock, no I/O. The twin (simulated clock) and the demo simulator (wall
 * clock) both draw from here.
 */
export type Random = () => number;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Exponential with the given mean: the waiting time of a memoryless process. */
export function exponential(random: Random, mean: number): number {
  return -mean * Math.log(1 - random());
}

/** Standard normal (Box-Muller). */
function normal(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Log-normal factor with mean 1: mu = -sigma^2/2. */
export function logNormalFactor(random: Random, sigma: number): number {
  return Math.exp(-(sigma * sigma) / 2 + sigma * normal(random));
}

export const demoCapacity = capacityFigures({
  products: demoProducts,
  workCenters: demoWorkCenters,
  calendar: demoCalendar.body,
  mix: twinParameters.productMix,
  breakdown: twinParameters.breakdown,
  targetBottleneckLoad: twinParameters.targetBottleneckLoad,
});

/** Working minutes until the next order arrives: a Poisson process at the capacity-matched rate. */
export function nextArrivalGapMinutes(random: Random, capacity = demoCapacity): number {
  return exponential(random, 1 / capacity.ordersPerWorkingMinute);
}

export function pickProduct(random: Random, mix: Record<string, number> = twinParameters.productMix): string {
  const entries = Object.entries(mix);
  let roll = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [code, weight] of entries) {
    roll -= weight;
    if (roll < 0) return code;
  }
  return entries.at(-1)![0];
}

/**
 * Due date and release of an order arriving at `now`: mostly days out with material a few days
 * away, a share tight and released at once.
 */
export function orderDates(
  random: Random,
  now: number,
  due: TwinParameters['due'] = twinParameters.due,
  release: TwinParameters['release'] = twinParameters.release,
): { dueAt: number; releaseAt: number } {
  if (random() < due.tightShare) return { dueAt: now + (due.tightHoursMin + random() * (due.tightHoursMax - due.tightHoursMin)) * HOUR_MS, releaseAt: now };
  const dueAt = now + (due.daysMin + random() * (due.daysMax - due.daysMin)) * DAY_MS;
  return { dueAt, releaseAt: now + (release.materialDaysMin + random() * (release.materialDaysMax - release.materialDaysMin)) * DAY_MS };
}

/** A new order arriving at `now`: product by the mix, lot and priority as the demo makes them. */
export function arrivingOrder(random: Random, code: string, now: number): OrderBody & { releaseAt: string; dueAt: string } {
  const product = pickProduct(random);
  const dates = orderDates(random, now);
  return { ...demoOrder(random, code, new Date(dates.dueAt), product), releaseAt: new Date(dates.releaseAt).toISOString() };
}

/** Actual minutes of one job: setup and per-unit run, each the standard times noise. */
export function actualMinutes(random: Random, workCenter: string, setupMinutes: number, runMinutesPerUnit: number): { setup: number; perUnit: number } {
  const sigma = twinParameters.runNoiseSigma[workCenter] ?? 0.15;
  return {
    setup: setupMinutes * logNormalFactor(random, twinParameters.setupNoiseSigma),
    perUnit: runMinutesPerUnit * logNormalFactor(random, sigma),
  };
}

/** Working minutes of one machine until it next breaks down (exponential, mean MTBF). */
export function nextBreakdownMinutes(random: Random, workCenter: string): number {
  const b = twinParameters.breakdown[workCenter];
  return b ? exponential(random, b.mtbfHours * 60) : Infinity;
}

export type TwinAndonReason = 'breakdown' | 'material' | 'quality';

/** What a lead says when the alert is raised (the estimate) and what actually happens (the truth). */
export interface AndonCourse {
  expectedMinutes: number;
  acknowledgeAfterMinutes: number;
  resolveAfterMinutes: number;
}

export function andonCourse(random: Random, reason: TwinAndonReason, workCenter: string): AndonCourse {
  const mean =
    reason === 'breakdown'
      ? (twinParameters.breakdown[workCenter]?.mttrMinutes ?? 60)
      : reason === 'material'
        ? twinParameters.material.meanDelayMinutes
        : twinParameters.quality.meanReleaseMinutes;
  const acknowledgeAfterMinutes = exponential(random, twinParameters.lead.meanAcknowledgeMinutes);
  // Never resolved before it is acknowledged: a lead looks at it first.
  const resolveAfterMinutes = Math.max(acknowledgeAfterMinutes + 1, exponential(random, mean));
  return { expectedMinutes: Math.round(mean), acknowledgeAfterMinutes, resolveAfterMinutes };
}

/** Whether a job about to start finds its material missing. */
export function materialShort(random: Random): boolean {
  return random() < twinParameters.material.shortageShare;
}

/** Whether a running job is stopped by quality within `minutes` of running. */
export function qualityStop(random: Random, minutes: number): boolean {
  return random() < 1 - Math.exp(-minutes / (twinParameters.quality.meanRunningHoursBetween * 60));
}

export const twinTime = { MINUTE_MS, HOUR_MS, DAY_MS } as const;
