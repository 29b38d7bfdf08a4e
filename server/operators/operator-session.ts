import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A station's proof that an operator typed their PIN or scanned their badge at it: an HMAC over the
 * plant, the station's token, the operator and an expiry, keyed by the installation's credential key.
 * Without it, a worker token could act as a lead by sending a lead's code, which anyone can read.
 * Stateless, so every server accepts it; short-lived, because a lead walks away from the tablet.
 */
export const OPERATOR_SESSION_MS = 15 * 60_000;

interface SessionClaims {
  plantId: number;
  tokenId: number;
  code: string;
  expiresAt: number;
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export function issueOperatorSession(key: Buffer, claims: Omit<SessionClaims, 'expiresAt'>, now: number): { session: string; expiresAt: Date } {
  const expiresAt = now + OPERATOR_SESSION_MS;
  const payload = Buffer.from(JSON.stringify({ ...claims, expiresAt })).toString('base64url');
  return { session: `${payload}.${sign(key, payload)}`, expiresAt: new Date(expiresAt) };
}

/** The operator code the session proves for this plant and station token, or null. */
export function verifyOperatorSession(key: Buffer, session: string, expected: { plantId: number; tokenId: number }, now: number): string | null {
  const [payload, signature] = session.split('.');
  if (!payload || !signature) return null;
  const wanted = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  if (wanted.length !== given.length || !timingSafeEqual(wanted, given)) return null;
  let claims: SessionClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
  } catch {
    return null;
  }
  if (claims.plantId !== expected.plantId || claims.tokenId !== expected.tokenId || !(claims.expiresAt > now)) return null;
  return typeof claims.code === 'string' ? claims.code : null;
}
