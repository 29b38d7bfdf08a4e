/**
 * A seeded synthetic plant for benchmarks and tests: work centers with two-shift calendars, a few
 * downtime windows and pins, and orders with linear routings.
 */
import type { Calendar, Downtime, OrderInput, Snapshot, WorkCenter } from '../engine/model.ts';
import { createRandom } from '../engine/random.ts';

export interface PlantSpec {
  seed: number;
  workCenters: number;
  machinesPerWorkCenter: number;
  orders: number;
  operationsPerOrder: number;
  downtimes?: number;
  pins?: number;
}

const DAY = 86_400_000;

export function generatePlant(spec: PlantSpec): { snapshot: Snapshot; now: number } {
  const rnd = createRandom(spec.seed);
  const now = Date.UTC(2026, 0, 5, 1, 30); // Monday 09:30 in Asia/Shanghai
  const weekdays = [1, 2, 3, 4, 5, 6] as const;
  const calendars: Calendar[] = [
    {
      code: 'two-shift',
      timeZone: 'Asia/Shanghai',
      shifts: weekdays.flatMap((weekday) => [
        { weekday, start: '06:00', end: '14:00' },
        { weekday, start: '14:00', end: '22:00' },
      ]),
      exceptions: [{ from: '2026-01-10T06:00', to: '2026-01-10T22:00', working: false, note: 'stocktake' }],
    },
    {
      code: 'two-shift-night',
      timeZone: 'Asia/Shanghai',
      shifts: weekdays.flatMap((weekday) => [
        { weekday, start: '08:00', end: '16:00' },
        { weekday, start: '22:00', end: '06:00' },
      ]),
      exceptions: [],
    },
  ];
  const workCenters: WorkCenter[] = [];
  for (let w = 0; w < spec.workCenters; w++) {
    workCenters.push({
      code: `WC${String(w + 1).padStart(2, '0')}`,
      machines: spec.machinesPerWorkCenter,
      calendar: w % 4 === 3 ? 'two-shift-night' : 'two-shift',
      ...(w % 5 === 0 ? { setupMatrix: [{ from: 'F1', to: 'F2', minutes: 45 }, { from: 'F2', to: 'F1', minutes: 30 }, { from: 'F1', to: 'F1', minutes: 5 }] } : {}),
    });
  }
  const downtimes: Downtime[] = [];
  for (let d = 0; d < (spec.downtimes ?? 4); d++) {
    const w = rnd.int(spec.workCenters);
    const from = now + rnd.int(5 * 24) * 3_600_000;
    downtimes.push({
      id: `andon-${d + 1}`,
      workCenter: workCenters[w]!.code,
      ...(d % 2 === 0 ? { machine: 1 + rnd.int(spec.machinesPerWorkCenter) } : {}),
      from,
      to: from + (1 + rnd.int(8)) * 3_600_000,
      reason: d % 2 === 0 ? 'breakdown' : 'maintenance',
    });
  }
  const orders: OrderInput[] = [];
  const horizonDays = Math.max(3, (spec.orders * spec.operationsPerOrder * 1.2) / (spec.workCenters * spec.machinesPerWorkCenter * 14));
  for (let o = 0; o < spec.orders; o++) {
    const quantity = 10 + rnd.int(90);
    const operations: OrderInput['operations'] = [];
    for (let k = 0; k < spec.operationsPerOrder; k++) {
      operations.push({
        seq: (k + 1) * 10,
        workCenter: workCenters[rnd.int(spec.workCenters)]!.code,
        setupMinutes: 10 + rnd.int(20),
        runMinutesPerUnit: 0.2 + rnd.int(10) / 10,
        quantity,
        ...(rnd.next() < 0.2 ? { minTransferMinutes: 30 } : {}),
        status: 'pending',
      });
    }
    orders.push({
      code: `MO${String(o + 1).padStart(5, '0')}`,
      product: `P${rnd.int(50)}`,
      family: rnd.next() < 0.5 ? 'F1' : 'F2',
      quantity,
      dueAt: now + Math.round((0.5 + rnd.next() * horizonDays) * DAY),
      priority: 1 + rnd.int(3),
      operations,
    });
  }
  // A few pins on machines, far enough out to be reachable.
  for (let k = 0; k < (spec.pins ?? 3) && k < orders.length; k++) {
    const first = orders[k * 7 % orders.length]!.operations[0]!;
    first.pin = { machine: 1 + rnd.int(spec.machinesPerWorkCenter) };
  }
  return { snapshot: { calendars, workCenters, downtimes, orders }, now };
}
