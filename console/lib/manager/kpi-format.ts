import { t } from '$lib/i18n/locale.svelte.ts';

/** 0.6 -> "60 %", 1/3 -> "33.3 %"; no share (nothing to count) -> "—". */
export function formatShare(share: number | null): string {
  return share === null ? t('common.none') : `${Math.round(share * 1000) / 10} %`;
}

/** Mean response times keep a decimal: 39.75 -> "39.8 min"; under a minute in seconds: 0.25 -> "15 s". */
export function formatMeanMinutes(minutes: number | null): string {
  if (minutes === null) return t('common.none');
  if (minutes < 1) return `${Math.round(minutes * 60)} ${t('manager.chart.seconds')}`;
  return `${(Math.round(minutes * 10) / 10).toFixed(1)} ${t('common.minutes')}`;
}

export function formatLatency(ms: number | null): string {
  return ms === null ? t('common.none') : `${Math.round(ms)} ${t('manager.chart.ms')}`;
}
