import * as z from 'zod/mini';
import { Code } from './common.ts';

/**
 * Operators identify at a station with a short PIN or by scanning their badge; every floor event and
 * andon then records who did it. PINs and badge codes are stored hashed.
 */
export const OperatorBody = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(64)),
  /** 4-8 digits. */
  pin: z.optional(z.string().check(z.regex(/^\d{4,8}$/))),
  badge: z.optional(z.string().check(z.minLength(4), z.maxLength(64))),
  /** A lead may acknowledge and resolve alerts at the station. */
  lead: z._default(z.boolean(), false),
  active: z._default(z.boolean(), true),
});
export type OperatorBody = z.infer<typeof OperatorBody>;

/** An operator as the API shows it: whether a PIN and badge are set, never their values. */
export const Operator = z.object({
  code: z.string(),
  name: z.string(),
  lead: z.boolean(),
  active: z.boolean(),
  hasPin: z.boolean(),
  hasBadge: z.boolean(),
});
export type Operator = z.infer<typeof Operator>;

/** POST /api/v1/operators/identify: exactly one of pin or badge. */
export const IdentifyBody = z.object({
  pin: z.optional(z.string().check(z.regex(/^\d{4,8}$/))),
  badge: z.optional(z.string().check(z.minLength(4), z.maxLength(64))),
});

export const OperatorIdentity = z.object({
  code: z.string(),
  name: z.string(),
  lead: z.boolean(),
  /** Proof that this operator identified at this station: sent as `operatorSession` with lead actions. */
  session: z.string(),
  sessionExpiresAt: z.string(),
});
export type OperatorIdentity = z.infer<typeof OperatorIdentity>;

export const OperatorCode = Code;
