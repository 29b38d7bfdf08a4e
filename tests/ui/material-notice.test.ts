import { afterEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n/locale.svelte.ts';
import { materialNoticeText } from '$lib/i18n/material-notice.ts';

// Plant time: Shanghai (UTC+8). Now is 10:00 there; STEEL-40 runs short at 14:00.
const now = new Date('2026-12-02T02:00:00Z');
const common = { id: 3, audience: 'purchasing' as const, createdAt: '2026-12-02T02:00:00Z', readAt: null };

describe('material notices in words', () => {
  afterEach(() => {
    locale.current = 'en';
    locale.timeZone = undefined;
  });

  it('a shortage: component, how much, when (plant time), for which orders where; in both languages', () => {
    locale.timeZone = 'Asia/Shanghai';
    const notice = { ...common, kind: 'material.shortage' as const, component: 'STEEL-40', neededAt: '2026-12-02T06:00:00Z', shortBy: 12.5, unit: 'm', orders: ['SO-2611048', 'SO-2611050'], workCenters: ['SAW'] };
    expect(materialNoticeText(notice, now)).toBe('STEEL-40 short by 12.5 m at 14:00 for SO-2611048, SO-2611050 at SAW');
    locale.current = 'zh-CN';
    expect(materialNoticeText(notice, now)).toBe('STEEL-40 将于 14:00 短缺 12.5 m，影响 SO-2611048, SO-2611050（SAW）');
  });

  it('below the reorder point: on hand and the point, with the unit', () => {
    const notice = { ...common, kind: 'material.below_reorder' as const, component: 'BEARING-6204', onHand: 1200, reorderPoint: 1500, unit: 'pcs' };
    expect(materialNoticeText(notice, now)).toBe('BEARING-6204 below its reorder point: 1,200 pcs on hand (reorder at 1,500 pcs)');
  });
});
