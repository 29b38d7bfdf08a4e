import type { LateReason } from '$contract/schedule.ts';
import { formatList, formatMinutes, formatWhen } from './format.ts';
import { t } from './locale.svelte.ts';

/** One sentence per late reason, in the current locale; the switch is exhaustive over the contract. */
export function lateReasonText(reason: LateReason, now: Date = new Date()): string {
  switch (reason.kind) {
    case 'queued':
      return t('reason.queued', {
        seq: reason.seq,
        orders: formatList(reason.behind),
        workCenter: reason.workCenter,
        wait: formatMinutes(reason.waitMinutes),
      });
    case 'waiting':
      return t('reason.waiting', { seq: reason.seq, workCenter: reason.workCenter, wait: formatMinutes(reason.waitMinutes) });
    case 'down':
      return t('reason.down', { workCenter: reason.workCenter, until: formatWhen(reason.until, now) });
    case 'held':
      return t(reason.reason === 'material' ? 'reason.held.material' : 'reason.held.quality', {
        seq: reason.seq,
        until: formatWhen(reason.until, now),
      });
    case 'closed':
      return t('reason.closed', { workCenter: reason.workCenter, until: formatWhen(reason.until, now) });
    case 'released':
      return t('reason.released', { at: formatWhen(reason.at, now) });
    case 'work':
      return t('reason.work', { duration: formatMinutes(reason.minutes) });
    case 'overdue':
      return t('reason.overdue', { due: formatWhen(reason.dueAt, now) });
    default: {
      const unknown: never = reason;
      return JSON.stringify(unknown);
    }
  }
}
