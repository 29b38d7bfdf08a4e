import type { ErrorCode } from '$contract/errors.ts';

/** Client-side failures that never reached the API get their own codes beside the server's. */
export type ClientErrorCode = ErrorCode | 'network' | 'bad_response';

/** Every failed API call surfaces as this one error, carrying the server's `{code, message, field}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ClientErrorCode;
  readonly field: string | null;

  constructor(status: number, code: ClientErrorCode, message: string, field: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** Turns anything thrown into an ApiError so every screen shows failures the same way. */
  static from(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new ApiError(0, 'network', message);
  }
}
