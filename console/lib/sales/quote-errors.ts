import type { ApiError } from '$lib/api/api-error.ts';
import { t, type MessageParams } from '$lib/i18n/locale.svelte.ts';
import type { MessageKey } from '$lib/i18n/messages.ts';

/** The quote form's inputs an error can be shown beside. */
export type QuoteField = 'product' | 'quantity' | 'customer' | 'wantedBy' | 'quote' | 'code' | 'dueAt';
const fields: readonly QuoteField[] = ['product', 'quantity', 'customer', 'wantedBy', 'quote', 'code', 'dueAt'];

/**
 * Turns a refused quote or order into a sentence in the reader's language next to the input it is
 * about. The API names the field; its message is English, so the known cases get their own words
 * and anything else falls back to the error code's title plus the server's message.
 */
export function quoteErrorText(error: ApiError): { field: QuoteField | null; text: string } {
  const field = fields.find((f) => f === error.field) ?? null;
  const say = (key: MessageKey, params?: MessageParams) => ({ field, text: t(key, params) });
  if (field === 'product') return error.code === 'not_found' ? say('quote.error.product') : say('quote.error.noRouting');
  if (field === 'quantity' && error.code === 'validation_failed') return say('quote.error.quantity');
  if (field === 'customer' && error.code === 'validation_failed') return say('quote.error.customer');
  if (field === 'wantedBy' && error.code === 'validation_failed') return say('quote.error.wantedBy');
  if (field === 'dueAt' && error.code === 'validation_failed') return say('quote.error.dueAt');
  if (field === 'code') return error.code === 'conflict' ? say('quote.error.code') : say('quote.error.invalidCode');
  // A spent quote and an expired one are both 409 on `quote`; only the message tells them apart.
  if (field === 'quote' && error.status === 409) return say(/expired/i.test(error.message) ? 'quote.error.expired' : 'quote.error.used');
  return { field, text: `${t(`error.${error.code}`)}: ${error.message}` };
}
