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
  return answerOf<T>(response.status, await response.text());
}

/** The JSON answer, or the one ApiError for a failure (the server's own, or a body that is not the API's). */
function answerOf<T>(status: number, text: string): T {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(status, 'bad_response', `HTTP ${status}: not JSON`);
  }
  if (status < 200 || status >= 300) {
    if (isErrorBody(parsed)) {
      const { code, message, field, details } = parsed.error;
      const known = (errorCodes as readonly string[]).includes(code) ? code : 'internal';
      throw new ApiError(status, known, message, field ?? null, details);
    }
    throw new ApiError(status, 'bad_response', `HTTP ${status}`);
  }
  return parsed as T;
}

/** Bytes sent so far of a file upload, and its size. */
export type UploadProgress = (sent: number, total: number) => void;

/**
 * POSTs a file as multipart/form-data (field `file`) with XMLHttpRequest, whose upload events report
 * progress (fetch has none for request bodies); answers and fails as every other call does.
 */
export function uploadFile<T>(path: string, query: Query, file: Blob, onProgress: UploadProgress): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', urlOf(path, query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    const token = currentToken();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      try {
        resolve(answerOf<T>(xhr.status, xhr.responseText));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload failed (network)'));
    const form = new FormData();
    form.set('file', file);
    xhr.send(form);
  });
}

/** A file the API answers (a template): its bytes and the name the server gives it. */
export async function fetchFile(path: string, query?: Query): Promise<{ name: string; blob: Blob }> {
  const headers: Record<string, string> = {};
  const token = currentToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(urlOf(path, query), { headers, credentials: 'same-origin' });
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : 'network error');
  }
  if (!response.ok) answerOf(response.status, await response.text());
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'download';
  return { name, blob: await response.blob() };
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
