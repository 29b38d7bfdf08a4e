import { describe, expect, it } from 'vitest';
import { customersOf, emptyFilter, filterOrders, groupByCustomer, NO_CUSTOMER, slackMinutes, standingOf, trendOf } from '$console/sales/sales-rows.ts';
import { orderView } from './views.ts';

const H = 3_600_000;
const at = (base: string, hours: number) => new Date(Date.parse(base) + hours * H).toISOString();
const ETA = '2026-03-04T10:00:00.000Z';

describe('the trend mark', () => {
  it('says later, earlier or unchanged against the ETA a day ago, with a 15 minute tolerance', () => {
    expect(trendOf({ eta: ETA, etaDayAgo: at(ETA, -1) })).toBe('later');
    expect(trendOf({ eta: ETA, etaDayAgo: at(ETA, 2) })).toBe('earlier');
    expect(trendOf({ eta: ETA, etaDayAgo: at(ETA, -0.25) })).toBe('same');
    expect(trendOf({ eta: ETA, etaDayAgo: at(ETA, 0.2) })).toBe('same');
    expect(trendOf({ eta: ETA, etaDayAgo: at(ETA, -0.26) })).toBe('later');
  });

  it('is unknown without an ETA now or a day ago', () => {
    expect(trendOf({ eta: ETA, etaDayAgo: null })).toBe('unknown');
    expect(trendOf({ eta: null, etaDayAgo: ETA })).toBe('unknown');
  });
});

describe('slack and standing', () => {
  it('slack is due minus ETA in minutes: negative when late, null before a plan', () => {
    expect(slackMinutes({ dueAt: at(ETA, 3), eta: ETA })).toBe(180);
    expect(slackMinutes({ dueAt: at(ETA, -1.5), eta: ETA })).toBe(-90);
    expect(slackMinutes({ dueAt: ETA, eta: null })).toBeNull();
  });

  it('late wins over at risk; completed over both', () => {
    expect(standingOf({ status: 'open', late: true, atRisk: true })).toBe('late');
    expect(standingOf({ status: 'open', late: false, atRisk: true })).toBe('at-risk');
    expect(standingOf({ status: 'open', late: false, atRisk: false })).toBe('on-time');
    expect(standingOf({ status: 'completed', late: false, atRisk: false })).toBe('completed');
  });
});

describe('filters and groups', () => {
  const orders = [
    orderView('SO-3', { customer: 'Beta', dueAt: '2026-03-06T10:00:00.000Z' }),
    orderView('SO-1', { customer: 'Beta', dueAt: '2026-03-05T10:00:00.000Z', late: true }),
    orderView('SO-2', { customer: 'Acme', atRisk: true }),
    orderView('SO-4', { customer: null }),
    orderView('SO-5', { customer: 'Acme', status: 'completed' }),
    orderView('XY-9', { customer: '北方机械' }),
  ];
  const codes = (list: { code: string }[]) => list.map((o) => o.code);

  it('keeps open orders only', () => {
    expect(codes(filterOrders(orders, emptyFilter))).toEqual(['SO-3', 'SO-1', 'SO-2', 'SO-4', 'XY-9']);
  });

  it('late and at risk each narrow, and together they widen each other', () => {
    expect(codes(filterOrders(orders, { ...emptyFilter, late: true }))).toEqual(['SO-1']);
    expect(codes(filterOrders(orders, { ...emptyFilter, atRisk: true }))).toEqual(['SO-2']);
    expect(codes(filterOrders(orders, { ...emptyFilter, late: true, atRisk: true }))).toEqual(['SO-1', 'SO-2']);
  });

  it('filters by one customer, or by none', () => {
    expect(codes(filterOrders(orders, { ...emptyFilter, customer: 'Beta' }))).toEqual(['SO-3', 'SO-1']);
    expect(codes(filterOrders(orders, { ...emptyFilter, customer: NO_CUSTOMER }))).toEqual(['SO-4']);
  });

  it('searches order codes and customers, ignoring case and spaces around', () => {
    expect(codes(filterOrders(orders, { ...emptyFilter, search: ' so-3 ' }))).toEqual(['SO-3']);
    expect(codes(filterOrders(orders, { ...emptyFilter, search: 'acm' }))).toEqual(['SO-2']);
    expect(codes(filterOrders(orders, { ...emptyFilter, search: '北方' }))).toEqual(['XY-9']);
  });

  it('groups by customer name, no customer last, each group by due date, with its trouble counted', () => {
    const groups = groupByCustomer(filterOrders(orders, emptyFilter), new Intl.Collator('en'));
    expect(groups.map((g) => g.customer)).toEqual(['Acme', 'Beta', '北方机械', null]);
    expect(codes(groups[1]!.orders)).toEqual(['SO-1', 'SO-3']);
    expect(groups[1]).toMatchObject({ late: 1, atRisk: 0 });
    expect(groups[0]).toMatchObject({ late: 0, atRisk: 1 });
  });

  it('offers every customer with an open order', () => {
    expect(customersOf(orders, new Intl.Collator('en'))).toEqual(['Acme', 'Beta', '北方机械']);
  });
});
