import type { NotificationView } from '$contract/notifications.ts';

/** Newest first, one entry per id (a live message may repeat one already fetched). */
export function mergeNotifications(list: readonly NotificationView[], incoming: NotificationView): NotificationView[] {
  return [incoming, ...list.filter((n) => n.id !== incoming.id)].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
}

export const unreadCount = (list: readonly NotificationView[]) => list.filter((n) => n.readAt === null).length;
