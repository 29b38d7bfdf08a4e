import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api/api-error.ts';
import { locale } from '$lib/i18n/locale.svelte.ts';
import { plantInstant } from '$console/sales/plant-input.ts';
import { quoteErrorText } from '$console/sales/quote-errors.ts';
import { suggestedCode } from '$console/sales/quote-state.svelte.ts';

afterEach(() => {
  locale.current = 'en';
});

describe('the quote form', () => {
  it('reads a datetime-local input as plant time', () => {
    expect(plantInstant('2026-12-03T14:00', 'Asia/Shanghai')).toBe('2026-12-03T06:00:00.000Z');
    expect(plantInstant('2026-07-01T09:30', 'Europe/Berlin')).toBe('2026-07-01T07:30:00.000Z');
    expect(plantInstant('2026-01-15T09:30', 'Europe/Berlin')).toBe('2026-01-15T08:30:00.000Z');
    expect(plantInstant('tomorrow', 'UTC')).toBeNull();
  });

  it('puts a refusal beside the field the API names, in the reader language', () => {
    locale.current = 'en';
    expect(quoteErrorText(new ApiError(400, 'validation_failed', 'quantity too small', 'quantity'))).toEqual({ field: 'quantity', text: 'A whole number from 1 to 10,000,000' });
    expect(quoteErrorText(new ApiError(404, 'not_found', "product 'X' not found", 'product'))).toEqual({ field: 'product', text: 'No such product' });
    expect(quoteErrorText(new ApiError(409, 'conflict', "order 'Q-1' already exists", 'code'))).toEqual({ field: 'code', text: 'An order with this code exists' });
    const expired = new ApiError(409, 'invalid_state', 'quote 1 expired at 2026-12-02T10:00:00.000Z: ask for a new one', 'quote');
    expect(quoteErrorText(expired)).toEqual({ field: 'quote', text: 'The quote expired: ask for a new one' });
    expect(quoteErrorText(new ApiError(409, 'invalid_state', 'quote 1 already has its order', 'quote')).text).toBe('This quote already became an order');
    locale.current = 'zh-CN';
    expect(quoteErrorText(expired).text).toBe('报价已过期，请重新报价');
  });

  it('falls back to the code title and the server message, with no field when none is named', () => {
    locale.current = 'en';
    expect(quoteErrorText(new ApiError(409, 'invalid_state', 'the plant cannot be planned now: x'))).toEqual({
      field: null,
      text: 'Not possible in the current state: the plant cannot be planned now: x',
    });
  });

  it('suggests an order code from the quote id', () => {
    expect(suggestedCode({ id: '3f2a9c1e-0000-4000-8000-000000000000' })).toBe('Q-3F2A9C1E');
  });
});
