import { inWholeFeed, type NotificationAudience, type NotificationView } from '$contract/notifications.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { live } from '$lib/live/live-connection.svelte.ts';
import { mergeNotifications, unreadCount } from './notifications-model.ts';

/**
 * The console's notification feed (alerts and escalations, orders turning late), live from the
 * `notification` topic; `audience` keeps one part of it (sales read their own).
 */
class NotificationsState {
  items = $state.raw<NotificationView[]>([]);
  audience: NotificationAudience | null = null;
  loaded = $state(false);
  error = $state<ApiError | null>(null);
  unread = $derived(unreadCount(this.items));

  async load(): Promise<void> {
    await loadInto(this, async () => {
      this.items = await api.notifications({ limit: 200, ...(this.audience ? { audience: this.audience } : {}) });
    });
  }

  follow(): () => void {
    const stops = [
      live.listen('notification', (m) => {
        if (this.audience ? m.data.audience !== this.audience : !inWholeFeed(m.data)) return;
        this.items = mergeNotifications(this.items, m.data);
      }),
      live.onResync(() => void this.load()),
    ];
    return () => stops.forEach((stop) => stop());
  }

  async markRead(id: number): Promise<void> {
    try {
      const updated = await api.readNotification(id);
      this.items = this.items.map((n) => (n.id === id ? { ...n, readAt: updated.readAt ?? new Date().toISOString() } : n));
    } catch (error) {
      this.error = ApiError.from(error);
    }
  }

  async markAllRead(): Promise<void> {
    for (const n of this.items.filter((x) => x.readAt === null)) await this.markRead(n.id);
  }
}

/** One feed per console tab: the nav bell and the notifications page share it. */
export const notifications = new NotificationsState();
