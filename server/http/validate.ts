import type { Context } from 'hono';
import * as z from 'zod/mini';
import { ApiError } from '../contract/errors.ts';
import { unstorableTextAt } from './storable-text.ts';

function issueToError(issue: z.core.$ZodIssue, at: string[]): ApiError {
  const path = [...at, ...issue.path.map(String)];
  const field = path.join('.') || undefined;
  let message: string;
  switch (issue.code) {
    case 'invalid_type':
      message = issue.input === undefined ? 'is required' : `must be ${issue.expected}`;
      break;
    case 'too_small':
      // A strict bound (quantities > 0) must not read "at least 0", which 0 would satisfy.
      message = `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`;
      break;
    case 'too_big':
      message = `must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`;
      break;
    case 'invalid_value':
      message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'invalid_format':
      message = `has an invalid format (${issue.format})`;
      break;
    case 'unrecognized_keys':
      return new ApiError(400, 'validation_failed', `unknown field '${issue.keys[0]}'`, [...path, issue.keys[0]].join('.'));
    default:
      message = 'is invalid';
  }
  return new ApiError(400, 'validation_failed', field ? `${field} ${message}` : `body ${message}`, field);
}

/**
 * Parses a value with a schema, throwing a 400 that names the first offending field. `at` names the
 * value itself (e.g. a path parameter), so a bad scalar is reported as that field rather than as "body".
 */
export function parseWith<S extends z.ZodMiniType>(schema: S, value: unknown, at?: string): z.infer<S> {
  const unstorable = unstorableTextAt(value, at ? [at] : []);
  if (unstorable) {
    const field = unstorable.join('.') || 'body';
    throw ApiError.invalid(field, `${field} contains a NUL character or an unpaired surrogate, which cannot be stored`);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw issueToError(result.error.issues[0]!, at ? [at] : []);
  return result.data;
}

/** Reads and validates a JSON body. Malformed JSON is a 400 of its own, before any field check. */
export async function jsonBody<S extends z.ZodMiniType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() !== '') {
    const type = c.req.header('content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/json')) {
      throw new ApiError(415, 'unsupported_media_type', 'body must be application/json');
    }
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'invalid_json', 'body is not valid JSON');
    }
  }
  return parseWith(schema, raw);
}

export function queryWith<S extends z.ZodMiniType>(c: Context, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query());
}
