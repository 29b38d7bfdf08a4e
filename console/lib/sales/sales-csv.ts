import type { OrderView } from '$contract/orders.ts';
import { formatDateTime } from '$lib/i18n/format.ts';
import { t } from '$lib/i18n/locale.svelte.ts';
import { slackMinutes, standingOf, trendOf } from './sales-rows.ts';

/**
 * The sales view as a CSV file: exactly the rows on screen, in their order, headed and worded in the
 * reader's language, times in plant time. Excel only reads UTF-8 (and so Chinese names) right when
 * the file starts with a byte order mark; it wants CRLF line ends.
 */
const BOM = '\uFEFF';

/** Quotes a field when it needs it, and defuses text Excel would run as a formula (=, +, -, @). */
function field(value: string | number | null, text = true): string {
  if (value === null) return '';
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const hours = (minutes: number | null) => (minutes === null ? null : Math.round(minutes / 6) / 10);

export function salesCsv(orders: readonly OrderView[]): string {
  const header = [
    t('orders.col.customer'),
    t('orders.col.code'),
    t('orders.col.product'),
    t('orders.col.quantity'),
    t('orders.col.due'),
    t('orders.col.eta'),
    t('sales.col.p50'),
    t('sales.col.p90'),
    t('sales.col.slackHours'),
    t('sales.col.trend'),
    t('orders.col.status'),
  ];
  const lines = orders.map((o) =>
    [
      field(o.customer),
      field(o.code),
      field(o.productName),
      field(o.quantity, false),
      field(formatDateTime(o.dueAt)),
      field(o.eta && formatDateTime(o.eta)),
      field(o.etaP50 && formatDateTime(o.etaP50)),
      field(o.etaP90 && formatDateTime(o.etaP90)),
      field(hours(slackMinutes(o)), false),
      field(t(`sales.trend.${trendOf(o)}`)),
      field(t(`sales.standing.${standingOf(o)}`)),
    ].join(','),
  );
  return BOM + [header.map((h) => field(h)).join(','), ...lines].join('\r\n') + '\r\n';
}

/** "takt-sales-2026-12-02-1430.csv", stamped in plant time. */
export function salesCsvName(now: Date): string {
  return `takt-sales-${formatDateTime(now.toISOString()).replace(' ', '-').replace(':', '')}.csv`;
}
