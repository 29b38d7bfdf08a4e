import type { Product } from '$contract/master-data.ts';
import type { QuoteMode, QuoteView } from '$contract/quotes.ts';
import { ApiError } from '$lib/api/api-error.ts';
import { api } from '$lib/api/endpoints.ts';
import { locale } from '$lib/i18n/locale.svelte.ts';
import { plantInstant } from './plant-input.ts';
import { quoteErrorText, type QuoteField } from './quote-errors.ts';

export interface QuoteForm {
  product: string;
  quantity: number;
  customer: string;
  mode: QuoteMode;
  /** datetime-local text in plant time; '' for none. */
  wantedBy: string;
}

/** An order code to start from: the quote's own id, so two quotes never suggest the same code. */
export const suggestedCode = (quote: Pick<QuoteView, 'id'>) => `Q-${quote.id.slice(0, 8).toUpperCase()}`;

/**
 * The capable-to-promise form: ask for a quote, then turn it into an order. Errors are kept per
 * field (the API names the field), so the page shows each beside its input; the rest go on top.
 */
export class QuoteState {
  products = $state.raw<Product[]>([]);
  form = $state<QuoteForm>({ product: '', quantity: 1, customer: '', mode: 'keep-promises', wantedBy: '' });
  quote = $state.raw<QuoteView | null>(null);
  busy = $state<'quote' | 'order' | null>(null);
  fieldErrors = $state.raw<Partial<Record<QuoteField, string>>>({});
  error = $state<ApiError | null>(null);
  /** The order's code and, optionally, a due date later than the quoted one (plant time). */
  order = $state({ code: '', dueAt: '' });

  async loadProducts(): Promise<void> {
    try {
      this.products = (await api.products()).toSorted((a, b) => a.code.localeCompare(b.code));
      this.form.product ||= this.products[0]?.code ?? '';
      this.error = null;
    } catch (error) {
      this.error = ApiError.from(error);
    }
  }

  async ask(): Promise<void> {
    const wantedBy = this.form.wantedBy ? plantInstant(this.form.wantedBy, locale.timeZone) : undefined;
    this.#clearErrors();
    this.busy = 'quote';
    try {
      this.quote = await api.quote({
        product: this.form.product,
        quantity: this.form.quantity,
        mode: this.form.mode,
        ...(this.form.customer.trim() ? { customer: this.form.customer.trim() } : {}),
        // An unreadable date goes as typed: the API names the field, and the error lands beside it.
        ...(wantedBy !== undefined ? { wantedBy: wantedBy ?? this.form.wantedBy } : {}),
      });
      this.order = { code: suggestedCode(this.quote), dueAt: '' };
    } catch (error) {
      this.quote = null;
      this.#show(error);
    } finally {
      this.busy = null;
    }
  }

  /** Creates the order from the quote; resolves to its code, or null when refused (errors are shown). */
  async createOrder(): Promise<string | null> {
    const quote = this.quote;
    if (!quote) return null;
    const dueAt = this.order.dueAt ? plantInstant(this.order.dueAt, locale.timeZone) : undefined;
    this.#clearErrors();
    this.busy = 'order';
    try {
      const created = await api.createOrder({
        code: this.order.code.trim(),
        product: quote.product,
        quantity: quote.quantity,
        quote: quote.id,
        ...(quote.customer ? { customer: quote.customer } : {}),
        ...(dueAt !== undefined ? { dueAt: dueAt ?? this.order.dueAt } : {}),
      });
      return created.code;
    } catch (error) {
      this.#show(error);
      return null;
    } finally {
      this.busy = null;
    }
  }

  #clearErrors(): void {
    this.fieldErrors = {};
    this.error = null;
  }

  #show(error: unknown): void {
    const e = ApiError.from(error);
    const { field, text } = quoteErrorText(e);
    if (field) this.fieldErrors = { ...this.fieldErrors, [field]: text };
    else this.error = e;
  }
}
