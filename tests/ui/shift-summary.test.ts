import type { AndonView } from '../../server/contract/andon.ts';
import type { OrderView } from '../../server/contract/orders.ts';
import { describe, expect, it } from 'vitest';
import { plantDay, shiftSummary } from '../../display/lib/board/shift-summary.ts';
import { orderView } from './views.ts';

const order = (code: string, o: Partial<OrderView>): OrderView =>
  orderView(code, { product: 'P', productName: 'P', quantity: 100, dueAt: '2026-03-02T08:00:00Z', customer: null, eta: '2026-03-02T07:00:00Z', currentSeq: null, createdAt: '2026-03-01T00:00:00Z', ...o });

const andon = (state: AndonView['state']) => ({ state }) as AndonView;

describe('shift summary', () => {
  // 2026-03-02 10:00 in Shanghai.
  const now = Date.parse('2026-03-02T02:00:00Z');
  const tz = 'Asia/Shanghai';

  it('uses the plant day, not UTC', () => {
    expect(plantDay(Date.parse('2026-03-01T17:00:00Z'), tz)).toBe('2026-03-02');
    expect(plantDay(Date.parse('2026-03-01T15:59:00Z'), tz)).toBe('2026-03-01');
  });

  it('counts output against the plan of the orders due today, and adherence over them', () => {
    const s = shiftSummary({
      now,
      timeZone: tz,
      andons: [andon('raised'), andon('acknowledged'), andon('resolved')],
      orders: [
        order('A', { status: 'completed', quantityGood: 120, quantity: 100 }), // capped at 100
        order('B', { quantityGood: 30 }), // on time
        order('C', { quantityGood: 10, late: true, eta: '2026-03-02T12:00:00Z' }), // late
        order('D', { dueAt: '2026-03-04T08:00:00Z', late: true, eta: '2026-03-05T00:00:00Z' }), // not today, late
      ],
    });
    expect(s.output).toBe(140);
    expect(s.plan).toBe(300);
    expect(s.dueToday).toBe(3);
    expect(s.adherence).toBeCloseTo(2 / 3);
    expect(s.openAlerts).toBe(2);
    expect(s.lateOrders).toBe(2);
  });

  it('has no adherence figure when nothing is due today', () => {
    expect(shiftSummary({ now, timeZone: tz, andons: [], orders: [] }).adherence).toBeNull();
  });
});
