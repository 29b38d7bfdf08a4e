import { inWholeFeed, type NotificationView } from '../../server/contract/notifications.ts';
import { describe, expect, it } from 'vitest';
import { mergeNotifications, unreadCount } from '../../console/lib/notifications/notifications-model.ts';

const n = (id: number, createdAt: string, readAt: string | null = null): NotificationView => ({
  id,
  kind: 'andon.escalated',
  audience: 'floor',
  andonId: 'a',
  workCenter: 'A',
  reason: 'breakdown',
  level: 2,
  notify: 'supervisor',
  createdAt,
  readAt,
});

describe('notification feed', () => {
  it('keeps one entry per id, newest first, and counts unread', () => {
    let list = [n(1, '2026-03-02T01:00:00Z', '2026-03-02T01:05:00Z'), n(2, '2026-03-02T02:00:00Z')];
    list = mergeNotifications(list, n(3, '2026-03-02T03:00:00Z'));
    list = mergeNotifications(list, n(2, '2026-03-02T02:00:00Z'));
    expect(list.map((x) => x.id)).toEqual([3, 2, 1]);
    expect(unreadCount(list)).toBe(2);
  });
});

describe('the whole feed', () => {
  it('shows an andon notice once, as the floor\'s; a department\'s copy stays in its part; other notices whoever they are for', () => {
    expect(inWholeFeed({ kind: 'andon.raised', audience: 'floor' })).toBe(true);
    expect(inWholeFeed({ kind: 'andon.raised', audience: 'qc' })).toBe(false);
    expect(inWholeFeed({ kind: 'order.late', audience: 'sales' })).toBe(true);
    expect(inWholeFeed({ kind: 'operation.late_start', audience: 'floor' })).toBe(true);
  });
});
