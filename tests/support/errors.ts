import { expect } from 'vitest';
import { errorCodes } from '../../server/contract/errors.ts';
import { errorOf, type JsonResponse } from './http.ts';

/**
 * Asserts an error response: its status, its code, the field it names (or that it names none), and
 * that the body has exactly the one error shape `{error: {code, message, field?, details?}}` and nothing else.
 */
export function expectError(response: JsonResponse<unknown>, status: number, code: string, field?: string | null): void {
  const context = `${response.status} ${JSON.stringify(response.body)}`;
  expect(response.status, context).toBe(status);
  expect(response.headers.get('content-type') ?? '', context).toMatch(/^application\/json/);
  expectErrorShape(response.body);
  const error = errorOf(response);
  expect(error.code, context).toBe(code);
  if (field === null) expect(error, context).not.toHaveProperty('field');
  else if (field !== undefined) expect(error.field, context).toBe(field);
}

/** The body is `{error: {code, message, field?, details?}}`: no other keys, a known code, a non-empty message. */
export function expectErrorShape(body: unknown): void {
  const context = JSON.stringify(body);
  expect(body, context).toBeTypeOf('object');
  expect(Object.keys(body as object), context).toEqual(['error']);
  const error = (body as { error: Record<string, unknown> }).error;
  const keys = Object.keys(error).sort();
  expect(keys.filter((k) => k !== 'field' && k !== 'details'), context).toEqual(['code', 'message']);
  expect(errorCodes as readonly unknown[], context).toContain(error.code);
  expect(error.message, context).toBeTypeOf('string');
  expect((error.message as string).length, context).toBeGreaterThan(0);
  if ('field' in error) {
    expect(error.field, context).toBeTypeOf('string');
    expect((error.field as string).length, context).toBeGreaterThan(0);
  }
}
