import type { NotificationView } from '$contract/notifications.ts';
import { formatWhen } from './format.ts';
import { formatQuantity } from './quantity.ts';
import { t } from './locale.svelte.ts';

type MaterialNotice = Extract<NotificationView, { kind: 'material.below_reorder' | 'material.shortage' }>;

/**
 * The sentence of a material notice, in the current locale and the plant's time zone: "STEEL-40 short
 * by 12 m at 14:00 for SO-2611048 at SAW", "STEEL-40 below its reorder point: 2 m on hand (reorder at 4 m)".
 */
export function materialNoticeText(notice: MaterialNotice, now: Date = new Date()): string {
  switch (notice.kind) {
    case 'material.shortage':
      return t('notice.material.shortage', {
        component: notice.component,
        shortBy: formatQuantity(notice.shortBy, notice.unit),
        at: formatWhen(notice.neededAt, now),
        orders: notice.orders.join(', '),
        workCenters: notice.workCenters.join(', '),
      });
    case 'material.below_reorder':
      return t('notice.material.below_reorder', {
        component: notice.component,
        onHand: formatQuantity(notice.onHand, notice.unit),
        reorderPoint: formatQuantity(notice.reorderPoint, notice.unit),
      });
    default: {
      const unknown: never = notice;
      return String(unknown);
    }
  }
}
