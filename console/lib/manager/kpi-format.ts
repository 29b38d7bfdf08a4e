import { t } from '$lib/i18n/locale.svelte.ts';

/** 0.6 -> "60 %", 1/3 -> "33.3 %"; no share (nothing to count) -> "—". */
export function formatShare(share: number | null): string {
  return share === null ? t('common.none') : `${Math.round(share * 1000) / 10} %`;
}

/** Mean response times keep a decimal: 39.75 -> "39.8 min". */
export function formatMeanMinutes(minutes: number | null): string {
  return minutes === null ? t('common.none') : `${(Math.round(minutes * 10) / 10).toFixed(1)} ${t('common.minutes')}`;
}

export function formatLatency(ms: number | null): string {
  return ms === null ? t('common.none') : `${Math.round(ms)} ${t('manager.chart.ms')}`;
}
