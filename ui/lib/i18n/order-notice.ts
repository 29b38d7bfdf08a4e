import type { OrderNotificationView } from '$contract/notifications.ts';
import { formatMinutes, formatWhen } from './format.ts';
import { lateReasonText } from './late-reason.ts';
import { t } from './locale.svelte.ts';

/**
 * The sentence of an order notice, in the current locale and the plant's time zone, written from the
 * facts the notice carries (the server stores no prose): "SO-2611048 will be 6 h late: Op 2 queued
 * behind SO-2611045 at MILL (waits 4 h); MILL is down until 14:00".
 */
export function orderNoticeText(notice: OrderNotificationView, now: Date = new Date()): string {
  const when = (iso: string | null) => formatWhen(iso, now);
  const facts = { order: notice.order, eta: when(notice.eta), due: when(notice.dueAt), p90: when(notice.etaP90) };
  switch (notice.kind) {
    case 'order.late': {
      const duration = formatMinutes(notice.latenessMinutes);
      if (!notice.reasons.length) return t('notice.order.late.plain', { ...facts, duration });
      const reasons = notice.reasons.map((r) => lateReasonText(r, now)).join(t('notice.reasons.separator'));
      return t('notice.order.late', { ...facts, duration, reasons });
    }
    case 'order.at_risk':
      return t('notice.order.at_risk', facts);
    case 'order.on_time':
      return t('notice.order.on_time', facts);
    default: {
      const unknown: never = notice.kind;
      return String(unknown);
    }
  }
}
