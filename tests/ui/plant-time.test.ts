import { afterEach, expect, it } from 'vitest';
import { formatDateTime, formatWhen } from '$lib/i18n/format.ts';
import { locale } from '$lib/i18n/locale.svelte.ts';

afterEach(() => {
  locale.timeZone = undefined;
});

it('formats every time in the plant time zone, whatever the browser zone', () => {
  locale.current = 'en';
  const now = new Date('2026-11-25T20:51:00Z'); // 04:51 on the 26th in Suzhou
  locale.timeZone = 'Asia/Shanghai';
  expect(formatWhen('2026-11-25T22:54:00Z', now)).toBe('06:54'); // same plant day: clock only
  expect(formatDateTime('2026-11-25T22:54:00Z')).toBe('2026-11-26 06:54');
  locale.timeZone = 'UTC';
  expect(formatWhen('2026-11-25T22:54:00Z', now)).toBe('22:54');
  expect(formatDateTime('2026-11-25T22:54:00Z')).toBe('2026-11-25 22:54');
});
