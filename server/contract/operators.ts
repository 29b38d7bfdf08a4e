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

export interface Operator {
  code: string;
  name: string;
  lead: boolean;
  active: boolean;
  hasPin: boolean;
  hasBadge: boolean;
}

/** POST /api/v1/operators/identify: exactly one of pin or badge. */
export const IdentifyBody = z.object({
  pin: z.optional(z.string().check(z.regex(/^\d{4,8}$/))),
  badge: z.optional(z.string().check(z.minLength(4), z.maxLength(64))),
});

export interface OperatorIdentity {
  code: string;
  name: string;
  lead: boolean;
  /** Proof that this operator identified at this station: sent as `operatorSession` with lead actions. */
  session: string;
  sessionExpiresAt: string;
}

export const OperatorCode = Code;
