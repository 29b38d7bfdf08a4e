import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../contract/auth.ts';
import type { Queryable } from '../db/connect.ts';

export function newTokenSecret(): string {
  return 'takt_' + randomBytes(24).toString('base64url');
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface Principal {
  tokenId: number;
  name: string;
  role: Role;
  kind: 'api' | 'session';
  allPlants: boolean;
  plantIds: number[];
}

export async function findPrincipal(db: Queryable, secret: string): Promise<Principal | null> {
  const row = await db
    .selectFrom('api_token')
    .select(['id', 'name', 'role', 'kind', 'all_plants', 'plant_ids'])
    .where('token_hash', '=', hashToken(secret))
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
    .executeTakeFirst();
  if (!row) return null;
  return {
    tokenId: row.id,
    name: row.name,
    role: row.role,
    kind: row.kind,
    allPlants: row.all_plants,
    plantIds: row.plant_ids,
  };
}

export interface NewToken {
  name: string;
  role: Role;
  kind: 'api' | 'session';
  userId?: number;
  allPlants?: boolean;
  plantIds?: number[];
  expiresAt?: Date;
  /** Use a known secret (TAKT_ADMIN_TOKEN); otherwise a random one is made. */
  secret?: string;
}

export async function createToken(db: Queryable, token: NewToken): Promise<string> {
  const secret = token.secret ?? newTokenSecret();
  await db
    .insertInto('api_token')
    .values({
      token_hash: hashToken(secret),
      kind: token.kind,
      name: token.name,
      role: token.role,
      user_id: token.userId ?? null,
      all_plants: token.allPlants ?? false,
      plant_ids: token.plantIds ?? [],
      expires_at: token.expiresAt ?? null,
      revoked_at: null,
    })
    .onConflict((oc) => oc.column('token_hash').doUpdateSet({ revoked_at: null, role: token.role, name: token.name }))
    .execute();
  return secret;
}
