import * as z from 'zod/mini';

/** Codes of master data and orders: what a factory prints on travellers and labels. */
export const Code = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/));

/** Client-generated ids make floor presses idempotent: a UUID or any 8-64 char token. */
export const ClientId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_\-:.]{7,63}$/));

export const IsoInstant = z.iso.datetime({ offset: true });

export const Minutes = z.number().check(z.gte(0), z.lte(100_000));

/** A time zone this runtime knows by its IANA name (e.g. Asia/Shanghai). */
export function isIanaTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
