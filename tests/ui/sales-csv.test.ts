import { afterEach, describe, expect, it } from 'vitest';
import { salesCsv, salesCsvName } from '$console/sales/sales-csv.ts';
import { locale } from '$lib/i18n/locale.svelte.ts';
import { orderView } from './views.ts';

afterEach(() => {
  locale.current = 'en';
  locale.timeZone = undefined;
});

const rows = [
  orderView('SO-1', {
    customer: 'Acme, "East"',
    dueAt: '2026-03-05T16:00:00.000Z',
    eta: '2026-03-05T18:30:00.000Z',
    etaP90: '2026-03-05T20:00:00.000Z',
    etaDayAgo: '2026-03-05T12:00:00.000Z',
    late: true,
  }),
  orderView('SO-2', { customer: '=HYPERLINK("x")', eta: null }),
];

describe('the CSV export', () => {
  it('starts with a BOM, uses CRLF, quotes what needs it, in plant time', () => {
    locale.current = 'en';
    locale.timeZone = 'Asia/Shanghai';
    const csv = salesCsv(rows);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[0]).toBe('Customer,Order,Product,Qty,Due,ETA,P50,P90,Slack (h),Trend,Status');
    // 16:00 UTC is midnight in Shanghai; a slack of -2.5 h; the ETA moved 6.5 h later.
    expect(lines[1]).toBe('"Acme, ""East""",SO-1,Shaft,50,2026-03-06 00:00,2026-03-06 02:30,,2026-03-06 04:00,-2.5,ETA later than a day ago,Late');
  });

  it('defuses text a spreadsheet would run as a formula, and leaves blanks for what is unknown', () => {
    locale.current = 'en';
    const line = salesCsv(rows).split('\r\n')[2]!;
    expect(line.startsWith(`"'=HYPERLINK(""x"")",SO-2,`)).toBe(true);
    expect(line).toContain(',,,,,No ETA a day ago,On time');
  });

  it('is headed and worded in Chinese for a Chinese reader', () => {
    locale.current = 'zh-CN';
    const csv = salesCsv(rows);
    expect(csv.split('\r\n')[0]).toBe('\uFEFF客户,订单号,产品,数量,交期,预计完成,P50,P90,余量（小时）,趋势,状态');
    expect(csv).toContain('延期');
  });

  it('names the file by the plant time of the export', () => {
    locale.timeZone = 'Asia/Shanghai';
    expect(salesCsvName(new Date('2026-12-02T06:30:00.000Z'))).toBe('takt-sales-2026-12-02-1430.csv');
  });
});
