import { pinNoteText } from '$lib/i18n/pin-note.ts';
import { t } from '$lib/i18n/locale.svelte.ts';
import type { KanbanCard } from '$lib/flow/kanban-model.ts';
import type { MoveNotice, MoveRefusal } from './flow-moves.svelte.ts';

/** The sentence for a refused move; `otherWorkCenter` names the work center the card belongs to. */
export function refusalText(card: Pick<KanbanCard, 'order' | 'seq'>, why: MoveRefusal): string {
  const who = { order: card.order, seq: card.seq };
  if (typeof why === 'object') return t('flow.why.otherWorkCenter', { ...who, workCenter: why.otherWorkCenter });
  return t(`flow.why.${why}`, who);
}

/** The notice above the board, and whether it reports a problem (shown as an alert). */
export function noticeText(notice: MoveNotice): { text: string; problem: boolean } {
  switch (notice.kind) {
    case 'sending':
      return { text: t('flow.move.sending', { order: notice.order, seq: notice.seq }), problem: false };
    case 'replanning':
      return { text: t('flow.move.replanning', { order: notice.order, seq: notice.seq }), problem: false };
    case 'done':
      return notice.position === null
        ? { text: t('flow.move.doneGone', { order: notice.order, seq: notice.seq }), problem: false }
        : { text: t('flow.move.done', { order: notice.order, seq: notice.seq, position: notice.position, count: notice.count, workCenter: notice.workCenter }), problem: false };
    case 'refused':
      return { text: refusalText(notice, notice.why), problem: true };
    case 'unhonourable':
      return { text: t('flow.move.unhonourable', { order: notice.order, seq: notice.seq, note: pinNoteText(notice.noteCode, notice.note) }), problem: true };
    case 'conflict':
      return { text: t('flow.move.conflict', { reason: notice.message }), problem: true };
    case 'failed':
      return { text: t('flow.move.failed', { reason: notice.error.message }), problem: true };
    default: {
      const never: never = notice;
      return never;
    }
  }
}
