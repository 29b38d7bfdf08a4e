import type { CalendarBody, ProductBody, WorkCenterBody } from '../../contract/master-data.ts';
import { demoQuantityRange } from '../factory.ts';

/**
 * How much work an average order brings to each work center, and how many orders per working minute
 * load the bottleneck to a target: the arrival rate derived from capacity, not guessed.
 */
export interface CapacityFigures {
  /** Expected machine-minutes (setup + run x mean lot) per order, by work center. */
  contentPerOrder: Record<string, number>;
  /** Working minutes per machine per week, from the weekly shifts. */
  weeklyMinutesPerMachine: number;
  /** Expected machine-minutes per order available-capacity-weighted: content / (machines x availability). */
  loadPerOrder: Record<string, number>;
  bottleneck: string;
  /** Orders per working minute that load the bottleneck to the target. */
  ordersPerWorkingMinute: number;
  /** Resulting load per work center at that rate (share of available machine time). */
  loadAt: Record<string, number>;
  /** Average load over all machines at that rate. */
  averageLoad: number;
}

interface Inputs {
  products: { code: string; body: ProductBody }[];
  workCenters: { code: string; body: WorkCenterBody }[];
  calendar: CalendarBody;
  mix: Record<string, number>;
  breakdown: Record<string, { mtbfHours: number; mttrMinutes: number }>;
  targetBottleneckLoad: number;
}

function clockMinutes(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function weeklyWorkingMinutes(calendar: CalendarBody): number {
  return calendar.shifts.reduce((sum, s) => {
    const length = clockMinutes(s.end) - clockMinutes(s.start);
    return sum + (length > 0 ? length : length + 24 * 60);
  }, 0);
}

export function capacityFigures(inputs: Inputs): CapacityFigures {
  const totalWeight = inputs.products.reduce((sum, p) => sum + (inputs.mix[p.code] ?? 0), 0);
  const contentPerOrder: Record<string, number> = {};
  for (const p of inputs.products) {
    const share = (inputs.mix[p.code] ?? 0) / totalWeight;
    const lot = demoQuantityRange(p.body);
    const meanLot = (lot.min + lot.max) / 2;
    for (const step of p.body.routing) {
      contentPerOrder[step.workCenter] = (contentPerOrder[step.workCenter] ?? 0) + share * (step.setupMinutes + step.runMinutesPerUnit * meanLot);
    }
  }
  const loadPerOrder: Record<string, number> = {};
  let bottleneck = inputs.workCenters[0]!.code;
  for (const wc of inputs.workCenters) {
    const b = inputs.breakdown[wc.code];
    // Share of working time a machine is up: MTBF / (MTBF + MTTR).
    const availability = b ? (b.mtbfHours * 60) / (b.mtbfHours * 60 + b.mttrMinutes) : 1;
    loadPerOrder[wc.code] = (contentPerOrder[wc.code] ?? 0) / (wc.body.machines * availability);
    if (loadPerOrder[wc.code]! > loadPerOrder[bottleneck]!) bottleneck = wc.code;
  }
  const ordersPerWorkingMinute = inputs.targetBottleneckLoad / loadPerOrder[bottleneck]!;
  const loadAt = Object.fromEntries(inputs.workCenters.map((wc) => [wc.code, loadPerOrder[wc.code]! * ordersPerWorkingMinute]));
  const machines = inputs.workCenters.reduce((sum, wc) => sum + wc.body.machines, 0);
  const averageLoad = inputs.workCenters.reduce((sum, wc) => sum + loadAt[wc.code]! * wc.body.machines, 0) / machines;
  return {
    contentPerOrder,
    weeklyMinutesPerMachine: weeklyWorkingMinutes(inputs.calendar),
    loadPerOrder,
    bottleneck,
    ordersPerWorkingMinute,
    loadAt,
    averageLoad,
  };
}
