import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Operator, OperatorBody, OperatorIdentity } from '../contract/operators.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import type { OperatorTable } from '../db/schema.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { ApiError } from '../contract/errors.ts';
import { issueOperatorSession, verifyOperatorSession } from './operator-session.ts';

const CREDENTIAL_KEY = 'operator-credential';

/**
 * The installation's key for PIN and badge hashes, made on first use. One statement, so processes
 * starting together agree on the same key: the insert loses the race quietly and the select reads
 * the winner's row.
 */
async function credentialKey(db: Queryable): Promise<Buffer> {
  const result = await sql<{ secret: Buffer }>`
    with made as (
      insert into installation_secret (name, secret) values (${CREDENTIAL_KEY}, ${randomBytes(32)})
      on conflict (name) do nothing returning secret)
    select secret from made
    union all
    select secret from installation_secret where name = ${CREDENTIAL_KEY}
    limit 1`.execute(db);
  return result.rows[0]!.secret;
}

/**
 * Keyed hash of a PIN or badge. The plant is part of the message, so the same PIN in two plants
 * hashes differently and uniqueness per plant is a plain unique index.
 */
function credentialHash(key: Buffer, plantId: number, kind: 'pin' | 'badge', value: string): string {
  return createHmac('sha256', key).update(`${plantId}:${kind}:${value}`).digest('hex');
}

function toView(row: Pick<OperatorTable, 'code' | 'name' | 'lead' | 'active' | 'pin_hash' | 'badge_hash'>): Operator {
  return { code: row.code, name: row.name, lead: row.lead, active: row.active, hasPin: row.pin_hash !== null, hasBadge: row.badge_hash !== null };
}

const columns = ['code', 'name', 'lead', 'active', 'pin_hash', 'badge_hash'] as const;

export async function listOperators(db: Queryable, plantId: number): Promise<Operator[]> {
  const rows = await db.selectFrom('operator').select(columns).where('plant_id', '=', plantId).orderBy('code').execute();
  return rows.map(toView);
}

export async function getOperator(db: Queryable, plantId: number, code: string): Promise<Operator> {
  const row = await db.selectFrom('operator').select(columns).where('plant_id', '=', plantId).where('code', '=', code).executeTakeFirst();
  if (!row) throw ApiError.notFound('operator', code);
  return toView(row);
}

/**
 * Creates or replaces an operator. PIN and badge are write-only (never returned), so a PUT without
 * them keeps the current ones: an edit of the name must not silently lock the person out.
 */
export async function putOperator(trx: Trx, actor: Actor, code: string, body: OperatorBody): Promise<Operator> {
  const key = body.pin !== undefined || body.badge !== undefined ? await credentialKey(trx) : null;
  const secrets: { pin_hash?: string; badge_hash?: string } = {};
  for (const kind of ['pin', 'badge'] as const) {
    const value = body[kind];
    if (value === undefined) continue;
    const hash = credentialHash(key!, actor.plantId, kind, value);
    const taken = await trx
      .selectFrom('operator')
      .select('code')
      .where('plant_id', '=', actor.plantId)
      .where(kind === 'pin' ? 'pin_hash' : 'badge_hash', '=', hash)
      .where('code', '<>', code)
      .executeTakeFirst();
    // Identify must find exactly one person. (A race between two PUTs is still caught by the index.)
    if (taken) throw new ApiError(409, 'conflict', `this ${kind} is already used by another operator`, kind);
    secrets[kind === 'pin' ? 'pin_hash' : 'badge_hash'] = hash;
  }
  const values = { name: body.name, lead: body.lead, active: body.active, updated_at: new Date(), ...secrets };
  await trx
    .insertInto('operator')
    .values({ plant_id: actor.plantId, code, pin_hash: null, badge_hash: null, ...values })
    .onConflict((oc) => oc.columns(['plant_id', 'code']).doUpdateSet(values))
    .execute();
  // Never log the PIN or badge themselves, only that they were set.
  const { pin, badge, ...rest } = body;
  await appendEvent(trx, {
    plantId: actor.plantId,
    type: 'operator.put',
    actor: actor.name,
    subject: code,
    payload: { ...rest, pinSet: pin !== undefined, badgeSet: badge !== undefined },
  });
  return await getOperator(trx, actor.plantId, code);
}

