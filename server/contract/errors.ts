/** The one error shape of the API: `{error: {code, message, field?}}`. */
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
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'unavailable',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}
