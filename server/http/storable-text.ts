/**
 * Text PostgreSQL refuses to store: NUL (error 22021) and UTF-16 surrogates without their pair, which
 * have no UTF-8 encoding (22P05). JSON and URLs carry both happily, so they are stopped at the
 * boundary, where the field can still be named, instead of failing as a 500 inside a transaction.
 */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

/** The path (as field names) of the first string or object key in `value` that cannot be stored. */
export function unstorableTextAt(value: unknown, at: string[] = []): string[] | null {
  if (typeof value === 'string') return isStorableText(value) ? null : at;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableTextAt(value[i], [...at, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) return [...at, key];
      const found = unstorableTextAt(item, [...at, key]);
      if (found) return found;
    }
  }
  return null;
}

/** Control characters escaped, so a request's path cannot forge or break a log line. */
export const forLog = (text: string): string => JSON.stringify(text).slice(1, -1);
