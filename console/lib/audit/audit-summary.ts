import type { AuditChange, AuditEntry } from '$contract/audit.ts';
import { formatDateTime } from '$lib/i18n/format.ts';
import { t } from '$lib/i18n/locale.svelte.ts';
import { en, type MessageKey } from '$lib/i18n/messages.ts';

/** One changed field as people read it: "Due date: 2026-12-05 08:00 → 2026-12-06 17:00". */
export interface ChangeLine {
  field: string;
  before: string;
  after: string;
}

const TIME_FIELDS = new Set(['dueAt', 'releaseAt', 'at', 'expectedAt', 'expectedEndAt']);

const fieldKeys: Record<string, MessageKey> = {
  dueAt: 'audit.field.dueAt',
  releaseAt: 'audit.field.releaseAt',
  priority: 'audit.field.priority',
};

function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('common.none');
  if (TIME_FIELDS.has(field) && typeof value === 'string') return formatDateTime(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function changeLines(changes: AuditChange[]): ChangeLine[] {
  return changes.map((c) => ({
    field: fieldKeys[c.field] ? t(fieldKeys[c.field]!) : c.field,
    before: valueText(c.field, c.before),
    after: valueText(c.field, c.after),
  }));
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Scalars of a payload nobody wrote a sentence for: "name=Cutting, machines=2" (at most five). */
function plainFields(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .filter(([key, v]) => key !== 'id' && v !== null && ['string', 'number', 'boolean'].includes(typeof v))
    .slice(0, 5)
    .map(([key, v]) => `${key}=${valueText(key, v)}`)
    .join(', ');
}

/**
 * The sentence beside an entry, for the kinds a plant asks about most; the rest show their plain
 * fields. Changes with before and after are listed separately (changeLines), so this is empty then.
 */
export function summaryOf(entry: AuditEntry): string {
  const p = entry.payload;
  if (entry.changes.length > 0) return '';
  switch (entry.kind) {
    case 'order.created':
      return t('audit.summary.orderCreated', { product: str(p.product), quantity: num(p.quantity), due: valueText('dueAt', p.dueAt ?? null) });
    case 'operation.started':
    case 'operation.paused':
    case 'operation.progress':
    case 'operation.completed': {
      const parts = [];
      if (num(p.quantityGood) > 0) parts.push(t('audit.summary.good', { n: num(p.quantityGood) }));
      if (num(p.quantityScrap) > 0) parts.push(t('audit.summary.scrap', { n: num(p.quantityScrap) }));
      if (p.machine) parts.push(t('audit.summary.machine', { n: num(p.machine) }));
      if (p.operator) parts.push(t('audit.summary.operator', { code: str(p.operator) }));
      return parts.join(' · ');
    }
    case 'machine.counter_unmatched':
      return p.reason === 'over_quantity'
        ? t('audit.summary.overQuantity', { n: num(p.good) + num(p.scrap), order: str(p.order) })
        : t('audit.summary.unmatched', { n: num(p.good) + num(p.scrap) });
    case 'machine.counter_reset':
      return t('audit.summary.counterReset', { before: num(p.previousCount), after: num(p.count) });
    default:
      return plainFields(p);
  }
}

/** "Order changed" for the kinds with a name; the kind's code for the rest. */
export function kindLabel(kind: string): string {
  const key = `audit.kind.${kind}`;
  return key in en ? t(key as MessageKey) : kind;
}

/** Kinds offered in the filter's list; any other kind can still be typed. */
export const commonKinds = ['order', 'order.created', 'order.updated', 'operation', 'operation.progress', 'andon', 'pin', 'machine', 'component', 'work_center.put', 'product.put'] as const;
