import { afterEach, describe, expect, it } from 'vitest';
import type { OrderNotificationView } from '$contract/notifications.ts';
import { locale } from '$lib/i18n/locale.svelte.ts';
import { orderNoticeText } from '$lib/i18n/order-notice.ts';

// Plant time: Shanghai (UTC+8). Now is 10:00 there; MILL is down until 14:00, the order due at 14:00.
const now = new Date('2026-12-02T02:00:00Z');
const late: OrderNotificationView = {
  id: 7,
  kind: 'order.late',
  audience: 'sales',
  order: 'SO-2611048',
  dueAt: '2026-12-02T06:00:00Z',
  eta: '2026-12-02T12:00:00Z',
  etaP90: null,
  latenessMinutes: 360,
  reasons: [
    { kind: 'queued', seq: 2, workCenter: 'MILL', behind: ['SO-2611045'], waitMinutes: 240 },
    { kind: 'down', seq: 2, workCenter: 'MILL', until: '2026-12-02T06:00:00Z', downtimeId: 'd1' },
  ],
  createdAt: '2026-12-02T02:00:00Z',
  readAt: null,
};

describe('order notices in words', () => {
  afterEach(() => {
    locale.current = 'en';
    locale.timeZone = undefined;
  });

  it('late: the lateness and every reason, in plant time, in both languages', () => {
    locale.timeZone = 'Asia/Shanghai';
    locale.current = 'en';
    expect(orderNoticeText(late, now)).toBe('SO-2611048 will be 6 h 0 min late: Op 2 queued behind SO-2611045 at MILL (waits 4 h 0 min); MILL is down until 14:00');
    locale.current = 'zh-CN';
    expect(orderNoticeText(late, now)).toBe('SO-2611048 将延期 6小时0分：工序 2 在 MILL 排在 SO-2611045 之后（等待 4小时0分）；MILL 停机至 14:00');
  });

  it('late without a reason says ETA and due; at risk names the P90; back on time the ETA', () => {
    locale.timeZone = 'Asia/Shanghai';
    locale.current = 'en';
    expect(orderNoticeText({ ...late, reasons: [] }, now)).toBe('SO-2611048 will be 6 h 0 min late (ETA 20:00, due 14:00)');
    const risk = { ...late, kind: 'order.at_risk' as const, eta: '2026-12-02T05:00:00Z', etaP90: '2026-12-02T07:30:00Z', latenessMinutes: 0 };
    expect(orderNoticeText(risk, now)).toBe('SO-2611048 may be late: 1 chance in 10 of finishing after its due date 14:00 (P90 15:30, ETA 13:00)');
    const back = { ...late, kind: 'order.on_time' as const, eta: '2026-12-02T05:00:00Z', latenessMinutes: 0, reasons: [] };
    expect(orderNoticeText(back, now)).toBe('SO-2611048 is back on time: ETA 13:00, due 14:00');
    locale.current = 'zh-CN';
    expect(orderNoticeText(back, now)).toBe('SO-2611048 已恢复准时：预计 13:00 完成，交期 14:00');
    expect(orderNoticeText(risk, now)).toBe('SO-2611048 可能延期：有一成可能晚于交期 14:00 完成（P90 15:30，预计 13:00）');
  });
});
