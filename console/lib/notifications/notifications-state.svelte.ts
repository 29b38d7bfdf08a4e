import { inWholeFeed, isOwnNotice, type NotificationAudience, type NotificationView } from '$contract/notifications.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { loadInto } from '$lib/api/load-status.ts';
import { live } from '$lib/live/live-connection.svelte.ts';
import { session } from '$console/session.svelte.ts';
import { mergeNotifications, unreadCount } from './notifications-model.ts';

/** Remembered per browser: someone who reads only their own notices wants that the next day too. */
const FOR_ME_KEY = 'takt.notifications.forMe';

/**
 * The console's notification feed (alerts and escalations, orders turning late), live from the
 * `notification` topic; `audience` keeps one part of it (sales read their own); `forMe` keeps what
 * is the signed-in person's own (their department's, the alerts whose ladder names them, late
 * starts for leads and planners), as GET /notifications?for=me does.
 */
class NotificationsState {
  items = $state.raw<NotificationView[]>([]);
  audience: NotificationAudience | null = null;
  forMe = $state(typeof localStorage !== 'undefined' && localStorage.getItem(FOR_ME_KEY) === 'true');
  loaded = $state(false);
  error = $state<ApiError | null>(null);
  unread = $derived(unreadCount(this.items));

  async load(): Promise<void> {
    await loadInto(this, async () => {
      this.items = await api.notifications({ limit: 200, ...(this.audience ? { audience: this.audience } : this.forMe ? { for: 'me' as const } : {}) });
    });
  }

  async showOnlyMine(forMe: boolean): Promise<void> {
    this.forMe = forMe;
    if (typeof localStorage !== 'undefined') localStorage.setItem(FOR_ME_KEY, String(forMe));
    await this.load();
  }

  /** Whether a live notice belongs in the feed as it is shown now. */
  shows(n: NotificationView): boolean {
    if (this.audience) return n.audience === this.audience;
    const me = session.me;
    if (this.forMe && me) return isOwnNotice(n, me);
    return inWholeFeed(n);
  }

  follow(): () => void {
    const stops = [
      live.listen('notification', (m) => {
        if (!this.shows(m.data)) return;
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
