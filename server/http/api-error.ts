import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../contract/errors.ts';

/** The API's only error type. Thrown anywhere below a route; turned into a response in `on-error.ts`. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(status: ContentfulStatusCode, code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }

  static notFound(what: string, key: string, field?: string): ApiError {
    return new ApiError(404, 'not_found', `${what} '${key}' not found`, field);
  }

  static invalid(field: string, message: string): ApiError {
    return new ApiError(400, 'validation_failed', message, field);
  }
}
