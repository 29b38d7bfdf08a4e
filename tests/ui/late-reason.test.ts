import { describe, expect, it } from 'vitest';
import { lateReasonText } from '$lib/i18n/late-reason.ts';
import { locale } from '$lib/i18n/locale.svelte.ts';
import { en, zhCN } from '$lib/i18n/messages.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('every English message has a Chinese one with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zhCN[key], key).toBeTruthy();
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('turns late reasons into sentences in both languages', () => {
    const queued = { kind: 'queued' as const, seq: 4, workCenter: 'PAINT', behind: ['SO-1', 'SO-2'], waitMinutes: 286 };
    locale.current = 'en';
    const english = lateReasonText(queued);
    expect(english).toContain('PAINT');
    expect(english).toContain('SO-1');
    expect(english).toMatch(/4\s*h/);
    locale.current = 'zh-CN';
    const chinese = lateReasonText(queued);
    expect(chinese).toContain('PAINT');
    expect(chinese).toMatch(/[\u4e00-\u9fff]/);
    expect(chinese).not.toBe(english);
    expect(lateReasonText({ kind: 'work', minutes: 90 })).toMatch(/[\u4e00-\u9fff]/);
  });

  it('a wait without anyone ahead names the step, the work center and the wait, in both languages', () => {
    const waiting = { kind: 'waiting' as const, seq: 2, workCenter: 'MILL', waitMinutes: 90 };
    locale.current = 'en';
    const english = lateReasonText(waiting);
    expect(english).toBe('Op 2 waits 1 h 30 min at MILL for its planned start');
    expect(english).not.toMatch(/behind/);
    locale.current = 'zh-CN';
    const chinese = lateReasonText(waiting);
    expect(chinese).toContain('MILL');
    expect(chinese).toContain('工序 2');
    expect(chinese).not.toMatch(/之后/);
  });
});
