import { describe, expect, it } from 'vitest';
import { forecastShortages, shortageHolds, type BomLine, type ComponentStock, type DemandOperation } from '../../scheduler/engine/shortage-forecast.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 4, 6, 0);

const bom = new Map<string, BomLine[]>([
  ['SHAFT', [{ component: 'STEEL-40', quantityPerUnit: 0.3, seq: 1 }, { component: 'BEARING', quantityPerUnit: 2, seq: 2 }]],
  ['GEAR', [{ component: 'STEEL-40', quantityPerUnit: 1.5, seq: 1 }]],
]);
const op = (order: string, seq: number, product: string, workCenter: string, hours: number, remaining: number): DemandOperation => ({ order, seq, product, workCenter, start: T0 + hours * H, remaining });

describe('shortage forecast', () => {
  it('walks the plan in planned-start order and reports the first short instant, the total lacking and who is hit', () => {
    const stock = new Map<string, ComponentStock>([
      ['STEEL-40', { onHand: 20, arrivalAt: null }],
      ['BEARING', { onHand: 100, arrivalAt: null }],
    ]);
    const demand = [
      // Out of order on purpose: the forecast sorts by planned start.
      op('SO-3', 1, 'GEAR', 'SAW', 8, 10), // 15 m at 14:00: 20 - 3 - 6 = 11 left -> short by 4
      op('SO-1', 1, 'SHAFT', 'SAW', 0, 10), // 3 m at 06:00 -> 17 left
      op('SO-2', 1, 'SHAFT', 'SAW', 4, 20), // 6 m at 10:00 -> 11 left
      op('SO-4', 1, 'GEAR', 'LATHE', 10, 4), // 6 m at 16:00: nothing left -> short by 6
      op('SO-1', 2, 'SHAFT', 'MILL', 2, 10), // 20 bearings -> 80 left
      op('SO-2', 2, 'SHAFT', 'MILL', 6, 20), // 40 bearings -> 40 left
    ];
    const shortages = forecastShortages(demand, bom, stock);
    expect(shortages).toEqual([
      {
        component: 'STEEL-40',
        neededAt: T0 + 8 * H,
        shortBy: 10,
        orders: ['SO-3', 'SO-4'],
        workCenters: ['SAW', 'LATHE'],
        arrivalAt: null,
        operations: [
          { order: 'SO-3', seq: 1, workCenter: 'SAW', at: T0 + 8 * H, shortBy: 4 },
          { order: 'SO-4', seq: 1, workCenter: 'LATHE', at: T0 + 10 * H, shortBy: 6 },
        ],
      },
    ]);
  });

  it('counts only remaining quantity, ignores components without stock rows, and keeps decimals exact', () => {
    const stock = new Map<string, ComponentStock>([['STEEL-40', { onHand: 0.9, arrivalAt: T0 + 30 * H }]]);
    const shortages = forecastShortages([op('SO-1', 1, 'SHAFT', 'SAW', 1, 3), op('SO-2', 1, 'SHAFT', 'SAW', 2, 1), op('SO-0', 1, 'SHAFT', 'SAW', 0, 0), op('SO-1', 2, 'SHAFT', 'MILL', 3, 3)], bom, stock);
    // 3 x 0.3 = 0.9 exactly covers SO-1 (no float dust); SO-2 lacks 0.3. BEARING has no stock row: not forecast.
    expect(shortages).toEqual([
      { component: 'STEEL-40', neededAt: T0 + 2 * H, shortBy: 0.3, orders: ['SO-2'], workCenters: ['SAW'], arrivalAt: T0 + 30 * H, operations: [{ order: 'SO-2', seq: 1, workCenter: 'SAW', at: T0 + 2 * H, shortBy: 0.3 }] },
    ]);
  });

  it('holds short operations until the arrival estimate, else from the first-seen instant for the material default', () => {
    const stock = new Map<string, ComponentStock>([
      ['STEEL-40', { onHand: 3, arrivalAt: null }],
      ['BEARING', { onHand: 0, arrivalAt: T0 + 20 * H }],
    ]);
    const shortages = forecastShortages([op('SO-1', 1, 'SHAFT', 'SAW', 2, 20), op('SO-1', 2, 'SHAFT', 'MILL', 5, 20)], bom, stock);
    const options = { now: T0, defaultMs: 4 * H, overdueMs: 15 * 60_000 };
    // No memory yet: the hold runs 4 h from the short instant (08:00 -> 12:00).
    expect(shortageHolds(shortages, new Map(), options)).toEqual(
      new Map([
        ['SO-1/1', { until: T0 + 6 * H, component: 'STEEL-40' }],
        ['SO-1/2', { until: T0 + 20 * H, component: 'BEARING' }],
      ]),
    );
    // The plan moved SO-1/1 to 12:00 because of the hold; the remembered 08:00 keeps the lift where it was.
    const moved = forecastShortages([op('SO-1', 1, 'SHAFT', 'SAW', 6, 20)], bom, stock);
    expect(shortageHolds(moved, new Map([['STEEL-40', T0 + 2 * H]]), options).get('SO-1/1')).toEqual({ until: T0 + 6 * H, component: 'STEEL-40' });
    // Once the default has passed, the hold never ends before now + the overdue margin.
    expect(shortageHolds(moved, new Map([['STEEL-40', T0 + 2 * H]]), { ...options, now: T0 + 7 * H }).get('SO-1/1')?.until).toBe(T0 + 7.25 * H);
  });
});
