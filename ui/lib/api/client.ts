import { errorCodes, type ErrorBody } from '$contract/errors.ts';
import { currentToken } from '$lib/auth/credentials.ts';
import { ApiError } from './api-error.ts';

const BASE = '/api/v1';

type Query = Record<string, string | number | boolean | undefined>;

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

function urlOf(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = currentToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(urlOf(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : 'network error');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(response.status, 'bad_response', `HTTP ${response.status}: not JSON`);
  }
  if (!response.ok) {
    if (isErrorBody(parsed)) {
      const { code, message, field, details } = parsed.error;
      const known = (errorCodes as readonly string[]).includes(code) ? code : 'internal';
      throw new ApiError(response.status, known, message, field ?? null, details);
    }
    throw new ApiError(response.status, 'bad_response', `HTTP ${response.status}`);
  }
  return parsed as T;
}

/** The one fetch wrapper: same origin, bearer token when the screen has one, typed ApiError on failure. */
export const http = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/**
 * Opens the live stream with `fetch` (see LiveConnection for why not EventSource): the bearer token
 * goes in the header like every other call, `lastEventId` resumes after the last message applied.
 */
export function streamRequest(topics: readonly string[], lastEventId: number | null, signal: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  const token = currentToken();
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(urlOf('/stream', { topics: topics.join(','), lastEventId: lastEventId ?? undefined }), {
    headers,
    signal,
    credentials: 'same-origin',
    cache: 'no-store',
  });
}
