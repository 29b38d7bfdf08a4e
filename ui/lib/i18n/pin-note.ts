import { pinNoteCodes, type PinNoteCode } from '$contract/plan.ts';
import { t } from './locale.svelte.ts';

/**
 * Why a pin is unhonourable or removed, in the reader's language. The server's English sentence is
 * the fallback for a code this console does not know (a newer server).
 */
export function pinNoteText(code: string | null | undefined, note: string | null | undefined): string {
  if (code && (pinNoteCodes as readonly string[]).includes(code)) return t(`pin.note.${code as PinNoteCode}`);
  return note ?? '';
}
