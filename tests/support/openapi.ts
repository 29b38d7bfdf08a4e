import { isDeepStrictEqual } from 'node:util';
import * as z from 'zod/mini';
import { endpoints } from '../../server/openapi/document.ts';

/** The served document's operations, by path template and method: which statuses each may answer. */
export type DocumentPaths = Record<string, Record<string, { responses: Record<string, unknown> }>>;

/**
 * Why an answer breaks the document, or null. It must be a status the operation lists and never 5xx
 * (a 503 the document lists is still a failure here: the test database is up), and a success must
 * parse with the very schema the document was generated from and lose nothing in parsing: a field
 * the handler sends but the schema leaves out is drift too.
 */
export function documentViolation(paths: DocumentPaths, method: string, template: string, status: number, body: unknown): string | null {
  const operation = paths[template]?.[method.toLowerCase()];
  if (!operation) return `${method} ${template} is not in the document`;
  if (status >= 500) return `answered ${status}`;
  if (!(String(status) in operation.responses)) return `answered ${status}, which the document does not list`;
  if (status < 200 || status >= 300) return null;
  const endpoint = endpoints.find((e) => e.method === method.toLowerCase() && e.path === template);
  if (!endpoint || endpoint.ok === 'text/event-stream' || endpoint.ok === 'file') return null;
  const parsed = z.safeParse(endpoint.ok, body);
  if (!parsed.success) return `the ${status} body does not match its schema: ${z.prettifyError(parsed.error)}`;
  if (!isDeepStrictEqual(parsed.data, body)) return `the ${status} body has fields its schema leaves out: ${JSON.stringify(body).slice(0, 300)}`;
  return null;
}
