/** The one error shape of the API: `{error: {code, message, field?, details?}}`. */
export const errorCodes = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_state',
  'quantity_exceeds_order',
  /** A plan move committed against a schedule version that has changed under it (details: StaleBaseDetails). */
  'stale_base',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'unavailable',
  'database_unavailable',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorBody {
  /** `details`: structured data for the few errors a client acts on (e.g. stale_base: what changed). */
  error: { code: ErrorCode; message: string; field?: string; details?: unknown };
}

/** Failures that never reached the API (no network, a proxy's HTML page) get their own codes. */
export type ClientErrorCode = 'network' | 'bad_response';

/**
 * The one error type of the API, on both sides. The server throws it below a route and turns it into
 * `ErrorBody` in one place (`server/http/on-error.ts`); the UI's client rebuilds it from that body,
 * so every screen shows a failure the same way.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly field: string | null;
  readonly details: unknown;

  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, field: string | null = null, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }

  static notFound(what: string, key: string, field?: string): ApiError {
    return new ApiError(404, 'not_found', `${what} '${key}' not found`, field ?? null);
  }

  static invalid(field: string, message: string): ApiError {
    return new ApiError(400, 'validation_failed', message, field);
  }

  /** Turns anything thrown into an ApiError (a plain Error is a network failure). */
  static from(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new ApiError(0, 'network', message);
  }
}
