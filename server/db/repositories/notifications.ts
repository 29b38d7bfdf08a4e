import { andonNotificationKinds, BelowReorderData, ChannelDisabledData, QuoteConfirmedData, LateStartNoticeData, OrderNoticeData, ShortageNoticeData, type AndonNotificationView, type NotificationView } from '../../contract/notifications.ts';
import type { Queryable } from '../connect.ts';

/**
 * The notification feed's rows and views, shared by the API (server/notifications) and the worker
 * (order notices after a plan): one select, one mapping, whoever writes.
 */
export function selectNotifications(db: Queryable, plantId: number) {
  return db
    .selectFrom('notification as n')
    .leftJoin('andon as a', 'a.id', 'n.andon_id')
    .select(['n.id', 'n.kind', 'n.audience', 'n.andon_id', 'n.level', 'n.notify', 'n.data', 'n.created_at', 'n.read_at', 'a.work_center_code', 'a.reason'])
    .where('n.plant_id', '=', plantId);
}

export type NotificationRow = Awaited<ReturnType<ReturnType<typeof selectNotifications>['executeTakeFirstOrThrow']>>;

const isAndonKind = (kind: NotificationView['kind']): kind is AndonNotificationView['kind'] => (andonNotificationKinds as readonly string[]).includes(kind);

export function toNotificationView(row: NotificationRow): NotificationView {
  const common = { id: Number(row.id), audience: row.audience, createdAt: row.created_at.toISOString(), readAt: row.read_at?.toISOString() ?? null };
  const kind = row.kind;
  if (isAndonKind(kind)) {
    // The table's check constraint holds these for andon kinds.
    return { ...common, kind, andonId: row.andon_id!, workCenter: row.work_center_code!, reason: row.reason!, level: row.level!, notify: row.notify! };
  }
  // Parsed, not cast: the row's jsonb is the one place its shape is not checked by the database.
  if (kind === 'operation.late_start') return { ...common, kind, ...LateStartNoticeData.parse(row.data) };
  if (kind === 'material.below_reorder') return { ...common, kind, ...BelowReorderData.parse(row.data) };
  if (kind === 'material.shortage') return { ...common, kind, ...ShortageNoticeData.parse(row.data) };
  if (kind === 'quote.confirmed') return { ...common, kind, ...QuoteConfirmedData.parse(row.data) };
  if (kind === 'channel.disabled') return { ...common, kind, ...ChannelDisabledData.parse(row.data) };
  return { ...common, kind, ...OrderNoticeData.parse(row.data) };
}