/** The active operator with this PIN or badge, or null. One indexed lookup, whatever the plant's size. */
export async function identifyOperator(
  db: Queryable,
  station: { plantId: number; tokenId: number },
  credential: { kind: 'pin' | 'badge'; value: string },
  now: number,
): Promise<OperatorIdentity | null> {
  const { plantId } = station;
  const key = await credentialKey(db);
  const hash = credentialHash(key, plantId, credential.kind, credential.value);
  const row = await db
    .selectFrom('operator')
    .select(['code', 'name', 'lead'])
    .where('plant_id', '=', plantId)
    .where(credential.kind === 'pin' ? 'pin_hash' : 'badge_hash', '=', hash)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  const { session, expiresAt } = issueOperatorSession(key, { ...station, code: row.code }, now);
  return { ...row, session, sessionExpiresAt: expiresAt.toISOString() };
}

/**
 * Checks the `operator` a station sends with a floor event or andon press: it must be the code of an
 * active operator of the plant, so the event log records real people. Absent is fine (the token's
 * name is recorded instead).
 */
export async function requireOperator(db: Queryable, plantId: number, code: string | undefined): Promise<{ lead: boolean } | null> {
  if (code === undefined) return null;
  const row = await db
    .selectFrom('operator')
    .select(['code', 'lead'])
    .where('plant_id', '=', plantId)
    .where('code', '=', code)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!row) throw ApiError.invalid('operator', `operator '${code}' is not an active operator of this plant`);
  return { lead: row.lead };
}

/**
 * Acknowledging and resolving is a lead's job. A station runs on a worker token; a lead standing at
 * it identifies with their own PIN or badge, and the session that proves it, not the tablet's token
 * nor a lead's code (which anyone can read off the alert list), carries the authority.
 */
export async function requireLeadAuthority(
  db: Queryable,
  actor: { plantId: number; role?: string; tokenId?: number },
  claim: { operator?: string; operatorSession?: string },
  now: number,
): Promise<void> {
  const identity = await requireOperator(db, actor.plantId, claim.operator);
  if (actor.role !== 'worker') return;
  const proven =
    claim.operatorSession !== undefined && actor.tokenId !== undefined
      ? verifyOperatorSession(await credentialKey(db), claim.operatorSession, { plantId: actor.plantId, tokenId: actor.tokenId }, now)
      : null;
  if (!identity?.lead || proven !== claim.operator) {
    throw new ApiError(
      403,
      'forbidden',
      "role 'worker' may do this only for a lead who identified at this station (operator = the lead's code, operatorSession from POST /operators/identify, valid 15 minutes)",
    );
  }
}

/**
 * Failed identify attempts per token in a sliding window. In memory: a 4-digit PIN space is tiny,
 * so guessing must be slowed where it happens; with several server processes each keeps its own
 * count, which still caps guessing at (processes x limit) per window.
 */
export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #max: number;
  readonly #windowMs: number;

  constructor(options: { max: number; windowMs: number }) {
    this.#max = options.max;
    this.#windowMs = options.windowMs;
  }

  #recent(key: string, now: number): number[] {
    const kept = (this.#failures.get(key) ?? []).filter((t) => t > now - this.#windowMs);
    if (kept.length) this.#failures.set(key, kept);
    else this.#failures.delete(key);
    return kept;
  }

  blocked(key: string, now: number): boolean {
    return this.#recent(key, now).length >= this.#max;
  }

  fail(key: string, now: number): void {
    const kept = this.#recent(key, now);
    kept.push(now);
    this.#failures.set(key, kept);
    // Bounded memory: tokens are few, but never let the map grow without limit.
    if (this.#failures.size > 10_000) this.#failures.clear();
  }
}
